"""What every stream of a run shares: the client, the database, the options, the tallies.

The database side is one autocommit psycopg connection driven from a worker thread
(`Db.run`), so writing a batch overlaps with fetching the next page while the event loop
stays free; a lock keeps the connection to one statement stream at a time.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import psycopg

from clickup_sync.clickup import ClickUpClient

T = TypeVar("T")
Progress = Callable[[str, int, int | None], None]
"""``progress(stage, done, total)``; total None when unknown."""


@dataclass(slots=True)
class SyncOptions:
    """How a sync behaves. Defaults suit a 45-second schedule on a 100-per-minute plan."""

    team_id: str | None = None
    overlap_ms: int = 120_000
    """Incremental task reads restart this far before the cursor (clock skew, late writes)."""
    time_window_days: int = 30
    """Width of one time-entry request window."""
    time_lookback_days: float = 2.0
    """An incremental run re-reads time entries that started this far back."""
    hierarchy_every_s: float = 900.0
    """Walk Spaces, Folders and Lists again after this long (and on a full run)."""
    reconcile_every_s: float = 6 * 3600.0
    """Re-read every task id to find deletions after this long (and on a full run)."""
    comment_seconds: float = 20.0
    """Time an ordinary run may spend backfilling comments, most recently updated first."""
    comment_concurrency: int = 4
    write_batch: int = 1000
    """Tasks written per transaction (with their cursor) while paging."""


class Db:
    """An autocommit connection used from a worker thread, one call at a time."""

    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn
        self._lock = asyncio.Lock()

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        async with self._lock:
            return await asyncio.to_thread(fn, self.conn, *args, **kwargs)

    async def write(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn`` in one transaction (it and its cursor commit together, or neither)."""

        def in_tx(conn: psycopg.Connection) -> T:
            with conn.transaction():
                return fn(conn, *args, **kwargs)

        return await self.run(in_tx)


@dataclass
class RunContext:
    client: ClickUpClient
    db: Db
    options: SyncOptions
    team_id: str
    started_ms: int
    progress: Progress | None = None
    counts: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)

    def report(self, stage: str, done: int, total: int | None = None) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)

    def error(self, message: str) -> None:
        self.errors.append(message)


def now_ms() -> int:
    return int(time.time() * 1000)
