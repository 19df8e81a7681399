"""What the routes share while the server runs: settings, the connection pool, sync work.

One `ApiRuntime` per app, opened by the app's lifespan and handed to routes as a
dependency. Reads run in a read-only transaction with a statement timeout and the
configured timezone (so times come back in it), on FastAPI's worker threads; the busiest
route's single query runs on the event loop instead (`aread`), with no thread hop. Sync work
that a trigger starts runs on a thread of its own (the sync engine mixes asyncio requests
with blocking database writes), with its own event loop and ClickUp client.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

import anyio
import psycopg
from psycopg_pool import AsyncConnectionPool, ConnectionPool

from clickup_sync.config import Settings
from clickup_sync.store import connect, make_async_pool, make_pool, triggers
from clickup_sync.store.snapshots import take_snapshot
from clickup_sync.sync import RunResult
from clickup_sync.sync.runner import lower_priority, open_engine

from .page_cache import PageCache
from .task_bodies import TaskBodies

log = logging.getLogger("clickup_sync.api")
T = TypeVar("T")

STATEMENT_TIMEOUT_MS = 15_000
"""No request's query may run longer than this."""
CHECKOUT_TIMEOUT_S = 10.0
"""How long a request waits for a free database connection before answering 503."""
WORK_THREAD = "clickup-sync-api-work"
"""Name prefix of the threads that run the work triggers start."""


