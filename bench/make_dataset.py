"""Build a large synced database for the read benchmarks (MCP tools, REST routes).

    python bench/make_dataset.py --tasks 100000 --intervals 1000000 --database cs_bench_100k

Generates the simulator workspace, syncs it with the real sync engine (in-process, on an
unthrottled plan), reads comments for ``--comment-seconds``, then multiplies the time
entries (new ids) until there are ``--intervals`` of them, takes two weeks of daily
snapshots and ANALYZEs. Prints the DSN to use.

Each copy is shifted back by ``--shift-days`` (default 120, the simulator's history), so
the million intervals are a Workspace's past: a team of 250 tracks ~200k intervals in four
months, and a month's window holds a month of tracking. ``--shift-days 5`` stacks the
copies on the last weeks instead (five times any real team's density, the first
benchmarks' shape), to stress the time reports.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from datetime import date, timedelta

import httpx
import psycopg

from clickup_sync.clickup import ClickUpClient
from clickup_sync.simulator import Simulator
from clickup_sync.store import connect, upgrade
from clickup_sync.store.snapshots import take_snapshot
from clickup_sync.sync import SyncEngine, SyncOptions

ADMIN_DSN = os.environ.get("BENCH_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")


async def _sync(sim: Simulator, dsn: str, comment_seconds: float) -> None:
    transport = httpx.ASGITransport(app=sim.app)
    async with ClickUpClient("pk_bench", "http://sim/api/v2", transport=transport,
                             max_concurrency=8) as client:
        engine = SyncEngine(client, dsn, SyncOptions(comment_seconds=comment_seconds))
        result = await engine.run(full=True)
    print(f"sync: {result.status}, {result.counts}, {result.api_calls} calls, "
          f"{result.seconds:.0f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=100_000)
    ap.add_argument("--intervals", type=int, default=1_000_000)
    ap.add_argument("--database", default="cs_bench_100k")
    ap.add_argument("--comment-seconds", type=float, default=120.0)
    ap.add_argument("--shift-days", type=int, default=120,
                    help="how far back each copy of the time entries is moved")
    args = ap.parse_args()
    started = time.monotonic()
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{args.database}"')
    dsn = ADMIN_DSN.rsplit("/", 1)[0] + "/" + args.database
    with connect(dsn) as conn:
        upgrade(conn)
    sim = Simulator.generate(seed=1, tasks=args.tasks, plan="enterprise", token="pk_bench",
                             rate_window=0.01)
    asyncio.run(_sync(sim, dsn, args.comment_seconds))
    with connect(dsn, autocommit=True) as conn:
        have = conn.execute("SELECT count(*) FROM time_entries").fetchone()[0]
        copies = max(0, -(-(args.intervals - have) // max(have, 1)))
        for k in range(1, copies + 1):
            conn.execute(
                """INSERT INTO time_entries (id, task_id, user_id, start_at, end_at, duration_ms,
                                             is_running, billable, description, tags, source,
                                             at, raw)
                   SELECT id || '-' || %(k)s, task_id, user_id,
                          start_at - %(k)s * %(shift)s * interval '1 day',
                          end_at - %(k)s * %(shift)s * interval '1 day', duration_ms, false,
                          billable,
                          description, tags, source, at, '{}'::jsonb
                     FROM time_entries WHERE position('-' in id) = 0 AND NOT is_running
                    LIMIT %(n)s""", {"k": k, "shift": args.shift_days, "n": args.intervals - have})
            have = conn.execute("SELECT count(*) FROM time_entries").fetchone()[0]
            if have >= args.intervals:
                break
        today = date.today()
        for back in range(13, -1, -1):
            with conn.transaction():
                take_snapshot(conn, today - timedelta(days=back))
        conn.execute("ANALYZE")
        counts = conn.execute(
            """SELECT (SELECT count(*) FROM clickup_tasks), (SELECT count(*) FROM time_entries),
                      (SELECT count(*) FROM comments), (SELECT count(*) FROM task_snapshots)"""
        ).fetchone()
    sim.close()
    print(f"tasks {counts[0]:,}, time entries {counts[1]:,}, comments {counts[2]:,}, "
          f"snapshot rows {counts[3]:,}; built in {time.monotonic() - started:.0f} s")
    print(f"DATABASE_URL={dsn}")


if __name__ == "__main__":
    main()
