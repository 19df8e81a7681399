"""Fixtures for the ClickUp client: a seeded simulator as the server, in-process (ASGI) or on
a socket, and clients with a fast retry policy so fault tests take milliseconds."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

from clickup_sync.clickup import ClickUpClient, RetryPolicy
from clickup_sync.simulator import Simulator

TOKEN = "pk_test"
BASE_URL = "http://sim/api/v2"
MakeClient = Callable[..., ClickUpClient]


def fast_retry(attempts: int = 10) -> RetryPolicy:
    """Real retries with millisecond backoffs (429s still wait for the window's reset)."""
    return RetryPolicy(max_attempts=attempts, base_delay=0.001, max_delay=0.01,
                       rate_limit_margin=0.02, rng=random.Random(0))


class FakeTime:
    """A clock for pacer and retry tests: ``sleep`` advances it instantly and is recorded."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


def new_sim(**options: Any) -> Simulator:
    """The tests' seeded Workspace (300 tasks, enterprise plan) unless ``options`` say else."""
    settings: dict[str, Any] = {"seed": 1, "tasks": 300, "plan": "enterprise",
                                "token": TOKEN, **options}
    return Simulator.generate(**settings)


@pytest.fixture(scope="session")
def read_sim() -> Iterator[Simulator]:
    """One simulator that tests only read from (writes get their own, see `write_sim`)."""
    sim = new_sim()
    yield sim
    sim.close()


@pytest.fixture()
def write_sim() -> Iterator[Simulator]:
    sim = new_sim(tasks=60)
    yield sim
    sim.close()


@pytest.fixture()
async def make_client() -> AsyncIterator[MakeClient]:
    """Build clients on a simulator's ASGI app (or any transport); all closed at the end."""
    made: list[ClickUpClient] = []

    def make(sim: Simulator | None = None, *, transport: httpx.AsyncBaseTransport | None = None,
             base_url: str = BASE_URL, token: str = TOKEN, **options: Any) -> ClickUpClient:
        if transport is None and sim is not None:
            transport = httpx.ASGITransport(app=sim.app)
        options.setdefault("retry", fast_retry())
        client = ClickUpClient(token, base_url, transport=transport, **options)
        made.append(client)
        return client

    yield make
    for client in made:
        await client.aclose()


@pytest.fixture()
async def client(read_sim: Simulator, make_client: MakeClient) -> ClickUpClient:
    return make_client(read_sim)
