"""How work moves over time: throughput, progress since a date, cumulative flow, burndown.

A task is completed when its status is of type ``done`` or ``closed``; its completion time is
ClickUp's ``date_done``, else ``date_closed`` (ClickUp clears both when a task is reopened, so
a reopened task counts again only when it is finished again). Weeks are ISO weeks starting
Monday and days are calendar days, both in the configured timezone (``cs_timezone()``).
Status history holds each status change the sync observed (see `store.writes`); daily
snapshots hold one row per task per day. Lead and cycle time, time in status, aging and
bottlenecks are in `history`. Definitions: docs/metrics/flow.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import psycopg

from ._args import check_int, check_limit
from .result import Result
from .scope import WORKSPACE, AnalyticsError, Scope

LIVE = "NOT t.is_deleted AND NOT t.archived"
DONE = "t.status_type IN ('done', 'closed')"
COMPLETED_AT = "coalesce(t.date_done, t.date_closed)"
SINCE = "(%(since)s::date::timestamp AT TIME ZONE %(tz)s)"  # 00:00 of since, local
ASSIGNEES = """(SELECT string_agg(coalesce(e.name, a.user_id::text), ', '
                               ORDER BY coalesce(e.name, a.user_id::text))
                  FROM task_assignees a LEFT JOIN employees e ON e.clickup_user_id = a.user_id
                 WHERE a.task_id = t.id)"""
_SNAPSHOT_COLUMN = {"space": "s.space_id", "folder": "s.folder_id", "list": "s.list_id"}


@dataclass(frozen=True, slots=True)
class Clock:
    """The configured timezone, today's date there, and the first day of a window."""

    tz: str
    today: date
    since: date

    @property
    def params(self) -> dict[str, Any]:
        return {"tz": self.tz, "today": self.today, "since": self.since}


def _as_date(since: date | str) -> date:
    if isinstance(since, datetime):
        return since.date()
    if isinstance(since, date):
        return since
    if isinstance(since, str):
        try:
            return date.fromisoformat(since.strip())
        except ValueError:
            pass
    raise AnalyticsError(f"since must be a date like 2026-01-31, not {since!r}")


def clock(conn: psycopg.Connection, since: date | str | None = None, *,
          default_days: int | None = 0) -> Clock:
    """Read the timezone and today; ``since`` checked (None: ``default_days`` ago)."""
    if since is None and default_days is None:
        raise AnalyticsError("since is required: give a date such as 2026-01-31")
    day = None if since is None else _as_date(since)
    row = conn.execute(
        """SELECT z.tz, d.today, coalesce(%(since)s::date, d.today - %(back)s::int)
             FROM (SELECT cs_timezone() AS tz) z,
                  LATERAL (SELECT (now() AT TIME ZONE z.tz)::date AS today) d""",
        {"since": day, "back": default_days or 0}).fetchone()
    assert row is not None
    found = Clock(*row)
    if found.since > found.today:
        raise AnalyticsError(f"since ({found.since}) is in the future; today is {found.today}")
    return found


def snapshot_rows(scope: Scope, columns: str) -> str:
    """A subquery of ``columns`` (of alias ``s``) from the unarchived snapshots of ``scope``
    taken from ``%(first)s`` to ``%(today)s``; a task counts where it was on each day.

    A List also holds its extra tasks (Tasks in Multiple Lists) by their current locations.
    """
    window = "s.snapshot_date BETWEEN %(first)s AND %(today)s AND NOT s.archived"
    if scope.kind == "workspace":
        return f"SELECT {columns} FROM task_snapshots s WHERE {window}"
    if scope.kind not in _SNAPSHOT_COLUMN:
        raise AnalyticsError(f"unknown scope kind {scope.kind!r}")
    home = (f"SELECT {columns} FROM task_snapshots s "
            f"WHERE {_SNAPSHOT_COLUMN[scope.kind]} = %(scope_id)s AND {window}")
    if scope.kind != "list":
        return home
    # An extra task's snapshots are found by (day, task), the primary key, one day at a
    # time: the key leads with the day, so a range of days per task would read every task.
    return (f"{home} UNION ALL SELECT {columns} FROM task_locations x "
            "CROSS JOIN generate_series(%(first)s::date, %(today)s::date, interval '1 day') d "
            "JOIN task_snapshots s ON s.snapshot_date = d::date AND s.task_id = x.task_id "
            f"WHERE x.list_id = %(scope_id)s AND s.list_id IS DISTINCT FROM %(scope_id)s "
            f"AND {window}")


