"""Full and steady-state sync against the simulator on the 100-requests-a-window plan.

    python bench/bench_sync.py --tasks 10000 --rate-window 1
    python bench/bench_sync.py --tasks 100000 --rate-window 4 --skip-comments

The simulator runs in its own process (``clickup-sync simulator --plan business``), with its
rate-limit window shortened so the run finishes in minutes under the same rules. Reported:
API calls (from the client and from the simulator's own counters), wall time beside the
lower bound (calls ÷ rate), 429s received, the time until tasks and time entries are
complete, the comment backfill, one steady-state cycle after ~0.5% of tasks changed, and
write throughput as a ratio of a plain COPY of the same rows into the same database.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import uuid

import httpx
import psycopg

from clickup_sync.clickup import ClickUpClient
from clickup_sync.store import connect, upgrade
from clickup_sync.store.bulk import copy_rows
from clickup_sync.store.records import TaskRecord, columns
from clickup_sync.store.writes import _rows, write_tasks
from clickup_sync.sync import SyncEngine, SyncOptions
from clickup_sync.sync import rows as to_rows

TOKEN = "pk_bench"
LIMIT = 100  # the business plan: 100 requests a window
ADMIN_DSN = os.environ.get("BENCH_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_simulator(tasks: int, window: float) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "clickup_sync.cli", "simulator", "--tasks", str(tasks),
         "--port", str(port), "--plan", "business", "--rate-window", str(window),
         "--token", TOKEN], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            httpx.get(url + "/_simulator/stats")
            return proc, url
        except httpx.TransportError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("simulator did not start")


def fresh_database() -> str:
    name = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    dsn = ADMIN_DSN.rsplit("/", 1)[0] + "/" + name
    with connect(dsn) as conn:
        upgrade(conn)
    return dsn


def drop_database(dsn: str) -> None:
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dsn.rsplit("/", 1)[1]}" WITH (FORCE)')


def server_stats(url: str, reset: bool = False) -> dict:
    if reset:
        return httpx.post(url + "/_simulator/stats/reset").json()
    return httpx.get(url + "/_simulator/stats").json()


async def run_sync(api: str, dsn: str, *, full: bool, comments: float | None,
                   options: SyncOptions) -> tuple[object, float, int, dict[str, int]]:
    async with ClickUpClient(TOKEN, api) as client:
        engine = SyncEngine(client, dsn, options)
        started = time.monotonic()
        result = await engine.run(full=full, comments_seconds=comments)
        return (result, time.monotonic() - started, client.calls,
                dict(client.calls_by_endpoint))


def row(label: str, calls: int, seconds: float, window: float, limited: int,
        note: str = "") -> str:
    bound = calls / (LIMIT / window)
    return (f"| {label} | {calls:,} | {seconds:,.1f} | {bound:,.1f} | {seconds / bound:.2f} | "
            f"{limited} | {note} |")


def write_throughput(dsn: str) -> str:
    """Upsert the synced tasks again, in the sync's batches, into a fresh database,
    and COPY the same rows (tasks and children) into empty tables of the same shape."""
    with connect(dsn, autocommit=True) as conn:
        raws = [r[0] for r in conn.execute("SELECT raw FROM clickup_tasks")]
    records: list[TaskRecord] = [to_rows.task(raw) for raw in raws]
    target = fresh_database()
    try:
        with connect(target, autocommit=True) as conn:
            started = time.perf_counter()
            batch = SyncOptions().write_batch  # the size the sync writes while paging
            for i in range(0, len(records), batch):
                with conn.transaction():
                    write_tasks(conn, records[i:i + batch])
            upsert_s = time.perf_counter() - started
            children = {
                "task_assignees": [(t.id, u) for t in records for u in set(t._assignees)],
                "task_watchers": [(t.id, u) for t in records for u in set(t._watchers)],
                "task_tags": list({(t.id, n): (t.id, n, fg, bg) for t in records
                                   for n, fg, bg in t._tags}.values()),
                "task_custom_values": _rows([v for t in records for v in t._custom_values]),
            }
            for table in ["clickup_tasks", *children]:
                conn.execute(f"CREATE TABLE copy_{table} (LIKE {table} INCLUDING DEFAULTS)")
            started = time.perf_counter()
            with conn.transaction():
                copy_rows(conn, "copy_clickup_tasks", columns(TaskRecord), _rows(records))
                for table, rows_ in children.items():
                    cols = [c.name for c in conn.execute(
                        f"SELECT * FROM {table} LIMIT 0").description or []]
                    copy_rows(conn, f"copy_{table}", cols[:len(rows_[0])] if rows_ else cols,
                              rows_)
            copy_s = time.perf_counter() - started
    finally:
        drop_database(target)
    return (f"{len(records):,} tasks with their assignees, watchers, tags and custom values: "
            f"sync writes {upsert_s:.1f} s ({len(records) / upsert_s:,.0f} tasks/s), plain "
            f"COPY {copy_s:.1f} s; ratio {copy_s / upsert_s:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=10_000)
    ap.add_argument("--rate-window", type=float, default=1.0)
    ap.add_argument("--skip-comments", action="store_true",
                    help="Skip the comment backfill (one call a task) after the full sync.")
    ap.add_argument("--change-minutes", type=float, default=None,
                    help="Simulated minutes of work before the steady-state cycle.")
    args = ap.parse_args()
    window = args.rate_window
    proc, url = start_simulator(args.tasks, window)
    api = url + "/api/v2"
    dsn = fresh_database()
    lines = []
    try:
        options = SyncOptions(comment_seconds=0)
        server_stats(url, reset=True)
        result, seconds, calls, by_endpoint = asyncio.run(run_sync(api, dsn, full=True, comments=0,
                                                      options=options))
        stats = server_stats(url)
        lines.append(row("full sync: tasks + time entries", calls, seconds, window,
                         stats["rate_limited"],
                         f"{result.counts.get('tasks', 0):,} tasks, "
                         f"{result.counts.get('time_entries', 0):,} time entries"))
        if not args.skip_comments:
            server_stats(url, reset=True)
            result, seconds, calls, by_endpoint = asyncio.run(
                run_sync(api, dsn, full=False, comments=None, options=options))
            stats = server_stats(url)
            lines.append(row("comment backfill", calls, seconds, window, stats["rate_limited"],
                             f"{result.counts.get('comments', 0):,} comments of "
                             f"{result.counts.get('comment_tasks', 0):,} tasks"))
        minutes = args.change_minutes or 30.0  # about 0.5% of tasks change
        summary = httpx.post(url + "/_simulator/advance", json={"minutes": minutes},
                             timeout=600).json()
        changed = len(set(summary["created"]) | set(summary["updated"]) |
                      set(summary["deleted"]))
        server_stats(url, reset=True)
        result, seconds, calls, by_endpoint = asyncio.run(run_sync(api, dsn, full=False, comments=0,
                                                      options=options))
        stats = server_stats(url)
        lines.append(row("steady-state cycle (no comments)", calls, seconds, window,
                         stats["rate_limited"],
                         f"{changed} tasks changed ({100 * changed / args.tasks:.2f}%); "
                         f"target ≤ {changed / 100:.0f} + c; calls: " + ", ".join(
                             f"{k} {v}" for k, v in sorted(by_endpoint.items()))))
        if args.skip_comments:  # every task still waits for comments: nothing to show
            throughput = write_throughput(dsn)
            return _print(args, window, lines, throughput)
        server_stats(url, reset=True)
        result, seconds, calls, by_endpoint = asyncio.run(
            run_sync(api, dsn, full=False, comments=None, options=options))
        lines.append(row("then: comments of changed tasks", calls, seconds, window,
                         server_stats(url)["rate_limited"],
                         f"{result.counts.get('comment_tasks', 0)} tasks"))
        throughput = write_throughput(dsn)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
        drop_database(dsn)
    _print(args, window, lines, throughput)


def _print(args: argparse.Namespace, window: float, lines: list[str], throughput: str) -> None:
    print(f"\n{args.tasks:,} tasks, business plan (100 requests per {window:g} s window)\n")
    print("| phase | API calls | seconds | lower bound s | ratio | 429s | notes |")
    print("|---|---:|---:|---:|---:|---:|---|")
    print("\n".join(lines))
    print(f"\nWrite throughput: {throughput}")


if __name__ == "__main__":
    main()
