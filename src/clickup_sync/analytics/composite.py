"""Whole answers in one call, for a small model: a person, a project, the week.

Each composite calls the single metrics (so their numbers agree with the tools that answer
one part), puts the headline numbers in ``summary`` and the most important rows in
``rows``: columns section / item / value / detail, every section represented, at most
`MAX_ROWS` rows in all. Definitions are in docs/metrics/risk-and-reports.md.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import psycopg

from clickup_sync.store.snapshots import local_today

from ._args import check_limit, check_person, check_scope
from ._risk_base import (
    blocked_ctes,
    blocked_detail,
    blocked_reason,
    params,
)
from .flow import throughput
from .health import scored
from .history import bottlenecks
from .reports import TOTAL, people, total, week_and_before, week_bounds
from .result import Result
from .risk import at_risk_tasks, blockers, overdue_tasks
from .scope import WORKSPACE, Person, Scope
from .status import status_summary
from .time import GroupBy, accuracy_of, reads, time_tracked
from .workload import assigned_comments, workload

MAX_ROWS = 40
COLUMNS = ["section", "item", "value", "detail"]
Section = tuple[str, list[tuple[Any, ...]]]


def compose(title: str, sections: list[Section], *, limit: int, summary: dict[str, Any],
            notes: list[str]) -> Result:
    """Rows of every section, taken in turn until ``limit``, then kept in section order."""
    limit = min(check_limit(limit), MAX_ROWS)
    taken = [0] * len(sections)
    left = limit
    while left and any(taken[i] < len(rows) for i, (_, rows) in enumerate(sections)):
        for i, (_, rows) in enumerate(sections):
            if left and taken[i] < len(rows):
                taken[i] += 1
                left -= 1
    table = [(name, *row) for (name, rows), n in zip(sections, taken, strict=True)
             for row in rows[:n]]
    return Result.table(title, COLUMNS, table, limit=limit, summary=summary, notes=notes,
                        total_rows=sum(len(rows) for _, rows in sections))


MINE_OPEN = "SELECT o.id FROM open_assignments o WHERE o.user_id = %(person)s"
"""The open tasks assigned to ``%(person)s``, from the open work the database
keeps (migration 0021), by the index on its user (0026): a person's blocked tasks are
looked for among their few hundred, not among the Workspace's."""


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _hours(conn: psycopg.Connection, scope: Scope, since: date, until: date, *,
           group_by: GroupBy = "person", person: Person | None = None,
           limit: int = 5) -> Result:
    return time_tracked(conn, scope, group_by=group_by, since=since, until=until,
                        person=person, limit=limit)


