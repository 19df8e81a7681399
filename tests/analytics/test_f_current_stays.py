"""The current stays kept by migration 0032 stay equal to their definition whatever writes
(after a sync, after each kind of write to a task or to its status history, recomputed
once at commit), and time_in_status, which reads them, equals time in status as
docs/metrics/flow.md defines it, computed from the history itself. Every change runs in a
transaction that is rolled back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import psycopg
import pytest

from clickup_sync.analytics import WORKSPACE, Scope, time_in_status
from clickup_sync.simulator import Simulator
from tests.analytics.kept import as_at_commit, check_change

Synced = tuple[Simulator, str]
DEFINED = """
    SELECT h.id, h.task_id, h.status, coalesce(h.status_type, 'open'), h.changed_at,
           t.list_id, t.folder_id, t.space_id,
           coalesce(t.status_type, '') NOT IN ('done', 'closed'),
           coalesce(t.date_done, t.date_closed)
      FROM task_status_history h JOIN clickup_tasks t ON t.id = h.task_id
     WHERE NOT t.is_deleted AND NOT t.archived
       AND coalesce(h.status_type, '') NOT IN ('done', 'closed')
       AND NOT EXISTS (SELECT FROM task_status_history n WHERE n.task_id = h.task_id
                          AND (n.changed_at, n.id) > (h.changed_at, h.id))"""
"""Each live task's latest history row, when not done or closed, with the task's columns:
the latest row found by ordering the history itself (not by 0018's kept ``ended_at``)."""
DIFFER = f"""SELECT count(*) FROM (
    (SELECT * FROM current_stays EXCEPT ALL ({DEFINED}))
    UNION ALL
    (({DEFINED}) EXCEPT ALL SELECT * FROM current_stays)) d"""
STATE = "SELECT md5(string_agg(k::text, ',' ORDER BY k::text)) FROM current_stays k"

START = "(%(since)s::date::timestamp AT TIME ZONE cs_timezone())"
BY_DEFINITION = f"""
    WITH stays AS (
        SELECT h.task_id, h.status, coalesce(h.status_type, 'open') AS kind,
               greatest(h.changed_at, {START}) AS a,
               least(coalesce(lead(h.changed_at) OVER (PARTITION BY h.task_id
                                                       ORDER BY h.changed_at, h.id), now()),
                     now()) AS b
          FROM task_status_history h)
    SELECT s.status, s.kind, count(DISTINCT s.task_id), count(*),
           round(extract(epoch FROM sum(s.b - s.a)) / 86400, 1),
           round(extract(epoch FROM sum(s.b - s.a)) / 86400 / count(DISTINCT s.task_id), 1)
      FROM stays s JOIN clickup_tasks t ON t.id = s.task_id
     WHERE s.kind NOT IN ('done', 'closed') AND s.b > s.a
       AND NOT t.is_deleted AND NOT t.archived AND {{scope}}
       AND (coalesce(t.status_type, '') NOT IN ('done', 'closed')
            OR coalesce(t.date_done, t.date_closed) >= {START})
     GROUP BY 1, 2"""
"""time_in_status's rows by its definition: every stay from one history row to the
task's next (the last until now), cut to the window, of tasks live, in scope, and open or
completed inside the window."""


def differ(conn: psycopg.Connection) -> int:
    """Kept stays not as defined, once this transaction's noted tasks are recomputed."""
    as_at_commit(conn)
    row = conn.execute(DIFFER).fetchone()
    assert row is not None
    return int(row[0])


@pytest.fixture()
def tx(synced: Synced) -> Iterator[psycopg.Connection]:
    """A connection inside a transaction that is rolled back: one now() for all it reads."""
    with psycopg.connect(synced[1], autocommit=True) as conn, conn.transaction(
            force_rollback=True):
        yield conn


def test_synced_stays_are_as_defined(synced: Synced, conn: psycopg.Connection) -> None:
    assert differ(conn) == 0
    row = conn.execute("SELECT count(*), count(*) FILTER (WHERE NOT unfinished) "
                       "FROM current_stays").fetchone()
    assert row is not None and row[0] > 100
    kinds = {r[0] for r in conn.execute("SELECT DISTINCT kind FROM current_stays")}
    assert kinds <= {"open", "custom"} and "custom" in kinds


OPEN_STAY = ("EXISTS (SELECT FROM current_stays k WHERE k.id = t.id AND k.unfinished) "
             "AND NOT EXISTS (SELECT FROM task_locations x WHERE x.task_id = t.id)")
DONE_TASK = ("t.status_type IN ('done', 'closed') AND NOT t.is_deleted AND NOT t.archived "
             "AND EXISTS (SELECT FROM task_status_history h WHERE h.task_id = t.id)")
LATEST = ("(SELECT max(changed_at) FROM task_status_history WHERE task_id = %(id)s)")
CHANGES: dict[str, tuple[str, str]] = {
    # name: (which task, what to do to it: %(id)s)
    "moved on": (OPEN_STAY, "INSERT INTO task_status_history (task_id, status, status_type, "
                            f"changed_at) SELECT %(id)s, 'f-review', 'custom', {LATEST} "
                            "+ interval '1 hour'"),
    "finished in history": (OPEN_STAY, "INSERT INTO task_status_history (task_id, status, "
                                       "status_type, changed_at) SELECT %(id)s, 'done', "
                                       f"'done', {LATEST} + interval '1 hour'"),
    "reopened in history": (DONE_TASK, "INSERT INTO task_status_history (task_id, status, "
                                       "status_type, changed_at) SELECT %(id)s, 'f-again', "
                                       f"'custom', {LATEST} + interval '1 hour'"),
    "latest row deleted": (OPEN_STAY, f"DELETE FROM task_status_history WHERE task_id = %(id)s "
                                      f"AND changed_at = {LATEST}"),
    "history moved": (OPEN_STAY, "UPDATE task_status_history SET task_id = 'f-elsewhere' "
                                 "WHERE task_id = %(id)s"),
    "history retimed": (OPEN_STAY, "UPDATE task_status_history SET changed_at = changed_at "
                                   "- interval '1 day' WHERE task_id = %(id)s"),
    "history emptied": (OPEN_STAY, "TRUNCATE task_status_history"),
    "task done": (OPEN_STAY, "UPDATE clickup_tasks SET status_type = 'done', date_done = now() "
                             "WHERE id = %(id)s"),
    "task closed long ago": (OPEN_STAY, "UPDATE clickup_tasks SET status_type = 'closed', "
                                        "date_closed = now() - interval '3 years' "
                                        "WHERE id = %(id)s"),
    "task archived": (OPEN_STAY, "UPDATE clickup_tasks SET archived = true WHERE id = %(id)s"),
    "task deleted": (OPEN_STAY, "UPDATE clickup_tasks SET is_deleted = true WHERE id = %(id)s"),
    "task removed": (OPEN_STAY, "DELETE FROM clickup_tasks WHERE id = %(id)s"),
    "task moved": (OPEN_STAY, "UPDATE clickup_tasks SET list_id = 'f-list', folder_id = NULL, "
                              "space_id = 'f-space' WHERE id = %(id)s"),
    "task arrives": (OPEN_STAY, """
        INSERT INTO task_status_history (task_id, status, status_type, changed_at)
        VALUES ('f-late', 'to do', 'open', now() - interval '2 days');
        INSERT INTO clickup_tasks (id, name, status, status_type, list_id, raw)
        VALUES ('f-late', 'late', 'to do', 'open', 'f-list', '{}')"""),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_stays_follow_each_change(synced: Synced, conn: psycopg.Connection,
                                  change: str) -> None:
    which, sql = CHANGES[change]
    check_change(conn, which, sql, STATE, differ,
                 noted_until_commit=change != "history emptied")


def test_stays_follow_a_task_done_then_reopened(conn: psycopg.Connection) -> None:
    """A task done while its latest stay is open keeps the stay (not unfinished, with its
    completion time); reopened, it is unfinished again."""
    row = conn.execute(f"SELECT t.id FROM clickup_tasks t WHERE {OPEN_STAY} "
                       "ORDER BY t.id LIMIT 1").fetchone()
    assert row is not None
    read = "SELECT unfinished, completed_at IS NOT NULL FROM current_stays WHERE id = %s"
    with conn.transaction(force_rollback=True):
        conn.execute("UPDATE clickup_tasks SET status_type = 'done', date_done = now() "
                     "WHERE id = %s", row)
        assert differ(conn) == 0
        assert conn.execute(read, row).fetchall() == [(False, True)]
        conn.execute("UPDATE clickup_tasks SET status_type = 'custom', date_done = NULL "
                     "WHERE id = %s", row)
        assert differ(conn) == 0
        assert conn.execute(read, row).fetchall() == [(True, False)]


def _scopes(conn: psycopg.Connection) -> list[Scope]:
    space, folder, home, extra = conn.execute(
        """SELECT (SELECT space_id FROM clickup_tasks GROUP BY 1 ORDER BY count(*) DESC, 1
                    LIMIT 1),
                  (SELECT folder_id FROM clickup_tasks WHERE folder_id IS NOT NULL
                    GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1),
                  (SELECT list_id FROM clickup_tasks GROUP BY 1 ORDER BY count(*) DESC, 1
                    LIMIT 1),
                  (SELECT list_id FROM task_locations GROUP BY 1 ORDER BY count(*) DESC, 1
                    LIMIT 1)""").fetchone() or (None, None, None, None)
    found = [WORKSPACE, Scope("space", space, "a Space"), Scope("folder", folder, "a Folder"),
             Scope("list", home, "a List")]
    if extra:
        found.append(Scope("list", extra, "a List with extra tasks"))
    return found


def _check(conn: psycopg.Connection, since: date) -> int:
    """time_in_status of each scope against its definition; the rows compared."""
    compared = 0
    for scope in _scopes(conn):
        truth = conn.execute(BY_DEFINITION.format(scope=scope.condition()),
                             {**scope.params, "since": since}).fetchall()
        got = time_in_status(conn, scope, since=since, limit=500)
        want = [[*r[:4], float(r[4]), float(r[5])] for r in truth]
        assert sorted(got.rows) == sorted(want), (scope, since)
        assert got.summary["statuses"] == len(truth)
        compared += len(truth)
    return compared


@pytest.mark.parametrize("back", [0, 3, 30, 400])
def test_time_in_status_is_as_defined(tx: psycopg.Connection, back: int) -> None:
    assert _check(tx, date.today() - timedelta(days=back)) > 0


def test_time_in_status_counts_tasks_completed_in_the_window(tx: psycopg.Connection) -> None:
    """A task done inside the window whose latest stay is not done still counts, one done
    before it does not; an archived or deleted task never does."""
    ids = [r[0] for r in tx.execute(
        f"SELECT t.id FROM clickup_tasks t WHERE {OPEN_STAY} ORDER BY t.id LIMIT 4")]
    assert len(ids) == 4
    since = date.today() - timedelta(days=3)
    before = {(r[0], r[1]): r[2] for r in time_in_status(tx, since=since, limit=500).rows}
    tx.execute("UPDATE clickup_tasks SET status_type = 'done', date_done = now() "
               "WHERE id = %s", (ids[0],))
    tx.execute("UPDATE clickup_tasks SET status_type = 'closed', "
               "date_closed = now() - interval '10 days' WHERE id = %s", (ids[1],))
    tx.execute("UPDATE clickup_tasks SET archived = true WHERE id = %s", (ids[2],))
    tx.execute("UPDATE clickup_tasks SET is_deleted = true WHERE id = %s", (ids[3],))
    as_at_commit(tx)
    assert _check(tx, since) > 0
    kept = tx.execute("SELECT id, unfinished FROM current_stays WHERE id = ANY (%s)",
                      (ids,)).fetchall()
    assert sorted(kept) == [(ids[0], False), (ids[1], False)]  # the other two are gone
    after = {(r[0], r[1]): r[2] for r in time_in_status(tx, since=since, limit=500).rows}
    assert sum(after.values()) < sum(before.values())
