"""The schedule: a sync every 45 s (by default) and the daily snapshot at a local time.

APScheduler runs both on one asyncio loop. ``max_instances=1`` and ``coalesce`` keep a slow
sync from piling up runs in this process; the engine's advisory lock keeps other processes
from running one at the same time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from clickup_sync.config import Settings
from clickup_sync.store import connect
from clickup_sync.store.snapshots import take_snapshot

from .engine import RunResult, SyncEngine
from .runner import lower_priority

log = logging.getLogger("clickup_sync.sync")


def snapshot_now(dsn: str) -> int:
    """Take today's snapshot (in the configured timezone); return the rows written."""
    with connect(dsn, autocommit=True) as conn, conn.transaction():
        return take_snapshot(conn)


def build_scheduler(settings: Settings, engine: SyncEngine, dsn: str,
                    on_result: Callable[[RunResult], None] | None = None) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=settings.timezone)

    async def sync_job() -> None:
        try:
            result = await engine.run()
        except asyncio.CancelledError:
            # Shutting down (Ctrl+C) mid-run: the engine has recorded the run as failed;
            # re-raised, APScheduler would print the cancellation as a crash.
            log.info("sync stopped: shutting down")
            return
        except Exception:  # the schedule must survive one bad run; it is logged in full
            log.exception("scheduled sync failed")
            return
        if on_result is not None:
            on_result(result)

    async def snapshot_job() -> None:
        rows = await asyncio.to_thread(snapshot_now, dsn)
        log.info("daily snapshot: %d tasks", rows)

    hour, minute = (int(x) for x in settings.snapshot_time.split(":"))
    scheduler.add_job(sync_job, IntervalTrigger(seconds=settings.sync_interval_seconds),
                      id="sync", max_instances=1, coalesce=True,
                      next_run_time=datetime.now(scheduler.timezone) + timedelta(seconds=1))
    scheduler.add_job(snapshot_job, CronTrigger(hour=hour, minute=minute,
                                                timezone=settings.timezone),
                      id="snapshot", max_instances=1, coalesce=True, misfire_grace_time=3600)
    return scheduler


async def run_forever(settings: Settings, engine: SyncEngine, dsn: str,
                      on_result: Callable[[RunResult], None] | None = None,
                      stop: asyncio.Event | None = None) -> None:
    """Run the schedule until ``stop`` is set (or forever), at niceness ``SYNC_NICE``."""
    niceness = lower_priority(settings)
    log.debug("scheduled syncs run at niceness %d", niceness)
    scheduler = build_scheduler(settings, engine, dsn, on_result)
    scheduler.start()
    try:
        await (stop or asyncio.Event()).wait()
    finally:
        scheduler.shutdown(wait=False)