@reads
def person_summary(conn: psycopg.Connection, person: Person, *, limit: int = 20) -> Result:
    """Sum up one person: open, overdue, in-progress and blocked work, hours, comments to
    answer, and how well their estimates hold."""
    who, limit = check_person(conn, person, required=True), check_limit(limit)
    assert who is not None
    today = local_today(conn)
    monday = _monday(today)
    args = params(WORKSPACE, person=who.user_id)
    counts = conn.execute(
        """SELECT count(*), count(*) FILTER (WHERE o.status_type = 'custom'),
                  count(*) FILTER (WHERE o.status_type = 'open')
             FROM open_assignments o WHERE o.user_id = %(person)s""", args).fetchone()
    assert counts is not None
    doing = conn.execute(
        """SELECT t.name, t.id, t.status
             FROM (SELECT o.id, o.date_updated FROM open_assignments o
                    WHERE o.user_id = %(person)s AND o.status_type = 'custom'
                    ORDER BY o.date_updated DESC, o.id LIMIT 10) o
             JOIN clickup_tasks t ON t.id = o.id
            ORDER BY o.date_updated DESC, o.id""", args).fetchall()
    stuck = conn.execute(
        f"""WITH {blocked_ctes(WORKSPACE, open_tasks=MINE_OPEN)}
            SELECT p.name, p.id, w.waits, p.waits_n, p.by_status, p.status, p.comments,
                   w.comment_for, p.total
              FROM (SELECT b.*, count(*) OVER () AS total FROM b
                     ORDER BY b.waits_n DESC, b.date_updated DESC, b.id LIMIT 10) p
              CROSS JOIN LATERAL (SELECT {blocked_detail('p')}) w
             ORDER BY p.waits_n DESC, p.date_updated DESC, p.id""", args).fetchall()
    asks = assigned_comments(conn, person=who, limit=10)
    late = overdue_tasks(conn, person=who, limit=10)
    this_week = _hours(conn, WORKSPACE, monday, today, person=who, group_by="space")
    last_week = _hours(conn, WORKSPACE, monday - timedelta(days=7), monday - timedelta(days=1),
                       person=who)
    accuracy_since, theirs = accuracy_of(conn, who)
    sections: list[Section] = [
        ("overdue", [(r[1], r[0], f"{r[5]} days overdue, {r[6]}, list {r[2]}")
                     for r in late.rows]),
        ("in progress", [(name, tid, status) for name, tid, status in doing]),
        ("blocked", [(r[0], r[1], blocked_reason(*r[2:8])) for r in stuck]),
        ("comment to resolve", [(r[2], r[1], f"{r[3]} (from {r[4]}, {r[0]})")
                                for r in asks.rows]),
        ("hours this week", [(r[0], r[1], f"{r[2]} intervals") for r in this_week.rows]),
    ]
    summary = {
        "person": who.name, "open_tasks": counts[0], "in_progress": counts[1],
        "not_started": counts[2], "overdue": late.summary["overdue"],
        "blocked": stuck[0][-1] if stuck else 0,
        "hours_this_week": this_week.summary["total_hours"],
        "hours_last_week": last_week.summary["total_hours"],
        "unresolved_assigned_comments": asks.summary["comments"],
        "estimates_measured": theirs.get("tasks", 0),
        "estimate_median_ratio": theirs.get("median_ratio"),
        "estimates_within_20_percent": theirs.get("within_20_percent")}
    return compose(
        f"Summary for {who.name}", sections, limit=limit, summary=summary,
        notes=[f"this week = {monday} to {today}; last week = the ISO week before; hours as "
               "time_tracked counts them", "estimates: tasks assigned to them done in the "
               f"last 90 days, as estimation_accuracy (since {accuracy_since}); "
               "ratio = tracked / estimated", "blocked as blockers() defines it; comments "
               "as assigned_comments"])


@reads
def project_summary(conn: psycopg.Connection, scope: Scope, *, limit: int = 20) -> Result:
    """Sum up a project: status mix, progress, overdue work, blockers, health, hours this
    week and who tracked them."""
    scope, limit = check_scope(scope), check_limit(limit)
    today = local_today(conn)
    monday = _monday(today)
    status = status_summary(conn, scope, limit=20)
    late = overdue_tasks(conn, scope, limit=5)
    stuck = blockers(conn, scope, limit=5)
    health = scored(conn, scope, blocked=stuck.summary["blocked"])
    hours = _hours(conn, scope, monday, today, limit=5)
    sections: list[Section] = [
        ("status", [(r[0], r[2], f"{r[3]}% ({r[1]})") for r in status.rows]),
        ("overdue", [(r[1], r[0], f"{r[5]} days overdue, {r[3] or 'unassigned'}")
                     for r in late.rows]),
        ("blocked", [(r[1], r[0], r[5]) for r in stuck.rows]),
        ("hours this week", [(r[0], r[1], f"{r[3]} tasks") for r in hours.rows]),
        ("health", [(r[0], r[2], r[3]) for r in health.rows]),
    ]
    s = status.summary
    summary = {"project": scope.label, "tasks": s["total_tasks"], "done": s["done"],
               "open": s["not_done"], "percent_done": s["percent_done"],
               "overdue": late.summary["overdue"], "blocked": stuck.summary["blocked"],
               "health_score": health.summary["score"], "grade": health.summary["grade"],
               "hours_this_week": hours.summary["total_hours"],
               "top_people_this_week": {r[0]: r[1] for r in hours.rows}}
    return compose(
        f"Summary of {scope.label}", sections, limit=limit, summary=summary,
        notes=[f"this week = {monday} to {today}; numbers as status_summary, overdue_tasks, "
               "blockers, health_score and time_tracked give them"])


