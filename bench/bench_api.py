"""REST API latency under load, while a sync runs: requests per second, p50 and p99.

    python bench/bench_api.py --tasks 10000
    python bench/bench_api.py --tasks 100000 \
        --dsn postgresql://postgres@127.0.0.1:5432/cs_bench_100k

The database is built by ``bench/make_dataset.py`` (simulator seed 1, synced, time entries
multiplied, snapshots) unless ``--dsn`` names one built already; it is then vacuumed, as
autovacuum would have done. The API runs in its own process (``clickup-sync serve``, with an
API key), the simulator in another, and full syncs of the same Workspace run back to back
in a third the whole time (the heaviest write load a sync makes). This process is the load
generator: for each route and each rate it sends requests open-loop (a request is due
every 1/rate s whether or not the previous ones have answered), and a request's latency
runs from when it was due to the end of its response, so a server falling behind shows in
the figures: above its capacity, requests/s stays below the rate and latency grows with
the run. ``/tasks`` pages are drawn at random from the first 50 pages. ``--sync
incremental`` runs the schedule's incremental syncs back to back instead of full ones.

What is measured, by default, is a sync as it runs in production beside the API:

- ClickUp's own limits: the simulator serves the enterprise plan (10,000 requests a
  minute, ClickUp's fastest) with ClickUp's 60-second window (``--rate-window 60``). A
  full sync of 100k tasks beside this load makes well under 167 calls a second (about 7),
  so neither window holds it back: what it costs is CPU, its own and its writes'.
- The simulator plays ClickUp's servers, whose CPU is not ours in production, so it runs
  at niceness 19, the lowest priority (``--sim-nice``): it answers, but lets the API have
  the cores first. (At 10 it still took ~80 % of a core beside the load.)
- The syncs run at the niceness the product gives them (``SYNC_NICE``, default 10; a
  ``--sync-nice`` sets it). Their PostgreSQL backends are not niced: the sync's writes
  slow down only as far as the niced sync process sends them more slowly.

``--rate-window 1 --sim-nice 0 --sync-nice 0`` is the harsher setting of earlier runs:
a 1-second window (60 times ClickUp's fastest real limit) and every process, the
simulator's stand-in for ClickUp's servers included, at the same priority.

The load generator shares the machine's cores with what it measures, so it is kept light:
keep-alive HTTP/1.1 connections, each response parsed by httptools (the C parser uvicorn
uses), about a tenth of a millisecond of CPU a request where an httpx client took two.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from statistics import quantiles
from typing import Any

import httptools
import httpx
import psycopg

ADMIN_DSN = os.environ.get("BENCH_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
ROOT = Path(__file__).resolve().parent.parent
TOKEN = "pk_bench"
KEY = "bench-key"
ROUTES = {
    "tasks": "/tasks?limit=100&offset={offset}",
    "status-summary": "/analytics/status-summary",
    "workload": "/analytics/workload",
}


def note(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_database(tasks: int) -> str:
    name = f"bench_api_{uuid.uuid4().hex[:8]}"
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_dataset.py"), "--tasks",
                    str(tasks), "--intervals", str(tasks * 10), "--database", name,
                    "--comment-seconds", "60"], check=True, cwd=ROOT)
    return ADMIN_DSN.rsplit("/", 1)[0] + "/" + name


def vacuum(dsn: str) -> int:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        return int(conn.execute("SELECT count(*) FROM clickup_tasks WHERE NOT is_deleted"
                                ).fetchone()[0])


def listing_version(dsn: str) -> int:
    """The task listing version (migration 0024): each step drops every kept page."""
    with psycopg.connect(dsn) as conn:
        return int(conn.execute("SELECT n FROM task_listing_version").fetchone()[0])


def wait_for(url: str, seconds: float, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{proc.args} exited with {proc.returncode}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer in {seconds:.0f} s")


def start(args: list[str], env: dict[str, str], nice: int = 0) -> subprocess.Popen[bytes]:
    """A ``clickup-sync`` command in a process of its own, ``nice`` steps below this one."""
    return subprocess.Popen([sys.executable, "-m", "clickup_sync.cli", *args],
                            env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL,
                            preexec_fn=(lambda: os.nice(nice)) if nice else None)


class SyncLoop(threading.Thread):
    """Syncs of the simulator's Workspace into the database, back to back; with
    ``advance``, the simulator's team works that many minutes before each one, so each
    sync has changes to write (and the kept pages they touch to drop)."""

    def __init__(self, env: dict[str, str], full: bool, simulator: str = "",
                 advance: float = 0.0) -> None:
        super().__init__(daemon=True)
        self.env = env
        self.args = ["sync", "--json", *(["--full"] if full else [])]
        self.simulator, self.advance = simulator, advance
        self.stop = threading.Event()
        self.runs = 0
        self.changes = 0
        self.proc: subprocess.Popen[bytes] | None = None

    def run(self) -> None:
        while not self.stop.is_set():
            if self.advance:
                summary = httpx.post(f"{self.simulator}/_simulator/advance", timeout=60,
                                     json={"minutes": self.advance}).json()
                self.changes += sum(v for v in summary.get("counts", {}).values()
                                    if isinstance(v, int))
            self.proc = start(self.args, self.env)
            self.proc.wait()
            self.runs += 1

    def halt(self) -> None:
        self.stop.set()
        if self.proc:
            finish(self.proc)


def finish(proc: subprocess.Popen[bytes]) -> None:
    """Ctrl+C, then kill if it is still busy after 30 s (a loaded sync may be): a bench
    that ends must leave nothing running to load the next one."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


