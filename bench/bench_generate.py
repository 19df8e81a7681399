"""Benchmark the simulator's Workspace generator: wall time and peak memory per size.

Each size runs in a fresh subprocess, so one size's memory never inflates the next one's
peak. Prints a Markdown table; the target is 100k tasks in < 60 s and < 2 GiB peak RSS.

    python bench/bench_generate.py --tasks 10000 100000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

TARGET_SECONDS = {100_000: 60.0}
TARGET_RSS_MIB = 2048
FIXED_NOW_MS = 1_760_000_000_000  # fixed clock: every run builds the same Workspace


def child(tasks: int, seed: int) -> None:
    """Generate once and report timings, counts and this process's peak RSS as JSON."""
    from clickup_sync.simulator.generate import generate_workspace

    base_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    ws, _ids = generate_workspace(seed, tasks, FIXED_NOW_MS)
    seconds = time.perf_counter() - started
    json.dump({
        "requested": tasks, "seconds": seconds,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "import_rss_mib": base_kib / 1024,
        "tasks": len(ws.tasks), "subtasks": sum(1 for t in ws.tasks.values() if t.parent),
        "members": len(ws.members), "lists": len(ws.lists), "fields": len(ws.fields),
        "entries": len(ws.time_entries), "comments": len(ws.comments),
    }, sys.stdout)


def run(tasks: int, seed: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(tasks), "--seed", str(seed)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def table(rows: list[dict]) -> str:
    head = ("| requested | tasks | subtasks | members | lists | fields | time entries | comments "
            "| seconds | peak RSS MiB | target |")
    lines = [head, "|" + "---:|" * 10 + ":---:|"]
    for r in rows:
        limit = TARGET_SECONDS.get(r["requested"])
        ok = ("n/a" if limit is None else
              "ok" if r["seconds"] < limit and r["peak_rss_mib"] < TARGET_RSS_MIB else "MISSED")
        lines.append(f"| {r['requested']:,} | {r['tasks']:,} | {r['subtasks']:,} "
                     f"| {r['members']} | {r['lists']} | {r['fields']} | {r['entries']:,} "
                     f"| {r['comments']:,} | {r['seconds']:.2f} | {r['peak_rss_mib']:.0f} "
                     f"| {ok} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child, args.seed)
        return
    rows = []
    for n in args.tasks:
        rows.append(run(n, args.seed))
        print(f"  {n:,} tasks: {rows[-1]['seconds']:.2f} s", file=sys.stderr)
    print(table(rows))


if __name__ == "__main__":
    main()