@reads
def weekly_report(conn: psycopg.Connection, scope: Scope = WORKSPACE, *,
                  week: date | None = None, limit: int = 20) -> Result:
    """Report an ISO week for a CTO: work done and created, hours by person and project,
    throughput, bottlenecks, overdue and at-risk work, workload, against the week before."""
    scope, limit = check_scope(scope), check_limit(limit)
    start, end, _ = week_bounds(conn, week)
    now, before = week_and_before(conn, scope, start)
    project_kind: GroupBy = "space" if scope.kind == "workspace" else "list"
    by_project = _hours(conn, scope, start, end - timedelta(days=1), group_by=project_kind)
    flow = throughput(conn, scope, weeks=8, limit=8)
    waits = bottlenecks(conn, scope, limit=3)
    soon = at_risk_tasks(conn, scope, limit=3)
    late = overdue_tasks(conn, scope, limit=3)
    stuck = blockers(conn, scope, limit=3)
    load = workload(conn, scope, limit=5, hours=False)  # its hours are not shown here
    if len(load.rows) < 5:  # then people who only tracked time would be listed too
        load = workload(conn, scope, limit=5)
    names = people(conn)
    share = by_project.columns.index("percent")
    hours, hours_before = now["hours"], before["hours"]
    ranked = sorted((u for u in hours if u not in (TOTAL, None)),
                    key=lambda u: (-float(hours[u][0]), names.get(u, str(u))))
    sections: list[Section] = [
        ("hours by person", [(names.get(u, str(u)), hours[u][0],
                              f"week before: {hours_before.get(u, (0,))[0]} h, completed "
                              f"{now['done'].get(u, (0,))[0]} tasks") for u in ranked]),
        (f"hours by {project_kind}", [(r[0], r[1], f"{r[share]}%") for r in by_project.rows]),
        ("workload", [(r[0], r[1], f"{r[2]} in progress, {r[3]} overdue, {r[5]} h estimate "
                                   "left") for r in load.rows]),
        ("bottleneck", [(r[0], r[2], f"median {r[3]} days waiting") for r in waits.rows]),
        ("overdue", [(r[1], r[0], f"{r[5]} days overdue, {r[3] or 'unassigned'}")
                     for r in late.rows]),
        ("at risk", [(r[1], r[0], r[7]) for r in soon.rows]),
        ("blocked", [(r[1], r[0], r[5]) for r in stuck.rows]),
    ]
    summary = {
        "week": f"{start:%G-W%V}", "completed": total(now["done"]),
        "completed_week_before": total(before["done"]), "created": now["created"],
        "created_week_before": before["created"], "hours_tracked": total(hours),
        "hours_week_before": total(hours_before),
        "throughput_trend": flow.summary["trend"],
        "average_completed_per_week": flow.summary["average_per_week"],
        "open_tasks": load.summary["open_tasks"], "in_progress": load.summary["in_progress"],
        "unassigned_open": load.summary["unassigned_open"],
        "overdue_now": late.summary["overdue"], "due_in_3_days": soon.summary["due_soon"],
        "blocked_now": stuck.summary["blocked"],
        "worst_bottleneck": waits.summary["worst_status"],
        "most_loaded": load.summary["most_loaded"]}
    return compose(
        f"Weekly report {start:%G-W%V} for {scope.label}", sections, limit=limit,
        summary=summary,
        notes=["completed / created / hours of the week and the week before as "
               "weekly_digest counts them (hours as time_tracked); throughput trend over the "
               "last 8 weeks as throughput(); workload as workload()",
               "overdue, at risk (due in 3 days), blocked, bottlenecks and workload are as "
               "of now"])
