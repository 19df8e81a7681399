"""Sync a simulator into a database exactly, for fixtures that need a synced workspace."""

from __future__ import annotations

import httpx

from clickup_sync.clickup import ClickUpClient
from clickup_sync.simulator import Simulator
from clickup_sync.sync import SyncEngine, SyncOptions


async def sync_exactly(sim: Simulator, dsn: str, token: str) -> None:
    """One in-process sync that also reconciles deletions and walks the hierarchy."""
    transport = httpx.ASGITransport(app=sim.app)
    async with ClickUpClient(token, "http://sim/api/v2", transport=transport) as client:
        options = SyncOptions(reconcile_every_s=0, hierarchy_every_s=0)
        result = await SyncEngine(client, dsn, options).run(comments_seconds=None)
    assert result.status == "ok", result.errors
