"""Task bodies the API has read, so a page of the unfiltered listing after a change
reads its ids and only the bodies that changed (`analytics.listing`).

Kept pages (`page_cache`) all go stale when a sync commits; at 200 requests a second over
50 pages, the next half second re-reads all 50, and each read was mostly bodies that had
not changed. The bodies here are all of one listing version (`version`): a page read at a
newer version first has the ids changed since dropped (or everything, when the log cannot
say), in one read of the log however many pages wait on it, and the version moved on. A
page's ids read at another version than the bodies', or a commit landing between its ids
and its missing bodies, and the page is read again (whole, after a few tries), so a page
never mixes versions. One process's memory, all on the
event loop (no locks), bounded in count: when full, it starts over.
"""

from __future__ import annotations

import asyncio
from typing import Any

import psycopg

from clickup_sync import analytics

MAX_BODIES = 20_000
"""At most this many bodies (~28 MB at 1.4 kB each; 200 pages of 100)."""
ATTEMPTS = 3


class TaskBodies:
    """Bodies of listed tasks by id, all as of listing version `version`."""

    def __init__(self, max_bodies: int = MAX_BODIES) -> None:
        self.max_bodies = max_bodies
        self.version = -1
        self._bodies: dict[bytes, bytes] = {}
        self._catching: asyncio.Future[None] | None = None

    async def page(self, conn: psycopg.AsyncConnection[Any], *, limit: int,
                   offset: int) -> analytics.JsonPage:
        """The page at ``offset`` of every live task (`analytics.task_page_async` with no
        filter): the same rows, read mostly from the bodies held."""
        for _ in range(ATTEMPTS):
            got = await analytics.listing_slice(conn, limit=limit, offset=offset)
            if got.version > self.version:
                await self._catch_up(conn)
            if got.version != self.version:
                continue  # the bodies are of another version: read the ids again
            bodies = {i: self._bodies.get(i) for i in got.ids}
            missing = [i for i, body in bodies.items() if body is None]
            if missing:
                version, fresh = await analytics.bodies_by_id(conn, missing)
                if version != got.version:
                    continue  # a commit came between the two reads
                bodies.update(fresh)
                self._keep(version, fresh)
            rows = [body for body in bodies.values() if body is not None]
            return analytics.JsonPage(got.total, len(rows), b"[" + b",".join(rows) + b"]",
                                      version=got.version)
        return await analytics.task_page_async(conn, analytics.TaskFilter(), limit=limit,
                                               offset=offset)

    async def _catch_up(self, conn: psycopg.AsyncConnection[Any]) -> None:
        """Drop the bodies changed since `version` and move it to the current version:
        one read of the change log, on the first caller's connection, for every page
        waiting on the same step. Waiters look again however it ended (a failed or
        cancelled read fails only its own request)."""
        pending = self._catching
        if pending is not None:
            await asyncio.wait({pending})
            return
        self._catching = asyncio.get_running_loop().create_future()
        try:
            await self._read_changes(conn)
        finally:
            self._catching.set_result(None)
            self._catching = None

    async def _read_changes(self, conn: psycopg.AsyncConnection[Any]) -> None:
        version, changed = await analytics.changed_since(conn, self.version)
        if version <= self.version:
            return
        if changed is None:
            self._bodies.clear()
        else:
            for task_id in changed:
                self._bodies.pop(task_id, None)
        self.version = version

    def __len__(self) -> int:
        return len(self._bodies)

    def _keep(self, version: int, bodies: dict[bytes, bytes]) -> None:
        if version != self.version:
            return  # moved on meanwhile: these may be stale
        if len(self._bodies) + len(bodies) > self.max_bodies:
            self._bodies.clear()
        self._bodies.update(bodies)
