"""A synced database, and the REST API served over real sockets as in production.

The simulator's seeded Workspace is synced twice (the team works 20 hours between), so
there are updates, status changes and deletions, then today's snapshot is taken. Two apps
serve it, each under uvicorn on a free port: one with an API key (most tests) and one
without. Answers are checked with plain SQL on the same database.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest

from clickup_sync.api import create_app, running
from clickup_sync.config import Settings
from clickup_sync.simulator import Simulator
from clickup_sync.store import connect
from clickup_sync.store.snapshots import take_snapshot
from tests.pg import fresh_database
from tests.syncing import free_port, settings_for, sync_exactly

CLICKUP_TOKEN = "pk_api"
API_KEY = "test-api-key"


async def _sync(sim: Simulator, dsn: str) -> None:
    await sync_exactly(sim, dsn, CLICKUP_TOKEN)


@pytest.fixture(scope="session")
def synced() -> Iterator[tuple[Simulator, str]]:
    """(simulator, dsn): 600 tasks synced twice, with today's snapshot."""
    sim = Simulator.generate(seed=31, tasks=600, plan="enterprise", token=CLICKUP_TOKEN,
                             rate_window=1.0)
    with fresh_database(migrated=True) as dsn:
        asyncio.run(_sync(sim, dsn))
        assert sim.advance(1200)["deleted"], "the team should delete a task in 20 hours"
        asyncio.run(_sync(sim, dsn))
        with connect(dsn, autocommit=True) as conn, conn.transaction():
            take_snapshot(conn)
        yield sim, dsn
    sim.close()


@pytest.fixture(scope="session")
def settings(synced: tuple[Simulator, str]) -> Iterator[Settings]:
    """Settings with ClickUp at the served simulator, so sync triggers really sync."""
    with synced[0].serve() as url:
        yield settings_for(url, synced[1], CLICKUP_TOKEN)


@pytest.fixture(scope="session")
def api_url(settings: Settings, synced: tuple[Simulator, str]) -> Iterator[str]:
    """The API with an API key, served on a free port."""
    app = create_app(settings, synced[1], api_key=API_KEY)
    with running(app, port=free_port()) as url:
        yield url


@pytest.fixture(scope="session")
def open_url(settings: Settings, synced: tuple[Simulator, str]) -> Iterator[str]:
    """The API without an API key (and with CORS for one origin)."""
    app = create_app(settings, synced[1], cors_origins=["https://bi.example.com"])
    with running(app, port=free_port()) as url:
        yield url


@pytest.fixture()
def api(api_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api_url, headers={"X-API-Key": API_KEY}, timeout=30) as c:
        yield c


@pytest.fixture()
def conn(synced: tuple[Simulator, str]) -> Iterator[psycopg.Connection]:
    with connect(synced[1], autocommit=True) as c:
        yield c


def get(api: httpx.Client, path: str, **params: Any) -> Any:
    """GET ``path``, insist on 200, return the JSON."""
    response = api.get(path, params=params or None)
    assert response.status_code == 200, f"{path} {params}: {response.status_code} " \
                                        f"{response.text[:300]}"
    return response.json()


def column(conn: psycopg.Connection, query: str, params: Any = None) -> list[Any]:
    return [r[0] for r in conn.execute(query, params)]
