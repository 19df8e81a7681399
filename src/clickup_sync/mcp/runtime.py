"""What the tools run on: the settings, the database pool, and ClickUp when configured.

One `Runtime` per server. Its pool opens when the server starts (`opened`, entered by the
server's lifespan; SSE enters it per connection, so it counts users and opens once) and
closes when the last user leaves. Analytics functions are synchronous psycopg code, so
`read` runs them on a worker thread and the event loop stays free. ClickUp work (writes,
syncs) runs on a worker thread too, in its own event loop with its own client, because the
sync engine does blocking database work between its requests.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from functools import partial
from typing import Any, TypeVar

import anyio
import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from clickup_sync import heap
from clickup_sync.clickup import ClickUpClient
from clickup_sync.config import Settings
from clickup_sync.store import make_pool
from clickup_sync.sync import RunResult
from clickup_sync.sync.runner import make_client, open_engine

T = TypeVar("T")
log = logging.getLogger("clickup_sync.mcp")

STATEMENT_TIMEOUT_MS = 30_000
"""No tool's query may run longer than this."""


class ToolFailure(Exception):
    """A tool cannot answer as asked; the message says what to change and is shown as is."""


class Runtime:
    """The settings, DSN and (while the server runs) connection pool the tools share."""

    def __init__(self, settings: Settings, dsn: str, *, pool_size: int = 8) -> None:
        self.settings = settings
        self.dsn = dsn
        self.pool_size = pool_size
        self._pool: ConnectionPool[psycopg.Connection[Any]] | None = None
        self._users = 0
        self._guard = threading.Lock()

    @property
    def clickup_configured(self) -> bool:
        """True when a ClickUp token is set, so writes and syncs can run."""
        return self.settings.clickup_api_token is not None

    @asynccontextmanager
    async def opened(self) -> AsyncIterator[Runtime]:
        """Hold the pool open for the block (the first user opens it, the last closes it)."""
        await anyio.to_thread.run_sync(self._acquire)
        try:
            yield self
        finally:
            await anyio.to_thread.run_sync(self._release)

    def _acquire(self) -> None:
        with self._guard:
            if self._pool is None:
                self._pool = make_pool(self.dsn, min_size=1, max_size=self.pool_size)
                heap.settle()  # the server is loaded: its objects live as long as it does
            self._users += 1

    def _release(self) -> None:
        with self._guard:
            self._users -= 1
            if self._users == 0 and self._pool is not None:
                self._pool.close()
                self._pool = None

    async def read(self, work: Callable[[psycopg.Connection[Any]], T]) -> T:
        """Run ``work(conn)`` on a worker thread with a pooled autocommit connection."""
        pool = self._pool
        if pool is None:
            raise RuntimeError("the MCP server's database pool is not open")
        return await anyio.to_thread.run_sync(partial(_with_connection, pool, work))

    async def clickup(self, work: Callable[[ClickUpClient], Awaitable[T]]) -> T:
        """Run ``work(client)`` against ClickUp (raises `NotConfigured` without a token)."""

        async def go() -> T:
            async with make_client(self.settings) as client:
                return await work(client)

        return await anyio.to_thread.run_sync(lambda: asyncio.run(go()))

    async def sync_now(self, *, full: bool) -> RunResult:
        """Run one sync (incremental, or full) now; comments are left to the schedule."""

        async def go() -> RunResult:
            async with open_engine(self.settings, self.dsn) as engine:
                return await engine.run(full=full, comments_seconds=0.0)

        return await anyio.to_thread.run_sync(lambda: asyncio.run(go()))


def _with_connection(pool: ConnectionPool[psycopg.Connection[Any]],
                     work: Callable[[psycopg.Connection[Any]], T]) -> T:
    try:
        with pool.connection() as conn:
            conn.autocommit = True
            conn.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
            return work(conn)
    except PoolTimeout as exc:
        raise ToolFailure("the database is busy; try again in a moment") from exc
    except psycopg.errors.QueryCanceled as exc:
        raise ToolFailure(f"the question took longer than {STATEMENT_TIMEOUT_MS // 1000} s to "
                          "answer; narrow it (a smaller scope, window or limit)") from exc