def snapshot_groups(scope: Scope) -> str:
    """A subquery of the unarchived snapshots of ``scope`` from ``%(first)s`` to ``%(today)s``
    counted per day and status: ``snapshot_date, status_type, status, tasks, estimated``
    (rows with a time estimate) and ``minutes`` (their summed estimate, 0 when none).

    A Workspace, Space or Folder reads ``snapshot_counts`` (kept equal to a count over
    ``task_snapshots`` by triggers, migration 0009); a List counts its snapshot rows.
    """
    if scope.kind == "list":
        rows = snapshot_rows(scope, "s.snapshot_date, s.status_type, s.status, "
                                    "s.time_estimate_minutes AS minutes")
        return ("SELECT s.snapshot_date, s.status_type, s.status, count(*) AS tasks, "
                "count(s.minutes) AS estimated, coalesce(sum(s.minutes), 0) AS minutes "
                f"FROM ({rows}) s GROUP BY 1, 2, 3")
    window = "c.snapshot_date BETWEEN %(first)s AND %(today)s AND NOT c.archived"
    if scope.kind != "workspace":
        if scope.kind not in _SNAPSHOT_COLUMN:
            raise AnalyticsError(f"unknown scope kind {scope.kind!r}")
        window += f" AND c.{scope.kind}_id = %(scope_id)s"
    return ("SELECT c.snapshot_date, c.status_type, c.status, c.tasks, c.estimated, c.minutes "
            f"FROM snapshot_counts c WHERE {window}")


def pct(fraction: float, column: str) -> str:
    """SQL for a percentile of ``column`` rounded to one decimal (fixed arguments only)."""
    return f"round(percentile_cont({fraction}) WITHIN GROUP (ORDER BY {column})::numeric, 1)"


def split(rows: list[tuple[Any, ...]], width: int) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
    """Rows of ``stats LEFT JOIN LATERAL (table … LIMIT)``: the stats, then the table rows."""
    stats = rows[0][:width]
    return stats, [r[width:] for r in rows if r[width] is not None]


def series(title: str, columns: list[str], rows: list[tuple[Any, ...]], *, limit: int,
           summary: dict[str, Any], notes: list[str]) -> Result:
    """A time series (oldest first) that keeps its newest ``limit`` rows when cut."""
    return Result.table(title, columns, rows[-limit:], limit=limit, summary=summary,
                        notes=notes, total_rows=len(rows))


def trend(recent: float, before: float) -> str:
    """``up``/``down`` when ``recent`` differs from ``before`` by more than 10 %, else flat."""
    if before == 0:
        return "up" if recent > 0 else "flat"
    change = (recent - before) / before
    return "up" if change > 0.1 else "down" if change < -0.1 else "flat"


