"""Answers through a real MCP client over streamable HTTP, checked against ground truth
computed independently from the simulator's own records."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta

from clickup_sync.simulator import Simulator
from tests.mcp.conftest import call, fail, http_client, table

DONE_TYPES = ("done", "closed")


def _space(sim: Simulator):
    return next(s for s in sim.workspace.spaces.values() if not s.archived)


def _open(sim: Simulator, task) -> bool:
    return sim.state.task_status(task).type not in DONE_TYPES


async def test_status_summary_of_a_space_by_name(synced, mcp_url) -> None:
    sim, _ = synced
    ws, space = sim.workspace, _space(sim)
    tasks = [t for t in ws.tasks.values()
             if ws.lists[t.list_id].space_id == space.id and not t.archived]
    want = Counter(sim.state.task_status(t).status for t in tasks)
    async with http_client(mcp_url) as mcp:
        answer = await call(mcp, "get_status_summary", {"space": space.name.lower()})
    assert {r["status"]: r["tasks"] for r in table(answer)} == dict(want)
    assert answer["summary"]["total_tasks"] == sum(want.values())
    assert answer["summary"]["done"] == sum(not _open(sim, t) for t in tasks)


async def test_overdue_tasks_are_the_open_ones_past_due(synced, mcp_url) -> None:
    sim, _ = synced
    now = time.time() * 1000
    want = {t.id for t in sim.workspace.tasks.values()
            if not t.archived and t.due_date is not None and t.due_date < now and _open(sim, t)}
    async with http_client(mcp_url) as mcp:
        answer = await call(mcp, "get_overdue_tasks", {"limit": 500})
    assert answer["summary"]["overdue"] == len(want)
    assert {r["task_id"] for r in table(answer)} == want


async def test_time_report_by_person_matches_the_time_entries(synced, mcp_url) -> None:
    sim, _ = synced
    ws, space = sim.workspace, _space(sim)
    today = datetime.now(UTC).date()
    since = today - timedelta(days=29)
    start = datetime(since.year, since.month, since.day, tzinfo=UTC).timestamp() * 1000
    now = time.time() * 1000
    hours: dict[str, float] = defaultdict(float)
    for e in ws.time_entries.values():
        task = ws.tasks.get(e.task_id or "")
        if task is None or task.archived or ws.lists[task.list_id].space_id != space.id:
            continue
        if e.start >= start:
            hours[ws.members[e.user_id].username] += ((e.end or now) - e.start) / 3_600_000
    assert hours, "the fixture should have tracked time in the window"
    async with http_client(mcp_url) as mcp:
        answer = await call(mcp, "get_time_tracking_report",
                            {"group_by": "person", "space": space.id, "since": since.isoformat(),
                             "until": today.isoformat(), "limit": 500})
    got = {r["person"]: r["hours"] for r in table(answer)}
    assert set(got) == set(hours)
    for person, h in hours.items():
        assert abs(got[person] - h) < 0.05, (person, got[person], h)
    assert abs(answer["summary"]["total_hours"] - sum(hours.values())) < 0.1


async def test_get_task_shows_the_simulator_task(synced, mcp_url) -> None:
    sim, _ = synced
    ws = sim.workspace
    task = next(t for t in ws.tasks.values() if len(t.assignees) >= 2 and not t.archived)
    async with http_client(mcp_url) as mcp:
        answer = await call(mcp, "get_task", {"task_id": task.id})
    summary = answer["summary"]
    assert (summary["task_id"], summary["name"], summary["status"], summary["list_id"]) == (
        task.id, task.name, task.status, task.list_id)
    assert sorted(summary["assignees"]) == sorted(ws.members[u].username
                                                  for u in task.assignees)


async def test_search_finds_a_task_by_the_words_of_its_name(synced, mcp_url) -> None:
    sim, _ = synced
    task = next(t for t in sim.workspace.tasks.values()
                if not t.archived and _open(sim, t) and len(t.name.split()) >= 3)
    async with http_client(mcp_url) as mcp:
        answer = await call(mcp, "search_tasks", {"query": task.name, "limit": 50})
    assert task.id in {r["task_id"] for r in table(answer)}


async def test_workload_counts_open_tasks_per_person(synced, mcp_url) -> None:
    sim, _ = synced
    ws = sim.workspace
    want: Counter[str] = Counter()
    for t in ws.tasks.values():
        if not t.archived and _open(sim, t):
            want.update(ws.members[u].username for u in t.assignees)
    async with http_client(mcp_url) as mcp:
        answer = await call(mcp, "get_workload", {"limit": 500})
    rows = table(answer)
    count = next(c for c in answer["columns"] if c in ("open_tasks", "open", "tasks"))
    got = {r["person"]: r[count] for r in rows if r[count]}
    assert got == dict(want)


async def test_run_sql_reads_and_refuses_writes(synced, mcp_url) -> None:
    sim, _ = synced
    async with http_client(mcp_url) as mcp:
        answer = await call(mcp, "run_sql", {"query": "SELECT count(*) AS n FROM clickup_tasks "
                                                      "WHERE NOT is_deleted"})
        assert answer["rows"][0][0] == len(sim.workspace.tasks)
        for write in ("DELETE FROM clickup_tasks",
                      "SELECT 1; DROP TABLE clickup_tasks",
                      "UPDATE clickup_tasks SET name = 'x'",
                      "WITH x AS (DELETE FROM projects RETURNING *) SELECT * FROM x"):
            await fail(mcp, "run_sql", {"query": write})
        answer = await call(mcp, "run_sql", {"query": "SELECT count(*) FROM clickup_tasks "
                                                      "WHERE NOT is_deleted"})
    assert answer["rows"][0][0] == len(sim.workspace.tasks)


async def test_progress_since_a_date(synced, mcp_url) -> None:
    async with http_client(mcp_url) as mcp:
        answer = await call(mcp, "get_progress_since",
                            {"since": (date.today() - timedelta(days=7)).isoformat()})
    assert answer["summary"]
