"""The task stream: every task, subtask, closed and archived one, read by update time.

Reads go oldest update first (``order_by=updated&reverse=true``) and page by key, not by
offset: each request asks for tasks updated at or after the newest one already stored
(``date_updated_gt`` is inclusive on ClickUp), so a task that changes while we page moves
behind the cursor instead of shifting an unread task out of a page. Each page is written in
one transaction together with its cursor; a killed process resumes after the last one.

ClickUp's team endpoint leaves out tasks of archived Lists, Folders and Spaces, so a full
read also pages through each of those Lists; only a read that completed everywhere is used
to mark tasks deleted.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from typing import Any

from clickup_sync.clickup import ClickUpClient
from clickup_sync.store import reads, runs, writes
from clickup_sync.store.records import TaskRecord

from . import rows
from .context import RunContext

PAGE = 100
PARTITIONS = {"tasks": False, "tasks_archived": True}


def _records(ctx: RunContext, page: list[dict[str, Any]]) -> list[TaskRecord]:
    out = []
    for raw in page:
        try:
            out.append(rows.task(raw))
        except rows.BadPayload as exc:
            ctx.error(str(exc))
    return out


def _max_updated(page: Iterable[dict[str, Any]]) -> int:
    best = 0
    for raw in page:
        try:
            best = max(best, int(raw.get("date_updated") or 0))
        except (TypeError, ValueError):
            continue
    return best


async def _write_page(ctx: RunContext, records: list[TaskRecord], stream: str | None,
                      cursor: int | None) -> None:
    def write(conn: Any) -> None:
        writes.write_tasks(conn, records)
        if stream is not None and cursor:
            runs.set_cursor(conn, stream, min(cursor, ctx.started_ms))

    await ctx.db.write(write)
    ctx.counts["tasks"] += len(records)


async def pages_by_update(client: ClickUpClient, path: str, *, archived: bool,
                          since: int | None) -> AsyncIterator[list[dict[str, Any]]]:
    """Yield pages of ``path`` by update time from ``since`` (None: from the beginning)."""
    bound = since or 0
    page_no = 0
    while True:
        params = {"include_closed": True, "subtasks": True, "archived": archived,
                  "order_by": "updated", "reverse": True, "date_updated_gt": bound,
                  "page": page_no}
        page = await client.request("GET", path, params=params, unwrap="tasks")
        if not isinstance(page, list):
            raise rows.BadPayload(f"{path}: tasks is not a list")
        yield page
        if len(page) < PAGE:
            return
        newest = _max_updated(page)
        if newest > bound:
            bound, page_no = newest, 0  # restart at the newest update seen
        else:
            page_no += 1  # a full page sharing one timestamp: step past it by offset


async def read_by_update(ctx: RunContext, path: str, *, archived: bool, since: int | None,
                         stream: str | None, seen: set[str] | None = None) -> None:
    """Store every task of ``path`` updated since ``since``, batch by batch with the cursor.

    Pages are gathered into batches of about ``options.write_batch`` tasks (a bulk write
    costs the same few round trips for 100 rows as for 1,000), and a batch is written while
    the next pages are fetched. Writes stay in order, so the cursor only ever covers
    committed batches; a killed process re-reads at most the batch it was writing.
    """
    writing: asyncio.Task[None] | None = None
    batch: list[TaskRecord] = []
    newest = 0
    try:
        async for page in pages_by_update(ctx.client, path, archived=archived, since=since):
            batch += _records(ctx, page)
            newest = max(newest, _max_updated(page))
            if seen is not None:
                seen.update(str(r["id"]) for r in page if isinstance(r, dict) and "id" in r)
            if len(batch) >= ctx.options.write_batch:
                if writing is not None:
                    await writing
                writing = asyncio.create_task(_write_page(ctx, batch, stream, newest))
                batch = []
            ctx.report("tasks", ctx.counts["tasks"] + len(batch), None)
    finally:
        if writing is not None:
            await writing  # a failed fetch still lets the batch before it commit
    if batch:
        await _write_page(ctx, batch, stream, newest)


async def sync_tasks(ctx: RunContext, *, full: bool) -> bool:
    """Read new and changed tasks; on a full read also find deleted ones.

    Returns True when a full read completed and deletions were applied.
    """
    team_path = f"/team/{ctx.team_id}/task"
    seen: set[str] | None = set() if full else None
    for stream, archived in PARTITIONS.items():
        since = None
        if not full:
            cursor = await ctx.db.run(runs.get_cursor, stream)
            since = None if cursor is None else max(0, cursor - ctx.options.overlap_ms)
        await read_by_update(ctx, team_path, archived=archived, since=since, stream=stream,
                             seen=seen)
        # Read to the end: everything updated before this run began is stored, even when
        # the newest task of this partition is old (archived tasks rarely change).
        await ctx.db.write(runs.set_cursor, stream, ctx.started_ms)
    if not full:
        return False
    hidden = await ctx.db.run(reads.hidden_list_ids)
    for i, list_id in enumerate(hidden):
        for archived in (False, True):
            await read_by_update(ctx, f"/list/{list_id}/task", archived=archived, since=None,
                                 stream=None, seen=seen)
        ctx.report("archived lists", i + 1, len(hidden))
    if ctx.errors:
        return False  # a malformed task was skipped: absence proves nothing
    assert seen is not None
    deleted = await ctx.db.write(writes.mark_tasks_deleted, seen)
    ctx.counts["deleted"] += len(deleted)
    return True

