"""The REST API inside `clickup-sync run` and `clickup-sync demo`, as users start them."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from clickup_sync.simulator import Simulator
from clickup_sync.store import connect
from tests.pg import fresh_database
from tests.syncing import free_port

TOKEN = "pk_run"


class Process:
    """A ``clickup-sync`` command in its own process; its stderr lines, as they come."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "clickup_sync.cli", *args],
            env={**os.environ, "COLUMNS": "200", **env}, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.put(line)

    def wait_for(self, pattern: str, seconds: float = 120) -> re.Match[str]:
        """The first stderr line (from now on) matching ``pattern``."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                assert self.proc.poll() is None, "exited early:\n" + "".join(self.seen)
                continue
            self.seen.append(line)
            if found := re.search(pattern, line):
                return found
        raise AssertionError(f"no line matching {pattern!r} in:\n" + "".join(self.seen))

    def stop(self) -> str:
        """Ctrl+C; insist on a clean exit; return everything it printed."""
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=30)
        self.reader.join(timeout=10)
        assert self.proc.stderr is not None
        self.proc.stderr.close()
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        text = "".join(self.seen)
        assert self.proc.returncode == 0, text
        assert "Traceback" not in text
        return text


@pytest.fixture()
def database() -> Iterator[str]:
    with fresh_database(migrated=True) as dsn:
        yield dsn


@pytest.fixture(scope="module")
def clickup() -> Iterator[str]:
    sim = Simulator.generate(seed=3, tasks=120, plan="enterprise", token=TOKEN,
                             rate_window=1.0)
    with sim.serve() as url:
        yield url
    sim.close()


@pytest.fixture()
def env(database: str, clickup: str) -> dict[str, str]:
    """The settings of a command syncing the simulator into the test's database."""
    return {"DATABASE_URL": database, "CLICKUP_API_TOKEN": TOKEN, "CLICKUP_API_URL": clickup,
            "CLICKUP_TEAM_ID": ""}


def test_run_serves_the_api_beside_the_schedule(database: str, env: dict[str, str]) -> None:
    port = free_port()
    run = Process(["run", "--port", str(port)], {**env, "API_KEY": "run-key"})
    try:
        url = run.wait_for(r"REST API at (http://\S+) \(docs").group(1)
        assert url == f"http://127.0.0.1:{port}"
        api = api_processes(run.proc.pid)
        assert len(api) == 1, "the API is served from a process of its own"
        run.wait_for(r"syncing every")
        run.wait_for(r"sync ok in")  # the first sync ended
        assert httpx.get(f"{url}/tasks").status_code == 401
        page = httpx.get(f"{url}/tasks", headers={"X-API-Key": "run-key"}).json()
        with connect(database) as conn:
            live = conn.execute("SELECT count(*) FROM clickup_tasks WHERE NOT is_deleted"
                                ).fetchone()
        assert live is not None and page["total"] == live[0] > 0
    finally:
        run.stop()
    assert not Path(f"/proc/{api[0]}").exists(), "the API process ends with run"


def api_processes(pid: int) -> list[int]:
    """The child processes of ``pid`` that `multiprocessing` spawned (Linux: from /proc);
    its resource tracker, also a child, is not one of them."""
    children = [int(c) for f in Path(f"/proc/{pid}/task").glob("*/children")
                for c in f.read_text().split()]
    return [c for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]


def test_run_on_a_taken_port_says_so_and_stops(env: dict[str, str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "clickup_sync.cli", "run", "--port", str(port)],
            env={**os.environ, "COLUMNS": "200", **env}, capture_output=True, text=True,
            timeout=120)
    assert done.returncode == 1, done.stderr
    assert f"error: cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr


def test_run_without_the_api_listens_nowhere(env: dict[str, str]) -> None:
    port = free_port()
    run = Process(["run", "--no-api", "--port", str(port)], env)
    try:
        run.wait_for(r"sync ok in")
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"http://127.0.0.1:{port}/health")
    finally:
        printed = run.stop()
    assert "REST API" not in printed


def test_demo_prints_a_key_its_api_answers_to(database: str) -> None:
    sim_port, api_port = free_port(), free_port()
    demo = Process(["demo", "--tasks", "80", "--port", str(sim_port), "--api-port",
                    str(api_port)], {"DATABASE_URL": database, "API_KEY": ""})
    try:
        url = demo.wait_for(r"REST API at (http://\S+) \(docs").group(1)
        key = demo.wait_for(r"API key: (\S+)").group(1)
        tried = demo.wait_for(r"try: curl -H 'X-API-Key: (\S+)' '(\S+)'")
        assert tried.group(1) == key and tried.group(2) == f"{url}/tasks?limit=5"
        assert url == f"http://127.0.0.1:{api_port}"
        assert httpx.get(f"{url}/tasks").status_code == 401
        answer = httpx.get(f"{url}/tasks?limit=5", headers={"X-API-Key": key})
        assert answer.status_code == 200 and answer.json()["count"] == 5
        summary = httpx.get(f"{url}/analytics/status-summary",
                            headers={"Authorization": f"Bearer {key}"})
        assert summary.status_code == 200 and summary.json()["summary"]["total_tasks"] > 0
        demo.wait_for(r"Keeping in sync every")  # printed once Ctrl+C stops the schedule
    finally:
        demo.stop()
    other = Process(["demo", "--tasks", "80", "--port", str(sim_port), "--api-port",
                     str(api_port)], {"DATABASE_URL": database, "API_KEY": ""})
    try:
        assert other.wait_for(r"API key: (\S+)").group(1) != key, "a new key each time"
        other.wait_for(r"Keeping in sync every")
    finally:
        other.stop()


def niceness(pid: int, tid: int | None = None) -> int:
    """A process's (its main thread's) or one of its threads' niceness, from /proc."""
    stat = Path(f"/proc/{pid}/task/{tid or pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[16])


@pytest.mark.skipif(sys.platform != "linux", reason="reads niceness from /proc")
def test_run_syncs_at_sync_nice_while_its_api_keeps_full_priority(env: dict[str, str]
                                                                   ) -> None:
    start = os.getpriority(os.PRIO_PROCESS, 0)
    run = Process(["run", "--port", str(free_port())], {**env, "SYNC_NICE": "7"})
    try:
        run.wait_for(r"sync ok in")
        syncing = {niceness(run.proc.pid, int(t.name))
                   for t in Path(f"/proc/{run.proc.pid}/task").iterdir()}
        serving = [niceness(c) for c in api_processes(run.proc.pid)]
    finally:
        run.stop()
    assert syncing == {max(start, 7)}, "every thread of the schedule's process runs niced"
    assert serving == [start], "the API process keeps the priority run started with"


@pytest.mark.skipif(sys.platform != "linux", reason="reads niceness from /proc")
def test_a_one_off_sync_runs_at_sync_nice(env: dict[str, str]) -> None:
    start = os.getpriority(os.PRIO_PROCESS, 0)
    sync = subprocess.Popen(
        [sys.executable, "-m", "clickup_sync.cli", "sync", "--full", "--json"],
        env={**os.environ, **env, "SYNC_NICE": "5"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen: set[int] = set()
    while sync.poll() is None:
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            seen.add(niceness(sync.pid))
        time.sleep(0.005)
    out, err = sync.communicate()
    assert sync.returncode == 0, err
    assert json.loads(out)["status"] == "ok"
    assert max(start, 5) in seen, f"niceness seen while syncing: {sorted(seen)}"