# -- throughput --------------------------------------------------------------------------------
def throughput(conn: psycopg.Connection, scope: Scope = WORKSPACE, *, weeks: int = 8,
               limit: int = 50) -> Result:
    """Count the tasks completed in each ISO week, the current week included."""
    weeks, limit = check_int(weeks, "weeks", 1, 104), check_limit(limit)
    span = max(weeks, 9)  # the trend compares the last 4 complete weeks with the 4 before
    clk = clock(conn)
    first = clk.today - timedelta(days=clk.today.weekday() + 7 * (span - 1))
    rows = conn.execute(
        f"""WITH w AS (
                SELECT generate_series(%(since)s::timestamp, %(today)s::timestamp,
                                       interval '7 days')::date AS week_start),
            done AS (
                SELECT date_trunc('week', {COMPLETED_AT} AT TIME ZONE %(tz)s)::date
                       AS week_start, count(*) AS n
                  FROM clickup_tasks t
                 WHERE {LIVE} AND {DONE} AND {scope.condition()} AND {COMPLETED_AT} >= {SINCE}
                 GROUP BY 1)
            SELECT to_char(w.week_start, 'IYYY-"W"IW'), w.week_start, coalesce(done.n, 0)
              FROM w LEFT JOIN done USING (week_start)
             ORDER BY w.week_start""",
        {**scope.params, **clk.params, "since": first}).fetchall()
    counts = [r[2] for r in rows]
    shown = rows[-weeks:]
    complete = [r[2] for r in shown[:-1]]
    last4, prev4 = counts[-5:-1], counts[-9:-5]
    recent, before = sum(last4) / 4, sum(prev4) / 4
    summary = {
        "completed": sum(r[2] for r in shown),
        "this_week_so_far": counts[-1],
        "average_per_week": round(sum(complete) / len(complete), 1) if complete else None,
        "last_4_weeks_average": recent,
        "previous_4_weeks_average": before,
        "trend": trend(recent, before),
    }
    return series(
        f"Tasks completed per week in {scope.label}", ["week", "week_start", "completed"],
        shown, limit=limit, summary=summary,
        notes=["completed = status type done/closed, counted in the ISO week (Monday, "
               "configured timezone) of date_done, else date_closed; archived tasks excluded",
               "average_per_week and the trend use complete weeks only: the trend compares "
               "the last 4 complete weeks with the 4 before (more than 10 % = up/down)"])


# -- progress since a date ---------------------------------------------------------------------
def progress_since(conn: psycopg.Connection, scope: Scope = WORKSPACE, *, since: date,
                   limit: int = 50) -> Result:
    """Tell what happened since a date: tasks created, completed, moved and reopened."""
    limit = check_limit(limit)
    clk = clock(conn, since, default_days=None)
    rows = conn.execute(
        f"""WITH moves AS MATERIALIZED (
                SELECT h.task_id, count(*) AS n, max(h.changed_at) AS last_at,
                       bool_or(p.status_type IN ('done', 'closed')
                               AND coalesce(h.status_type, 'open') NOT IN ('done', 'closed'))
                           AS reopened
                  FROM task_status_history h
                  JOIN clickup_tasks t ON t.id = h.task_id
                  LEFT JOIN LATERAL (
                      SELECT p.status_type FROM task_status_history p
                       WHERE p.task_id = h.task_id AND (p.changed_at, p.id) < (h.changed_at, h.id)
                       ORDER BY p.changed_at DESC, p.id DESC LIMIT 1) p ON true
                 WHERE h.changed_at >= {SINCE} AND h.previous_status IS NOT NULL
                   AND {LIVE} AND {scope.condition()}
                 GROUP BY h.task_id),
            done AS MATERIALIZED (
                SELECT t.id, {COMPLETED_AT} AS completed_at FROM clickup_tasks t
                 WHERE {LIVE} AND {DONE} AND {scope.condition()}
                   AND {COMPLETED_AT} >= {SINCE}),
            events AS MATERIALIZED (
                SELECT coalesce(m.task_id, d.id) AS id, coalesce(m.n, 0) AS n, m.reopened,
                       d.completed_at, greatest(m.last_at, d.completed_at) AS at
                  FROM moves m FULL JOIN done d ON d.id = m.task_id),
            stats AS (
                SELECT (SELECT count(*) FROM clickup_tasks t
                         WHERE {LIVE} AND {scope.condition()}
                           AND t.date_created >= {SINCE}),
                       (SELECT count(*) FROM done),
                       (SELECT coalesce(sum(n), 0)::bigint FROM moves),
                       (SELECT count(*) FROM moves),
                       (SELECT count(*) FROM moves WHERE reopened),
                       (SELECT count(*) FROM events))
            SELECT stats.*, r.* FROM stats LEFT JOIN LATERAL (
                SELECT e.id, t.name, t.status,
                       CASE WHEN e.completed_at IS NOT NULL THEN 'completed'
                            WHEN e.reopened THEN 'reopened' ELSE 'moved' END,
                       e.n, to_char(e.at AT TIME ZONE %(tz)s, 'YYYY-MM-DD HH24:MI'),
                       {ASSIGNEES}
                  FROM (SELECT * FROM events ORDER BY at DESC, id LIMIT %(limit)s) e
                  JOIN clickup_tasks t ON t.id = e.id
                 ORDER BY e.at DESC, e.id) r ON true""",
        {**scope.params, **clk.params, "limit": limit}).fetchall()
    (created, completed, changes, moved, reopened, touched), table = split(rows, 6)
    return Result.table(
        f"Progress in {scope.label} since {clk.since}",
        ["task_id", "task", "status_now", "event", "status_changes", "when", "assignees"],
        table, limit=limit, total_rows=touched,
        summary={"since": clk.since, "created": created, "completed": completed,
                 "status_changes": changes, "tasks_moved": moved, "reopened": reopened},
        notes=["completed = now done/closed with date_done (else date_closed) on or after "
               "since; status changes are those the sync observed (a task's first sighting "
               "is not a change); reopened = moved from a done/closed status to another",
               "rows: completed or moved tasks, latest first; archived tasks excluded"])


