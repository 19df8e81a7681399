"""Bottlenecks, lead and cycle time and the weekly report's week numbers as their
definitions give them, computed apart: the percentiles by PostgreSQL's own percentile_cont
over every value, the week numbers by `week_numbers` one week at a time. Edge cases
(medians of odd and even counts, tasks entered in the future or never dated, tasks with no
creation date, an empty week) are written in a transaction that is rolled back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import psycopg
import pytest

from clickup_sync.analytics import WORKSPACE, Scope
from clickup_sync.analytics.history import BLOCKED_LOOKING, bottlenecks, lead_cycle_time
from clickup_sync.analytics.reports import TOTAL, week_and_before, week_numbers
from clickup_sync.analytics.result import plain
from clickup_sync.simulator import Simulator

Synced = tuple[Simulator, str]
ENTERED = "coalesce(t.status_since, t.date_updated, t.date_created)"
OPEN = ("NOT t.is_deleted AND NOT t.archived "
        "AND coalesce(t.status_type, '') NOT IN ('done', 'closed')")
WAITING_BY_DEFINITION = f"""
    SELECT t.status, coalesce(t.status_type, 'open'), count(*),
           round((date_part('epoch', percentile_cont(0.5) WITHIN GROUP (ORDER BY w.v))
                  / 86400)::numeric, 1),
           round((date_part('epoch', max(w.v)) / 86400)::numeric, 1),
           round((count(*) * date_part('epoch', percentile_cont(0.5)
                                       WITHIN GROUP (ORDER BY w.v)) / 86400)::numeric, 1),
           t.status ~* %(re)s
      FROM clickup_tasks t, LATERAL (SELECT greatest(now() - {ENTERED}, interval '0') AS v) w
     WHERE {OPEN} AND {{scope}}
       AND (t.status_type = 'custom' OR t.status ~* %(re)s)
     GROUP BY 1, 2"""
"""Each waiting status's row as bottlenecks() defines it, by percentile_cont over all of
its tasks (the query the index-ordered medians replaced)."""

LEAD_CYCLE_BY_DEFINITION = """
    WITH d AS (
        SELECT round((date_part('epoch', x.done_at - t.date_created) / 86400)::numeric, 1)
                   AS lead,
               round((date_part('epoch', x.done_at - f.at) / 86400)::numeric, 1) AS cycle
          FROM clickup_tasks t
          CROSS JOIN LATERAL (SELECT coalesce(t.date_done, t.date_closed) AS done_at) x
          LEFT JOIN LATERAL (SELECT min(h.changed_at) AS at FROM task_status_history h
                              WHERE h.task_id = t.id AND h.status_type = 'custom'
                                AND h.changed_at <= x.done_at) f ON true
         WHERE NOT t.is_deleted AND NOT t.archived AND t.status_type IN ('done', 'closed')
           AND x.done_at >= (%(since)s::date::timestamp AT TIME ZONE cs_timezone()))
    SELECT count(*), count(cycle),
           round(percentile_cont(0.5) WITHIN GROUP (ORDER BY lead)::numeric, 1),
           round(percentile_cont(0.85) WITHIN GROUP (ORDER BY lead)::numeric, 1),
           round(percentile_cont(0.5) WITHIN GROUP (ORDER BY cycle)::numeric, 1),
           round(percentile_cont(0.85) WITHIN GROUP (ORDER BY cycle)::numeric, 1)
      FROM d"""
"""lead_cycle_time's counts and percentiles as docs/metrics/flow.md defines them: every
task's days rounded to tenths, then percentile_cont (the first active time found in the
history itself, not in the kept ``task_first_active``)."""


@pytest.fixture()
def tx(synced: Synced) -> Iterator[psycopg.Connection]:
    """A connection inside a transaction that is rolled back: one now() for all it reads."""
    with psycopg.connect(synced[1], autocommit=True) as conn, conn.transaction(
            force_rollback=True):
        yield conn


def _scopes(conn: psycopg.Connection) -> list[Scope]:
    space, folder, list_id = conn.execute(
        """SELECT (SELECT space_id FROM clickup_tasks WHERE NOT is_deleted GROUP BY 1
                    ORDER BY count(*) DESC, 1 LIMIT 1),
                  (SELECT folder_id FROM clickup_tasks WHERE folder_id IS NOT NULL
                    GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1),
                  (SELECT list_id FROM clickup_tasks GROUP BY 1
                    ORDER BY count(*) DESC, 1 LIMIT 1)""").fetchone() or (None, None, None)
    return [WORKSPACE, Scope("space", space, "a Space"), Scope("folder", folder, "a Folder"),
            Scope("list", list_id, "a List")]


def _necks_by_definition(conn: psycopg.Connection, scope: Scope) -> list[tuple[Any, ...]]:
    rows = conn.execute(WAITING_BY_DEFINITION.format(scope=scope.condition()),
                        {**scope.params, "re": BLOCKED_LOOKING}).fetchall()
    return sorted((tuple(plain(v) for v in r) for r in rows), key=lambda r: r[0])


def _necks(conn: psycopg.Connection, scope: Scope) -> list[tuple[Any, ...]]:
    return sorted((tuple(r) for r in bottlenecks(conn, scope, limit=500).rows),
                  key=lambda r: r[0])


def _ids(conn: psycopg.Connection, where: str, n: int) -> list[str]:
    return [r[0] for r in conn.execute(
        f"SELECT t.id FROM clickup_tasks t WHERE {OPEN} AND {where} ORDER BY t.id LIMIT %s",
        (n,))]


def test_bottleneck_medians_are_percentile_cont_of_every_waiting_task(
        tx: psycopg.Connection) -> None:
    for scope in _scopes(tx):
        want = _necks_by_definition(tx, scope)
        assert want, scope
        assert _necks(tx, scope) == want, scope


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7, 10])
def test_bottleneck_medians_of_odd_and_even_counts_future_and_undated_tasks(
        tx: psycopg.Connection, count: int) -> None:
    """A status of ``count`` tasks: one entered in the future (0 days), one never dated
    (0 days), the others spread over weeks; medians of odd and even counts interpolate."""
    ids = _ids(tx, "t.status_type = 'custom'", count)
    assert len(ids) == count
    tx.execute("""UPDATE clickup_tasks SET status = 'hand waiting', status_type = 'custom',
                         status_since = now() - make_interval(days => n::int * 3,
                                                              secs => n * 7.5)
                    FROM unnest(%s::text[]) WITH ORDINALITY AS u(id, n)
                   WHERE clickup_tasks.id = u.id""", (ids,))
    tx.execute("UPDATE clickup_tasks SET status_since = now() + interval '2 days' "
               "WHERE id = %s", (ids[0],))
    if count > 1:
        tx.execute("UPDATE clickup_tasks SET status_since = NULL, date_updated = NULL, "
                   "date_created = NULL WHERE id = %s", (ids[1],))
    mine = [r for r in _necks(tx, WORKSPACE) if r[0] == "hand waiting"]
    assert mine == [r for r in _necks_by_definition(tx, WORKSPACE) if r[0] == "hand waiting"]
    assert mine[0][2] == count and mine[0][6] is True  # its name looks blocked ("wait")


def test_lead_and_cycle_percentiles_are_percentile_cont_of_rounded_days(
        tx: psycopg.Connection) -> None:
    today = tx.execute("SELECT (now() AT TIME ZONE cs_timezone())::date").fetchone()
    assert today is not None
    for back in (3, 10, 30, 90, 400):
        since = today[0] - timedelta(days=back)
        got = lead_cycle_time(tx, since=since, limit=1).summary
        want = tx.execute(LEAD_CYCLE_BY_DEFINITION, {"since": since}).fetchone()
        assert want is not None
        assert (got["completed"], got["with_cycle_time"], got["lead_time_median_days"],
                got["lead_time_p85_days"], got["cycle_time_median_days"],
                got["cycle_time_p85_days"]) == tuple(plain(v) for v in want), back


@pytest.mark.parametrize("count", [1, 2, 3, 5])
def test_lead_percentiles_of_few_tasks_and_tasks_without_a_creation_date(
        tx: psycopg.Connection, count: int) -> None:
    """Only ``count`` tasks completed in the window (one with no creation date, so no lead
    time): the percentiles of one, two or more values, and none."""
    since = date(2001, 1, 1)
    tx.execute("UPDATE clickup_tasks SET date_done = date_done - interval '30 years', "
               "date_closed = date_closed - interval '30 years', "
               "date_created = date_created - interval '30 years'")
    ids = [r[0] for r in tx.execute(
        "SELECT id FROM clickup_tasks t WHERE NOT t.is_deleted AND NOT t.archived "
        "AND t.status_type IN ('done', 'closed') ORDER BY id LIMIT %s", (count,))]
    tx.execute("""UPDATE clickup_tasks SET date_done = timestamptz '2002-03-01'
                                                      + make_interval(hours => n::int * 17),
                         date_created = timestamptz '2002-01-01'
                                        - make_interval(days => (n * n)::int,
                                                        mins => n::int * 13)
                    FROM unnest(%s::text[]) WITH ORDINALITY AS u(id, n)
                   WHERE clickup_tasks.id = u.id""", (ids,))
    tx.execute("UPDATE clickup_tasks SET date_created = NULL WHERE id = %s", (ids[0],))
    got = lead_cycle_time(tx, since=since, limit=10)
    want = tx.execute(LEAD_CYCLE_BY_DEFINITION, {"since": since}).fetchone()
    assert want is not None and want[0] == count
    s = got.summary
    assert (s["completed"], s["with_cycle_time"], s["lead_time_median_days"],
            s["lead_time_p85_days"], s["cycle_time_median_days"],
            s["cycle_time_p85_days"]) == tuple(plain(v) for v in want)
    assert (s["lead_time_median_days"] is None) == (count == 1)
    assert len(got.rows) == count


def _same_week(one: dict[str, Any], other: dict[str, Any], *, all_done: bool) -> None:
    assert one["span"] == other["span"]
    assert one["created"] == other["created"]
    assert one["hours"] == {u: (h, []) for u, (h, _) in other["hours"].items()}
    if all_done:
        assert one["done"] == other["done"]
    else:
        assert one["done"] == {TOTAL: other["done"][TOTAL]}


def test_week_and_before_are_week_numbers_of_each_week(tx: psycopg.Connection) -> None:
    today = tx.execute("SELECT (now() AT TIME ZONE cs_timezone())::date").fetchone()
    assert today is not None
    monday = today[0] - timedelta(days=today[0].weekday())
    weeks = [monday, monday - timedelta(days=7), monday - timedelta(days=14),
             date(2003, 3, 3)]
    for scope in _scopes(tx):
        for start in weeks:
            week, before = week_and_before(tx, scope, start)
            _same_week(week, week_numbers(tx, scope, start), all_done=True)
            _same_week(before, week_numbers(tx, scope, start - timedelta(days=7)),
                       all_done=False)
    busy, _ = week_and_before(tx, WORKSPACE, monday - timedelta(days=7))
    assert busy["hours"][TOTAL][0] > 0 and len(busy["hours"]) > 2
    empty, _ = week_and_before(tx, WORKSPACE, date(2003, 3, 3))
    assert empty["hours"] == {TOTAL: (Decimal("0.00"), [])} and empty["created"] == 0
