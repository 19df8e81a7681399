"""The workspace the evaluation asks about: the seeded simulator, synced into a fresh database.

Seed 1 with 800 tasks (the size the analytics tests use), synced by the real engine over an
in-process transport, then the team works four hours a day for a week with a sync and a
daily snapshot each day, so the flow tools (cumulative flow, burndown) have history.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import httpx
import psycopg
from psycopg import sql

from clickup_sync.clickup import ClickUpClient
from clickup_sync.simulator import Simulator
from clickup_sync.store import connect, upgrade
from clickup_sync.store.snapshots import take_snapshot
from clickup_sync.sync import SyncEngine, SyncOptions

TOKEN = "pk_eval"
DEFAULT_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"


async def _sync(sim: Simulator, dsn: str) -> None:
    transport = httpx.ASGITransport(app=sim.app)
    async with ClickUpClient(TOKEN, "http://sim/api/v2", transport=transport) as client:
        options = SyncOptions(reconcile_every_s=0, hierarchy_every_s=0)
        result = await SyncEngine(client, dsn, options).run(comments_seconds=None)
    if result.status != "ok":
        raise RuntimeError(f"the sync failed: {result.errors}")


def fill(dsn: str, *, seed: int = 1, tasks: int = 800, days: int = 7) -> None:
    """Migrate ``dsn``, then sync the seeded workspace once a day for ``days`` days."""
    with connect(dsn) as conn:
        upgrade(conn)
    sim = Simulator.generate(seed=seed, tasks=tasks, plan="enterprise", token=TOKEN,
                             rate_window=0.01)
    try:
        today = date.today()
        for back in range(days - 1, -1, -1):
            asyncio.run(_sync(sim, dsn))
            with connect(dsn, autocommit=True) as conn, conn.transaction():
                take_snapshot(conn, today - timedelta(days=back))
            if back:
                sim.advance(240)
    finally:
        sim.close()


@contextmanager
def fresh_workspace(admin_dsn: str = DEFAULT_ADMIN_DSN, **options: int) -> Iterator[str]:
    """A new database filled by `fill`, dropped afterwards; yields its DSN."""
    name = f"cs_eval_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(
            sql.Identifier(name)))
    dsn = psycopg.conninfo.make_conninfo(admin_dsn, dbname=name)
    try:
        fill(dsn, **options)
        yield dsn
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))
