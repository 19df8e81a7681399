"""Retries against a simulator on a bad day: 5xx, cut bodies, dropped connections and 429s
are survived, and the data read is exactly the data of a calm day."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from clickup_sync.clickup import ClickUpClient, RateLimited, RateLimitPacer, RetryPolicy
from clickup_sync.simulator import FaultConfig, Simulator

from .conftest import FakeTime, MakeClient, fast_retry, new_sim


async def _snapshot(client: ClickUpClient, sim: Simulator, busy_task: str) -> dict[str, Any]:
    ws = sim.workspace
    tasks = [t async for page in client.iter_team_tasks(ws.id, include_closed=True,
                                                        subtasks=True) for t in page]
    comments = [c async for page in client.iter_task_comments(busy_task) for c in page]
    lists = {lst_id: await client.get_list(lst_id) for lst_id in ws.lists}
    some = {t["id"]: await client.get_task(t["id"]) for t in tasks[:40]}
    return {"user": await client.get_user(), "tasks": tasks, "comments": comments,
            "lists": lists, "some": some}


@pytest.fixture(scope="module")
def faulty_sim() -> Iterator[Simulator]:
    sim = new_sim(tasks=250)
    yield sim
    sim.close()


def _busy_task(sim: Simulator) -> str:
    counts: dict[str, int] = {}
    for c in sim.workspace.comments.values():
        if c.task_id and not c.parent_id:
            counts[c.task_id] = counts.get(c.task_id, 0) + 1
    return max(counts, key=counts.__getitem__)


@pytest.mark.parametrize("over", ["asgi", "socket"])
async def test_retries_recover_the_exact_data(faulty_sim: Simulator, make_client: MakeClient,
                                              over: str) -> None:
    busy = _busy_task(faulty_sim)
    faulty_sim.faults.configure(FaultConfig())
    calm_client = make_client(faulty_sim)
    calm = await _snapshot(calm_client, faulty_sim, busy)
    faulty_sim.faults.configure(FaultConfig(error_rate=0.1, truncate_rate=0.1, drop_rate=0.1,
                                            seed=11))
    try:
        if over == "asgi":
            client = make_client(faulty_sim, max_concurrency=2)
            stormy = await _snapshot(client, faulty_sim, busy)
        else:
            with faulty_sim.serve() as base_url:
                client = make_client(base_url=base_url, transport=None)
                stormy = await _snapshot(client, faulty_sim, busy)
        injected = dict(faulty_sim.faults.injected)
    finally:
        faulty_sim.faults.configure(FaultConfig())
    assert stormy == calm
    assert injected.get("error", 0) and injected.get("truncate", 0) and injected.get("drop", 0)
    assert client.calls == calm_client.calls + sum(injected.values())


async def test_429_waits_for_the_reset_then_succeeds(make_client: MakeClient) -> None:
    sim = new_sim(tasks=20, plan="free", rate_window=1.0)
    sim.faults.configure(FaultConfig(rate_limit_rate=0.3, rate_limit_burst=1, seed=2))
    client = make_client(sim)
    windows = []
    for _ in range(4):
        await client.get_user()
        windows.append(int(time.time()))
    sim.close()
    limited = sim.faults.injected.get("rate_limit", 0)
    assert limited == 2 and client.calls == 4 + limited
    assert windows[2] >= windows[1] + 2  # the call that met two 429s waited out two windows


async def test_429_retries_wait_for_the_reset_then_give_up(make_client: MakeClient) -> None:
    fake = FakeTime()
    reset = fake.now + 0.5
    sent: list[float] = []

    def limited(request: httpx.Request) -> httpx.Response:
        sent.append(fake.now)
        return httpx.Response(429, json={"err": "Rate limit reached", "ECODE": "APP_002"},
                              headers={"X-RateLimit-Limit": "100",
                                       "X-RateLimit-Remaining": "0",
                                       "X-RateLimit-Reset": str(reset)})

    retry = RetryPolicy(max_attempts=3, rate_limit_margin=0.25, sleep=fake.sleep,
                        clock=fake.clock)
    pacer = RateLimitPacer(margin=0.1, sleep=fake.sleep, clock=fake.clock)
    client = make_client(transport=httpx.MockTransport(limited), retry=retry, pacer=pacer)
    with pytest.raises(RateLimited) as caught:
        await client.get_user()
    assert caught.value.reset == reset and caught.value.ecode == "APP_002"
    assert client.calls == len(sent) == 3
    assert sent[1] == pytest.approx(reset + 0.25)  # waited for the reset plus the margin
    assert sent[2] - sent[1] == pytest.approx(0.25)  # reset passed: the margin only


def test_backoff_is_bounded_exponential_with_jitter() -> None:
    policy = fast_retry()
    policy.base_delay, policy.max_delay = 1.0, 8.0
    for attempt, cap in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0)]:
        delays = {policy.backoff(attempt) for _ in range(20)}
        assert all(cap / 2 <= d <= cap for d in delays) and len(delays) > 1