# -- snapshots: cumulative flow and burndown ---------------------------------------------------
_TYPES = (("open", "not_started"), ("custom", "active"), ("done", "done"), ("closed", "closed"))
MAX_STATUS_COLUMNS = 12


def _snapshot_window(conn: psycopg.Connection, days: int) -> tuple[date, date]:
    today = clock(conn).today
    return today - timedelta(days=days - 1), today


def cumulative_flow(conn: psycopg.Connection, scope: Scope = WORKSPACE, *, days: int = 30,
                    limit: int = 50) -> Result:
    """Count the tasks in each status type and status on each day (cumulative flow)."""
    days, limit = check_int(days, "days", 1, 366), check_limit(limit)
    first, today = _snapshot_window(conn, days)
    found = conn.execute(
        f"""SELECT s.snapshot_date, coalesce(s.status_type, 'open'), s.status,
                   sum(s.tasks)::bigint
              FROM ({snapshot_groups(scope)}) s
             GROUP BY 1, 2, 3""",
        {**scope.params, "first": first, "today": today}).fetchall()
    dates = sorted({r[0] for r in found})
    by_type: dict[tuple[date, str], int] = {}
    by_status: dict[tuple[date, str], int] = {}
    kind_of: dict[str, str] = {}
    for day, kind, status, n in found:
        by_type[day, kind] = by_type.get((day, kind), 0) + n
        by_status[day, status] = by_status.get((day, status), 0) + n
        kind_of.setdefault(status, kind)
    rank = {k: i for i, (k, _) in enumerate(_TYPES)}
    statuses = sorted(kind_of, key=lambda s: (rank.get(kind_of[s], 9), s))
    other: list[str] = []
    if len(statuses) > MAX_STATUS_COLUMNS:
        last = dates[-1]
        big = set(sorted(statuses, key=lambda s: -by_status.get((last, s), 0))
                  [:MAX_STATUS_COLUMNS - 1])
        other = [s for s in statuses if s not in big]
        statuses = [s for s in statuses if s in big]
    table = []
    for day in dates:
        kinds = [by_type.get((day, k), 0) for k, _ in _TYPES]
        row = [day, *kinds, sum(kinds), *(by_status.get((day, s), 0) for s in statuses)]
        if other:
            row.append(sum(by_status.get((day, s), 0) for s in other))
        table.append(tuple(row))
    columns = ["date", *(c for _, c in _TYPES), "total", *(f"status:{s}" for s in statuses)]
    notes = ["one row per day with a snapshot (oldest first): tasks per status type "
             "(open = not_started, custom = active) and per status; archived tasks excluded; "
             "a List counts the tasks that were in it that day, and its extra tasks "
             "(Tasks in Multiple Lists) by their current locations"]
    if other:
        columns.append("status:other")
        notes.append(f"{len(other)} smaller statuses are summed in status:other")
    summary: dict[str, Any] = {"days_with_snapshot": len(dates),
                               "days_without_snapshot": days - len(dates)}
    if dates:
        head, tail = table[0], table[-1]
        summary.update({"first_date": dates[0], "last_date": dates[-1], "total_now": tail[5],
                        **{f"{c}_now": tail[i + 1] for i, (_, c) in enumerate(_TYPES)},
                        "active_change": tail[2] - head[2],
                        "done_or_closed_change": tail[3] + tail[4] - head[3] - head[4]})
    return series(f"Cumulative flow of {scope.label}, last {days} days", columns, table,
                  limit=limit, summary=summary, notes=notes)


