"""Collect the weekly report's numbers, every one from a function of `clickup_sync.analytics`.

The report holds no SQL of its own: tasks completed, created and comments of a week are
`week_numbers` (as the weekly digest counts them), hours are `time_tracked` (as the MCP time
tools report them), the rest are the single metrics. Week-bound
numbers are of the chosen ISO week and the week before; the state of the work (workload,
overdue, at risk, blocked, bottlenecks) is as of now, and the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import psycopg

from clickup_sync.analytics import (
    Result,
    Scope,
    at_risk_tasks,
    blockers,
    bottlenecks,
    overdue_tasks,
    status_summary,
    throughput,
    time_tracked,
    workload,
)
from clickup_sync.analytics.reports import (
    TOTAL,
    Tally,
    overdue_at,
    people,
    total,
    week_bounds,
    week_numbers,
)
from clickup_sync.analytics.weekly import lead_cycle_between

TREND_WEEKS = 8
MAX_PEOPLE = 500
AT_RISK_DAYS = 7
PLACES = {"workspace": ("space", "list"), "space": ("folder", "list"), "folder": ("list",),
          "list": ("task",)}
"""Where the hours went, by the levels below the report's scope."""


@dataclass(frozen=True, slots=True)
class Week:
    """The counts of one ISO week in scope."""

    label: str
    start: date
    completed: int
    created: int
    hours: float
    comments: int
    overdue_at_end: int
    lead_median_days: float | None
    cycle_median_days: float | None
    cycle_p85_days: float | None
    contributors: int

    @property
    def last_day(self) -> date:
        return self.start + timedelta(days=6)


@dataclass(frozen=True, slots=True)
class PersonWeek:
    """One person's hours and completed tasks this week and the week before."""

    name: str
    hours: float
    hours_before: float
    completed: int
    completed_before: int


@dataclass(slots=True)
class WeeklyData:
    """Everything the report shows, as computed by the analytics layer."""

    scope: Scope
    week: Week
    before: Week
    today: date
    people: list[PersonWeek]
    status: Result
    workload: Result
    hours_by: dict[str, Result]
    throughput: list[tuple[str, int]]
    hours_per_week: list[tuple[str, float]]
    cycle: Result
    bottlenecks: Result
    blockers: Result
    overdue: Result
    at_risk: Result
    notes: list[str] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        """True when the week is the current one, not yet over."""
        return self.week.start + timedelta(days=7) > self.today


def _week(conn: psycopg.Connection, scope: Scope,
          start: date) -> tuple[Week, Tally, Result, Result]:
    """One week's numbers, and the tallies behind them: completed per person (`Tally`),
    hours per person (`time_tracked`) and lead and cycle times."""
    numbers = week_numbers(conn, scope, start)
    end = start + timedelta(days=7)
    late, _ = overdue_at(conn, scope, end, 1)
    times = lead_cycle_between(conn, scope, start=start, end=end)
    hours = time_tracked(conn, scope, group_by="person", since=start,
                         until=end - timedelta(days=1), limit=MAX_PEOPLE)
    done = numbers["done"]
    names = people(conn)
    active = {names.get(u, f"user {u}") for u, (n, _) in done.items()
              if u not in (TOTAL, None) and n} | {r[0] for r in hours.rows if r[1]}
    cycle = times.summary
    week = Week(label=f"{start:%G-W%V}", start=start, completed=int(total(done)),
                created=int(numbers["created"]), hours=float(hours.summary["total_hours"]),
                comments=int(total(numbers["comments"])), overdue_at_end=int(late),
                lead_median_days=cycle["lead_time_median_days"],
                cycle_median_days=cycle["cycle_time_median_days"],
                cycle_p85_days=cycle["cycle_time_p85_days"], contributors=len(active))
    return week, done, hours, times


def _people(conn: psycopg.Connection, done: tuple[Tally, Tally],
            hours: tuple[Result, Result]) -> list[PersonWeek]:
    """Per person: hours (`time_tracked`'s rows, by name) and tasks completed (by user id,
    named as `people` names them), this week and the week before."""
    names = people(conn)
    completed = [{names.get(u, f"user {u}"): int(n) for u, (n, _) in tally.items()
                  if u not in (TOTAL, None)} for tally in done]
    tracked = [{str(r[0]): float(r[1]) for r in result.rows} for result in hours]
    everyone = {n for counts in (*completed, *tracked) for n in counts}
    rows = [PersonWeek(name=n, hours=tracked[0].get(n, 0.0),
                       hours_before=tracked[1].get(n, 0.0), completed=completed[0].get(n, 0),
                       completed_before=completed[1].get(n, 0)) for n in everyone]
    return sorted(rows, key=lambda p: (-p.hours, -p.completed, p.name.casefold()))


def _series(conn: psycopg.Connection, scope: Scope, start: date,
            today: date) -> tuple[list[tuple[str, int]], list[tuple[str, float]]]:
    """Tasks completed and hours tracked per week, the `TREND_WEEKS` up to the report's."""
    this_monday = today - timedelta(days=today.weekday())
    weeks = min((this_monday - start).days // 7 + TREND_WEEKS, 104)
    flow = throughput(conn, scope, weeks=weeks, limit=weeks)
    done = [(r[0], int(r[2])) for r in flow.rows if date.fromisoformat(r[1]) <= start]
    first = start - timedelta(days=7 * (TREND_WEEKS - 1))
    hours = time_tracked(conn, scope, group_by="week", since=first,
                         until=start + timedelta(days=6), limit=TREND_WEEKS)
    per_week = {r[0]: float(r[2]) for r in hours.rows}
    labels = [f"{first + timedelta(days=7 * i):%G-W%V}" for i in range(TREND_WEEKS)]
    return done[-TREND_WEEKS:], [(w, per_week.get(w, 0.0)) for w in labels]


def collect(conn: psycopg.Connection, scope: Scope, week: date | str | None = None,
            *, rows: int = 10) -> WeeklyData:
    """Compute the report of the ISO week holding ``week`` (None: the last complete week)."""
    start, end, today = week_bounds(conn, week)
    this, done, hours, cycle = _week(conn, scope, start)
    before, done_before, hours_before, _ = _week(conn, scope, start - timedelta(days=7))
    last_day = end - timedelta(days=1)
    hours_by = {"person": hours} | {
        level: time_tracked(conn, scope, group_by=level,  # type: ignore[arg-type]
                            since=start, until=last_day, limit=rows)
        for level in PLACES[scope.kind]}
    per_week_done, per_week_hours = _series(conn, scope, start, today)
    notes = [f"week {this.label}: {start} to {last_day} (local dates); the week before: "
             f"{before.label}",
             "workload, overdue, at-risk, blocked and bottleneck sections are as of "
             f"{today}, not as of the week's end"]
    if end > today:
        notes.insert(1, f"{this.label} is the current week: its numbers are so far")
    return WeeklyData(
        scope=scope, week=this, before=before, today=today,
        people=_people(conn, (done, done_before), (hours, hours_before)),
        status=status_summary(conn, scope, limit=50), workload=workload(conn, scope, limit=50),
        hours_by=hours_by, throughput=per_week_done, hours_per_week=per_week_hours,
        cycle=cycle,
        bottlenecks=bottlenecks(conn, scope, limit=5), blockers=blockers(conn, scope, limit=rows),
        overdue=overdue_tasks(conn, scope, limit=rows),
        at_risk=at_risk_tasks(conn, scope, days=AT_RISK_DAYS, limit=rows), notes=notes)
