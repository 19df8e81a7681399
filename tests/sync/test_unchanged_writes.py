"""What comes back from ClickUp as it is stored is not written again (migration 0033).

A full sync reads every task and interval; rewriting the unchanged ones cost the database
minutes at 100k tasks and dropped every kept /tasks page. Rows keep their physical
version (``xmin``) when they are left alone, so the tests read it: unchanged rows must
keep it, and a change must still reach its rows, children included.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import httpx
import psycopg
import pytest

from clickup_sync.clickup import ClickUpClient
from clickup_sync.simulator import Simulator
from clickup_sync.store.records import digest
from clickup_sync.sync import SyncEngine, SyncOptions
from clickup_sync.sync.rows import task as task_record

TOKEN = "pk_unchanged"
VERSIONS = {
    "tasks": "SELECT id, xmin::text FROM clickup_tasks",
    "assignees": "SELECT task_id || ':' || user_id, xmin::text FROM task_assignees",
    "intervals": "SELECT id, xmin::text FROM time_entries",
    "bodies": "SELECT task_id, xmin::text FROM task_bodies",
    "lists": "SELECT id, xmin::text FROM lists",
}


@pytest.fixture(scope="module")
def sim() -> Iterator[Simulator]:
    simulator = Simulator.generate(seed=12, tasks=300, plan="enterprise", token=TOKEN,
                                   rate_window=1.0)
    yield simulator
    simulator.close()


async def _full_sync(sim: Simulator, dsn: str) -> None:
    transport = httpx.ASGITransport(app=sim.app)
    async with ClickUpClient(TOKEN, "http://sim/api/v2", transport=transport) as client:
        options = SyncOptions(reconcile_every_s=0, hierarchy_every_s=0)
        result = await SyncEngine(client, dsn, options).run(full=True, comments_seconds=None)
    assert result.status == "ok", result.errors


def _versions(dsn: str) -> dict[str, dict[str, str]]:
    with psycopg.connect(dsn) as conn:
        found = {name: dict(conn.execute(query).fetchall()) for name, query in VERSIONS.items()}
        found["listing"] = {"n": str(conn.execute(
            "SELECT n FROM task_listing_version").fetchone()[0])}
    return found


def _moved(before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]
           ) -> dict[str, set[str]]:
    return {name: {k for k in before[name].keys() | after[name].keys()
                   if before[name].get(k) != after[name].get(k)} for name in before}


async def test_a_second_full_sync_of_the_same_workspace_writes_nothing(
        sim: Simulator, dsn: str) -> None:
    await _full_sync(sim, dsn)
    before = _versions(dsn)
    assert before["tasks"] and before["intervals"] and before["assignees"]
    await _full_sync(sim, dsn)
    moved = _moved(before, _versions(dsn))
    with psycopg.connect(dsn) as conn:  # a running timer's duration grows: written again
        running = {i for (i,) in conn.execute("SELECT id FROM time_entries WHERE is_running")}
    assert moved["intervals"] <= running
    assert {name: ids for name, ids in moved.items() if name != "intervals"} == {
        name: set() for name in before if name != "intervals"}


async def test_a_changed_task_alone_is_written_again(sim: Simulator, dsn: str) -> None:
    await _full_sync(sim, dsn)
    with psycopg.connect(dsn) as conn:
        task_id, user = conn.execute(
            """SELECT t.id, e.clickup_user_id FROM clickup_tasks t CROSS JOIN employees e
                WHERE NOT t.is_deleted AND NOT t.archived AND e.is_active
                  AND NOT EXISTS (SELECT 1 FROM task_assignees a
                                   WHERE a.task_id = t.id AND a.user_id = e.clickup_user_id)
                ORDER BY t.id, e.clickup_user_id LIMIT 1""").fetchone()
    before = _versions(dsn)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sim.app),
                                 base_url="http://sim/api/v2",
                                 headers={"Authorization": TOKEN}) as api:
        answer = await api.put(f"/task/{task_id}", json={
            "name": "Renamed; DROP TABLE clickup_tasks; --",
            "assignees": {"add": [user], "rem": []}})
        assert answer.status_code == 200, answer.text
    await _full_sync(sim, dsn)
    moved = _moved(before, _versions(dsn))
    assert moved["tasks"] == {task_id}
    assert moved["bodies"] == {task_id}
    assert f"{task_id}:{user}" in moved["assignees"]
    assert {key.split(":")[0] for key in moved["assignees"]} == {task_id}
    assert moved["listing"] == {"n"}
    with psycopg.connect(dsn) as conn:
        name, assigned = conn.execute(
            """SELECT name, EXISTS (SELECT 1 FROM task_assignees
                                     WHERE task_id = %(id)s AND user_id = %(user)s)
                 FROM clickup_tasks WHERE id = %(id)s""", {"id": task_id, "user": user}
        ).fetchone()
    assert (name, assigned) == ("Renamed; DROP TABLE clickup_tasks; --", True)


async def test_a_task_stored_as_deleted_is_written_live_when_seen(
        sim: Simulator, dsn: str) -> None:
    await _full_sync(sim, dsn)
    with psycopg.connect(dsn) as conn:
        task_id = conn.execute("SELECT min(id) FROM clickup_tasks WHERE NOT is_deleted"
                               ).fetchone()[0]
        conn.execute("UPDATE clickup_tasks SET is_deleted = true, deleted_at = now() "
                     "WHERE id = %s", (task_id,))
    await _full_sync(sim, dsn)
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT is_deleted FROM clickup_tasks WHERE id = %s",
                            (task_id,)).fetchone() == (False,)


async def test_the_digest_follows_every_field_and_child_row(sim: Simulator) -> None:
    task_id = next(iter(sim.workspace.tasks))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sim.app),
                                 base_url="http://sim/api/v2",
                                 headers={"Authorization": TOKEN}) as api:
        raw = (await api.get(f"/task/{task_id}")).json()
    record = task_record(raw)
    assert digest(record) == digest(task_record(raw))
    for change in ({"name": record.name + "!"}, {"_assignees": [*record._assignees, 1]},
                   {"_tags": [*record._tags, ("new", None, None)]},
                   {"_locations": [*record._locations, "999"]},
                   {"raw": {**record.raw, "extra": 1}}, {"is_deleted": True}):
        assert digest(dataclasses.replace(record, **change)) != digest(record), change
    reordered = dataclasses.replace(record, raw=dict(reversed(list(record.raw.items()))))
    assert digest(reordered) == digest(record)  # JSON keys are compared sorted
