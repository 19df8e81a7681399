"""Where each status stay ends (task_status_history.ended_at, migration 0018) stays equal to
the next history row of its task, whatever writes: inserts in or out of order, moved rows,
deleted rows. Every change runs in a transaction that is rolled back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg

from clickup_sync.simulator import Simulator

Synced = tuple[Simulator, str]
WRONG = """SELECT count(*) FROM (
               SELECT ended_at, lead(changed_at) OVER (PARTITION BY task_id
                                                       ORDER BY changed_at, id) AS next_at
                 FROM task_status_history) s
            WHERE ended_at IS DISTINCT FROM next_at"""


def wrong(conn: psycopg.Connection) -> int:
    row = conn.execute(WRONG).fetchone()
    assert row is not None
    return int(row[0])


def test_synced_history_knows_where_stays_end(synced: Synced,
                                              conn: psycopg.Connection) -> None:
    assert wrong(conn) == 0
    row = conn.execute("SELECT count(*) FROM task_status_history "
                       "WHERE ended_at IS NOT NULL").fetchone()
    assert row is not None and row[0] > 0  # the sync saw tasks move


def test_stay_ends_follow_inserts_moves_and_deletes(synced: Synced,
                                                   conn: psycopg.Connection) -> None:
    task = conn.execute("SELECT task_id FROM task_status_history GROUP BY task_id "
                        "ORDER BY count(*) DESC, task_id LIMIT 1").fetchone()
    assert task is not None
    at = datetime(2020, 1, 1, tzinfo=UTC)
    with conn.transaction(force_rollback=True):
        # a row older than all, one in the middle of the history, two at the same time
        conn.execute(
            """INSERT INTO task_status_history (task_id, status, status_type, changed_at)
               SELECT %s, s, 'custom', t
                 FROM (VALUES ('x', %s::timestamptz), ('y', now() - interval '1 day'),
                              ('z', now() - interval '1 day')) v(s, t)""",
            (task[0], at))
        assert wrong(conn) == 0
        conn.execute("UPDATE task_status_history SET changed_at = changed_at + interval '1 h' "
                     "WHERE task_id = %s AND status = 'y'", (task[0],))
        assert wrong(conn) == 0
        conn.execute("UPDATE task_status_history SET changed_at = %s "
                     "WHERE task_id = %s AND status = 'z'", (at - timedelta(days=1), task[0]))
        assert wrong(conn) == 0
        conn.execute("DELETE FROM task_status_history WHERE id = (SELECT max(id) FROM "
                     "task_status_history WHERE task_id = %s AND status <> 'x')", (task[0],))
        assert wrong(conn) == 0
