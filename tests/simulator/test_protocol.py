"""Auth, errors, rate limits and faults: ClickUp's behaviour around every endpoint."""

from __future__ import annotations

import time

import httpx
import pytest

from clickup_sync.simulator import FaultConfig, Simulator


def test_missing_and_unknown_tokens_get_clickup_401s(base_url: str) -> None:
    r = httpx.get(base_url + "/team")
    assert r.status_code == 401 and r.json() == {"err": "Authorization header required",
                                                 "ECODE": "OAUTH_017"}
    r = httpx.get(base_url + "/team", headers={"Authorization": "pk_nope"})
    assert r.status_code == 401 and r.json()["ECODE"] == "OAUTH_025"


def test_bearer_form_is_accepted(base_url: str) -> None:
    r = httpx.get(base_url + "/user", headers={"Authorization": "Bearer pk_test"})
    assert r.status_code == 200 and isinstance(r.json()["user"]["id"], int)


@pytest.mark.parametrize("path", ["/task/zzzzzzz", "/list/1", "/folder/1", "/team/1/task",
                                  "/task/zzzzzzz/comment", "/list/1/task"])
def test_unknown_ids_answer_401_oauth_027_like_clickup(api: httpx.Client, path: str) -> None:
    r = api.get(path)
    assert r.status_code == 401
    assert r.json() == {"err": "Team not authorized", "ECODE": "OAUTH_027"}


def test_unknown_space_is_404_proj_006(api: httpx.Client) -> None:
    r = api.get("/space/1")
    assert r.status_code == 404 and r.json()["ECODE"] == "PROJ_006"


def test_unknown_ids_can_answer_404() -> None:
    sim = Simulator.generate(seed=3, tasks=50, unknown_id_status=404, plan="enterprise")
    with sim.serve() as url:
        r = httpx.get(url + "/task/nope", headers={"Authorization": "pk_demo"})
    sim.close()
    assert r.status_code == 404 and r.json()["ECODE"] == "ITEM_013"


def test_rate_limit_headers_on_every_response(api: httpx.Client) -> None:
    r = api.get("/team")
    assert r.headers["X-RateLimit-Limit"] == "10000"
    assert int(r.headers["X-RateLimit-Remaining"]) < 10000
    assert abs(int(r.headers["X-RateLimit-Reset"]) - time.time()) <= 61


def test_plan_limit_then_429_then_window_resets() -> None:
    sim = Simulator.generate(seed=5, tasks=30, plan="free", rate_window=1.0)
    headers = {"Authorization": "pk_demo"}
    with sim.serve() as url, httpx.Client(base_url=url, headers=headers) as c:
        # Start at the beginning of a fresh window so all 101 calls share it.
        time.sleep(1 - time.time() % 1 + 0.01)
        codes = [c.get("/user").status_code for _ in range(101)]
        limited = c.get("/user")
        reset = int(limited.headers["X-RateLimit-Reset"])
        time.sleep(max(0.0, reset - time.time()) + 0.05)
        after = c.get("/user")
    sim.close()
    assert codes[:100] == [200] * 100
    assert codes[100] == 429 and limited.status_code == 429
    assert limited.json() == {"err": "Rate limit reached", "ECODE": "APP_002"}
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert after.status_code == 200 and after.headers["X-RateLimit-Limit"] == "100"


def test_limits_are_per_token() -> None:
    sim = Simulator.generate(seed=5, tasks=30, plan="free", rate_window=3600)
    sim.add_token("pk_other", sim.workspace.owner_id)
    with sim.serve() as url, httpx.Client(base_url=url) as c:
        # Spend pk_demo's budget (a window boundary may pass once, hence up to 300 calls).
        codes = [c.get("/user", headers={"Authorization": "pk_demo"}).status_code
                 for _ in range(300)]
        other = c.get("/user", headers={"Authorization": "pk_other"})
    sim.close()
    assert 429 in codes and other.status_code == 200


@pytest.mark.parametrize("plan,limit", [("business_plus", 1000), ("enterprise", 10000),
                                        ("unlimited", 100)])
