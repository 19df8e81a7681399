"""One synced database for the analytics tests: a seeded workspace, synced whole, with a
week of daily snapshots taken while the simulated team worked."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date, timedelta

import psycopg
import pytest

from clickup_sync.simulator import Simulator
from clickup_sync.store import connect, upgrade
from clickup_sync.store.snapshots import take_snapshot
from tests.pg import fresh_database
from tests.syncing import sync_exactly

TOKEN = "pk_analytics"


async def sync_into(sim: Simulator, dsn: str) -> None:
    await sync_exactly(sim, dsn, TOKEN)


@pytest.fixture(scope="session")
def synced() -> Iterator[tuple[Simulator, str]]:
    """(simulator, dsn): 800 tasks synced, snapshots for the last 7 days (today included)."""
    sim = Simulator.generate(seed=11, tasks=800, plan="enterprise", token=TOKEN,
                             rate_window=1.0)
    with fresh_database() as dsn:
        with connect(dsn) as conn:
            upgrade(conn)
        today = date.today()
        for back in range(6, -1, -1):
            asyncio.run(sync_into(sim, dsn))
            with connect(dsn, autocommit=True) as conn, conn.transaction():
                take_snapshot(conn, today - timedelta(days=back))
            if back:
                sim.advance(240)
        yield sim, dsn
    sim.close()


@pytest.fixture()
def conn(synced: tuple[Simulator, str]) -> Iterator[psycopg.Connection]:
    with connect(synced[1], autocommit=True) as c:
        yield c
