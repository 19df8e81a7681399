"""Numbers a weekly report needs that no single metric gives for a chosen week.

`lead_cycle_time` measures from a date up to now; a report for a past week needs the tasks
completed inside that week only, and the same for the week before, to compare them. The
definitions are those of `lead_cycle_time` (docs/metrics/flow.md), the week those of
`weekly_digest`: local dates in the configured timezone, end excluded.
"""

from __future__ import annotations

from datetime import date

import psycopg

from ._args import check_scope
from ._risk_base import between, span
from .flow import COMPLETED_AT, DONE, LIVE, pct
from .result import Result
from .scope import WORKSPACE, AnalyticsError, Scope
from .time import reads


@reads
def lead_cycle_between(conn: psycopg.Connection, scope: Scope = WORKSPACE, *,
                       start: date, end: date) -> Result:
    """Measure lead and cycle time of the tasks completed from ``start`` up to ``end``
    (local dates, ``end`` excluded), so two weeks can be compared."""
    scope = check_scope(scope)
    if not isinstance(start, date) or not isinstance(end, date) or end <= start:
        raise AnalyticsError(f"give start before end as dates; got {start!r} and {end!r}")
    days = span(conn, start, end)
    row = conn.execute(
        f"""WITH done AS MATERIALIZED (
                SELECT t.date_created, {COMPLETED_AT} AS completed_at,
                       (SELECT min(h.changed_at) FROM task_status_history h
                         WHERE h.task_id = t.id AND h.status_type = 'custom'
                           AND h.changed_at <= {COMPLETED_AT}) AS started_at
                  FROM clickup_tasks t
                 WHERE {LIVE} AND {DONE} AND {scope.condition()}
                   AND {between(COMPLETED_AT)}),
            d AS (SELECT round(extract(epoch FROM completed_at - date_created) / 86400, 1)
                             AS lead_days,
                         round(extract(epoch FROM completed_at - started_at) / 86400, 1)
                             AS cycle_days
                    FROM done)
            SELECT count(*), count(cycle_days), {pct(0.5, "lead_days")},
                   {pct(0.85, "lead_days")}, {pct(0.5, "cycle_days")},
                   {pct(0.85, "cycle_days")}
              FROM d""", {**scope.params, **days}).fetchone()
    assert row is not None
    total, with_cycle, lead50, lead85, cycle50, cycle85 = row
    return Result.table(
        f"Lead and cycle time of tasks completed in {scope.label} from {start} to {end}",
        [], [], limit=1,
        summary={"completed": total, "from": start, "until": end,
                 "lead_time_median_days": lead50, "lead_time_p85_days": lead85,
                 "cycle_time_median_days": cycle50, "cycle_time_p85_days": cycle85,
                 "with_cycle_time": with_cycle},
        notes=["as lead_cycle_time, over tasks completed (date_done, else date_closed) on "
               "local dates from `from` up to `until`, `until` excluded; cycle time needs "
               "the sync to have seen the task in an active (custom) status"])
