"""The tasks added to a second List, kept by migration 0028, stay equal to their definition
whatever writes, and the counts read from them are the tasks' own. Every change runs in a
transaction that is rolled back."""

from __future__ import annotations

import psycopg
import pytest

from clickup_sync.analytics.scope import WORKSPACE, Scope
from clickup_sync.analytics.workspace import tally
from clickup_sync.simulator import Simulator
from tests.analytics.kept import as_at_commit

Synced = tuple[Simulator, str]
DIFFER = """SELECT count(*) FROM (
    (SELECT * FROM list_added_tasks EXCEPT ALL SELECT * FROM list_added_tasks_source)
    UNION ALL
    (SELECT * FROM list_added_tasks_source EXCEPT ALL SELECT * FROM list_added_tasks)) d"""
STATE = "SELECT md5(string_agg(a::text, ',' ORDER BY a::text)) FROM list_added_tasks a"


def differ(conn: psycopg.Connection) -> int:
    """Rows of list_added_tasks not as the view gives them, once this transaction's noted
    tasks are recomputed as at commit."""
    as_at_commit(conn)
    row = conn.execute(DIFFER).fetchone()
    assert row is not None
    return int(row[0])


def _located(conn: psycopg.Connection, where: str = "true") -> tuple[str, str]:
    """(task, List it is added to) of a live task added to a List other than its home."""
    row = conn.execute(
        f"""SELECT t.id, x.list_id FROM task_locations x JOIN clickup_tasks t
                ON t.id = x.task_id AND t.list_id <> x.list_id
             WHERE NOT t.is_deleted AND NOT t.archived AND {where}
             ORDER BY t.id, x.list_id LIMIT 1""").fetchone()
    assert row is not None, where
    return str(row[0]), str(row[1])


def test_synced_added_tasks_are_kept(synced: Synced, conn: psycopg.Connection) -> None:
    assert differ(conn) == 0
    row = conn.execute("SELECT count(*) FROM list_added_tasks").fetchone()
    assert row is not None and row[0] > 0  # the workspace adds tasks to second Lists


def test_added_counts_are_the_tasks_own(synced: Synced, conn: psycopg.Connection) -> None:
    """Each List's count (its tasks and those added to it) as counted from the task rows."""
    for archived in (False, True):
        truth = {r[0]: (r[1], r[2], r[3], r[4]) for r in conn.execute(
            """SELECT l.id, count(*), count(*) FILTER (WHERE t.status_type = 'open'),
                      count(*) FILTER (WHERE t.status_type = 'custom'),
                      count(*) FILTER (WHERE t.status_type IN ('done', 'closed'))
                 FROM lists l
                 JOIN clickup_tasks t ON t.list_id = l.id OR t.id IN (
                      SELECT x.task_id FROM task_locations x WHERE x.list_id = l.id)
                WHERE NOT t.is_deleted AND (%s OR NOT t.archived)
                GROUP BY l.id""", (archived,))}
        counted = tally(conn, WORKSPACE, include_archived=archived)["list"]
        assert {k: tuple(v) for k, v in counted.items()} == truth
    _task, listed = _located(conn)
    one = tally(conn, Scope("list", listed, "list"), include_archived=False)["list"]
    assert set(one) == {listed} and one[listed].tasks >= 1


CHANGES: dict[str, tuple[str, str]] = {
    # name: (which located task, what to do: %(id)s the task, %(list)s the List it is added to)
    "done": ("coalesce(t.status_type, '') <> 'done'",
             "UPDATE clickup_tasks SET status_type = 'done' WHERE id = %(id)s"),
    "archived": ("true", "UPDATE clickup_tasks SET archived = true WHERE id = %(id)s"),
    "deleted": ("true", "UPDATE clickup_tasks SET is_deleted = true WHERE id = %(id)s"),
    "removed": ("true", "DELETE FROM clickup_tasks WHERE id = %(id)s"),
    "moved home": ("true", "UPDATE clickup_tasks SET list_id = %(list)s WHERE id = %(id)s"),
    "location gone": ("true", "DELETE FROM task_locations WHERE task_id = %(id)s "
                              "AND list_id = %(list)s"),
    "location moved": ("true", "UPDATE task_locations SET list_id = 'elsewhere' "
                               "WHERE task_id = %(id)s AND list_id = %(list)s"),
    "added again": ("true", "INSERT INTO task_locations (task_id, list_id) "
                            "VALUES (%(id)s, 'another list')"),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_added_tasks_follow_each_change(synced: Synced, conn: psycopg.Connection,
                                        change: str) -> None:
    which, sql = CHANGES[change]
    task, listed = _located(conn, which)
    before = conn.execute(STATE).fetchone()
    with conn.transaction(force_rollback=True):
        conn.execute(sql, {"id": task, "list": listed})
        assert conn.execute(STATE).fetchone() == before  # noted, recomputed at commit
        assert differ(conn) == 0
        assert conn.execute(STATE).fetchone() != before  # the change reached the table
        assert conn.execute("SELECT count(*) FROM kept_added_stale").fetchone() == (0,)
    assert differ(conn) == 0


def test_a_new_task_in_a_second_list(synced: Synced, conn: psycopg.Connection) -> None:
    """A location copied before its task (as a sync batch may) counts once the task is in."""
    task, listed = _located(conn)
    with conn.transaction(force_rollback=True):
        conn.execute("INSERT INTO task_locations (task_id, list_id) VALUES ('s-new', %s)",
                     (listed,))
        conn.execute(
            """INSERT INTO clickup_tasks (id, name, list_id, folder_id, space_id, status,
                   status_type, archived, is_deleted, raw)
               SELECT 's-new', 'new', list_id || '-home', folder_id, space_id, status,
                      status_type, false, false, raw FROM clickup_tasks WHERE id = %s""",
            (task,))
        assert differ(conn) == 0
        assert conn.execute("SELECT list_id FROM list_added_tasks WHERE task_id = 's-new'"
                            ).fetchall() == [(listed,)]


def test_a_sync_batch(synced: Synced, conn: psycopg.Connection) -> None:
    """Locations deleted and copied again, then their tasks changed: each task once."""
    ids = [r[0] for r in conn.execute("SELECT DISTINCT task_id FROM list_added_tasks "
                                      "ORDER BY task_id LIMIT 30")]
    kept = conn.execute("SELECT task_id, list_id FROM task_locations "
                        "WHERE task_id = ANY (%s)", (ids,)).fetchall()
    before = conn.execute(STATE).fetchone()
    with conn.transaction(force_rollback=True):
        conn.execute("DELETE FROM task_locations WHERE task_id = ANY (%s)", (ids,))
        with conn.cursor().copy("COPY task_locations (task_id, list_id) FROM STDIN") as copy:
            for row in kept[::2]:
                copy.write_row(row)
        conn.execute("UPDATE clickup_tasks SET status_type = CASE WHEN status_type = 'custom' "
                     "THEN 'open' ELSE 'custom' END WHERE id = ANY (%s)", (ids,))
        assert conn.execute("SELECT count(*) FROM kept_added_stale").fetchone() == (len(ids),)
        assert differ(conn) == 0
        assert conn.execute(STATE).fetchone() != before
