"""How healthy a project is: one 0–100 score from five documented, deterministic parts.

Each component scores 0–100 and has a fixed weight; the score is the weighted mean of the
components that have data (a component without data is left out, and the weights of the rest
are renormalised). Grades: 75 and up healthy, 50 and up at risk, below 50 critical.
"""

from __future__ import annotations

from typing import Any

import psycopg

from ._args import check_scope
from ._risk_base import blocked_ctes, open_task, params, scope_first
from .flow import throughput
from .result import Result
from .scope import WORKSPACE, Scope
from .time import estimation_accuracy, reads

STALE_DAYS = 14
OVERRUN = 1.2  # tracked time above 120 % of the estimate is an overrun
WEIGHTS = {"overdue": 30, "stale": 15, "blocked": 15, "throughput_trend": 20,
           "estimate_overrun": 20}
GRADES = ((75, "healthy"), (50, "at risk"), (0, "critical"))


def grade(score: float) -> str:
    """The grade of a 0–100 health score."""
    return next(name for floor, name in GRADES if score >= floor)


def _facts(conn: psycopg.Connection, scope: Scope, blocked: int | None) -> dict[str, Any]:
    # A caller that already counted the blocked tasks (project_summary, via blockers())
    # passes the count, so blocked_ctes runs once per answer.
    found = "SELECT count(*) FROM b" if blocked is None else "SELECT %(blocked)s::bigint"
    ctes = f"WITH {blocked_ctes(scope, first=scope_first(conn, scope))}" \
        if blocked is None else ""
    row = conn.execute(
        f"""{ctes}
            SELECT o.*, ({found}) FROM (  -- one pass over the open tasks in scope
                SELECT count(*), count(*) FILTER (WHERE t.due_date < now()),
                       count(*) FILTER (WHERE t.status_type IN ('open', 'custom')
                           AND t.date_updated < now() - %(stale)s * interval '1 day')
                  FROM clickup_tasks t WHERE {open_task()} AND {scope.condition()}) o""",
        params(scope, stale=STALE_DAYS, blocked=blocked)).fetchone()
    assert row is not None
    flow = throughput(conn, scope, weeks=8, limit=1).summary
    estimates = estimation_accuracy(conn, scope, group_by="task", limit=1).summary
    return {"open": row[0], "overdue": row[1], "stale": row[2], "blocked": row[3],
            "last_4_weeks": flow["last_4_weeks_average"],
            "previous_4_weeks": flow["previous_4_weeks_average"],
            "measured": estimates["tasks_measured"], "overran": estimates["over_estimate"],
            "estimates_since": estimates["since"]}


def _share_score(part: int, whole: int) -> float:
    """100 with none of ``whole`` affected, falling 2 points per percent, 0 from half."""
    return 100.0 if whole == 0 else max(0.0, 100.0 - 200.0 * part / whole)


def _components(f: dict[str, Any]) -> list[tuple[str, float | None, str]]:
    """(component, sub-score or None when there is no data, what it measured)."""
    n, recent, before = f["open"], f["last_4_weeks"], f["previous_4_weeks"]
    if before > 0:
        trend: float | None = min(100.0, 100.0 * recent / before)
    elif recent > 0:
        trend = 100.0
    else:
        trend = 0.0 if n else None
    overrun = 100.0 * (1 - f["overran"] / f["measured"]) if f["measured"] else None
    return [
        ("overdue", _share_score(f["overdue"], n), f"{f['overdue']} of {n} open tasks overdue"),
        ("stale", _share_score(f["stale"], n),
         f"{f['stale']} of {n} open tasks untouched for {STALE_DAYS}+ days"),
        ("blocked", _share_score(f["blocked"], n), f"{f['blocked']} of {n} open tasks blocked"),
        ("throughput_trend", trend,
         f"{recent:g} done a week in the last 4 complete weeks vs {before:g} in the 4 before"),
        ("estimate_overrun", overrun,
         f"{f['overran']} of {f['measured']} tasks done since {f['estimates_since']} "
         f"tracked more than {OVERRUN:.0%} of their estimate"),
    ]


@reads
def health_score(conn: psycopg.Connection, scope: Scope = WORKSPACE) -> Result:
    """Rate how healthy the work in a scope is, 0–100, and show what drives the score."""
    return scored(conn, check_scope(scope))


def scored(conn: psycopg.Connection, scope: Scope, *, blocked: int | None = None) -> Result:
    """`health_score` of a checked scope; ``blocked`` is the count of `blockers` when the
    caller has it already (the composites), else it is counted here."""
    facts = _facts(conn, scope, blocked)
    parts = _components(facts)
    used = [(name, s) for name, s, _ in parts if s is not None]
    weight = sum(WEIGHTS[name] for name, _ in used)
    score = round(sum(WEIGHTS[name] * s for name, s in used) / weight) if weight else 100
    rows = [(name, WEIGHTS[name], None if s is None else round(s), detail)
            for name, s, detail in parts]
    return Result.table(
        f"Health of {scope.label}", ["component", "weight", "score", "detail"], rows,
        limit=len(rows),
        summary={"score": score, "grade": grade(score), "open_tasks": facts["open"],
                 "overdue": facts["overdue"], "stale": facts["stale"],
                 "blocked": facts["blocked"]},
        notes=["score = weighted mean of the component scores that have data (score empty: "
               "left out); 75+ healthy, 50+ at risk, below 50 critical",
               "overdue/stale/blocked: 100 - 2 x the percent of open tasks affected (0 from "
               "half); throughput_trend: 100 x the weekly mean of tasks completed in the last 4 "
               "complete ISO weeks / that of the 4 before, capped at 100 (as throughput()); "
               "estimate_overrun: 100 x the share of measured tasks not over 120% of "
               "their estimate (as estimation_accuracy())"])
