"""lead_cycle_time's rows, read newest first from the completion index with each task's
first active time probed by key, are the newest completed tasks as its definition gives
them: ties on the completion time broken by id, cut at ``limit``, each with its own lead
and cycle days. Edge cases are written in a transaction that is rolled back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import psycopg
import pytest

from clickup_sync.analytics import WORKSPACE, Scope, lead_cycle_time
from clickup_sync.simulator import Simulator

Synced = tuple[Simulator, str]
NEWEST_BY_DEFINITION = """
    SELECT t.id, t.name, (t.date_created AT TIME ZONE cs_timezone())::date,
           (f.at AT TIME ZONE cs_timezone())::date, (x.done_at AT TIME ZONE cs_timezone())::date,
           round((date_part('epoch', x.done_at - t.date_created) / 86400)::numeric, 1),
           round((date_part('epoch', x.done_at - f.at) / 86400)::numeric, 1)
      FROM clickup_tasks t
      CROSS JOIN LATERAL (SELECT coalesce(t.date_done, t.date_closed) AS done_at) x
      LEFT JOIN LATERAL (SELECT min(h.changed_at) AS at FROM task_status_history h
                          WHERE h.task_id = t.id AND h.status_type = 'custom'
                            AND h.changed_at <= x.done_at) f ON true
     WHERE NOT t.is_deleted AND NOT t.archived AND t.status_type IN ('done', 'closed')
       AND x.done_at >= (%(since)s::date::timestamp AT TIME ZONE cs_timezone()) AND {scope}
     ORDER BY x.done_at DESC, t.id LIMIT %(limit)s"""
"""The newest completed tasks and their days as docs/metrics/flow.md defines them, the
first active time found in the history itself."""


@pytest.fixture()
def tx(synced: Synced) -> Iterator[psycopg.Connection]:
    """A connection inside a transaction that is rolled back: one now() for all it reads."""
    with psycopg.connect(synced[1], autocommit=True) as conn, conn.transaction(
            force_rollback=True):
        yield conn


def _rows(conn: psycopg.Connection, scope: Scope, since: date, limit: int) -> None:
    truth = conn.execute(NEWEST_BY_DEFINITION.format(scope=scope.condition()),
                         {**scope.params, "since": since, "limit": limit}).fetchall()
    got = lead_cycle_time(conn, scope, since=since, limit=limit)
    want = [[i, name, made.isoformat(), None if began is None else began.isoformat(),
             done.isoformat(), float(lead), None if cycle is None else float(cycle)]
            for i, name, made, began, done, lead, cycle in truth]
    assert got.rows == want
    assert len(want) == min(limit, got.summary["completed"])


@pytest.mark.parametrize(("back", "limit"), [(30, 50), (7, 3), (400, 500)])
def test_newest_rows_are_as_defined(tx: psycopg.Connection, back: int, limit: int) -> None:
    space = tx.execute("SELECT space_id FROM clickup_tasks GROUP BY 1 ORDER BY count(*) DESC, "
                       "1 LIMIT 1").fetchone()
    assert space is not None
    since = date.today() - timedelta(days=back)
    for scope in (WORKSPACE, Scope("space", space[0], "a Space")):
        _rows(tx, scope, since, limit)


def test_ties_on_completion_are_broken_by_id(tx: psycopg.Connection) -> None:
    """Five tasks completed at the same instant, the newest of all: the limit cuts them in
    id order."""
    ids = [r[0] for r in tx.execute(
        "SELECT id FROM clickup_tasks WHERE NOT is_deleted AND NOT archived "
        "ORDER BY md5(id) LIMIT 5")]
    tx.execute("UPDATE clickup_tasks SET status_type = 'done', date_closed = NULL, "
               "date_done = now() + interval '1 minute' WHERE id = ANY (%s)", (ids,))
    _rows(tx, WORKSPACE, date.today() - timedelta(days=30), 3)
    got = lead_cycle_time(tx, WORKSPACE, limit=3)
    assert [r[0] for r in got.rows] == sorted(ids)[:3]
