"""The reports' hours per person over the Workspace (`hours_by_person`,
`hours_by_person_each`), which tell counted intervals by migration 0031's kept
``time_task_states``, equal the hours counted from the interval and task rows themselves,
also after a task with time is deleted, one archived and an interval moved to a task not
stored. Ground truth: plain SQL over time_entries and clickup_tasks (no kept table)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import psycopg
import pytest

from clickup_sync.analytics.reports import (
    TOTAL,
    hours_by_person,
    hours_by_person_each,
    spans,
)
from clickup_sync.analytics.scope import WORKSPACE
from clickup_sync.simulator import Simulator
from clickup_sync.store import connect

Synced = tuple[Simulator, str]
TRUTH = """
    SELECT e.user_id, greatest(0, coalesce(e.duration_ms, (extract(epoch FROM
           coalesce(e.end_at, now()) - e.start_at) * 1000)::bigint))
      FROM time_entries e LEFT JOIN clickup_tasks t ON t.id = e.task_id
     WHERE NOT e.is_deleted AND e.start_at >= %s AND e.start_at < %s
       AND (e.task_id IS NULL OR t.is_deleted OR (t.id IS NOT NULL AND NOT t.archived))"""


def truth(conn: psycopg.Connection, start_at: object, end_at: object) -> dict[object, Decimal]:
    """Hours per person and in total (`TOTAL`), rounded as the reports round them."""
    ms: dict[object, int] = {TOTAL: 0}
    for user, length in conn.execute(TRUTH, (start_at, end_at)).fetchall():
        ms[user] = ms.get(user, 0) + int(length)
        ms[TOTAL] += int(length)
    return {u: round(Decimal(v) / Decimal(3_600_000), 2) for u, v in ms.items()}


def hours(tally: dict[object, tuple[object, list[str]]]) -> dict[object, object]:
    return {user: value for user, (value, _) in tally.items() if user is not None}


@pytest.fixture()
def tx(synced: Synced) -> Iterator[psycopg.Connection]:
    with connect(synced[1]) as c, c.transaction(force_rollback=True):
        yield c


def _check(tx: psycopg.Connection, monday: date) -> int:
    before, week = spans(tx, [monday - timedelta(days=7), monday], monday + timedelta(days=7))
    each = hours_by_person_each(tx, WORKSPACE, [before, week])
    for found, period in zip(each, (before, week), strict=True):
        assert hours(found) == truth(tx, period["start_at"], period["end_at"])
    one = hours_by_person(tx, WORKSPACE, week, names=False)
    assert hours(one) == truth(tx, week["start_at"], week["end_at"])
    return len(each[1])


def test_workspace_hours_follow_deleted_archived_and_unknown_tasks(
        tx: psycopg.Connection) -> None:
    row = tx.execute("SELECT (now() AT TIME ZONE cs_timezone())::date").fetchone()
    assert row is not None
    monday = row[0] - timedelta(days=row[0].weekday() + 7)  # the last full week
    assert _check(tx, monday) > 2  # people tracked time that week
    window = (monday - timedelta(days=7), monday + timedelta(days=7))
    picked = tx.execute(
        """SELECT DISTINCT e.task_id FROM time_entries e
            WHERE NOT e.is_deleted AND e.task_id IS NOT NULL
              AND e.start_at >= %s AND e.start_at < %s ORDER BY 1 LIMIT 6""",
        window).fetchall()
    assert len(picked) == 6
    ids = [p[0] for p in picked]
    tx.execute("UPDATE clickup_tasks SET is_deleted = true WHERE id = ANY (%s)", (ids[:2],))
    tx.execute("UPDATE clickup_tasks SET archived = true WHERE id = ANY (%s)", (ids[1:4],))
    tx.execute("UPDATE time_entries SET task_id = 'not-stored' WHERE task_id = %s", (ids[4],))
    tx.execute("UPDATE time_entries SET task_id = NULL WHERE task_id = %s", (ids[5],))
    states = dict(tx.execute("SELECT state, count(*) FROM time_task_states "
                             "GROUP BY 1").fetchall())
    assert {"deleted", "archived", "unknown"} <= set(states)
    _check(tx, monday)
