"""Admin routes: request counters, ground truth, change on request, faults, determinism."""

from __future__ import annotations

import httpx

from clickup_sync.simulator import Simulator


def _admin(url: str) -> str:
    return url.removesuffix("/api/v2") + "/_simulator"


def test_requests_are_counted_per_endpoint_and_token() -> None:
    sim = Simulator.generate(seed=11, tasks=60, plan="enterprise")
    with sim.serve() as url:
        admin = _admin(url)
        httpx.post(admin + "/stats/reset")
        for _ in range(3):
            httpx.get(url + "/team", headers={"Authorization": "pk_demo"})
        task = next(iter(sim.workspace.tasks))
        httpx.get(url + f"/task/{task}", headers={"Authorization": "pk_demo"})
        httpx.get(url + "/team")  # no token: counted too
        stats = httpx.get(admin + "/stats").json()
    sim.close()
    assert stats["by_endpoint"] == {"GET /team": 4, "GET /task/{task_id}": 1}
    assert stats["by_token"] == {"pk_demo": 4, "<none>": 1}
    assert stats["total"] == 5


def test_advance_changes_the_workspace_and_ground_truth_follows() -> None:
    sim = Simulator.generate(seed=12, tasks=400, plan="enterprise")
    with sim.serve() as url:
        admin = _admin(url)
        before = httpx.get(admin + "/state").json()
        summary = httpx.post(admin + "/advance", json={"minutes": 120}).json()
        after = httpx.get(admin + "/state").json()
        bad = httpx.post(admin + "/advance", json={"minutes": "soon"})
        team = sim.workspace.id
        updated = httpx.get(url + f"/team/{team}/task", params={
            "date_updated_gt": max(int(t["date_updated"]) for t in before["tasks"].values()) + 1,
            "include_closed": "true", "subtasks": "true", "order_by": "updated"},
            headers={"Authorization": "pk_demo"}).json()["tasks"]
    sim.close()
    assert summary and before != after
    assert bad.status_code == 400
    changed = {tid for tid, t in after["tasks"].items()
               if tid not in before["tasks"] or t != before["tasks"][tid]}
    assert changed
    assert {t["id"] for t in updated} <= set(after["tasks"])
    assert {t["id"] for t in updated} & changed


def test_faults_can_be_set_over_http() -> None:
    sim = Simulator.generate(seed=13, tasks=40, plan="enterprise")
    with sim.serve() as url:
        admin = _admin(url)
        assert httpx.put(admin + "/faults", json={"error_rate": 1.0}).status_code == 200
        r = httpx.get(url + "/team", headers={"Authorization": "pk_demo"})
        assert httpx.put(admin + "/faults", json={"error_rate": 2.0}).status_code == 400
        injected = httpx.get(admin + "/faults").json()["injected"]
    sim.close()
    assert r.status_code >= 500 and injected == {"error": 1}


def test_same_seed_serves_the_same_bytes() -> None:
    bodies = []
    for _ in range(2):
        sim = Simulator.generate(seed=21, tasks=150, plan="enterprise", now_ms=1_760_000_000_000)
        with sim.serve() as url:
            team = sim.workspace.id
            r = httpx.get(url + f"/team/{team}/task", params={"subtasks": "true",
                                                              "include_closed": "true"},
                          headers={"Authorization": "pk_demo"})
            bodies.append(r.content)
        sim.close()
    assert bodies[0] == bodies[1]
    other = Simulator.generate(seed=22, tasks=150, now_ms=1_760_000_000_000)
    assert {t.name for t in other.workspace.tasks.values()} != \
        {t.name for t in Simulator.generate(seed=21, tasks=150,
                                            now_ms=1_760_000_000_000).workspace.tasks.values()}
