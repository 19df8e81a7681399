"""The sync as users run it: separate processes, killed at random, or started together."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import psycopg
import pytest

from clickup_sync.simulator import Simulator

from .truth import differences

TOKEN = "pk_proc"


@pytest.fixture()
def served() -> Iterator[tuple[Simulator, str]]:
    # The free plan on a one-second window: about 100 calls a second, so a full sync of
    # this workspace takes several seconds and a kill lands in the middle of it.
    yield from _served("free")


@pytest.fixture()
def served_unlimited() -> Iterator[tuple[Simulator, str]]:
    """The same workspace on the enterprise plan, for tests that need no slow sync."""
    yield from _served("enterprise")


def _served(plan: str) -> Iterator[tuple[Simulator, str]]:
    sim = Simulator.generate(seed=8, tasks=500, plan=plan, token=TOKEN, rate_window=1.0)
    with sim.serve() as url:
        yield sim, url
    sim.close()


def _env(url: str, dsn: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLICKUP_", "DATABASE"))}
    return {**env, "CLICKUP_API_URL": url, "CLICKUP_API_TOKEN": TOKEN, "DATABASE_URL": dsn,
            "COLUMNS": "200"}


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "clickup_sync.cli", *args]


def _sync(url: str, dsn: str, *args: str) -> dict:
    proc = subprocess.run(_cli("sync", "--json", *args), env=_env(url, dsn),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_killed_syncs_resume_and_converge(served: tuple[Simulator, str], dsn: str) -> None:
    sim, url = served
    rng = random.Random(5)
    for _ in range(3):
        proc = subprocess.Popen(_cli("sync", "--all-comments"), env=_env(url, dsn),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_for_a_new_run(proc, dsn)  # however long the process takes to start
        time.sleep(rng.uniform(0.1, 2.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        sim.advance(20)
    final = _sync(url, dsn, "--all-comments")
    assert final["status"] == "ok", final
    if final["kind"] != "full":  # the killed runs may have finished a reconciliation
        final = _sync(url, dsn, "--full", "--all-comments")
    assert differences(sim, dsn) == []
    with psycopg.connect(dsn) as conn:
        killed = conn.execute("SELECT count(*) FROM sync_runs WHERE status = 'failed'").fetchone()
        running = conn.execute(
            "SELECT count(*) FROM sync_runs WHERE status = 'running'").fetchone()
    assert killed is not None and killed[0] >= 1  # marked by the next run, not left running
    assert running == (0,)


def _wait_for_a_new_run(proc: subprocess.Popen[bytes], dsn: str) -> None:
    """Return once ``proc``'s sync has recorded its run (it is then inside the sync)."""
    count = "SELECT count(*) FROM sync_runs"
    with psycopg.connect(dsn, autocommit=True) as conn:
        before = conn.execute(count).fetchone()
        deadline = time.monotonic() + 120
        while conn.execute(count).fetchone() == before:
            assert proc.poll() is None, "the sync ended before it recorded a run"
            assert time.monotonic() < deadline, "the sync recorded no run in 120 s"
            time.sleep(0.02)


def test_two_processes_started_together_sync_once(served: tuple[Simulator, str],
                                                  dsn: str) -> None:
    sim, url = served
    procs = [subprocess.Popen(_cli("sync", "--json", "--all-comments"), env=_env(url, dsn),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr
        results.append(json.loads(stdout))
    assert sorted(r["status"] for r in results) == ["ok", "skipped"]
    assert differences(sim, dsn) == []


def test_verify_and_status_commands(served_unlimited: tuple[Simulator, str],
                                    dsn: str) -> None:
    sim, url = served_unlimited
    _sync(url, dsn, "--all-comments")
    env = _env(url, dsn)
    clean = subprocess.run(_cli("verify"), env=env, capture_output=True, text=True, timeout=300)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "no differences" in clean.stderr
    task = next(t for t in sim.workspace.tasks.values() if not t.archived)
    task.name = "Renamed behind the sync's back"
    sim.state.changed()
    dirty = subprocess.run(_cli("verify"), env=env, capture_output=True, text=True, timeout=300)
    assert dirty.returncode == 1
    assert f"task {task.id} name" in dirty.stdout
    status = subprocess.run(_cli("status", "--json"), env=env, capture_output=True, text=True,
                            timeout=60)
    body = json.loads(status.stdout)
    assert body["tasks"] == sum(1 for _ in sim.workspace.tasks)
    assert body["runs"][0]["status"] == "ok" and body["runs"][0]["api_calls"] > 0
