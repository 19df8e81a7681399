"""Time entries of every member, in date windows, never one call per task.

``GET /team/{id}/time_entries`` is unpaged and filters by start date and assignees, so a
window returns every interval of the workspace that started in it. A full read walks back
window by window to the oldest task; an incremental one re-reads the last few days, where
entries are still being added and edited. Each window is a complete read for its users, so
entries missing from it are marked deleted; a window that failed changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

from clickup_sync.store import reads, runs, writes
from clickup_sync.store.records import TimeEntryRecord

from . import rows
from .context import RunContext

DAY_MS = 24 * 3600 * 1000
STREAM = "time_entries"
LOOKAHEAD_MS = 3600 * 1000


def _dt(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


async def _window(ctx: RunContext, start: int, end: int, users: list[int]) -> None:
    raw = await ctx.client.get_time_entries(ctx.team_id, start, end, users)
    records: list[TimeEntryRecord] = []
    complete = True
    for item in raw:
        try:
            records.append(rows.time_entry(item))
        except rows.BadPayload as exc:
            ctx.error(str(exc))
            complete = False
    window = (_dt(start), _dt(end), users) if complete else None
    await ctx.db.write(writes.write_time_entries, records, window=window)
    ctx.counts["time_entries"] += len(records)


async def sync_time_entries(ctx: RunContext, *, full: bool) -> None:
    users = await ctx.db.run(reads.member_ids)
    if not users:
        return
    end = ctx.started_ms + LOOKAHEAD_MS  # a timer started as the run began still counts
    width = ctx.options.time_window_days * DAY_MS
    cursor = None if full else await ctx.db.run(runs.get_cursor, STREAM)
    if cursor is None:
        oldest = await ctx.db.run(reads.earliest_activity)
        floor = int(oldest.timestamp() * 1000) - DAY_MS if oldest else end - width
    else:
        floor = cursor - int(ctx.options.time_lookback_days * DAY_MS)
    total = max(1, -(-(end - floor) // width))
    done = 0
    hi = end
    while hi > floor:  # newest first: recent time is what people look at
        lo = max(floor, hi - width)
        await _window(ctx, lo, hi, users)
        done += 1
        ctx.report("time entries", done, total)
        hi = lo - 1
    await ctx.db.write(runs.set_cursor, STREAM, ctx.started_ms)
