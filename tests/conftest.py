"""Shared fixtures: one seeded simulator served over a real socket, and an HTTP client to it.

The suite runs on pytest-xdist's workers (``addopts``: ``-n logical --dist loadscope``). The
controller owns the PostgreSQL side of the run (`pg.share`, `pg.join`) and hands out the
tests by `tests.scheduling`: those sharing a costly session fixture go to one worker.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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


def pytest_configure(config: pytest.Config) -> None:
    """In an xdist worker: use the server and the migrated template of the controller."""
    shared = getattr(config, "workerinput", {}).get("clickup_sync_pg")
    if shared is not None:
        pg.join(shared)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """(xdist controller) Hand each worker the run's server; an embedded one starts here,
    once, and serves every worker."""
    node.workerinput["clickup_sync_pg"] = pg.share()


@pytest.hookimpl(optionalhook=True, tryfirst=True)  # before xdist's own (first answer wins)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """(xdist controller) ``--dist loadscope`` with our scopes: `tests.scheduling`."""
    if config.getvalue("dist") != "loadscope":
        return None
    from tests.scheduling import RoomScheduling  # xdist is there: it calls this hook

    return RoomScheduling(config, log)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Wait for the test databases still being dropped, and drop the migrated template
    (the controller, or a run without workers)."""
    pg.finish()
