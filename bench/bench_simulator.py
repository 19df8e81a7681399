"""Requests per second the simulator serves, per endpoint, over a real socket.

Starts ``clickup-sync simulator`` in its own process (enterprise plan on a one-second window,
so the rate limit does not cap the measurement), then drives it from this process with
``--concurrency`` asyncio clients for ``--seconds`` per endpoint.

    python bench/bench_simulator.py --tasks 10000 --seconds 10 --concurrency 8
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import time

import httpx

TOKEN = "pk_bench"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(tasks: int, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "clickup_sync.cli", "simulator", "--tasks", str(tasks),
         "--port", str(port), "--plan", "enterprise", "--rate-window", "1", "--token", TOKEN],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy())
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v2/user", headers={"Authorization": TOKEN})
            return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("simulator did not start")


async def _load(url: str, seconds: float, concurrency: int) -> tuple[int, list[float], int]:
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(headers={"Authorization": TOKEN}, limits=limits,
                                 timeout=30) as client:

        async def worker() -> None:
            nonlocal errors
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                r = await client.get(url)
                latencies.append(time.perf_counter() - t0)
                if r.status_code != 200:
                    errors += 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return len(latencies), latencies, errors


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=10_000)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--concurrency", type=int, default=8)
    args = ap.parse_args()
    port = _free_port()
    proc = _start(args.tasks, port)
    base = f"http://127.0.0.1:{port}/api/v2"
    try:
        headers = {"Authorization": TOKEN}
        team = httpx.get(base + "/team", headers=headers).json()["teams"][0]["id"]
        task = httpx.get(f"{base}/team/{team}/task", headers=headers).json()["tasks"][0]["id"]
        targets = {
            "GET /user": f"{base}/user",
            "GET /task/{id}": f"{base}/task/{task}",
            "GET /team/{id}/task (page of 100, cached query)": f"{base}/team/{team}/task?page=3",
            "GET /task/{id}/comment": f"{base}/task/{task}/comment",
        }
        print(f"simulator with {args.tasks:,} tasks, {args.concurrency} concurrent clients, "
              f"{args.seconds:g} s per endpoint\n")
        print("| endpoint | requests/s | p50 ms | p99 ms | errors |")
        print("|---|---:|---:|---:|---:|")
        for name, url in targets.items():
            n, lat, errors = asyncio.run(_load(url, args.seconds, args.concurrency))
            lat.sort()
            p50 = statistics.median(lat) * 1000
            p99 = lat[int(len(lat) * 0.99) - 1] * 1000
            print(f"| {name} | {n / args.seconds:,.0f} | {p50:.1f} | {p99:.1f} | {errors} |")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
