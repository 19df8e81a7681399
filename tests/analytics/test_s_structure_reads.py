"""Reads that now come from kept tables or another plan give the numbers the task rows give:
a project's status (unassigned open tasks from the kept open work), the open tasks each
inactive assignee holds, and a List's tasks (its own and those added to it)."""

from __future__ import annotations

import importlib

import psycopg
import pytest

from clickup_sync.analytics.projects import project_status
from clickup_sync.analytics.scope import WORKSPACE, Scope
from clickup_sync.analytics.tasks import get_tasks
from clickup_sync.simulator import Simulator

workload = importlib.import_module("clickup_sync.analytics.workload")
Synced = tuple[Simulator, str]
IN_SCOPE = {"workspace": "true", "space": "t.space_id = %(id)s",
            "folder": "t.folder_id = %(id)s",
            "list": "(t.list_id = %(id)s OR EXISTS (SELECT FROM task_locations x "
                    "WHERE x.task_id = t.id AND x.list_id = %(id)s))"}


def _scopes(conn: psycopg.Connection) -> list[Scope]:
    """The Workspace and the busiest Space, Folder and List (by home List), and the List
    with the most tasks added from other Lists."""
    found = [WORKSPACE]
    for kind in ("space", "folder", "list"):
        row = conn.execute(f"SELECT {kind}_id FROM clickup_tasks WHERE {kind}_id IS NOT NULL "
                           "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchone()
        assert row is not None
        found.append(Scope(kind, row[0], kind))  # type: ignore[arg-type]
    row = conn.execute("SELECT list_id FROM task_locations GROUP BY 1 "
                       "ORDER BY count(*) DESC LIMIT 1").fetchone()
    assert row is not None
    found.append(Scope("list", row[0], "list"))
    return found


def _one(conn: psycopg.Connection, sql: str, scope: Scope) -> int:
    row = conn.execute(sql.format(cond=IN_SCOPE[scope.kind]), {"id": scope.id}).fetchone()
    assert row is not None
    return int(row[0])


def test_project_status_numbers(synced: Synced, conn: psycopg.Connection) -> None:
    live = "NOT t.is_deleted AND NOT t.archived AND {cond}"
    for scope in _scopes(conn):
        got = project_status(conn, scope).summary
        assert got["tasks"] == _one(conn, f"SELECT count(*) FROM clickup_tasks t "
                                          f"WHERE {live}", scope)
        assert got["unassigned_not_done"] == _one(
            conn, f"""SELECT count(*) FROM clickup_tasks t WHERE {live}
                        AND t.status_type NOT IN ('done', 'closed')
                        AND NOT EXISTS (SELECT FROM task_assignees a WHERE a.task_id = t.id)""",
            scope), scope
        assert got["unassigned_not_done"] > 0
        assert got["done"] == _one(conn, f"SELECT count(*) FROM clickup_tasks t WHERE {live} "
                                         "AND t.status_type IN ('done', 'closed')", scope)


def test_project_status_counts_an_unassigned_task_with_no_status_type(
        synced: Synced, conn: psycopg.Connection) -> None:
    """The kept counts hold open tasks without a status type; the metric leaves them out."""
    space = _scopes(conn)[1]
    before = project_status(conn, space).summary
    with conn.transaction(force_rollback=True):
        conn.execute(
            """UPDATE clickup_tasks SET status_type = NULL WHERE id = (
                   SELECT t.id FROM clickup_tasks t WHERE t.space_id = %s
                      AND NOT t.is_deleted AND NOT t.archived AND t.status_type = 'open'
                      AND NOT EXISTS (SELECT FROM task_assignees a WHERE a.task_id = t.id)
                    ORDER BY t.id LIMIT 1)""", (space.id,))
        conn.execute("SET CONSTRAINTS ALL IMMEDIATE")
        after = project_status(conn, space).summary
    assert after["unassigned_not_done"] == before["unassigned_not_done"] - 1
    assert after["tasks"] == before["tasks"]


@pytest.mark.parametrize("days", [1, 30])
def test_inactive_assignees_hold_their_open_tasks(synced: Synced, conn: psycopg.Connection,
                                                  days: int) -> None:
    for scope in _scopes(conn):
        result = workload.inactive_assignees(conn, scope, days=days, limit=500)
        held = {r[0]: r[1] for r in conn.execute(
            f"""SELECT coalesce(e.name, 'user ' || a.user_id), count(*)
                  FROM clickup_tasks t JOIN task_assignees a ON a.task_id = t.id
                  LEFT JOIN employees e ON e.clickup_user_id = a.user_id
                 WHERE NOT t.is_deleted AND NOT t.archived
                   AND coalesce(t.status_type, '') NOT IN ('done', 'closed')
                   AND {IN_SCOPE[scope.kind]}
                 GROUP BY a.user_id, e.name""", {"id": scope.id})}
        assert result.summary["assignees_checked"] == len(held)
        for row in result.rows:
            assert row[1] == held[row[0]], (scope, row)


def test_a_lists_tasks(synced: Synced, conn: psycopg.Connection) -> None:
    for scope in _scopes(conn)[3:]:
        for kind in ("any", "not_done"):
            got = get_tasks(conn, scope, status_type=kind, limit=500)  # type: ignore[arg-type]
            done = "true" if kind == "any" else \
                "NOT coalesce(t.status_type IN ('done', 'closed'), false)"
            ids = {r[0] for r in conn.execute(
                f"""SELECT t.id FROM clickup_tasks t WHERE NOT t.is_deleted
                       AND NOT t.archived AND {done} AND {IN_SCOPE['list']}""",
                {"id": scope.id})}
            assert got.summary["tasks"] == len(ids) > 0
            assert {r[0] for r in got.rows} <= ids
            assert len(got.rows) == min(len(ids), 500)
