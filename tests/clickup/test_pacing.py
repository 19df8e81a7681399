"""Pacing: spread each window's budget over its time, never past the limit, near the bound.

Unit tests drive `RateLimitPacer` on a fake clock against a fake fixed-window server; the
last test sends a real burst to the simulator on a free plan with one-second windows.
"""

from __future__ import annotations

import asyncio
import math
import time

import pytest

from clickup_sync.clickup import RateLimitPacer
from clickup_sync.clickup.pacing import reset_seconds
from clickup_sync.simulator import Simulator

from .conftest import FakeTime, MakeClient


class WindowServer:
    """ClickUp's counting as the reference describes it: fixed windows per token."""

    def __init__(self, fake: FakeTime, limit: int, window: float) -> None:
        self.fake, self.limit, self.window = fake, limit, window
        self.used: dict[float, int] = {}
        self.rejected = 0
        self.arrivals: list[float] = []

    def hit(self) -> dict[str, str]:
        now = self.fake.now
        start = math.floor(now / self.window) * self.window
        self.used[start] = self.used.get(start, 0) + 1
        self.arrivals.append(now)
        if self.used[start] > self.limit:
            self.rejected += 1
        return {"X-RateLimit-Limit": str(self.limit),
                "X-RateLimit-Remaining": str(max(0, self.limit - self.used[start])),
                "X-RateLimit-Reset": str(math.ceil(start + self.window))}


async def _run(pacer: RateLimitPacer, server: WindowServer, calls: int, workers: int) -> None:
    """Send ``calls`` requests from ``workers`` tasks; each yields while "in flight" so the
    others start (the fake clock only moves when the pacer waits)."""
    queue = list(range(calls))

    async def worker() -> None:
        while queue:
            queue.pop()
            await pacer.acquire()
            await asyncio.sleep(0)
            headers = server.hit()
            await asyncio.sleep(0)
            pacer.release(headers)

    await asyncio.gather(*(worker() for _ in range(workers)))


@pytest.mark.parametrize(("limit", "window", "offset"), [
    (100, 60.0, 0.0),    # 100/min, starting as a window opens
    (100, 60.0, 41.0),   # ... and in the middle of one (its budget is still whole)
    (100, 1.0, 0.3),     # the simulator's benchmark windows
    (1000, 60.0, 5.0),   # Business Plus
])
@pytest.mark.parametrize("workers", [1, 4])
async def test_never_over_the_limit_and_near_the_bound(limit: int, window: float,
                                                       offset: float, workers: int) -> None:
    fake = FakeTime(now=600_000.0 + offset)
    server = WindowServer(fake, limit, window)
    pacer = RateLimitPacer(clock=fake.clock, sleep=fake.sleep)
    calls = int(limit * 2.5)
    started = fake.now
    await _run(pacer, server, calls, workers)
    elapsed = fake.now - started
    bound = calls / limit * window
    assert server.rejected == 0
    assert elapsed <= bound * 1.1
    # The budget is spread over the window, not burnt in its first moments.
    second = [t for t in server.arrivals if started - offset + window <= t
              < started - offset + 2 * window]
    assert limit - workers <= len(second) <= limit
    assert second[limit // 2] - second[0] >= window * 0.4


async def test_waits_for_the_reset_when_nothing_is_left() -> None:
    fake = FakeTime(now=1_000.0)
    pacer = RateLimitPacer(margin=0.5, clock=fake.clock, sleep=fake.sleep)
    await pacer.acquire()
    pacer.release({"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "0",
                   "X-RateLimit-Reset": "1030"})
    await pacer.acquire()
    assert fake.now == pytest.approx(1030.5)
    assert pacer.waited == pytest.approx(30.5)


async def test_a_new_window_starts_with_one_probe() -> None:
    fake = FakeTime(now=1_000.0)
    pacer = RateLimitPacer(clock=fake.clock, sleep=fake.sleep)
    await pacer.acquire()  # nothing known yet: the first request goes alone
    second = asyncio.create_task(pacer.acquire())
    await asyncio.sleep(0.01)
    assert not second.done()
    pacer.release({"X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "99",
                   "X-RateLimit-Reset": "1060"})
    await asyncio.wait_for(second, 1)
    assert pacer.limit == 100 and pacer.remaining == 98


async def test_in_flight_requests_count_against_the_budget() -> None:
    fake = FakeTime(now=1_000.0)
    pacer = RateLimitPacer(clock=fake.clock, sleep=fake.sleep)
    await pacer.acquire()
    pacer.release({"X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "3",
                   "X-RateLimit-Reset": "1060"})
    for _ in range(3):
        await pacer.acquire()
    assert pacer.remaining == 0
    # An older answer (higher Remaining) arriving late does not raise the estimate.
    pacer.release({"X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "3",
                   "X-RateLimit-Reset": "1060"})
    assert pacer.remaining == 1  # 3 reported - 2 still in flight
    pacer.release(None)  # a request with no answer may still have counted
    assert pacer.remaining == 1


async def test_unmetered_servers_are_not_paced() -> None:
    fake = FakeTime()
    pacer = RateLimitPacer(clock=fake.clock, sleep=fake.sleep)
    await pacer.acquire()
    pacer.release({})
    await asyncio.gather(*(pacer.acquire() for _ in range(50)))
    assert pacer.metered is False and fake.sleeps == []


async def test_a_burst_on_the_free_plan_meets_no_429(make_client: MakeClient) -> None:
    sim = Simulator.generate(seed=1, tasks=20, plan="free", rate_window=1.0, token="pk_test")
    client = make_client(sim, max_concurrency=4)
    calls = 250
    time.sleep(1 - time.time() % 1 + 0.3)  # start 30% into a window, like any real start
    started = time.perf_counter()
    await asyncio.gather(*(client.get_user() for _ in range(calls)))
    elapsed = time.perf_counter() - started
    stats = sim.stats.to_dict()
    sim.close()
    assert stats["rate_limited"] == 0 and stats["total"] == calls == client.calls
    bound = calls / 100  # seconds at 100 requests a one-second window
    assert bound * 0.6 < elapsed <= bound * 1.1, elapsed


@pytest.mark.parametrize(("raw", "expected"), [
    ("1700000060", 1700000060.0), ("1700000060000", 1700000060.0), ("soon", None), (None, None),
])
def test_reset_header_units(raw: str | None, expected: float | None) -> None:
    assert reset_seconds(raw) == expected
