"""Workspace data: structure, tasks, search, the project registry, sync status and the SQL
console, checked against the simulator's own records."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
import pytest

from clickup_sync.analytics import AnalyticsError, UnknownName, resolve_person, resolve_scope
from clickup_sync.analytics import sql as sql_module
from clickup_sync.analytics.projects import (
    add_project,
    all_projects_status,
    discover_projects,
    list_projects,
    project_status,
    remove_project,
)
from clickup_sync.analytics.scope import WORKSPACE, Scope
from clickup_sync.analytics.sql import run_sql
from clickup_sync.analytics.syncinfo import sync_status
from clickup_sync.analytics.tasks import get_task, get_tasks, search_tasks
from clickup_sync.analytics.workspace import (
    folder_detail,
    folders,
    hierarchy,
    list_detail,
    list_statuses,
    lists,
    space_detail,
    spaces,
    workspaces,
)
from clickup_sync.simulator import Simulator
from clickup_sync.simulator.model import Task, Workspace

GROUP = {"open": 1, "custom": 2, "done": 3, "closed": 3}


def _hidden(ws: Workspace, list_id: str) -> bool:
    """Archived, or inside an archived Folder or Space."""
    lst = ws.lists[list_id]
    folder = ws.folders.get(lst.folder_id) if lst.folder_id else None
    return lst.archived or bool(folder and folder.archived) or ws.spaces[lst.space_id].archived


def _counts(sim: Simulator, tasks: list[Task]) -> tuple[int, int, int, int]:
    kinds = Counter(GROUP[sim.state.task_status(t).type] for t in tasks)
    return len(tasks), kinds[1], kinds[2], kinds[3]


def _done(sim: Simulator, t: Task) -> bool:
    return sim.state.task_status(t).type in ("done", "closed")


def _by(result: Any, key: str = "id") -> dict[Any, dict[str, Any]]:
    return {row[result.columns.index(key)]: dict(zip(result.columns, row, strict=True))
            for row in result.rows}


# -- structure ----------------------------------------------------------------------------

def test_lists_count_tasks_per_list_like_the_simulator(synced: tuple[Simulator, str],
                                                       conn: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    result = _by(lists(conn, limit=500), "list_id")
    shown = {lid for lid in ws.lists if not _hidden(ws, lid)}
    assert set(result) == shown
    for lid in shown:
        here = [t for t in ws.tasks.values()
                if not t.archived and (t.list_id == lid or lid in t.locations)]
        row = result[lid]
        assert (row["tasks"], row["not_started"], row["active"], row["done"]) == \
            _counts(sim, here), ws.lists[lid].name
    folderless = lists(conn, folderless_only=True, include_archived=True, limit=500)
    assert {r[0] for r in folderless.rows} == {lid for lid, x in ws.lists.items()
                                                if x.folder_id is None}


def test_hierarchy_and_archived_spaces_folders_and_lists(synced: tuple[Simulator, str],
                                                         conn: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    assert any(_hidden(ws, lid) for lid in ws.lists)  # the fixture has archived places
    everything = hierarchy(conn, include_archived=True, limit=500)
    assert {r[2] for r in everything.rows} == {*ws.spaces, *ws.folders, *ws.lists}
    tree = _by(everything)
    for sid in ws.spaces:
        want = [t for t in ws.tasks.values() if ws.lists[t.list_id].space_id == sid]
        assert tree[sid]["tasks"] == len(want)
        assert tree[sid]["done"] == sum(_done(sim, t) for t in want)
    depth = {r[2]: r[0] for r in everything.rows}
    assert all(depth[f] == 1 for f in ws.folders)
    assert all(depth[lid] == (2 if x.folder_id else 1) for lid, x in ws.lists.items())
    visible = hierarchy(conn, limit=500)
    ids = {r[2] for r in visible.rows}
    assert ids == ({s for s, x in ws.spaces.items() if not x.archived}
                   | {f for f, x in ws.folders.items()
                      if not x.archived and not ws.spaces[x.space_id].archived}
                   | {lid for lid in ws.lists if not _hidden(ws, lid)})
    assert hierarchy(conn, limit=3).truncated


def test_spaces_folders_and_details(synced: tuple[Simulator, str],
                                    conn: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    assert workspaces(conn).rows[0][1] == ws.name
    shown = _by(spaces(conn), "space_id")
    assert set(shown) == {s for s, x in ws.spaces.items() if not x.archived}
    archived = next(s for s in ws.spaces.values() if s.archived)
    assert archived.id in _by(spaces(conn, include_archived=True), "space_id")
    space = max((s for s in ws.spaces.values() if not s.archived),
                key=lambda s: sum(f.space_id == s.id for f in ws.folders.values()))
    detail = space_detail(conn, resolve_scope(conn, space=space.id))
    want = [t for t in ws.tasks.values()
            if ws.lists[t.list_id].space_id == space.id and not t.archived]
    counts = _counts(sim, want)
    assert (detail.summary["tasks"], detail.summary["not_started"], detail.summary["active"],
            detail.summary["done"]) == counts
    assert shown[space.id]["tasks"] == counts[0]
    assert {r[1] for r in detail.rows if r[0] == "folder"} == {
        f.id for f in ws.folders.values() if f.space_id == space.id}
    folder = next(f for f in ws.folders.values() if f.space_id == space.id and not f.archived)
    fd = folder_detail(conn, resolve_scope(conn, folder=folder.id))
    assert {r[0] for r in fd.rows} == {x.id for x in ws.lists.values()
                                       if x.folder_id == folder.id}
    assert fd.summary["tasks"] == sum(1 for t in ws.tasks.values() if not t.archived
                                      and ws.lists[t.list_id].folder_id == folder.id)
    assert {r[0] for r in folders(conn, resolve_scope(conn, space=space.id)).rows} == {
        f.id for f in ws.folders.values() if f.space_id == space.id and not f.archived}
    with pytest.raises(AnalyticsError, match="needs a List"):
        list_detail(conn, WORKSPACE)
    with pytest.raises(AnalyticsError, match="needs a Space"):
        space_detail(conn, resolve_scope(conn, folder=folder.id))


def test_list_detail_and_its_workflow(synced: tuple[Simulator, str],
                                      conn: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    lst = max((x for x in ws.lists.values() if not _hidden(ws, x.id)),
              key=lambda x: sum(t.list_id == x.id for t in ws.tasks.values()))
    scope = resolve_scope(conn, list_=lst.id)
    workflow = sim.state.list_statuses(lst)
    flow = list_statuses(conn, scope)
    assert [(r[1], r[2]) for r in flow.rows] == [(s.status, s.type) for s in workflow]
    detail = list_detail(conn, scope)
    here = [t for t in ws.tasks.values()
            if not t.archived and (t.list_id == lst.id or lst.id in t.locations)]
    assert {r[1]: r[3] for r in detail.rows if r[3]} == dict(Counter(t.status for t in here))
    assert [r[1] for r in detail.rows][:len(workflow)] == [s.status for s in workflow]
    assert detail.summary["tasks"] == len(here)
    assert detail.summary["subtasks"] == sum(t.parent is not None for t in here)
    space_flow = list_statuses(conn, resolve_scope(conn, space=lst.space_id))
    assert [r[1] for r in space_flow.rows] == [s.status for s in ws.spaces[lst.space_id].statuses]


# -- tasks --------------------------------------------------------------------------------

def test_get_tasks_filters_match_ground_truth(synced: tuple[Simulator, str],
                                              conn: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    live = [t for t in ws.tasks.values() if not t.archived]
    member = Counter(a for t in live for a in t.assignees).most_common(1)[0][0]
    person = resolve_person(conn, str(member))
    mine = get_tasks(conn, assignee=person, limit=500)
    want = {t.id for t in live if member in t.assignees and not _done(sim, t)}
    assert {r[0] for r in mine.rows} == want and mine.summary["tasks"] == len(want)
    few = get_tasks(conn, assignee=person, limit=3)
    assert few.truncated and few.total_rows == len(want) and len(few.rows) == 3

    tag = Counter(g for t in live for g in t.tags).most_common(1)[0][0]
    tagged = get_tasks(conn, tag=tag.upper(), status_type="any", include_subtasks=False,
                       limit=500)
    assert {r[0] for r in tagged.rows} == {t.id for t in live if tag in t.tags
                                           and t.parent is None}

    today = date.today()
    start, end = today - timedelta(days=20), today + timedelta(days=10)

    def day(ms: int) -> date:
        return datetime.fromtimestamp(ms / 1000, UTC).date()

    due = get_tasks(conn, status_type="any", due_after=start, due_before=end,
                    order_by="due", limit=500)
    assert {r[0] for r in due.rows} == {t.id for t in live if t.due_date
                                        and start <= day(t.due_date) <= end}
    dates = [r[7] for r in due.rows]
    assert dates == sorted(dates)

    status = Counter(t.status for t in live).most_common(1)[0][0]
    named = get_tasks(conn, status=status.upper(), limit=500)
    assert named.summary["tasks"] == sum(t.status == status for t in live)
    done = get_tasks(conn, status_type="done", limit=500)
    assert done.summary["tasks"] == sum(_done(sim, t) for t in live)
    active = get_tasks(conn, scope=resolve_scope(conn, list_=live[0].list_id),
                       status_type="active", limit=500)
    assert active.summary["tasks"] == sum(
        1 for t in live if sim.state.task_status(t).type == "custom"
        and (t.list_id == live[0].list_id or live[0].list_id in t.locations))

    with pytest.raises(AnalyticsError):
        get_tasks(conn, status_type="finished")  # type: ignore[arg-type]
    with pytest.raises(AnalyticsError):
        get_tasks(conn, order_by="name; DROP TABLE x")  # type: ignore[arg-type]
    with pytest.raises(AnalyticsError):
        get_tasks(conn, limit=0)
    with pytest.raises(AnalyticsError, match="later than"):
        get_tasks(conn, due_after=end, due_before=start)
    with pytest.raises(AnalyticsError, match="date"):
        get_tasks(conn, due_before="next friday")  # type: ignore[arg-type]
    with pytest.raises(UnknownName):
        get_tasks(conn, tag="'; DROP TABLE task_tags; --")
    with pytest.raises(UnknownName):
        get_tasks(conn, status="zz-no-such-status")


def _richest(sim: Simulator) -> Task:
    ws = sim.workspace
    subtasks, blocking = sim.state.subtask_ids(), sim.state.blocking()
    return max((t for t in ws.tasks.values() if not t.archived),
               key=lambda t: (bool(t.depends_on) + bool(blocking.get(t.id))
                              + bool(subtasks.get(t.id)) + bool(t.checklists)
                              + bool(t.assignees), len(t.assignees), t.id))


def test_get_task_has_every_field_people_ask_about(synced: tuple[Simulator, str],
                                                   conn: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    task = _richest(sim)
    result = get_task(conn, task.id)
    s = result.summary
    assert s["name"] == task.name and s["status"] == task.status
    assert set(s.get("assignees", [])) == {ws.members[a].username for a in task.assignees}
    related: dict[str, set[str]] = {}
    for relation, key, *_ in result.rows:
        related.setdefault(relation, set()).add(key)
    assert related.get("waiting on", set()) == set(task.depends_on)
    assert related.get("blocking", set()) == set(sim.state.blocking().get(task.id, []))
    assert related.get("subtask", set()) == set(sim.state.subtask_ids().get(task.id, []))
    assert s["tracked_h"] == round(sim.state.time_spent().get(task.id, 0) / 3_600_000, 2)
    items = [i for c in task.checklists for i in c.items]
    if items:
        assert s["checklist"] == f"{sum(i.resolved for i in items)}/{len(items)} items done"
    assert len(s.get("custom_fields", {})) == len({ws.fields[f].name
                                                   for f in task.custom_values})
    lst = ws.lists[task.list_id]
    assert s["list"].endswith(lst.name) and s["list"].startswith(ws.spaces[lst.space_id].name)
    comments = [c for c in ws.comments.values() if c.task_id == task.id]
    assert len(related.get("comment", set())) == min(5, len(comments))


def test_get_task_by_name_and_unknown_ids(synced: tuple[Simulator, str],
                                          conn: psycopg.Connection) -> None:
    sim, _ = synced
    names = Counter(t.name.casefold() for t in sim.workspace.tasks.values())
    unique = max((t for t in sim.workspace.tasks.values() if names[t.name.casefold()] == 1),
                 key=lambda t: (len(t.name), t.id))
    assert get_task(conn, unique.name.upper()).summary["task_id"] == unique.id
    assert get_task(conn, unique.name[:-1]).summary["task_id"] == unique.id  # a typo
    assert get_task(conn, f"https://app.clickup.com/t/{unique.id}").summary["task_id"] == \
        unique.id
    twice = next(t for t in sim.workspace.tasks.values() if names[t.name.casefold()] > 1)
    with pytest.raises(UnknownName, match="id "):
        get_task(conn, twice.name)
    with pytest.raises(AnalyticsError, match="search_tasks"):
        get_task(conn, "qqqqxj-0000")
    with pytest.raises(AnalyticsError):
        get_task(conn, "' OR 1=1; DROP TABLE clickup_tasks; --")
    with pytest.raises(AnalyticsError):
        get_task(conn, "")


def test_search_finds_a_task_by_a_word_of_its_name(synced: tuple[Simulator, str],
                                                   conn: psycopg.Connection) -> None:
    sim, _ = synced
    open_tasks = [t for t in sim.workspace.tasks.values()
                  if not t.archived and not _done(sim, t)]
    words = Counter(w.casefold() for t in open_tasks for w in set(re.findall(r"[a-z]{6,}",
                                                                              t.name.lower())))
    word = min(words, key=lambda w: (words[w], w))  # a rare word
    want = {t.id for t in open_tasks if word in t.name.casefold()}
    found = search_tasks(conn, word.upper(), limit=50)
    ids = [r[0] for r in found.rows]
    assert want <= set(ids)
    assert set(ids[:len(want)]) == want  # name matches rank first
    hostile = search_tasks(conn, f"{word}'; DROP TABLE clickup_tasks; -- 100%_", limit=50)
    assert want <= {r[0] for r in hostile.rows}
    assert conn.execute("SELECT count(*) FROM clickup_tasks").fetchone()[0] > 0
    done = next(t for t in sim.workspace.tasks.values() if not t.archived and _done(sim, t))
    assert done.id not in {r[0] for r in search_tasks(conn, done.name, limit=50).rows}
    assert done.id in {r[0] for r in search_tasks(conn, done.name, include_closed=True,
                                                  limit=50).rows}
    with pytest.raises(AnalyticsError):
        search_tasks(conn, " %_; -- ")


# -- projects, sync status ------------------------------------------------------------------

def test_project_registry_round_trip(synced: tuple[Simulator, str],
                                     conn: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    lst = next(x for x in ws.lists.values() if not _hidden(ws, x.id) and any(
        t.locations for t in ws.tasks.values() if x.id in t.locations))
    scope = resolve_scope(conn, list_=lst.id)
    name = "WS-test 'project'; --"
    before = len(list_projects(conn).rows)
    try:
        assert discover_projects(conn, limit=500).summary["candidates"] > 0
        assert lst.id in {r[1] for r in discover_projects(conn, limit=500).rows}
        added = add_project(conn, name, scope)
        assert name in {r[0] for r in added.rows}
        with pytest.raises(AnalyticsError, match="already"):
            add_project(conn, name.upper(), resolve_scope(conn, space=lst.space_id))
        with pytest.raises(AnalyticsError, match="already"):
            add_project(conn, "another name", scope)
        with pytest.raises(AnalyticsError):
            add_project(conn, "whole", WORKSPACE)
        with pytest.raises(AnalyticsError):
            add_project(conn, "ghost", Scope("list", "no-such-list", "list ghost"))
        assert lst.id not in {r[1] for r in discover_projects(conn, limit=500).rows}
        here = [t for t in ws.tasks.values()
                if not t.archived and (t.list_id == lst.id or lst.id in t.locations)]
        status = project_status(conn, name.lower())
        assert status.summary["project"] == name
        assert status.summary["tasks"] == len(here)
        assert status.summary["done"] == sum(_done(sim, t) for t in here)
        assert sum(r[2] for r in status.rows) == len(here)
        row = _by(all_projects_status(conn), "project")[name]
        assert (row["tasks"], row["done"]) == (len(here), status.summary["done"])
        assert project_status(conn, scope).summary["tasks"] == len(here)
        with pytest.raises(UnknownName, match="did you mean"):
            remove_project(conn, name[:-2])
        assert name not in {r[0] for r in remove_project(conn, name).rows}
        assert len(list_projects(conn).rows) == before
        with pytest.raises(UnknownName):
            remove_project(conn, name)
    finally:
        conn.execute("DELETE FROM projects WHERE name = %s", (name,))


def test_sync_status_reports_runs_and_counts(synced: tuple[Simulator, str],
                                             conn: psycopg.Connection) -> None:
    sim, _ = synced
    result = sync_status(conn, limit=3)
    assert len(result.rows) == 3 and all(r[2] == "ok" for r in result.rows)
    s = result.summary
    assert s["tasks"] + s["archived_tasks"] == len(sim.workspace.tasks)
    assert s["deleted_tasks"] == len(sim.workspace.deleted_task_ids)
    assert s["lists"] == len(sim.workspace.lists)
    assert s["minutes_since_last_ok_sync"] is not None
    assert s["tasks_waiting_for_comments"] == 0
    assert s["latest_snapshot"] == date.today().isoformat()


# -- the SQL console ------------------------------------------------------------------------

WRITES = [
    "CREATE TABLE zz_escape (a int)",
    "INSERT INTO projects (name, kind, target_id) VALUES ('x', 'list', '1')",
    "SELECT nextval('sync_runs_id_seq')",
    "SELECT * FROM projects FOR UPDATE",
    "WITH x AS (DELETE FROM projects RETURNING 1) SELECT * FROM x",
    "EXPLAIN ANALYZE DELETE FROM projects",
    "COMMIT; CREATE TABLE zz_escape (a int)",
    "SELECT 1; COMMIT; CREATE TABLE zz_escape (a int)",
    "SELECT 1 /* ; */ ; COMMIT",
    "SELECT date'\\'; COMMIT; CREATE TABLE zz_escape (a int); --'",
    "SET TRANSACTION READ WRITE",
    "SELECT set_config('transaction_read_only', 'off', false)",
    "SELECT pg_advisory_lock(1)",
    "SELECT query_to_xml('CREATE TABLE zz_escape (a int)', true, false, '')",
    "SELECT \"pg_terminate_backend\"(pg_backend_pid())",
    "COPY (SELECT 1) TO PROGRAM 'true'",
    "DO $$ BEGIN CREATE TABLE zz_escape (a int); END $$",
]


@pytest.mark.parametrize("query", WRITES)
def test_run_sql_cannot_write(conn: psycopg.Connection, query: str) -> None:
    with pytest.raises(AnalyticsError):
        run_sql(conn, query)
    assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    assert conn.execute("SELECT to_regclass('zz_escape')").fetchone() == (None,)
    assert conn.execute("SHOW statement_timeout").fetchone() == ("0",)


def test_run_sql_guards_hold_even_if_the_text_check_is_fooled(
        conn: psycopg.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    for keyword in ("select", "explain"):
        monkeypatch.setattr(sql_module, "check_query", lambda q, k=keyword: k)
        with pytest.raises(AnalyticsError, match=r"multiple commands|read-only"):
            run_sql(conn, "SELECT 1; COMMIT; CREATE TABLE zz_escape (a int)")
        with pytest.raises(AnalyticsError, match="read-only"):
            run_sql(conn, "SELECT 1 FROM projects FOR UPDATE")
    assert conn.execute("SELECT to_regclass('zz_escape')").fetchone() == (None,)


def test_run_sql_reads_with_a_cap_and_a_timeout(conn: psycopg.Connection) -> None:
    total = conn.execute("SELECT count(*) FROM clickup_tasks").fetchone()[0]
    capped = run_sql(conn, "SELECT id, date_updated, raw, points FROM clickup_tasks -- ;",
                     limit=7)
    assert len(capped.rows) == 7 and capped.truncated and capped.summary["more_rows"]
    assert capped.columns == ["id", "date_updated", "raw", "points"]
    assert isinstance(capped.rows[0][1], str) and isinstance(capped.rows[0][2], dict | str)
    whole = run_sql(conn, f"SELECT 1 FROM clickup_tasks LIMIT {total}", limit=500)
    assert len(whole.rows) == min(total, 500)
    semi = run_sql(conn, "SELECT ';' AS a, $x$;$x$ AS b, E'\\';' AS c;")
    assert semi.rows == [[";", ";", "';"]]
    assert run_sql(conn, "EXPLAIN SELECT * FROM clickup_tasks").rows
    with pytest.raises(AnalyticsError, match="stopped after 200 ms"):
        run_sql(conn, "SELECT pg_sleep(3)", timeout_ms=200)
    with pytest.raises(AnalyticsError, match="does not exist"):
        run_sql(conn, "SELECT no_such_column FROM clickup_tasks")
    with pytest.raises(AnalyticsError, match="syntax"):
        run_sql(conn, "SELECT FROM WHERE")
    with pytest.raises(AnalyticsError):
        run_sql(conn, "SELECT 1", timeout_ms=0)
    assert conn.execute("SHOW statement_timeout").fetchone() == ("0",)


HOSTILE = {
    "limit text": lambda c: spaces(c, limit="5"),  # type: ignore[arg-type]
    "limit negative": lambda c: lists(c, limit=-1),
    "list scope for folders": lambda c: folders(c, resolve_scope(c, list_="Triage")),
    "workflow of the workspace": lambda c: list_statuses(c, WORKSPACE),
    "unknown scope id": lambda c: folder_detail(c, Scope("folder", "1' OR '1'='1", "f")),
    "huge task reference": lambda c: get_task(c, "x" * 1000),
    "huge search": lambda c: search_tasks(c, "word " * 200),
    "bad date": lambda c: get_tasks(c, updated_since="2026-13-45"),  # type: ignore[arg-type]
    "sql in status": lambda c: get_tasks(c, status="'; DROP TABLE x; --"),
    "empty project name": lambda c: add_project(c, "  ", resolve_scope(c, list_="Triage")),
    "sql as project": lambda c: project_status(c, "x'; DELETE FROM projects; --"),
    "timeout too long": lambda c: run_sql(c, "SELECT 1", timeout_ms=10**9),
    "empty sql": lambda c: run_sql(c, "  -- nothing\n"),
}


@pytest.mark.parametrize("call", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_arguments_are_analytics_errors(conn: psycopg.Connection, call: Any) -> None:
    with pytest.raises(AnalyticsError):
        call(conn)
    assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


def test_huge_limits_are_capped(conn: psycopg.Connection) -> None:
    assert len(get_tasks(conn, status_type="any", limit=10**9).rows) == 500
    assert len(run_sql(conn, "SELECT * FROM clickup_tasks", limit=10**9).rows) == 500
