"""Comments, all of them, threaded: backfilled task by task, newest-updated tasks first.

ClickUp has no bulk comment endpoint, so each task costs at least one call. Tasks whose
comments were never read, or were read before the task last changed, wait in a queue kept in
the database (`reads.tasks_needing_comments`); each run spends a bounded time on it, so tasks
and time entries land first and comments catch up with the rate budget left. A task's
comments are written only once every page (and every reply thread) was read.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime

from clickup_sync.clickup import ClickUpError, NotFoundOrForbidden
from clickup_sync.store import reads, writes
from clickup_sync.store.records import CommentRecord

from . import rows
from .context import RunContext


async def read_task_comments(ctx: RunContext, task_id: str) -> list[CommentRecord]:
    """Every comment of a task and every reply, or an exception."""
    records: list[CommentRecord] = []
    async for page in ctx.client.iter_task_comments(task_id):
        for raw in page:
            rec = rows.comment(raw, task_id=task_id)
            records.append(rec)
    threads = [r for r in records if r.reply_count > 0]
    for parent in threads:
        for raw in await ctx.client.get_replies(parent.id):
            records.append(rows.comment(raw, task_id=task_id, parent_id=parent.id))
    return records


async def _one(ctx: RunContext, task_id: str, updated: datetime) -> None:
    try:
        records = await read_task_comments(ctx, task_id)
    except NotFoundOrForbidden:
        await ctx.db.write(writes.mark_task_deleted, task_id)  # gone since we listed it
        return
    except rows.BadPayload as exc:
        ctx.error(str(exc))
        return
    await ctx.db.write(writes.write_task_comments, task_id, records, updated)
    ctx.counts["comments"] += len(records)
    ctx.counts["comment_tasks"] += 1


async def sync_comments(ctx: RunContext, *, seconds: float | None) -> int:
    """Read comments of waiting tasks for up to ``seconds`` (None: until none wait).

    Returns how many tasks still wait.
    """
    deadline = None if seconds is None else time.monotonic() + seconds
    total = await ctx.db.run(reads.count_tasks_needing_comments)
    done = 0
    batch = max(1, ctx.options.comment_concurrency)
    tried: set[str] = set()  # a task that failed to parse is not retried in the same run
    while deadline is None or time.monotonic() < deadline:
        waiting = await ctx.db.run(reads.tasks_needing_comments, batch + len(tried))
        todo = [(tid, upd) for tid, upd in waiting if tid not in tried][:batch]
        if not todo:
            break
        tried.update(tid for tid, _ in todo)
        results = await asyncio.gather(*(_one(ctx, tid, upd) for tid, upd in todo),
                                       return_exceptions=True)
        failures = [r for r in results if isinstance(r, BaseException)]
        for failure in failures:
            if not isinstance(failure, ClickUpError):
                raise failure
            ctx.error(f"comments: {failure}")
        if failures:
            break  # leave the rest for the next run rather than hammer a failing API
        done += len(todo)
        ctx.report("comments", done, total)
    return await ctx.db.run(reads.count_tasks_needing_comments)
