"""The unfiltered task listing, read against task bodies the reader already holds.

When a sync commit changes a few tasks, the listing version moves (store migration 0024)
and every kept ``/tasks`` page is stale at once, yet most of them hold the same bodies as
before, in a new order. A page's ids are an index-only scan (~0.7 ms); its 100 bodies
cost three times that again. So a reader that keeps the bodies it read asks for the ids
(with the version and the total), once per version step for the ids whose bodies the step
changed (migration 0034 logs them), and by id for the bodies it lacks, read with the
version, so it can tell whether a commit came between its reads.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from .records import _TASK_ORDER, TaskFilter, _bodies_cursor, _bounds, _page_ids

MOST_CHANGED = 5000
"""More changed ids than this since the reader's version: it reads every body again."""


@dataclass(frozen=True, slots=True)
class ListingSlice:
    """One page of the unfiltered listing, as ids, at one listing version."""

    version: int
    total: int
    ids: list[bytes]


_SLICE = f"""
    SELECT v.n, l.tasks, p.id
      FROM task_listing_version v CROSS JOIN live_task_total l
      LEFT JOIN LATERAL {_page_ids("clickup_tasks t", TaskFilter().where()[0], _TASK_ORDER)}
           ON true
     ORDER BY p.n"""


async def listing_slice(conn: psycopg.AsyncConnection, *, limit: int,
                        offset: int) -> ListingSlice:
    """The ids of the page at ``offset`` of every live task, most recently updated first,
    with the listing version and the total read with them."""
    async with _bodies_cursor(conn.cursor(binary=True)) as cursor:
        await cursor.execute(_SLICE, _bounds(limit, offset))
        rows = await cursor.fetchall()
    return ListingSlice(int(rows[0][0]), int(rows[0][1]),
                        [row[2] for row in rows if row[2] is not None])


async def changed_since(conn: psycopg.AsyncConnection, since: int
                        ) -> tuple[int, frozenset[bytes] | None]:
    """The listing version now, and the ids whose bodies changed after version ``since``
    up to it (None: any may have; the log cannot say, or more than `MOST_CHANGED` did).
    Steps already taken never change, so this may run in any snapshot after them."""
    async with _bodies_cursor(conn.cursor(binary=True)) as cursor:
        await cursor.execute("SELECT n, cs_task_body_changes_since(%s, %s) "
                             "FROM task_listing_version", (since, MOST_CHANGED))
        row = await cursor.fetchone()
    assert row is not None
    return int(row[0]), None if row[1] is None else frozenset(row[1])


async def bodies_by_id(conn: psycopg.AsyncConnection, ids: list[bytes]
                       ) -> tuple[int, dict[bytes, bytes]]:
    """The listing version and, read with it, the bodies of these tasks."""
    async with _bodies_cursor(conn.cursor(binary=True)) as cursor:
        await cursor.execute(
            """SELECT v.n, b.task_id, b.body FROM task_listing_version v
                 LEFT JOIN task_bodies b ON b.task_id = ANY (%s)""",
            ([i.decode() for i in ids],))
        rows = await cursor.fetchall()
    return int(rows[0][0]), {row[1]: row[2] for row in rows if row[1] is not None}
