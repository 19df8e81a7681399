"""Task pages the API has written, served again while the data under them stands.

BI tools page through ``/tasks`` on a schedule, and between two syncs that change
something every page is the same. The database keeps a listing version that moves with
every change a task listing could show (migration 0024); a kept page is served while the
version it was read at is the current one, at the cost of one one-row read instead of the
page's query. The version is read in the same snapshot as the page, so a kept page is
never older than the version it is filed under. One process's memory, bounded in bytes,
least recently used out first; all on the event loop, so no locks.

After a change, the first requests for a page would all read it at once (at 200 requests
a second over 50 pages, several per page): the first one reads, and the requests that
arrive meanwhile at the same version wait for its page (`kept_or_read`).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from starlette.types import Scope

MAX_BYTES = 64 << 20
"""At most this much kept (~400 pages of 100 tasks)."""


def page_key(scope: Scope) -> str:
    """What a page is kept under: the request's path and query string, as sent."""
    return f"{scope['path']}?{scope['query_string'].decode('latin-1')}"


class PageCache:
    """Response bodies by request (path and query), all of one listing version."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.version = -1
        self.size = 0
        self.hits = 0
        self.misses = 0
        self._pages: OrderedDict[str, bytes] = OrderedDict()
        self._reading: dict[str, tuple[int, asyncio.Future[bytes]]] = {}

    async def kept_or_read(self, key: str, version: int,
                           read: Callable[[], Awaitable[tuple[int, bytes]]]) -> bytes:
        """The page kept for ``key`` at ``version``; else the page a read of it already
        under way at that version gets; else ``read()`` (its version and body), kept."""
        body = self.get(key, version)
        if body is not None:
            return body
        pending = self._reading.get(key)
        if pending is not None and pending[0] == version:
            return await asyncio.shield(pending[1])
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        future.add_done_callback(lambda f: f.cancelled() or f.exception())  # seen if unawaited
        self._reading[key] = (version, future)
        try:
            read_version, body = await read()
        except asyncio.CancelledError:
            future.cancel()
            raise
        except BaseException as exc:
            future.set_exception(exc)
            raise
        finally:
            if self._reading.get(key, (0, None))[1] is future:
                del self._reading[key]
        self.put(key, read_version, body)
        future.set_result(body)
        return body

    def get(self, key: str, version: int) -> bytes | None:
        """The page kept for ``key`` if it was read at ``version``; a newer version empties
        the cache (everything in it is stale)."""
        if version > self.version:
            self._reset(version)
        body = self._pages.get(key) if version == self.version else None
        if body is None:
            self.misses += 1
            return None
        self._pages.move_to_end(key)
        self.hits += 1
        return body

    def peek(self, key: str, version: int) -> bytes | None:
        """Like `get`, but a page not kept is not counted as a miss (the caller goes on to
        the route, whose `get` counts it)."""
        return self.get(key, version) if key in self else None

    def put(self, key: str, version: int, body: bytes) -> None:
        """Keep ``body``, read at ``version`` (a page of an older version is not kept)."""
        if version > self.version:
            self._reset(version)
        if version < self.version or len(body) > self.max_bytes:
            return
        old = self._pages.pop(key, None)
        self.size += len(body) - (len(old) if old is not None else 0)
        self._pages[key] = body
        while self.size > self.max_bytes:
            _, dropped = self._pages.popitem(last=False)
            self.size -= len(dropped)

    def __len__(self) -> int:
        return len(self._pages)

    def __contains__(self, key: str) -> bool:
        return key in self._pages

    def _reset(self, version: int) -> None:
        self._pages.clear()
        self.size = 0
        self.version = version