def test_plan_limits(plan: str, limit: int) -> None:
    sim = Simulator.generate(seed=5, tasks=10, plan=plan)
    with sim.serve() as url:
        r = httpx.get(url + "/user", headers={"Authorization": "pk_demo"})
    sim.close()
    assert r.headers["X-RateLimit-Limit"] == str(limit)


def _fault_sim(**rates: float) -> Simulator:
    return Simulator.generate(seed=9, tasks=120, plan="enterprise",
                              faults=FaultConfig(seed=1, **rates))


def test_server_errors_are_injected_at_the_configured_share() -> None:
    sim = _fault_sim(error_rate=0.3)
    with sim.serve() as url, httpx.Client(base_url=url,
                                          headers={"Authorization": "pk_demo"}) as c:
        codes = [c.get("/team").status_code for _ in range(200)]
    sim.close()
    errors = [code for code in codes if code >= 500]
    assert set(errors) <= {500, 502, 503} and 35 <= len(errors) <= 85
    assert codes.count(200) == 200 - len(errors)


def test_truncated_bodies_are_not_json() -> None:
    sim = _fault_sim(truncate_rate=1.0)
    with sim.serve() as url:
        r = httpx.get(url + "/team", headers={"Authorization": "pk_demo"})
    sim.close()
    assert r.status_code == 200
    with pytest.raises(ValueError):
        r.json()


def test_dropped_connections_fail_mid_body() -> None:
    sim = _fault_sim(drop_rate=1.0)
    with sim.serve() as url, pytest.raises(httpx.TransportError):
        httpx.get(url + f"/team/{sim.workspace.id}/task",
                  headers={"Authorization": "pk_demo"})
    sim.close()


def test_429_bursts_come_in_runs() -> None:
    sim = _fault_sim(rate_limit_rate=0.05)
    sim.faults.config.rate_limit_burst = 4
    with sim.serve() as url, httpx.Client(base_url=url,
                                          headers={"Authorization": "pk_demo"}) as c:
        codes = [c.get("/user").status_code for _ in range(300)]
    sim.close()
    runs, run = [], 0
    for code in [*codes, 200]:
        if code == 429:
            run += 1
        elif run:
            runs.append(run)
            run = 0
    assert runs and all(r >= 4 for r in runs[:-1])


@pytest.mark.parametrize("reset", [None, 0.25])
def test_injected_429s_reset_at_the_window_end_or_as_configured(reset: float | None) -> None:
    sim = _fault_sim(rate_limit_rate=1.0)
    sim.faults.config.rate_limit_reset = reset
    with sim.serve() as url:
        sent = time.time()
        r = httpx.get(url + "/user", headers={"Authorization": "pk_demo"})
    sim.close()
    assert r.status_code == 429 and r.json()["ECODE"] == "APP_002"
    assert r.headers["X-RateLimit-Remaining"] == "0"
    if reset is None:  # ClickUp's form: the window's end, whole epoch seconds
        assert r.headers["X-RateLimit-Reset"].isdigit()
        assert 0 < int(r.headers["X-RateLimit-Reset"]) - sent <= 61
    else:
        got = float(r.headers["X-RateLimit-Reset"])  # epoch seconds to the millisecond
        assert sent + reset - 0.001 <= got <= time.time() + reset + 0.001


def test_slow_responses_take_their_time() -> None:
    sim = _fault_sim(slow_rate=1.0)
    sim.faults.config.slow_seconds = 0.3
    with sim.serve() as url:
        started = time.monotonic()
        r = httpx.get(url + "/user", headers={"Authorization": "pk_demo"})
        elapsed = time.monotonic() - started
    sim.close()
    assert r.status_code == 200 and elapsed >= 0.3


def test_malformed_write_body_is_rejected(sim: Simulator, api: httpx.Client) -> None:
    lst = next(iter(sim.workspace.lists))
    r = api.post(f"/list/{lst}/task", content=b"{not json",
                 headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["ECODE"] == "INPUT_001"


def test_unknown_route_is_a_json_404(api: httpx.Client) -> None:
    r = api.get("/no/such/route")
    assert r.status_code == 404 and "ECODE" in r.json()