def burndown(conn: psycopg.Connection, scope: Scope, *, days: int = 14,
             limit: int = 50) -> Result:
    """Chart scope, done and remaining tasks (and remaining estimate) per day."""
    days, limit = check_int(days, "days", 1, 366), check_limit(limit)
    first, today = _snapshot_window(conn, days)
    table = conn.execute(
        f"""SELECT d.snapshot_date, d.total, d.done, d.total - d.done,
                   d.done - first_value(d.done) OVER (ORDER BY d.snapshot_date), d.estimate
              FROM (SELECT s.snapshot_date, sum(s.tasks)::bigint AS total,
                           coalesce(sum(s.tasks) FILTER (WHERE s.done), 0)::bigint AS done,
                           round(sum(s.minutes) FILTER (WHERE NOT s.done AND s.estimated > 0)
                                 / 60, 1) AS estimate
                      FROM (SELECT g.*, coalesce(g.status_type, 'open') IN ('done', 'closed')
                                       AS done
                              FROM ({snapshot_groups(scope)}) g) s
                     GROUP BY s.snapshot_date) d
             ORDER BY d.snapshot_date""",
        {**scope.params, "first": first, "today": today}).fetchall()
    summary: dict[str, Any] = {"days_with_snapshot": len(table)}
    if table:
        (d0, total0, _, left0, _, _), (d1, total1, done1, left1, in_window, est1) = \
            table[0], table[-1]
        elapsed = (d1 - d0).days
        pace = (left0 - left1) / elapsed if elapsed else None
        summary.update({
            "first_date": d0, "last_date": d1, "total_now": total1, "done_now": done1,
            "remaining_now": left1, "remaining_estimate_hours": est1,
            "scope_change": total1 - total0, "done_in_window": in_window,
            "remaining_drop_per_day": round(pace, 2) if pace is not None else None,
            "days_to_finish_at_this_pace": (round(left1 / pace, 1) if pace and pace > 0
                                            else None)})
    return series(
        f"Burndown of {scope.label}, last {days} days",
        ["date", "total", "done", "remaining", "done_in_window", "remaining_estimate_hours"],
        table, limit=limit, summary=summary,
        notes=["from daily snapshots, oldest first: total = tasks in scope that day (burnup "
               "scope line), done = tasks in a done/closed status (burnup), remaining = "
               "total - done (burndown), done_in_window = done minus done on the first day",
               "remaining_estimate_hours sums the time estimates of the remaining tasks "
               "(empty when none has one); archived tasks excluded; subtasks count as tasks"])
