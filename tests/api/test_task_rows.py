"""`task_rows` (the `tasks` view's rows, stored for the task listings) equals the view at every
commit, whoever writes: the sync, or plain SQL on any table the view reads; and each row's
`task_bodies` JSON is the bytes the API would write for it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import psycopg
import pytest
from psycopg.rows import dict_row

from clickup_sync.api.responses import dumps
from clickup_sync.simulator import Simulator
from clickup_sync.store import connect
from tests.pg import fresh_database
from tests.syncing import sync_exactly

TOKEN = "pk_rows"
DIFFERENCES = """
    SELECT count(*) FROM ((SELECT * FROM tasks EXCEPT ALL SELECT * FROM task_rows)
                          UNION ALL
                          (SELECT * FROM task_rows EXCEPT ALL SELECT * FROM tasks)) d"""


@pytest.fixture(scope="module")
def dsn() -> Iterator[str]:
    """A Workspace synced, then synced again after 20 hours of the team's work."""
    sim = Simulator.generate(seed=12, tasks=250, plan="enterprise", token=TOKEN,
                             rate_window=1.0)
    with fresh_database(migrated=True) as dsn:
        asyncio.run(sync_exactly(sim, dsn, TOKEN))
        sim.advance(1200)
        asyncio.run(sync_exactly(sim, dsn, TOKEN))
        yield dsn
    sim.close()


@pytest.fixture()
def conn(dsn: str) -> Iterator[psycopg.Connection]:
    with connect(dsn, autocommit=True) as c:
        yield c


def differences(conn: psycopg.Connection) -> int:
    row = conn.execute(DIFFERENCES).fetchone()
    assert row is not None
    return int(row[0])


def wrong_bodies(conn: psycopg.Connection) -> list[str]:
    """Tasks whose stored body is missing or is not what the API writes for their row."""
    conn.execute("SELECT set_config('TimeZone', cs_timezone(), false)")
    with conn.cursor(row_factory=dict_row, binary=True) as cur:
        rows = cur.execute("""SELECT r.*, b.body AS "stored body" FROM task_rows r
                              LEFT JOIN task_bodies b ON b.task_id = r.clickup_task_id"""
                           ).fetchall()
    orphans = conn.execute("SELECT count(*) FROM task_bodies b WHERE NOT EXISTS "
                           "(SELECT 1 FROM task_rows r WHERE r.clickup_task_id = b.task_id)"
                           ).fetchone()
    assert orphans == (0,)
    return [row["clickup_task_id"] for row in rows
            if (body := row.pop("stored body")) is None or body.encode() != dumps(row)]


def live_total_is_exact(conn: psycopg.Connection) -> bool:
    """`live_task_total` (the unfiltered /tasks total) equals a count of live tasks."""
    return conn.execute("SELECT (SELECT tasks FROM live_task_total) = "
                        "(SELECT count(*) FROM clickup_tasks WHERE NOT is_deleted)"
                        ).fetchone() == (True,)


def test_the_sync_leaves_the_view_and_the_table_equal(conn: psycopg.Connection) -> None:
    stored = conn.execute("SELECT count(*) FROM task_rows").fetchone()
    assert stored is not None and stored[0] > 200
    assert differences(conn) == 0
    assert wrong_bodies(conn) == []
    assert live_total_is_exact(conn)
    assert conn.execute("SELECT count(*) FROM task_rows_stale").fetchone() == (0,)


