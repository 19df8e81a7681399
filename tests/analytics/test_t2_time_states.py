"""The tasks with time that are not live, kept by migration 0031 (``time_task_states``), stay
equal to their definition whatever writes: after a sync, after each kind of write to a task
or to its intervals, after a sync-like batch and after a TRUNCATE. Hours per person over the
Workspace and workload's last seven days, which read it, match the hours recomputed from the
intervals and tasks themselves when tasks with time are archived, deleted or unknown. Every
change runs in a transaction that is rolled back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import psycopg
import pytest

from clickup_sync.analytics import WORKSPACE, time_tracked, workload
from clickup_sync.simulator import Simulator
from clickup_sync.store import connect
from tests.pg import fresh_database

Synced = tuple[Simulator, str]
DEFINED = """
    SELECT x.task_id, CASE WHEN t.id IS NULL THEN 'unknown' WHEN t.is_deleted THEN 'deleted'
                           ELSE 'archived' END
      FROM (SELECT DISTINCT task_id FROM time_entries
             WHERE NOT is_deleted AND task_id IS NOT NULL) x
      LEFT JOIN clickup_tasks t ON t.id = x.task_id
     WHERE t.id IS NULL OR t.is_deleted OR t.archived"""
"""Each task with a live interval that is archived, deleted or not stored, from the intervals
and tasks themselves (not from task_time_totals nor the migration's view)."""
DIFFER = f"""SELECT count(*) FROM (
    (SELECT * FROM time_task_states EXCEPT ALL ({DEFINED}))
    UNION ALL
    (({DEFINED}) EXCEPT ALL SELECT * FROM time_task_states)) d"""
STATE = "SELECT md5(coalesce(string_agg(k::text, ',' ORDER BY k::text), '')) " \
        "FROM time_task_states k"
WITH_TIME = "EXISTS (SELECT FROM time_entries e WHERE e.task_id = t.id AND NOT e.is_deleted)"
LIVE = "NOT t.is_deleted AND NOT t.archived"


def differ(conn: psycopg.Connection) -> int:
    row = conn.execute(DIFFER).fetchone()
    assert row is not None
    return int(row[0])


def state(conn: psycopg.Connection) -> str:
    row = conn.execute(STATE).fetchone()
    assert row is not None
    return str(row[0])


@pytest.fixture()
def tx(synced: Synced) -> Iterator[psycopg.Connection]:
    """The analytics database in a transaction that is rolled back: one now() for all."""
    with connect(synced[1], autocommit=True) as conn, conn.transaction(force_rollback=True):
        yield conn


def test_synced_states_are_the_tasks_with_time_not_live(tx: psycopg.Connection) -> None:
    assert differ(tx) == 0
    row = tx.execute(f"SELECT count(*) FROM clickup_tasks t WHERE {WITH_TIME} "
                     f"AND NOT ({LIVE})").fetchone()
    kept = tx.execute("SELECT count(*) FROM time_task_states").fetchone()
    assert row is not None and kept is not None and kept[0] == row[0]


ADD_TIME = """INSERT INTO time_entries (id, task_id, user_id, start_at, end_at, duration_ms,
                                       raw)
              SELECT 't2-' || %(id)s, %(id)s, user_id, now() - interval '3 hours',
                     now() - interval '1 hour', 7200000, '{}'
                FROM time_entries ORDER BY id LIMIT 1"""
NEW_TASK = """INSERT INTO clickup_tasks (id, name, status, status_type, list_id, archived,
                                        raw)
              SELECT %(id)s, 't2 task', 'to do', 'open', list_id, {archived}, '{{}}'
                FROM clickup_tasks ORDER BY id LIMIT 1"""
TIMED = f"{LIVE} AND {WITH_TIME}"
UNTIMED = f"{LIVE} AND NOT {WITH_TIME}"
CHANGES: dict[str, tuple[str, list[str]]] = {
    # name: (which task, what to do to it, statement by statement: %(id)s)
    "archived": (TIMED, ["UPDATE clickup_tasks SET archived = true WHERE id = %(id)s"]),
    "archived, then restored": (TIMED, [
        "UPDATE clickup_tasks SET archived = true WHERE id = %(id)s",
        "UPDATE clickup_tasks SET archived = false WHERE id = %(id)s"]),
    "deleted": (TIMED, ["UPDATE clickup_tasks SET is_deleted = true WHERE id = %(id)s"]),
    "archived, then deleted, then restored": (TIMED, [
        "UPDATE clickup_tasks SET archived = true WHERE id = %(id)s",
        "UPDATE clickup_tasks SET is_deleted = true WHERE id = %(id)s",
        "UPDATE clickup_tasks SET is_deleted = false, archived = false WHERE id = %(id)s"]),
    "removed": (TIMED, ["DELETE FROM clickup_tasks WHERE id = %(id)s"]),
    "renamed only": (TIMED, ["UPDATE clickup_tasks SET archived = true WHERE id = %(id)s",
                             "UPDATE clickup_tasks SET name = 'renamed' WHERE id = %(id)s"]),
    "archived task loses its intervals": (TIMED, [
        "UPDATE clickup_tasks SET archived = true WHERE id = %(id)s",
        "DELETE FROM time_entries WHERE task_id = %(id)s"]),
    "archived task's intervals deleted in ClickUp": (TIMED, [
        "UPDATE clickup_tasks SET archived = true WHERE id = %(id)s",
        "UPDATE time_entries SET is_deleted = true WHERE task_id = %(id)s"]),
    "interval moved onto an archived task": (UNTIMED, [
        "UPDATE clickup_tasks SET archived = true WHERE id = %(id)s",
        f"""UPDATE time_entries SET task_id = %(id)s WHERE id = (
                SELECT e.id FROM time_entries e JOIN clickup_tasks t ON t.id = e.task_id
                 WHERE {LIVE} AND NOT e.is_deleted ORDER BY e.id LIMIT 1)"""]),
    "interval added to a deleted task": (UNTIMED, [
        "UPDATE clickup_tasks SET is_deleted = true WHERE id = %(id)s", ADD_TIME]),
    "unknown task arrives": (TIMED, [
        ADD_TIME.replace("%(id)s", "'t2-late'"), NEW_TASK.format(archived="false")
        .replace("%(id)s", "'t2-late'")]),
    "unknown task arrives archived": (TIMED, [
        ADD_TIME.replace("%(id)s", "'t2-late'"), NEW_TASK.format(archived="true")
        .replace("%(id)s", "'t2-late'")]),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_states_follow_each_change(tx: psycopg.Connection, change: str) -> None:
    which, statements = CHANGES[change]
    row = tx.execute(f"SELECT t.id FROM clickup_tasks t WHERE {which} ORDER BY t.id LIMIT 1"
                     ).fetchone()
    assert row is not None, which
    seen = {state(tx)}
    for statement in statements:
        tx.execute(statement, {"id": row[0]} if "%(id)s" in statement else None)
        assert differ(tx) == 0, statement  # kept at each statement, not at commit
        seen.add(state(tx))
    assert len(seen) > 1  # the change reached the kept rows


def test_states_follow_a_sync_batch(tx: psycopg.Connection) -> None:
    """An upsert of many tasks at once (as the sync writes them): some archived, some
    deleted, some restored, the others unchanged."""
    tx.execute(f"""UPDATE clickup_tasks t SET archived = true
                    WHERE t.id IN (SELECT t.id FROM clickup_tasks t WHERE {TIMED}
                                    ORDER BY t.id DESC LIMIT 3)""")
    tx.execute(f"""
        INSERT INTO clickup_tasks (id, name, status, list_id, archived, is_deleted, raw)
        SELECT t.id, t.name, t.status, t.list_id,
               CASE WHEN t.archived THEN false ELSE row_number() OVER w % 3 = 0 END,
               row_number() OVER w % 3 = 1, '{{}}'
          FROM clickup_tasks t WHERE {WITH_TIME}
        WINDOW w AS (ORDER BY t.id)
        ON CONFLICT (id) DO UPDATE SET archived = EXCLUDED.archived,
                                       is_deleted = EXCLUDED.is_deleted""")
    assert differ(tx) == 0
    row = tx.execute("SELECT count(DISTINCT state) FROM time_task_states").fetchone()
    assert row is not None and row[0] == 2  # archived and deleted; none unknown


def test_truncates_recompute_every_state() -> None:
    """TRUNCATE leaves the tasks' intervals unknown (clickup_tasks) or no task with time
    (task_time_totals); the migration's own view says what the rows must be."""
    with fresh_database(migrated=True) as dsn, connect(dsn, autocommit=True) as conn:
        conn.execute("""INSERT INTO clickup_tasks (id, name, status, list_id, archived, raw)
                        VALUES ('a', 'a', 'to do', 'l', true, '{}'),
                               ('b', 'b', 'to do', 'l', false, '{}')""")
        conn.execute("""INSERT INTO time_entries (id, task_id, user_id, start_at, duration_ms,
                                                  raw)
                        VALUES ('e1', 'a', 1, now(), 60000, '{}'),
                               ('e2', 'b', 1, now(), 60000, '{}')""")
        kept = "SELECT task_id, state FROM time_task_states ORDER BY 1"
        assert conn.execute(kept).fetchall() == [("a", "archived")]
        conn.execute("TRUNCATE clickup_tasks")
        assert conn.execute(kept).fetchall() == [("a", "unknown"), ("b", "unknown")]
        conn.execute("TRUNCATE task_time_totals")
        assert conn.execute(kept).fetchall() == []


# -- the hours that read it --------------------------------------------------------------------
PERSON_HOURS = """
    WITH e AS (
        SELECT e.user_id, e.task_id,
               greatest(0, coalesce(e.duration_ms, (extract(epoch FROM coalesce(e.end_at, now())
                                                    - e.start_at) * 1000)::bigint)) AS ms,
               e.end_at IS NULL AS running,
               t.id IS NOT NULL AND NOT t.is_deleted AND NOT t.archived AS live,
               e.task_id IS NULL OR coalesce(t.is_deleted, false) AS no_task
          FROM time_entries e LEFT JOIN clickup_tasks t ON t.id = e.task_id
         WHERE NOT e.is_deleted
           AND (e.start_at AT TIME ZONE cs_timezone())::date BETWEEN %(since)s AND %(until)s)
    SELECT coalesce(emp.name, 'user ' || e.user_id), round(sum(ms)::numeric / 3600000, 2),
           count(*), count(DISTINCT e.task_id) FILTER (WHERE live),
           round(coalesce(sum(ms) FILTER (WHERE NOT live), 0)::numeric / 3600000, 2),
           count(*) FILTER (WHERE running)
      FROM e LEFT JOIN employees emp ON emp.clickup_user_id = e.user_id
     WHERE live OR no_task
     GROUP BY e.user_id, emp.name"""
"""Per person, as docs/metrics/time-and-workload.md defines the Workspace's hours: name,
hours, intervals, live tasks, hours on no task (or a deleted one), running timers; each
interval on the local day it started, its task looked up in clickup_tasks itself."""


def person_hours(conn: psycopg.Connection, since: date, until: date
                 ) -> dict[str, tuple[Decimal, int, int, Decimal, int]]:
    rows = conn.execute(PERSON_HOURS, {"since": since, "until": until}).fetchall()
    return {r[0]: tuple(r[1:]) for r in rows}  # type: ignore[misc]


def make_tasks_not_live(conn: psycopg.Connection) -> None:
    """Tasks tracked on recently archived, deleted, archived and deleted, removed, and
    intervals moved onto a task never stored."""
    recent = f"""SELECT t.id FROM clickup_tasks t WHERE {LIVE} AND EXISTS (
                     SELECT FROM time_entries e WHERE e.task_id = t.id AND NOT e.is_deleted
                        AND e.start_at > now() - interval '6 days')
                 ORDER BY t.id"""
    ids = [r[0] for r in conn.execute(recent).fetchall()]
    assert len(ids) >= 12, "the synced workspace tracks time on tasks this week"
    conn.execute("UPDATE clickup_tasks SET archived = true WHERE id = ANY (%s)", (ids[0:3],))
    conn.execute("UPDATE clickup_tasks SET is_deleted = true WHERE id = ANY (%s)", (ids[3:6],))
    conn.execute("UPDATE clickup_tasks SET is_deleted = true, archived = true "
                 "WHERE id = ANY (%s)", (ids[6:8],))
    conn.execute("DELETE FROM clickup_tasks WHERE id = ANY (%s)", (ids[8:10],))
    conn.execute("UPDATE time_entries SET task_id = 't2-never-' || right(id, 1) "
                 "WHERE task_id = ANY (%s)", (ids[10:12],))
    row = conn.execute("SELECT array_agg(DISTINCT state ORDER BY state) FROM time_task_states"
                       ).fetchone()
    assert row is not None and row[0] == ["archived", "deleted", "unknown"]


@pytest.mark.parametrize("days", [7, 30])
def test_hours_per_person_count_live_tasks_and_no_task(tx: psycopg.Connection,
                                                       days: int) -> None:
    make_tasks_not_live(tx)
    until = tx.execute("SELECT (now() AT TIME ZONE cs_timezone())::date").fetchone()[0]
    since = until - timedelta(days=days - 1)
    want = person_hours(tx, since, until)
    got = time_tracked(tx, WORKSPACE, since=since, until=until, limit=500)
    assert got.columns == ["person", "hours", "entries", "tasks", "percent"]
    assert {r[0]: (Decimal(str(r[1])), r[2], r[3]) for r in got.rows} == \
        {k: v[:3] for k, v in want.items()}
    s = got.summary
    assert s["people"] == len(want) and s["entries"] == sum(v[1] for v in want.values())
    assert Decimal(str(s["hours_on_no_task"])) == pytest.approx(
        sum(v[3] for v in want.values()), abs=Decimal("0.01") * len(want))
    assert s["hours_on_no_task"] > 0


def test_workload_hours_last_7_days_count_as_time_tracked(tx: psycopg.Connection) -> None:
    make_tasks_not_live(tx)
    until = tx.execute("SELECT (now() AT TIME ZONE cs_timezone())::date").fetchone()[0]
    want = person_hours(tx, until - timedelta(days=6), until)
    got = workload(tx, WORKSPACE, limit=500)
    hours = {r[0]: Decimal(str(r[-1])) for r in got.rows}
    assert {k: v for k, v in hours.items() if v} == {k: v[0] for k, v in want.items() if v[0]}
