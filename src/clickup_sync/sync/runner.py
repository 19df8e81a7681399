"""From settings to a running sync: the database (embedded or not, migrated) and the client.

Shared by the CLI, the scheduler and (later) the API's sync triggers, so each opens the
database and the ClickUp client the same way.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from clickup_sync.clickup import ClickUpClient
from clickup_sync.config import Settings
from clickup_sync.store import connect, resolve_dsn, upgrade
from clickup_sync.store.snapshots import set_timezone

from .context import Progress, SyncOptions
from .engine import SyncEngine

log = logging.getLogger("clickup_sync.sync")


class NotConfigured(RuntimeError):
    """A setting the sync cannot do without is missing."""


def prepare_database(settings: Settings) -> str:
    """Return the DSN to use, with the schema migrated and the timezone recorded.

    Without ``DATABASE_URL`` this starts (or reuses) the embedded PostgreSQL.
    """
    url = settings.database_url.get_secret_value() if settings.database_url else None
    dsn = resolve_dsn(url, settings.data_dir)
    with connect(dsn) as conn:
        applied = upgrade(conn)
        if applied:
            log.info("applied migrations %s", ", ".join(m.version for m in applied))
        with conn.transaction():
            set_timezone(conn, settings.timezone)
        conn.commit()
    return dsn


def lower_priority(settings: Settings) -> int:
    """Run this thread, and the threads and processes it starts from now on, at niceness
    ``SYNC_NICE`` at least; return the niceness in force.

    A sync is batch work: on cores it shares with the REST API or the MCP server, their
    readers should come first. On Linux a niceness belongs to a thread (the API and the
    scheduler keep theirs when a sync thread lowers its own), and children inherit it, so
    call this after starting what must keep its priority. Priority is only ever lowered:
    an unprivileged process cannot raise it back, and a process started niced stays so.
    """
    if not hasattr(os, "setpriority"):  # Windows: no niceness
        return 0
    current = os.getpriority(os.PRIO_PROCESS, 0)
    if settings.sync_nice > current:
        try:
            os.setpriority(os.PRIO_PROCESS, 0, settings.sync_nice)
        except OSError as exc:  # a sandbox may forbid it; the sync still runs
            log.warning("could not lower the sync's CPU priority: %s", exc)
    return os.getpriority(os.PRIO_PROCESS, 0)


def options_from(settings: Settings) -> SyncOptions:
    return SyncOptions(team_id=settings.clickup_team_id,
                       comment_seconds=settings.comment_seconds,
                       reconcile_every_s=settings.reconcile_hours * 3600)


def make_client(settings: Settings) -> ClickUpClient:
    if settings.clickup_api_token is None:
        raise NotConfigured("CLICKUP_API_TOKEN is not set (try `clickup-sync demo` to use "
                            "the simulator)")
    return ClickUpClient(settings.clickup_api_token.get_secret_value(),
                         settings.clickup_api_url)


@asynccontextmanager
async def open_engine(settings: Settings, dsn: str,
                      progress: Progress | None = None) -> AsyncIterator[SyncEngine]:
    """A `SyncEngine` with its client open for the block."""
    async with make_client(settings) as client:
        yield SyncEngine(client, dsn, options_from(settings), progress)
