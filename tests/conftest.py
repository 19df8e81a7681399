"""Shared fixtures: one seeded simulator served over a real socket, and an HTTP client to it."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from clickup_sync.simulator import Simulator
from tests import pg

SEED = 7
TOKEN = "pk_test"


@pytest.fixture(scope="session")
def sim() -> Iterator[Simulator]:
    """A read-mostly simulator (enterprise plan, so rate limits stay out of the way)."""
    simulator = Simulator.generate(seed=SEED, tasks=800, plan="enterprise", token=TOKEN)
    yield simulator
    simulator.close()


@pytest.fixture(scope="session")
def base_url(sim: Simulator) -> Iterator[str]:
    with sim.serve() as url:
        yield url


@pytest.fixture()
def api(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, headers={"Authorization": TOKEN}, timeout=30) as c:
        yield c


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Wait for the test databases still being dropped, and drop the migrated template."""
    pg.finish()

