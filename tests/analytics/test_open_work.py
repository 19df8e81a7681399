"""The open work kept by migration 0021 stays equal to what it summarises, whatever writes:
`open_assignments` to its view, `open_work_counts` to those rows counted. Every change runs
in a transaction that is rolled back."""

from __future__ import annotations

import psycopg
import pytest

from clickup_sync.simulator import Simulator
from tests.analytics.kept import as_at_commit

Synced = tuple[Simulator, str]
ROWS_DIFFER = """SELECT count(*) FROM (
    (SELECT * FROM open_assignments EXCEPT ALL SELECT * FROM open_assignments_source)
    UNION ALL
    (SELECT * FROM open_assignments_source EXCEPT ALL SELECT * FROM open_assignments)) d"""
COUNTED = """SELECT l.s, l.f, u, coalesce(status_type = 'custom', false),
                    coalesce(date_trunc('week', due_date AT TIME ZONE 'UTC')::date, 'infinity'),
                    count(*), count(*) FILTER (WHERE left_ms IS NULL),
                    coalesce(sum(left_ms) FILTER (WHERE NOT running), 0)
               FROM open_assignments_source,
                    unnest(CASE WHEN first THEN ARRAY[user_id, -1] ELSE ARRAY[user_id] END) u,
                    LATERAL (VALUES (coalesce(space_id, ''), coalesce(folder_id, '')),
                                    (coalesce(space_id, ''), '*'), ('*', '*')) l(s, f)
              GROUP BY 1, 2, 3, 4, 5"""
COUNTS_DIFFER = f"""SELECT count(*) FROM (
    (SELECT * FROM open_work_counts EXCEPT ALL ({COUNTED}))
    UNION ALL
    (({COUNTED}) EXCEPT ALL SELECT * FROM open_work_counts)) d"""

STATE = """SELECT (SELECT md5(string_agg(o::text, ',' ORDER BY o::text)) FROM open_assignments o),
                  (SELECT md5(string_agg(c::text, ',' ORDER BY c::text)) FROM open_work_counts c)"""


def differ(conn: psycopg.Connection) -> tuple[int, int]:
    """(rows of open_assignments not as the view gives them, counts not as they add up),
    once the tasks noted in this transaction are recomputed as at commit (migration 0025)."""
    as_at_commit(conn)
    rows = conn.execute(ROWS_DIFFER).fetchone()
    counts = conn.execute(COUNTS_DIFFER).fetchone()
    assert rows is not None and counts is not None
    return int(rows[0]), int(counts[0])


def test_synced_open_work_is_kept(synced: Synced, conn: psycopg.Connection) -> None:
    assert differ(conn) == (0, 0)
    row = conn.execute("SELECT count(*), count(*) FILTER (WHERE first), "
                       "count(*) FILTER (WHERE user_id = 0) FROM open_assignments").fetchone()
    assert row is not None and row[0] > row[1] > row[2] > 0  # shared, and unassigned, tasks


def _task(conn: psycopg.Connection, where: str) -> str:
    row = conn.execute(f"SELECT t.id FROM clickup_tasks t WHERE NOT t.is_deleted "
                       f"AND NOT t.archived AND {where} ORDER BY t.id LIMIT 1").fetchone()
    assert row is not None, where
    return str(row[0])