class _Connection(asyncio.Protocol):
    """One keep-alive connection; `answer` resolves to the status of each response."""

    def __init__(self) -> None:
        self.parser = httptools.HttpResponseParser(self)
        self.transport: asyncio.Transport | None = None
        self.answer: asyncio.Future[int] | None = None
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.parser.feed_data(data)

    def on_message_complete(self) -> None:
        if self.answer is not None and not self.answer.done():
            self.answer.set_result(self.parser.get_status_code())

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.answer is not None and not self.answer.done():
            self.answer.set_exception(exc or ConnectionError("connection closed"))


class Client:
    """GET requests over keep-alive connections, opened as the load needs them."""

    def __init__(self, base: str, headers: dict[str, str], most: int = 256) -> None:
        host, _, port = base.removeprefix("http://").partition(":")
        self.host, self.port = host, int(port)
        self.head = "".join(f"{k}: {v}\r\n" for k, v in
                            {"Host": f"{host}:{port}", **headers}.items())
        self.idle: list[_Connection] = []
        self.slots = asyncio.Semaphore(most)

    async def get(self, path: str, timeout: float = 60) -> int:
        async with self.slots:
            while self.idle:  # the server closes connections idle for 5 s
                conn = self.idle.pop()
                if not conn.closed:
                    try:
                        return await self._send(conn, path, timeout)
                    except ConnectionError:
                        pass  # closed as the request left: a GET may go again
            loop = asyncio.get_running_loop()
            _, fresh = await loop.create_connection(_Connection, self.host, self.port)
            return await self._send(fresh, path, timeout)

    async def _send(self, conn: _Connection, path: str, timeout: float) -> int:
        conn.answer = asyncio.get_running_loop().create_future()
        assert conn.transport is not None
        conn.transport.write(f"GET {path} HTTP/1.1\r\n{self.head}\r\n".encode())
        try:
            status = await asyncio.wait_for(conn.answer, timeout)
        except BaseException:
            conn.transport.close()
            raise
        self.idle.append(conn)
        return status

    def close(self) -> None:
        for conn in self.idle:
            if conn.transport is not None:
                conn.transport.close()