CHANGES = {
    "member renamed": "UPDATE employees SET name = name || ' Jr' WHERE clickup_user_id = "
                      "(SELECT min(user_id) FROM task_assignees)",
    "list renamed": "UPDATE lists SET name = 'Renamed List' WHERE id = "
                    "(SELECT min(list_id) FROM clickup_tasks)",
    "folder renamed": "UPDATE folders SET name = 'Renamed Folder' WHERE id = "
                      "(SELECT min(folder_id) FROM clickup_tasks)",
    "space renamed": "UPDATE spaces SET name = 'Renamed Space' WHERE id = "
                     "(SELECT min(space_id) FROM clickup_tasks)",
    "timezone changed": "UPDATE app_settings SET value = 'Asia/Kolkata' WHERE key = 'timezone'",
    "task renamed": "UPDATE clickup_tasks SET name = name || ' (renamed)' WHERE id = "
                    "(SELECT min(id) FROM clickup_tasks)",
    "dependency added": "INSERT INTO task_dependencies (task_id, depends_on) "
                        "SELECT min(id), max(id) FROM clickup_tasks",
    "dependency target renamed": "UPDATE clickup_tasks SET name = 'The blocker' WHERE id = "
                                 "(SELECT max(id) FROM clickup_tasks)",
    "time entry deleted": "DELETE FROM time_entries WHERE id = "
                          "(SELECT min(id) FROM time_entries WHERE NOT is_deleted)",
    "time entry added": "INSERT INTO time_entries (id, task_id, user_id, start_at, end_at, "
                        "duration_ms, raw) "
                        "SELECT 'extra-1', min(id), 1, now() - interval '2 hours', "
                        "now() - interval '1 hour', 3600000, '{}' FROM clickup_tasks",
    "comment assigned": "UPDATE comments SET assignee_id = (SELECT min(clickup_user_id) FROM "
                        "employees), resolved = false WHERE id = (SELECT min(id) FROM comments "
                        "WHERE task_id IS NOT NULL AND NOT is_deleted)",
    "tags removed": "DELETE FROM task_tags WHERE task_id = (SELECT min(task_id) FROM task_tags)",
    "assignee removed": "DELETE FROM task_assignees WHERE task_id = "
                        "(SELECT min(task_id) FROM task_assignees)",
    "status changed": "INSERT INTO task_status_history (task_id, status, status_type, "
                      "changed_at) SELECT min(id), 'review', 'custom', now() FROM clickup_tasks",
    "task deleted": "UPDATE clickup_tasks SET is_deleted = true WHERE id = "
                    "(SELECT max(id) FROM clickup_tasks WHERE NOT is_deleted)",
    "task back": "UPDATE clickup_tasks SET is_deleted = false WHERE id = "
                 "(SELECT max(id) FROM clickup_tasks WHERE is_deleted)",
    # Values whose JSON is easy to get wrong: escapes, non-ASCII, SQL in a name, a fraction
    # of a second, points as a fraction and as an integer, odd offsets.
    "odd text": "UPDATE clickup_tasks SET name = E'Quote \" back\\\\ tab\t nl\n \\x01 '"
                " || chr(1) || chr(31) || chr(127) || ' é 漢 😀 ''; DROP TABLE tasks; --',"
                " description = E'line\r\nnext /slash \u2028' WHERE id = "
                "(SELECT min(id) FROM clickup_tasks WHERE description IS NOT NULL)",
    "fractions": "UPDATE clickup_tasks SET points = 2.50, due_date = '2026-03-13 10:20:30.123456Z',"
                 " start_date = '2026-03-01 00:00:00.5Z' WHERE id = (SELECT min(id) FROM "
                 "clickup_tasks)",
    "points integral": "UPDATE clickup_tasks SET points = 3.000 WHERE id = (SELECT max(id) "
                       "FROM clickup_tasks)",
    "half-hour timezone": "UPDATE app_settings SET value = 'America/St_Johns' "
                          "WHERE key = 'timezone'",
    "zero-offset timezone": "UPDATE app_settings SET value = 'Europe/London' "
                            "WHERE key = 'timezone'",
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_change_anywhere_reaches_the_table_at_commit(conn: psycopg.Connection,
                                                      change: str) -> None:
    conn.execute("DROP TABLE IF EXISTS before; "
                 "CREATE TEMP TABLE before AS SELECT * FROM task_rows")
    conn.execute(CHANGES[change])
    changed = conn.execute("SELECT count(*) FROM (SELECT * FROM task_rows EXCEPT ALL "
                           "SELECT * FROM before) c").fetchone()
    assert changed is not None and changed[0] > 0, "the change should show in some row"
    assert differences(conn) == 0
    assert wrong_bodies(conn) == []
    assert live_total_is_exact(conn)


@pytest.mark.parametrize("points", ["0.00001", "0.000000125", "1.5e20", "12345678901234567"])
def test_points_far_from_one_keep_their_value(conn: psycopg.Connection, points: str) -> None:
    """Below 1e-4 and from 1e15 on, PostgreSQL writes a float in another notation than
    orjson's (1e-5 against 0.00001); the number read back is the same."""
    task = conn.execute("UPDATE clickup_tasks SET points = %s::numeric WHERE id = "
                        "(SELECT min(id) FROM clickup_tasks) RETURNING id", (points,)).fetchone()
    assert task is not None
    body = conn.execute("SELECT body FROM task_bodies WHERE task_id = %s", task).fetchone()
    assert body is not None
    assert json.loads(body[0])["sprint_points"] == float(points)


def test_a_task_removed_takes_its_body_along(conn: psycopg.Connection) -> None:
    task = conn.execute("SELECT max(id) FROM clickup_tasks").fetchone()
    assert task is not None
    conn.execute("DELETE FROM clickup_tasks WHERE id = %s", task)
    assert conn.execute("SELECT count(*) FROM task_bodies WHERE task_id = %s", task
                        ).fetchone() == (0,)
    assert differences(conn) == 0
    assert wrong_bodies(conn) == []
    assert live_total_is_exact(conn)


def test_a_writing_transaction_changes_the_rows_when_it_commits(
        conn: psycopg.Connection, dsn: str) -> None:
    task = conn.execute("SELECT min(id) FROM clickup_tasks").fetchone()
    assert task is not None
    title = "SELECT title FROM task_rows WHERE clickup_task_id = %s"
    with connect(dsn) as writer:
        writer.execute("UPDATE clickup_tasks SET name = 'Half done' WHERE id = %s", task)
        writer.execute("INSERT INTO task_tags (task_id, name) VALUES (%s, 'halfway')", task)
        assert conn.execute(title, task).fetchone() != ("Half done",), "not before commit"
        writer.commit()
    assert conn.execute(title, task).fetchone() == ("Half done",)
    assert differences(conn) == 0
