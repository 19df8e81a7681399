"""Latency of every MCP tool over streamable HTTP on a large database, and the size of what a
model reads (tools/list, typical results).

    python bench/make_dataset.py --tasks 100000 --intervals 1000000   # once
    python bench/bench_mcp.py --dsn postgresql://postgres@127.0.0.1:5432/cs_bench_100k

The server runs as users run it (``clickup-sync mcp --transport http``, its own process);
this process is the MCP client (the SDK's), calling each read tool ``--calls`` times after a
warm-up call. Tools that write to ClickUp or start a sync are left out (no ClickUp here).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from typing import Any

import httpx
import httpx2
import psycopg
from mcp.client.client import Client
from mcp.client.streamable_http import streamable_http_client

SKIP = {"create_task", "update_task", "invalidate_cache", "refresh_project", "clear_sync",
        "add_project", "remove_project", "map_project", "unmap_project"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _names(dsn: str) -> dict[str, str]:
    """A busy Space, Folder, List, task and person of the database, to call tools with."""
    with psycopg.connect(dsn) as conn:
        def one(sql: str) -> str:
            row = conn.execute(sql).fetchone()
            return str(row[0]) if row else ""

        # Ids, not names: a big generated workspace repeats names (several "Growth" Folders),
        # and an ambiguous name is (rightly) an error.
        return {
            "S": one("SELECT t.space_id FROM clickup_tasks t JOIN spaces s ON s.id = t.space_id "
                     "WHERE NOT s.archived GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"),
            "F": one("SELECT t.folder_id FROM clickup_tasks t JOIN folders f "
                     "ON f.id = t.folder_id WHERE NOT f.archived "
                     "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"),
            "L": one("SELECT l.id FROM lists l JOIN clickup_tasks t ON t.list_id = l.id "
                     "WHERE NOT l.archived GROUP BY l.id ORDER BY count(*) DESC LIMIT 1"),
            "T": one("SELECT e.task_id FROM time_entries e JOIN clickup_tasks t "
                     "ON t.id = e.task_id WHERE NOT t.is_deleted AND NOT t.archived "
                     "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"),
            "P": one("SELECT e.clickup_user_id FROM employees e JOIN task_assignees a "
                     "ON a.user_id = e.clickup_user_id GROUP BY 1 "
                     "ORDER BY count(*) DESC LIMIT 1"),
        }


def _args(tool: str, names: dict[str, str]) -> dict[str, Any]:
    week_ago = (date.today() - timedelta(days=7)).isoformat()
    table: dict[str, dict[str, Any]] = {
        "get_space": {"space": "S"}, "get_folders": {"space": "S"}, "get_folder": {"folder": "F"},
        "get_lists": {"folder": "F"}, "get_folderless_lists": {"space": "S"},
        "get_list": {"list": "L"}, "get_list_defined_statuses": {"list": "L"},
        "get_tasks": {"list": "L"}, "get_task": {"task_id": "T"},
        "search_tasks": {"query": "api"}, "get_project_tasks": {"project": "F"},
        "get_list_progress": {"list": "L"}, "get_overdue_tasks": {"person": "P"},
        "get_progress_since": {"since": week_ago}, "get_task_time_breakdown": {"task_id": "T"},
        "get_status_summary": {"project": "F"}, "get_project_status": {"project": "F"},
        "get_mapped_project": {"project": "S"}, "get_project_statuses": {"project": "L"},
        "get_project_health_score": {"project": "F"},
        "get_project_daily_standup": {"project": "S"},
        "get_project_time_tracking": {"project": "S"}, "get_project_blockers": {"project": "S"},
        "get_project_at_risk": {"project": "F"}, "get_project_weekly_digest": {"project": "S"},
        "get_project_team_workload": {"project": "F"}, "get_burndown": {"list": "L"},
        "get_assigned_comments": {"person": "P"},
        "run_sql": {"query": "SELECT status, count(*) FROM tasks GROUP BY 1"},
        "get_person_summary": {"person": "P"}, "get_project_summary": {"project": "F"},
    }
    return {k: names.get(v, v) if isinstance(v, str) else v
            for k, v in table.get(tool, {}).items()}


async def _measure(url: str, calls: int, names: dict[str, str],
                   only: set[str] | None = None) -> tuple[list[str], str]:
    lines = []
    async with (httpx2.AsyncClient(timeout=120) as http,
                Client(streamable_http_client(url, http_client=http)) as client):
        tools = await client.list_tools()
        # The client's own startup objects stay out of its full collections, as the server's
        # do (heap.settle): one such collection (65-130 ms) landed in a timed call.
        gc.collect()
        gc.freeze()
        listing = json.dumps([t.model_dump(mode="json", exclude_none=True)
                              for t in tools.tools])
        sizes = []
        for tool in sorted(t.name for t in tools.tools):
            if tool in SKIP or (only and tool not in only):
                continue
            args = _args(tool, names)
            first = await client.call_tool(tool, args)
            text = first.content[0].text if first.content else ""  # type: ignore[union-attr]
            if first.is_error:
                lines.append(f"| {tool} | error: {text[:60]} | | |")
                continue
            sizes.append(len(text))
            took = []
            for _ in range(calls):
                started = time.perf_counter()
                await client.call_tool(tool, args)
                took.append((time.perf_counter() - started) * 1000)
            took.sort()
            p95 = took[min(len(took) - 1, round(0.95 * (len(took) - 1)))]
            lines.append(f"| {tool} | {statistics.median(took):.0f} | {p95:.0f} | "
                         f"{'yes' if p95 <= 100 else 'no'} |")
    summary = (f"tools/list: {len(tools.tools)} tools, {len(listing):,} characters "
               f"(about {len(listing) // 4:,} tokens); a result's text: median "
               f"{statistics.median(sizes):,.0f} characters (about "
               f"{statistics.median(sizes) / 4:,.0f} tokens), largest {max(sizes):,}")
    return lines, summary


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dsn", required=True)
    ap.add_argument("--calls", type=int, default=15)
    ap.add_argument("--tools", nargs="+", help="Measure only these tools")
    args = ap.parse_args()
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": args.dsn}
    env.pop("CLICKUP_API_TOKEN", None)
    proc = subprocess.Popen([sys.executable, "-m", "clickup_sync.cli", "mcp", "--transport",
                             "http", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/mcp"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                httpx.get(url, timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.3)
        with psycopg.connect(args.dsn) as conn:
            size = conn.execute("SELECT (SELECT count(*) FROM clickup_tasks), "
                                "(SELECT count(*) FROM time_entries)").fetchone()
        lines, summary = asyncio.run(_measure(url, args.calls, _names(args.dsn),
                                             set(args.tools or ())))
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    print(f"\n{size[0]:,} tasks, {size[1]:,} time entries; {args.calls} calls per tool after "
          "one warm-up, over streamable HTTP\n")
    print("| tool | p50 ms | p95 ms | p95 ≤ 100 ms |")
    print("|---|---:|---:|:---:|")
    print("\n".join(lines))
    print(f"\n{summary}")


if __name__ == "__main__":
    main()
