"""A simulator synced into a fresh database, for the fixtures that need a synced workspace."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import httpx
import uvicorn
from pydantic import SecretStr

from clickup_sync.clickup import ClickUpClient
from clickup_sync.config import Settings
from clickup_sync.simulator import Simulator
from clickup_sync.store import connect
from clickup_sync.store.snapshots import take_snapshot
from clickup_sync.sync import SyncEngine, SyncOptions
from tests.pg import fresh_database


async def sync_exactly(sim: Simulator, dsn: str, token: str) -> None:
    """One in-process sync that also reconciles deletions and walks the hierarchy."""
    transport = httpx.ASGITransport(app=sim.app)
    async with ClickUpClient(token, "http://sim/api/v2", transport=transport) as client:
        options = SyncOptions(reconcile_every_s=0, hierarchy_every_s=0)
        result = await SyncEngine(client, dsn, options).run(comments_seconds=None)
    assert result.status == "ok", result.errors


@contextmanager
def synced_workspace(*, seed: int, tasks: int, token: str,
                     days: int = 2) -> Iterator[tuple[Simulator, str]]:
    """(simulator, dsn): a generated workspace synced into a fresh database once a day for
    ``days`` days ending today, a snapshot taken each day and the team working 4 hours
    between, so there are updates, status changes and a snapshot history."""
    sim = Simulator.generate(seed=seed, tasks=tasks, plan="enterprise", token=token,
                             rate_window=1.0)
    with fresh_database(migrated=True) as dsn:
        today = date.today()
        for back in range(days - 1, -1, -1):
            asyncio.run(sync_exactly(sim, dsn, token))
            with connect(dsn, autocommit=True) as conn, conn.transaction():
                take_snapshot(conn, today - timedelta(days=back))
            if back:
                sim.advance(240)
        yield sim, dsn
    sim.close()


def settings_for(sim_url: str, dsn: str, token: str) -> Settings:
    """Settings for a synced database, ClickUp at the served simulator, nothing else."""
    return Settings(_env_file=None, clickup_api_token=SecretStr(token),  # type: ignore[call-arg]
                    clickup_api_url=sim_url, clickup_team_id=None,
                    database_url=SecretStr(dsn), data_dir=None)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """``app`` under uvicorn on a free port in a thread, as in production: its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