class ApiRuntime:
    """The settings, DSN, pool and background sync work of one API app."""

    def __init__(self, settings: Settings, dsn: str, *, pool_size: int = 10) -> None:
        self.settings = settings
        self.dsn = dsn
        self.pool_size = pool_size
        self._pool: ConnectionPool[psycopg.Connection[Any]] | None = None
        self._apool: AsyncConnectionPool[psycopg.AsyncConnection[Any]] | None = None
        self._work: ThreadPoolExecutor | None = None
        self._open_requests: set[int] = set()
        self._guard = threading.Lock()
        self.slots: anyio.Semaphore | None = None
        self.task_pages = PageCache()
        self.task_bodies = TaskBodies()

    @property
    def clickup_configured(self) -> bool:
        return self.settings.clickup_api_token is not None

    def open(self) -> None:
        """Open the pool and the background worker (call from the app's lifespan).

        ``slots`` counts free pool connections: a request takes a slot (waiting on the
        event loop) before it takes a connection on a worker thread, so worker threads never
        wait for the pool while requests holding connections wait for a thread. The
        background threads (the syncs and snapshots triggers start) run at niceness
        ``SYNC_NICE``: requests come first (on Linux a niceness is a thread's own).
        """
        self._pool = make_pool(self.dsn, min_size=2, max_size=self.pool_size)
        self._work = ThreadPoolExecutor(max_workers=2, thread_name_prefix=WORK_THREAD,
                                        initializer=lower_priority, initargs=(self.settings,))
        self.slots = anyio.Semaphore(self.pool_size)

    async def aopen(self) -> None:
        """Open the asyncio pool `aread` uses: autocommit sessions that are read-only and
        time out like the others, for single statements (each is its own transaction)."""
        self._apool = await make_async_pool(
            self.dsn, min_size=2, max_size=self.pool_size, autocommit=True,
            session={"statement_timeout": str(STATEMENT_TIMEOUT_MS),
                     "default_transaction_read_only": "on"})

    async def aclose(self) -> None:
        if self._apool is not None:
            await self._apool.close()
            self._apool = None

    def close(self) -> None:
        """Stop taking work, mark requests still open as failed, close the pool."""
        if self._work is not None:
            self._work.shutdown(wait=False, cancel_futures=True)
        with self._guard:
            still_open = sorted(self._open_requests)
        if still_open:
            with self._direct() as conn:
                triggers.abandon_requests(conn, still_open,
                                          "the API server stopped before the work ended")
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    @contextmanager
    def connection(self, *, write: bool = False) -> Iterator[psycopg.Connection[Any]]:
        """A pooled connection in one transaction (read-only unless ``write``), committed
        when the block ends normally and rolled back when it raises. Hold a slot first."""
        if self._pool is None:
            raise RuntimeError("the API's database pool is not open")
        with self._pool.connection(timeout=CHECKOUT_TIMEOUT_S) as conn:
            conn.autocommit = False
            conn.read_only = not write
            conn.execute("SELECT set_config('statement_timeout', %s, true), "
                         "set_config('TimeZone', cs_timezone(), true)",
                         (str(STATEMENT_TIMEOUT_MS),))
            yield conn

    async def read(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(conn, *args, **kwargs)`` in one read-only transaction, on a worker thread.

        The busiest routes call this from ``async def``: taking the connection, the
        queries and the commit then cost one hop to a worker thread, where a plain ``def``
        route with a connection dependency makes FastAPI hop for each of them. Hold a slot
        first (the `Runtime` dependency).
        """

        def go() -> T:
            with self.connection() as conn:
                return fn(conn, *args, **kwargs)

        return await anyio.to_thread.run_sync(go)

    async def aread(self, fn: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        """``await fn(conn, *args, **kwargs)`` on the event loop, for a function that runs one
        statement whose answer does not depend on the session's timezone (sessions here
        keep the server's). No worker thread: the hop costs more than a one-row answer."""
        if self._apool is None:
            raise RuntimeError("the API's database pool is not open")
        async with self._apool.connection(timeout=CHECKOUT_TIMEOUT_S) as conn:
            try:
                return await fn(conn, *args, **kwargs)
            except psycopg.OperationalError:
                if not conn.broken:  # the statement failed, not the connection
                    raise
        # The server dropped that connection (a restart, an idle timeout), and likely the
        # pool's others with it: test them all once, then read on a sound one.
        await self._apool.check()
        async with self._apool.connection(timeout=CHECKOUT_TIMEOUT_S) as conn:
            return await fn(conn, *args, **kwargs)

    @contextmanager
    def _direct(self) -> Iterator[psycopg.Connection[Any]]:
        """A connection of its own (autocommit), for background work: it never takes one
        of the pool's, which requests count on."""
        with connect(self.dsn, autocommit=True) as conn:
            yield conn

    def ping(self) -> None:
        """Raise unless the database answers."""
        with self.connection() as conn:
            conn.execute("SELECT 1").fetchone()

    def request(self, action: str, work: Callable[[int], None], **detail: Any) -> int:
        """Record a request for ``action``, start ``work(request_id)`` in the background,
        and return the request's id at once."""
        if self._work is None:
            raise RuntimeError("the API is not running")
        with self.connection(write=True) as conn:
            request_id = triggers.request_run(conn, action, **detail)
        with self._guard:
            self._open_requests.add(request_id)
        self._work.submit(self._run_request, request_id, work)
        return request_id

    def _run_request(self, request_id: int, work: Callable[[int], None]) -> None:
        try:
            with self._direct() as conn:
                triggers.mark_started(conn, request_id)
            work(request_id)
        except Exception as exc:  # the request records the failure; the log keeps the trace
            log.exception("request %s failed", request_id)
            with self._direct() as conn:
                triggers.finish_request(conn, request_id, status="failed",
                                        errors=[f"{type(exc).__name__}: {exc}"])
        finally:
            with self._guard:
                self._open_requests.discard(request_id)

    def sync_work(self, *, full: bool) -> Callable[[int], None]:
        """Work for a request: one sync run (comments are left to the schedule)."""

        def work(request_id: int) -> None:
            async def go() -> RunResult:
                async with open_engine(self.settings, self.dsn) as engine:
                    return await engine.run(full=full, comments_seconds=0.0)

            result = asyncio.run(go())
            status = "skipped" if result.status == "skipped" else (
                "failed" if result.run_id is None else "done")
            with self._direct() as conn:
                triggers.finish_request(conn, request_id, status=status, errors=result.errors,
                                        outcome=result.status, sync_run_id=result.run_id,
                                        counts=result.counts, seconds=round(result.seconds, 2))

        return work

    def snapshot_work(self, request_id: int) -> None:
        """Work for a request: take today's snapshot."""
        with self._direct() as conn:
            with conn.transaction():
                rows = take_snapshot(conn)
            triggers.finish_request(conn, request_id, status="done", outcome="ok",
                                    tasks_synced=rows)
