"""Each done task's estimate and time rolled up over its subtasks (task_estimates, migration
0022) stay equal to their definition, a walk of its live subtasks at every level, whatever
writes: tasks inserted before or after their parents, estimates changed, subtasks moved,
deleted and restored, cycles of parents, tasks done and reopened, assignees and time added,
changed and removed. Estimation accuracy read from it counts running timers below a task
and survives a cycle. Every change runs in a transaction that is rolled back."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from clickup_sync.analytics import estimation_accuracy
from tests.analytics.kept import as_at_commit

HOUR = 3_600_000
FINISHED_MS = """(SELECT sum(greatest(0, coalesce(e.duration_ms, (extract(
                      epoch FROM e.end_at - e.start_at) * 1000)::bigint)))
                    FROM time_entries e
                   WHERE e.task_id = {task} AND NOT e.is_deleted
                     AND (e.duration_ms IS NOT NULL OR e.end_at IS NOT NULL))"""
WALKED = f"""
    WITH RECURSIVE done AS (
        SELECT * FROM clickup_tasks t
         WHERE NOT t.is_deleted AND NOT t.archived AND t.status_type IN ('done', 'closed')
           AND t.time_estimate_ms > 0 AND coalesce(t.date_done, t.date_closed) IS NOT NULL),
    below AS (
        SELECT d.id AS root, c.id FROM done d JOIN clickup_tasks c ON c.parent_id = d.id
         WHERE NOT c.is_deleted
        UNION
        SELECT b.root, c.id FROM below b JOIN clickup_tasks c ON c.parent_id = b.id
         WHERE NOT c.is_deleted)
    SELECT d.id, coalesce(d.date_done, d.date_closed),
           d.time_estimate_ms + coalesce((SELECT sum(c.time_estimate_ms) FROM below b
                                          JOIN clickup_tasks c ON c.id = b.id
                                         WHERE b.root = d.id AND b.id <> d.id), 0),
           coalesce({FINISHED_MS.format(task="d.id")}, 0)
           + coalesce((SELECT sum({FINISHED_MS.format(task="b.id")}) FROM below b
                        WHERE b.root = d.id AND b.id <> d.id), 0),
           d.list_id, d.folder_id, d.space_id,
           ARRAY(SELECT a.user_id FROM task_assignees a WHERE a.task_id = d.id ORDER BY 1)
      FROM done d"""
"""Each measured task's row, from the tasks, intervals and assignments themselves (not from
task_time_totals)."""


def differences(conn: psycopg.Connection) -> list[tuple[object, ...]]:
    """Rows of the kept table and of the walk that the other lacks, once the tasks noted
    in this transaction are recomputed as at commit (migration 0025)."""
    as_at_commit(conn)
    return conn.execute(
        f"""(SELECT 'kept', * FROM task_estimates EXCEPT SELECT 'kept', * FROM ({WALKED}) w)
            UNION ALL
            (SELECT 'walked', * FROM ({WALKED}) w EXCEPT SELECT 'walked', * FROM task_estimates)
        """).fetchall()


@pytest.fixture()
def scratch(conn: psycopg.Connection) -> Iterator[psycopg.Connection]:
    """The analytics database in a transaction that is rolled back."""
    with conn.transaction(force_rollback=True):
        yield conn


def add_task(conn: psycopg.Connection, tid: str, parent: str | None, estimate: int | None,
             *, done: bool = False) -> None:
    """A task in the List of an existing one; done yesterday when ``done``."""
    conn.execute(
        """INSERT INTO clickup_tasks (id, name, status, status_type, list_id, folder_id,
                                      space_id, parent_id, time_estimate_ms, date_done, raw)
           SELECT %(id)s, 'h4b ' || %(id)s, CASE WHEN %(done)s THEN 'complete' ELSE 'to do' END,
                  CASE WHEN %(done)s THEN 'done' ELSE 'open' END, list_id, folder_id,
                  space_id, %(parent)s, %(est)s,
                  CASE WHEN %(done)s THEN now() - interval '1 day' END, '{}'
             FROM clickup_tasks ORDER BY id LIMIT 1""",
        {"id": tid, "parent": parent, "est": estimate, "done": done})


def add_time(conn: psycopg.Connection, eid: str, task: str, hours: float, *,
             running: bool = False) -> None:
    """An interval of ``hours`` ending now, or a timer running for ``hours``."""
    conn.execute(
        """INSERT INTO time_entries (id, task_id, user_id, start_at, end_at, duration_ms,
                                     is_running, raw)
           SELECT %(id)s, %(task)s, user_id, now() - %(h)s * interval '1 hour',
                  CASE WHEN NOT %(run)s THEN now() END,
                  CASE WHEN NOT %(run)s THEN (%(h)s * 3600000)::bigint END, %(run)s, '{}'
             FROM time_entries ORDER BY id LIMIT 1""",
        {"id": eid, "task": task, "h": hours, "run": running})


def test_synced_workspace_keeps_its_done_tasks_estimates(conn: psycopg.Connection) -> None:
    assert differences(conn) == []
    row = conn.execute("SELECT count(*), count(*) FILTER (WHERE ended_ms > 0), "
                       "count(*) FILTER (WHERE cardinality(assignees) > 1) "
                       "FROM task_estimates e JOIN clickup_tasks t USING (id) "
                       "WHERE t.parent_id IS NULL AND EXISTS (SELECT FROM clickup_tasks c "
                       "WHERE c.parent_id = t.id)").fetchone()
    assert row is not None and min(row) > 0  # done tasks with subtasks, time, co-assignees


def test_task_estimates_follow_tasks_assignees_and_time(scratch: psycopg.Connection) -> None:
    c = scratch
    add_task(c, "h4b-c", "h4b-b", 3 * HOUR)  # synced before its parents
    add_time(c, "h4b-e1", "h4b-c", 1.5)
    add_task(c, "h4b-a", None, HOUR, done=True)
    add_task(c, "h4b-b", "h4b-a", None)
    assert differences(c) == []
    assert c.execute("SELECT est, ended_ms FROM task_estimates WHERE id = 'h4b-a'"
                     ).fetchone() == (4 * HOUR, int(1.5 * HOUR))
    steps = [
        "UPDATE clickup_tasks SET time_estimate_ms = 5 * 3600000 WHERE id = 'h4b-c'",
        "UPDATE time_entries SET duration_ms = 7200000 WHERE id = 'h4b-e1'",
        "UPDATE clickup_tasks SET name = 'renamed' WHERE parent_id = 'h4b-a'",  # no change
        "INSERT INTO task_assignees SELECT 'h4b-a', user_id FROM time_entries LIMIT 1",
        "UPDATE clickup_tasks SET is_deleted = true WHERE id = 'h4b-b'",
        "UPDATE clickup_tasks SET is_deleted = false WHERE id = 'h4b-b'",
        """UPDATE clickup_tasks SET parent_id = (SELECT id FROM clickup_tasks
               WHERE parent_id IS NULL AND id NOT LIKE 'h4b%' ORDER BY id LIMIT 1)
            WHERE id = 'h4b-b'""",
        "UPDATE clickup_tasks SET parent_id = 'h4b-a' WHERE id = 'h4b-b'",
        "UPDATE clickup_tasks SET parent_id = 'h4b-c' WHERE id = 'h4b-a'",  # a cycle
        "UPDATE clickup_tasks SET parent_id = NULL WHERE id = 'h4b-a'",
        "UPDATE clickup_tasks SET status_type = 'open' WHERE id = 'h4b-a'",  # reopened
        "UPDATE clickup_tasks SET status_type = 'closed' WHERE id = 'h4b-a'",
        "UPDATE clickup_tasks SET date_done = date_done - interval '1 day' WHERE id = 'h4b-a'",
        "UPDATE clickup_tasks SET archived = true WHERE id = 'h4b-a'",
        "UPDATE clickup_tasks SET archived = false WHERE id = 'h4b-a'",
        "UPDATE clickup_tasks SET folder_id = NULL WHERE id = 'h4b-a'",
        "UPDATE time_entries SET is_deleted = true WHERE id = 'h4b-e1'",
        "UPDATE time_entries SET is_deleted = false WHERE id = 'h4b-e1'",
        "UPDATE time_entries SET task_id = 'h4b-a' WHERE id = 'h4b-e1'",
        "UPDATE time_entries SET task_id = 'h4b-c' WHERE id = 'h4b-e1'",
        "DELETE FROM time_entries WHERE id = 'h4b-e1'",
        "DELETE FROM task_assignees WHERE task_id = 'h4b-a'",
        "DELETE FROM clickup_tasks WHERE id = 'h4b-b'",
        """UPDATE time_entries SET duration_ms = duration_ms + 60000 WHERE task_id IN (
               SELECT c.id FROM clickup_tasks c JOIN task_estimates s
                   ON s.id = c.parent_id ORDER BY c.id LIMIT 20)""",
        """UPDATE task_assignees SET user_id = user_id + 1 WHERE task_id IN (
               SELECT id FROM task_estimates ORDER BY id LIMIT 5)""",
        """UPDATE clickup_tasks SET time_estimate_ms = time_estimate_ms + 1 WHERE id IN (
               SELECT c.id FROM clickup_tasks c JOIN task_estimates s
                   ON s.id = c.parent_id ORDER BY c.id LIMIT 20)""",
        """DELETE FROM clickup_tasks WHERE id IN (
               SELECT parent_id FROM clickup_tasks WHERE parent_id IN (
                   SELECT id FROM task_estimates) ORDER BY 1 LIMIT 5)""",
    ]
    for step in steps:
        c.execute(step)
        assert differences(c) == [], step


def test_accuracy_counts_running_timers_below_and_survives_a_cycle(
        scratch: psycopg.Connection) -> None:
    c = scratch
    add_task(c, "h4b-a", None, 60_000, done=True)  # a minute's estimate: the top ratio
    add_task(c, "h4b-b", "h4b-a", None)
    add_task(c, "h4b-c", "h4b-b", 60_000)
    add_time(c, "h4b-e1", "h4b-c", 1)
    add_time(c, "h4b-e2", "h4b-c", 2, running=True)
    add_time(c, "h4b-e3", "h4b-a", 0.5, running=True)

    def top() -> tuple[object, ...]:
        as_at_commit(c)
        return tuple(estimation_accuracy(c, group_by="task", limit=1).rows[0])

    # now() is the transaction's start: the running timers are exactly 2 h and 0.5 h long;
    # hours are shown to 0.01
    assert top()[0::4] == ("h4b-a", round(2 / 60, 2))
    assert top()[5:] == (3.5, round(3.5 * 60 / 2, 2))
    c.execute("UPDATE clickup_tasks SET parent_id = 'h4b-c' WHERE id = 'h4b-a'")
    assert top()[5:] == (3.5, round(3.5 * 60 / 2, 2))  # each interval counted once
    c.execute("UPDATE clickup_tasks SET is_deleted = true WHERE id = 'h4b-b'")
    assert top()[0::4] == ("h4b-a", round(1 / 60, 2))
    assert top()[5] == 0.5
