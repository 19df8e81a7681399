"""Sync triggers answer at once with a run id; the run is then followed to its end, and
runs never overlap."""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import Any

import httpx
import psycopg
import pytest

from clickup_sync.api.runtime import WORK_THREAD
from clickup_sync.config import Settings
from clickup_sync.simulator import Simulator
from clickup_sync.store import connect, locks

from .conftest import column, get


def follow(api: httpx.Client, run_id: int, seconds: float = 60) -> dict[str, Any]:
    """Poll a run until it ends; return it."""
    deadline = time.monotonic() + seconds
    while True:
        run = get(api, f"/sync/runs/{run_id}")
        if run["status"] not in ("queued", "started"):
            return run
        assert time.monotonic() < deadline, f"run {run_id} still {run['status']}"
        time.sleep(0.1)


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_sync_trigger_runs_a_sync_and_tells_how_it_went(api: httpx.Client,
                                                        conn: psycopg.Connection,
                                                        method: str) -> None:
    started = time.monotonic()
    answer = api.request(method, "/sync/tasks")
    assert answer.status_code == 202
    assert time.monotonic() - started < 2, "a trigger must not wait for the sync"
    body = answer.json()
    assert body["status"] == "queued" and body["action"] == "tasks"
    assert body["url"] == f"/sync/runs/{body['run_id']}"
    run = follow(api, body["run_id"])
    assert (run["kind"], run["status"], run["outcome"]) == ("trigger", "done", "ok"), run
    assert run["detail"]["via"] == f"{method} /sync/tasks"
    assert run["run"]["id"] == run["detail"]["sync_run_id"] > body["run_id"]
    assert run["run"]["kind"] == "incremental" and run["run"]["status"] == "ok"
    assert run["tasks_upserted"] == 0 and run["api_calls"] == 0  # counted on the sync's row
    assert column(conn, "SELECT status FROM sync_runs WHERE id = %s",
                  (run["run"]["id"],)) == ["ok"]


def test_full_sync_and_employee_sync(api: httpx.Client, conn: psycopg.Connection,
                                     synced: tuple[Simulator, str]) -> None:
    full = follow(api, api.post("/sync/tasks", params={"full": "true"}).json()["run_id"])
    assert full["outcome"] == "ok" and full["run"]["kind"] == "full"
    members = follow(api, api.get("/sync/employees").json()["run_id"])
    assert members["outcome"] == "ok" and members["detail"]["action"] == "employees"
    assert get(api, "/employees")["count"] == len(synced[0].workspace.members)


def test_a_sync_never_overlaps_another(api: httpx.Client, synced: tuple[Simulator, str]
                                       ) -> None:
    sim, dsn = synced
    with connect(dsn) as holder:  # another process's sync holds the Workspace's lock
        assert locks.advisory_xact_lock(holder, f"clickup-sync:sync:{sim.workspace.id}",
                                        wait=False)
        run = follow(api, api.post("/sync/tasks").json()["run_id"])
        holder.rollback()
    assert (run["status"], run["outcome"], run["run"]) == ("skipped", "skipped", None)
    assert "another sync" in run["errors"][0]


def test_daily_trigger_takes_the_snapshot(api: httpx.Client, conn: psycopg.Connection) -> None:
    run = follow(api, api.get("/sync/daily").json()["run_id"])
    assert (run["status"], run["outcome"]) == ("done", "ok")
    live = column(conn, "SELECT count(*) FROM clickup_tasks WHERE NOT is_deleted")[0]
    assert run["detail"]["tasks_synced"] == live == get(api, "/daily-sync")["total"]


def test_runs_are_listed_newest_first(api: httpx.Client, conn: psycopg.Connection) -> None:
    page = get(api, "/sync/runs", limit=3)
    assert [r["id"] for r in page["runs"]] == column(
        conn, "SELECT id FROM sync_runs ORDER BY id DESC LIMIT 3")
    assert page["total"] == column(conn, "SELECT count(*) FROM sync_runs")[0]
    triggers = get(api, "/sync/runs", kind="trigger", limit=500)
    assert triggers["total"] == column(conn, "SELECT count(*) FROM sync_runs WHERE kind = "
                                             "'trigger'")[0] > 0
    assert {r["kind"] for r in triggers["runs"]} == {"trigger"}
    assert api.get("/sync/runs/999999").status_code == 404
    assert api.get("/sync/runs/0").status_code == 422
    assert api.get("/sync/runs/abc").status_code == 422


@pytest.mark.skipif(sys.platform != "linux", reason="a niceness is a thread's own on Linux")
def test_a_triggered_sync_runs_niced_and_requests_do_not(api: httpx.Client,
                                                         settings: Settings) -> None:
    start = os.getpriority(os.PRIO_PROCESS, 0)
    if start >= settings.sync_nice:
        pytest.skip(f"the tests run at niceness {start}: no lower priority to give a sync")
    run = follow(api, api.post("/sync/tasks").json()["run_id"])
    assert run["outcome"] == "ok"
    threads = {t.name: os.getpriority(os.PRIO_PROCESS, t.native_id or 0)
               for t in threading.enumerate()}
    syncing = {n for name, n in threads.items() if name.startswith(WORK_THREAD)}
    serving = {n for name, n in threads.items() if not name.startswith(WORK_THREAD)}
    assert syncing == {settings.sync_nice}, "the sync ran on niced background threads"
    assert serving == {start}, "the server's and requests' threads keep their priority"
