"""Tasks nobody tracks time on and estimation accuracy's counts, against their definitions
computed apart: the untracked tasks by a walk of every task's live subtasks over the
intervals themselves (not task_time_totals, nor the index of live subtasks the metric
reads), with subtasks deleted, tracked two levels down and in a cycle of parents; the
estimated but untracked tasks from the done tasks themselves. Changes run in a transaction
that is rolled back."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from clickup_sync.analytics import WORKSPACE, Scope, estimation_accuracy, untracked_tasks
from clickup_sync.simulator import Simulator
from clickup_sync.store import connect

Synced = tuple[Simulator, str]
STATUS = {"active": "t.status_type = 'custom'",
          "done": "t.status_type IN ('done', 'closed')", "any": "true"}
UNTRACKED = """
    WITH RECURSIVE below AS (
        SELECT t.id AS root, t.id FROM clickup_tasks t
        UNION
        SELECT b.root, c.id FROM below b JOIN clickup_tasks c ON c.parent_id = b.id
         WHERE NOT c.is_deleted)
    SELECT t.id, NOT EXISTS (SELECT FROM below b JOIN time_entries e ON e.task_id = b.id
                              WHERE b.root = t.id AND NOT e.is_deleted)
      FROM clickup_tasks t
     WHERE NOT t.is_deleted AND NOT t.archived AND {status} AND {scope}
       AND coalesce(t.custom_item_id, 0) <> 1"""
"""Each task considered, and whether no interval is on it or on a live subtask at any
level (docs/metrics/time-and-workload.md)."""


@pytest.fixture()
def tx(synced: Synced) -> Iterator[psycopg.Connection]:
    with connect(synced[1], autocommit=True) as conn, conn.transaction(force_rollback=True):
        yield conn


def add_task(conn: psycopg.Connection, tid: str, parent: str | None, *,
             deleted: bool = False) -> None:
    """An active task in the List of the first task."""
    conn.execute(
        """INSERT INTO clickup_tasks (id, name, status, status_type, list_id, folder_id,
                                      space_id, parent_id, is_deleted, date_updated, raw)
           SELECT %s, 't2 ' || %s, 'in progress', 'custom', list_id, folder_id, space_id,
                  %s, %s, now(), '{}'
             FROM clickup_tasks ORDER BY id LIMIT 1""", (tid, tid, parent, deleted))


def add_time(conn: psycopg.Connection, task: str) -> None:
    conn.execute("""INSERT INTO time_entries (id, task_id, user_id, start_at, end_at,
                                              duration_ms, raw)
                    SELECT 't2-' || %s, %s, user_id, now() - interval '1 hour', now(),
                           3600000, '{}' FROM time_entries ORDER BY id LIMIT 1""",
                 (task, task))


def subtrees(conn: psycopg.Connection) -> None:
    """Parents with no time of their own: p1's only tracked subtask is deleted (untracked),
    p2's grandchild is tracked (tracked), p3's subtasks are all deleted (untracked), p4 and
    p5 are each other's parent with time on p5 (tracked), p6 has an untracked subtask."""
    for tid, parent, deleted in [("p1", None, False), ("p1a", "p1", True),
                                 ("p2", None, False), ("p2a", "p2", False),
                                 ("p2b", "p2a", False), ("p3", None, False),
                                 ("p3a", "p3", True), ("p4", "p5", False),
                                 ("p5", "p4", False), ("p6", None, False),
                                 ("p6a", "p6", False)]:
        add_task(conn, tid, parent, deleted=deleted)
    for task in ("p1a", "p2b", "p5"):
        add_time(conn, task)


@pytest.mark.parametrize("status", ["active", "done", "any"])
@pytest.mark.parametrize("where", ["workspace", "list"])
def test_untracked_tasks_are_those_with_no_time_below(tx: psycopg.Connection, status: str,
                                                      where: str) -> None:
    subtrees(tx)
    scope = WORKSPACE
    if where == "list":
        row = tx.execute("SELECT list_id FROM clickup_tasks WHERE id = 'p1'").fetchone()
        assert row is not None
        scope = Scope("list", row[0], "the List")
    truth = dict(tx.execute(UNTRACKED.format(status=STATUS[status],
                                             scope=scope.condition("t")),
                            scope.params).fetchall())
    got = untracked_tasks(tx, scope, status=status, limit=500)
    untracked = {k for k, v in truth.items() if v}
    assert got.summary["untracked"] == len(untracked)
    assert got.summary["tasks_considered"] == len(truth)
    listed = {r[0] for r in got.rows}
    assert listed == untracked if len(untracked) <= 500 else listed < untracked
    mine = {t: truth.get(t) for t in ("p1", "p2", "p3", "p4", "p5", "p6", "p6a")}
    if status != "done":
        assert mine == {"p1": True, "p2": False, "p3": True, "p4": False, "p5": False,
                        "p6": True, "p6a": True}


@pytest.mark.parametrize("days", [30, 90, 365])
def test_estimated_but_untracked_counts_every_done_task(tx: psycopg.Connection,
                                                        days: int) -> None:
    since = tx.execute("SELECT (now() AT TIME ZONE cs_timezone())::date - %s",
                       (days - 1,)).fetchone()
    assert since is not None
    row = tx.execute(
        """SELECT count(*) FROM clickup_tasks t
            WHERE NOT t.is_deleted AND NOT t.archived AND t.status_type IN ('done', 'closed')
              AND t.time_estimate_ms > 0
              AND coalesce(t.date_done, t.date_closed)
                  >= (%s::date::timestamp AT TIME ZONE cs_timezone())
              AND coalesce(t.date_done, t.date_closed) < now()""", (since[0],)).fetchone()
    assert row is not None
    for group_by in ("person", "task"):
        s = estimation_accuracy(tx, WORKSPACE, group_by=group_by,  # type: ignore[arg-type]
                                since=since[0]).summary
        assert s["tasks_measured"] + s["estimated_but_untracked"] == row[0]
        assert s["tasks_measured"] > 0
