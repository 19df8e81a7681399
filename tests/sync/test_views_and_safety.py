"""The original tool's shape (tasks, daily_syncs), and that failures never harm stored data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import httpx
import psycopg
import pytest

from clickup_sync.clickup import ClickUpClient, RetryPolicy
from clickup_sync.simulator import FaultConfig, Simulator
from clickup_sync.store import connect
from clickup_sync.store.snapshots import set_timezone, take_snapshot
from clickup_sync.sync import SyncEngine, SyncOptions

TOKEN = "pk_views"
TZ = "Asia/Kolkata"


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    simulator = Simulator.generate(seed=4, tasks=300, plan="enterprise", token=TOKEN,
                                   rate_window=1.0)
    yield simulator
    simulator.close()


async def _sync(sim: Simulator, dsn: str, **options) -> object:
    transport = httpx.ASGITransport(app=sim.app)
    retry = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.02)
    async with ClickUpClient(TOKEN, "http://sim/api/v2", transport=transport,
                             retry=retry) as client:
        return await SyncEngine(client, dsn, SyncOptions(**options)).run(comments_seconds=None)


def _iso(ms: int) -> str:
    when = datetime.fromtimestamp(ms / 1000, UTC).astimezone(ZoneInfo(TZ))
    return when.replace(microsecond=0).isoformat()  # the view shows whole seconds


async def test_tasks_view_has_the_original_shape(sim: Simulator, dsn: str) -> None:
    with connect(dsn, autocommit=True) as conn:
        set_timezone(conn, TZ)
    assert (await _sync(sim, dsn)).status == "ok"
    ws = sim.workspace
    entries: dict[str, list] = {}
    for te in ws.time_entries.values():
        if te.task_id:
            entries.setdefault(te.task_id, []).append(te)
    task_id = max(entries, key=lambda t: len(entries[t]))
    mine = sorted(entries[task_id], key=lambda e: e.start, reverse=True)
    with psycopg.connect(dsn) as conn:
        row = conn.execute(
            """SELECT title, start_times, end_times, tracked_minutes, assignee_name,
                      employee_ids, time_estimate_minutes, status_type
                 FROM tasks WHERE clickup_task_id = %s""", (task_id,)).fetchone()
        employees = dict(conn.execute("SELECT clickup_user_id, id FROM employees").fetchall())
    assert row is not None
    title, starts, ends, minutes, names, employee_ids, estimate, status_type = row
    task = ws.tasks[task_id]
    assert title == task.name and status_type == sim.state.task_status(task).type
    assert starts == [_iso(e.start) for e in mine]
    assert ends == [None if e.end is None else _iso(e.end) for e in mine]
    assert all(s.endswith("+05:30") for s in starts)
    assert minutes == sum(e.end - e.start for e in mine if e.end) // 60000
    assert sorted(names or []) == sorted(ws.members[u].username for u in task.assignees)
    assert set(employee_ids or []) == {employees[u] for u in task.assignees}
    assert estimate == (task.time_estimate // 60000 if task.time_estimate else None)


async def test_assigned_comment_and_daily_syncs(sim: Simulator, dsn: str) -> None:
    assert (await _sync(sim, dsn)).status == "ok"
    ws = sim.workspace
    open_assigned = [c for c in ws.comments.values()
                     if c.task_id and c.assignee is not None and not c.resolved]
    task_id = open_assigned[0].task_id
    want = " | ".join(c.text for c in sorted(
        (c for c in open_assigned if c.task_id == task_id), key=lambda c: -c.date))
    with connect(dsn, autocommit=True) as conn:
        got = conn.execute("SELECT assigned_comment FROM tasks WHERE clickup_task_id = %s",
                           (task_id,)).fetchone()
        assert got == (want,)
        with conn.transaction():
            written = take_snapshot(conn)
        daily = conn.execute("SELECT count(*), count(DISTINCT clickup_task_id) "
                             "FROM daily_syncs").fetchone()
        live = conn.execute("SELECT count(*) FROM tasks WHERE NOT is_deleted").fetchone()
        unlike_view = conn.execute(  # each snapshot row is the `tasks` view's row, as JSON
            "SELECT count(*) FROM task_snapshots s LEFT JOIN tasks t "
            "ON t.clickup_task_id = s.task_id WHERE s.data IS DISTINCT FROM to_jsonb(t)"
        ).fetchone()
    assert written == live[0] == daily[0] == daily[1] == len(ws.tasks)
    assert unlike_view == (0,)


async def test_failed_fetches_leave_stored_data_alone(sim: Simulator, dsn: str) -> None:
    assert (await _sync(sim, dsn)).status == "ok"
    query = """SELECT (SELECT count(*) FROM clickup_tasks WHERE NOT is_deleted),
                      (SELECT sum(tracked_minutes) FROM tasks),
                      (SELECT count(*) FROM comments WHERE NOT is_deleted),
                      (SELECT count(*) FROM time_entries WHERE NOT is_deleted)"""
    with psycopg.connect(dsn) as conn:
        before = conn.execute(query).fetchone()
    sim.faults.configure(FaultConfig(error_rate=1.0))
    try:
        result = await _sync(sim, dsn, reconcile_every_s=0, hierarchy_every_s=0,
                             team_id=sim.workspace.id)
    finally:
        sim.faults.configure(FaultConfig())
    assert result.status == "partial" and result.errors
    with psycopg.connect(dsn) as conn:
        assert conn.execute(query).fetchone() == before
        last = conn.execute("SELECT status FROM sync_runs ORDER BY id DESC LIMIT 1").fetchone()
    assert last == ("partial",)


async def test_a_malformed_task_is_skipped_and_named(sim: Simulator, dsn: str) -> None:
    bad = next(t for t in sim.workspace.tasks.values() if not t.archived)
    original = bad.list_id

    async def corrupt(scope, receive, send):  # a proxy that breaks one task's shape
        if scope["type"] != "http":
            return await sim.app(scope, receive, send)
        chunks: list[bytes] = []
        start: dict = {}

        async def grab(message):
            if message["type"] == "http.response.start":
                start.update(message)
            else:
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    body = b"".join(chunks)
                    if b'"tasks"' in body:
                        data = json.loads(body)
                        for task in data.get("tasks", []):
                            if task["id"] == bad.id:
                                task["name"] = 12345  # a name must be text
                        body = json.dumps(data).encode()
                    headers = [(k, v) for k, v in start["headers"] if k != b"content-length"]
                    headers.append((b"content-length", str(len(body)).encode()))
                    await send({**start, "headers": headers})
                    await send({"type": "http.response.body", "body": body})

        await sim.app(scope, receive, grab)

    async with ClickUpClient(TOKEN, "http://sim/api/v2",
                             transport=httpx.ASGITransport(app=corrupt)) as client:
        result = await SyncEngine(client, dsn, SyncOptions()).run(comments_seconds=0)
    assert result.status == "partial"
    assert any(bad.id in e for e in result.errors)
    with psycopg.connect(dsn) as conn:
        stored = conn.execute("SELECT count(*) FROM clickup_tasks").fetchone()
        deleted = conn.execute("SELECT count(*) FROM clickup_tasks WHERE is_deleted").fetchone()
    assert stored == (len(sim.workspace.tasks) - 1,) and deleted == (0,)
    assert bad.list_id == original