OPEN = "coalesce(t.status_type, '') NOT IN ('done', 'closed')"
ASSIGNED = f"{OPEN} AND EXISTS (SELECT FROM task_assignees a WHERE a.task_id = t.id)"
CHANGES: dict[str, tuple[str, str]] = {
    # name: (which task, what to do to it: %(id)s)
    "done": (OPEN, "UPDATE clickup_tasks SET status_type = 'done' WHERE id = %(id)s"),
    "reopened": ("t.status_type = 'done'",
                 "UPDATE clickup_tasks SET status_type = 'custom' WHERE id = %(id)s"),
    "archived": (OPEN, "UPDATE clickup_tasks SET archived = true WHERE id = %(id)s"),
    "deleted": (OPEN, "UPDATE clickup_tasks SET is_deleted = true WHERE id = %(id)s"),
    "removed": (OPEN, "DELETE FROM clickup_tasks WHERE id = %(id)s"),
    "due": (OPEN, "UPDATE clickup_tasks SET due_date = now() + interval '3 weeks' "
                  "WHERE id = %(id)s"),
    "estimate": (f"{OPEN} AND t.time_estimate_ms IS NULL",
                 "UPDATE clickup_tasks SET time_estimate_ms = 7200000 WHERE id = %(id)s"),
    "moved": (OPEN, "UPDATE clickup_tasks SET folder_id = NULL, space_id = 'elsewhere' "
                    "WHERE id = %(id)s"),
    "assigned": (OPEN, "INSERT INTO task_assignees (task_id, user_id) "
                       "VALUES (%(id)s, 1), (%(id)s, 999999999)"),
    "unassigned": (ASSIGNED, "DELETE FROM task_assignees WHERE task_id = %(id)s"),
    "first gone": (ASSIGNED, "DELETE FROM task_assignees WHERE task_id = %(id)s AND user_id ="
                             " (SELECT min(user_id) FROM task_assignees WHERE task_id = %(id)s)"),
    "timer started": (f"{OPEN} AND t.time_estimate_ms > 0",
                      "INSERT INTO time_entries (id, task_id, user_id, start_at, raw) "
                      "VALUES ('h4a-run', %(id)s, 1, now() - interval '1 hour', '{}')"),
    "time tracked": (f"{OPEN} AND t.time_estimate_ms > 0",
                     "INSERT INTO time_entries (id, task_id, user_id, start_at, end_at, "
                     "duration_ms, raw) VALUES ('h4a-done', %(id)s, 1, now() - interval '2 hours', "
                     "now() - interval '1 hour', 3600000, '{}')"),
    "time removed": (f"{OPEN} AND EXISTS (SELECT FROM time_entries e WHERE e.task_id = t.id)",
                     "DELETE FROM time_entries WHERE task_id = %(id)s"),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_open_work_follows_each_change(synced: Synced, conn: psycopg.Connection,
                                       change: str) -> None:
    which, sql = CHANGES[change]
    task = _task(conn, which)
    before = conn.execute(STATE).fetchone()
    with conn.transaction(force_rollback=True):
        conn.execute(sql, {"id": task})
        assert differ(conn) == (0, 0)
        after = conn.execute(STATE).fetchone()
        assert after is not None and before is not None
        assert after[1] != before[1], after  # the change reached the counts
    assert differ(conn) == (0, 0)


def _many(conn: psycopg.Connection) -> None:
    """A sync-like batch: many tasks' assignees replaced, then tasks changed in bulk."""
    ids = [r[0] for r in conn.execute(f"SELECT t.id FROM clickup_tasks t WHERE {OPEN} "
                                      "ORDER BY t.id LIMIT 60")]
    kept = conn.execute("SELECT task_id, user_id FROM task_assignees "
                        "WHERE task_id = ANY (%s)", (ids,)).fetchall()
    conn.execute("DELETE FROM task_assignees WHERE task_id = ANY (%s)", (ids,))
    with conn.cursor().copy("COPY task_assignees (task_id, user_id) FROM STDIN") as copy:
        for row in kept[::2]:
            copy.write_row(row)
    conn.execute("UPDATE clickup_tasks SET status_type = CASE WHEN status_type = 'custom' "
                 "THEN 'open' ELSE 'custom' END, date_updated = now() WHERE id = ANY (%s)",
                 (ids,))


def test_open_work_follows_a_batch(synced: Synced, conn: psycopg.Connection) -> None:
    before = conn.execute(STATE).fetchone()
    with conn.transaction(force_rollback=True):
        _many(conn)
        # recomputed once, at commit: the batch's statements only noted its tasks
        assert conn.execute(STATE).fetchone() == before
        assert conn.execute("SELECT count(DISTINCT task_id) FROM kept_work_stale "
                            "WHERE kind = 'o'").fetchone() == (60,)
        assert differ(conn) == (0, 0)
        assert conn.execute(STATE).fetchone() != before
        assert conn.execute("SELECT count(*) FROM kept_work_stale").fetchone() == (0,)