async def load(base: str, route: str, rate: float, seconds: float, pages: int
               ) -> dict[str, Any]:
    """Send ``rate`` requests a second for ``seconds``; return the figures."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    client = Client(base, {"X-API-Key": KEY})
    try:
        rng = random.Random(7)

        async def one(due: float) -> None:
            path = ROUTES[route].format(offset=100 * rng.randrange(pages))
            try:
                status = await client.get(path)
                ok, key = status == 200, str(status)
            except (OSError, TimeoutError, httptools.HttpParserError) as exc:
                ok, key = False, type(exc).__name__
            if ok:
                latencies.append(time.perf_counter() - due)
            else:
                errors[key] = errors.get(key, 0) + 1

        total = int(rate * seconds)
        started = time.perf_counter()
        pending = []
        for i in range(total):
            due = started + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            pending.append(asyncio.create_task(one(due)))
        await asyncio.gather(*pending)
        elapsed = time.perf_counter() - started
    finally:
        client.close()
    cuts = quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [0] * 99
    return {"route": route, "sent": total, "ok": len(latencies), "errors": errors,
            "rps": len(latencies) / elapsed, "p50": 1000 * cuts[49], "p99": 1000 * cuts[98],
            "max": 1000 * max(latencies, default=0)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tasks", type=int, default=10_000, help="Tasks in the built database")
    ap.add_argument("--dsn", help="Use this database (built by make_dataset.py) instead")
    ap.add_argument("--rates", type=float, nargs="+", default=[25.0, 50.0, 100.0, 200.0],
                    help="Requests a second to try, for each route")
    ap.add_argument("--seconds", type=float, default=10.0, help="Seconds per route and rate")
    ap.add_argument("--routes", nargs="+", default=list(ROUTES), choices=list(ROUTES))
    ap.add_argument("--sync", choices=["full", "incremental", "none"], default="full",
                    help="What runs beside the load, back to back (default: full syncs)")
    ap.add_argument("--advance", type=float, default=0.0, metavar="MINUTES",
                    help="Before each sync the simulator's team works this many minutes "
                         "(0.75: the changes a 45 s schedule finds; default 0, no changes)")
    ap.add_argument("--rate-window", type=float, default=60.0,
                    help="The simulator's rate-limit window in seconds on the enterprise "
                         "plan (ClickUp: 60; 1 is the earlier, 60 times harsher setting)")
    ap.add_argument("--sim-nice", type=int, default=19,
                    help="Niceness of the simulator, which stands in for ClickUp's servers")
    ap.add_argument("--sync-nice", type=int,
                    help="SYNC_NICE for the syncs (default: the product's, 10)")
    args = ap.parse_args()

    dsn = args.dsn or build_database(args.tasks)
    live = vacuum(dsn)
    note(f"database ready: {live:,} live tasks")
    pages = max(1, min(50, live // 100))
    sim_port, api_port = free_port(), free_port()
    sim = start(["simulator", "--seed", "1", "--tasks", str(args.tasks), "--port",
                 str(sim_port), "--plan", "enterprise", "--rate-window",
                 f"{args.rate_window:g}", "--token", TOKEN], {}, nice=args.sim_nice)
    api = start(["serve", "--port", str(api_port)], {"DATABASE_URL": dsn, "API_KEY": KEY})
    base = f"http://127.0.0.1:{api_port}"
    nice = {} if args.sync_nice is None else {"SYNC_NICE": str(args.sync_nice)}
    syncs = SyncLoop({"DATABASE_URL": dsn, "CLICKUP_API_TOKEN": TOKEN,
                      "CLICKUP_API_URL": f"http://127.0.0.1:{sim_port}/api/v2", **nice},
                     full=args.sync == "full", simulator=f"http://127.0.0.1:{sim_port}",
                     advance=args.advance)
    results = []
    try:
        wait_for(f"{base}/health", 60, api)
        note("API up")
        if args.sync != "none":
            wait_for(f"http://127.0.0.1:{sim_port}/_simulator/stats", 900, sim)
            syncs.start()
            time.sleep(5)  # the first full sync is under way
            note("syncing")
        for route in args.routes:
            asyncio.run(load(base, route, min(args.rates), 2, pages))  # warm up
            for rate in args.rates:
                time.sleep(2)  # let a backlog from the previous rate drain
                before = listing_version(dsn)
                result = asyncio.run(load(base, route, rate, args.seconds, pages))
                results.append({**result, "rate": rate,
                                "versions": listing_version(dsn) - before})
                note(f"{route} at {rate:g}/s: {result['rps']:.0f}/s, "
                     f"p99 {result['p99']:.1f} ms")
    finally:
        syncs.halt()
        for proc in (api, sim):
            finish(proc)
    condition = "no sync" if args.sync == "none" else (
        f"{args.sync} syncs back to back ({syncs.runs} ended during the run"
        + (f"; the team worked {args.advance:g} min before each, {syncs.changes} changes"
           if args.advance else "") + ") at SYNC_NICE "
        f"{nice.get('SYNC_NICE', 'default')}; simulator: {args.rate_window:g} s rate window, "
        f"niceness {args.sim_nice}")
    print(f"\n{live:,} live tasks; {args.seconds:g} s per route and rate; {condition}\n")
    print("| route | rate sent /s | answered /s | p50 ms | p99 ms | max ms | errors | "
          "listing versions |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        path = ROUTES[r["route"]].split("?")[0] + (" (100-row page)" if r["route"] == "tasks"
                                                    else "")
        errors = sum(r["errors"].values())
        print(f"| GET {path} | {r['rate']:g} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
              f"{r['max']:.0f} | {errors}{' ' + str(r['errors']) if errors else ''} | "
              f"{r['versions']} |")


if __name__ == "__main__":
    main()
