"""How long work takes and where it waits: lead and cycle time, time in each status, the age
of open tasks, and bottlenecks.

They read the status history (each status change the sync observed, timed by ClickUp's
``date_updated``). A task's stay in a status runs from its history row to the next one, and
the last stay runs until now. Time before the sync first saw a task is unknown and not
counted. Definitions: docs/metrics/flow.md.
"""

from __future__ import annotations

from datetime import date

import psycopg

from ._args import check_limit
from .flow import (
    ASSIGNEES,
    COMPLETED_AT,
    DONE,
    LIVE,
    SINCE,
    clock,
    split,
)
from .result import Result
from .scope import WORKSPACE, Scope
from .time import reads

NOT_DONE = "coalesce(t.status_type, '') NOT IN ('done', 'closed')"  # as 0006's indexes
BLOCKED_LOOKING = r"(block|wait|hold|stuck|paus|pending|imped|depend)"
# When the task entered its current status: its last history row (kept in status_since by the
# sync), else ClickUp's last update. Exactly migration 0009's open-task index expression.
ENTERED = "coalesce(t.status_since, t.date_updated, t.date_created)"


def pct_of(column: str, fraction: float = 0.5) -> str:
    """SQL for a percentile of interval ``column`` (fixed arguments only)."""
    return f"percentile_cont({fraction}) WITHIN GROUP (ORDER BY {column})"


def days(interval: str, digits: int | None = 1) -> str:
    """SQL turning interval ``interval`` into days, rounded to ``digits`` (None: unrounded).

    Counted in floating point and rounded as numeric: the same tenths as numeric arithmetic
    throughout (a µs is far above float's error at these sizes), at a third of the cost.
    """
    value = f"(date_part('epoch', {interval}) / 86400)"
    return value if digits is None else f"round({value}::numeric, {digits})"


KIND_RANK = ("CASE kind WHEN 'open' THEN 0 WHEN 'custom' THEN 1 WHEN 'done' THEN 2 "
             "WHEN 'closed' THEN 3 ELSE 4 END")


def done_since(scope: Scope, since: str = SINCE) -> str:
    """A query of the tasks of ``scope`` completed since ``since``: id, date_created,
    completed_at and started_at (first seen active before completion, else NULL).

    Both read indexes only (migration 0013): the completed tasks by completion time, and
    each task's first active time from ``task_first_active``; when that is after completion,
    no active time before completion exists.
    """
    return f"""SELECT t.id, t.date_created, {COMPLETED_AT} AS completed_at,
                      CASE WHEN f.at <= {COMPLETED_AT} THEN f.at END AS started_at
                 FROM clickup_tasks t LEFT JOIN task_first_active f ON f.task_id = t.id
                WHERE {LIVE} AND {DONE} AND {scope.condition()} AND {COMPLETED_AT} >= {since}"""


def rounded_pct(values: str, count: str, fraction: float) -> str:
    """SQL: ``pct(fraction, days(x))`` over the values ``x`` of the ascending float8 array
    ``values`` (``count`` of them), without rounding each one.

    Rounding to tenths keeps the order, so the rounded values at the two ranks
    percentile_cont reads are the two raw values there, rounded; they are interpolated as
    percentile_cont does (lo + (hi - lo) × the fraction's remainder, in float8), so the answer
    is the same to the last digit. Converting every value to numeric cost ~2 µs a row, most
    of lead_cycle_time on 36k tasks.
    """
    pos = f"({fraction}::float8 * ({count} - 1)::float8)"
    lo = f"round({values}[floor({pos})::int + 1]::numeric, 1)::float8"
    hi = f"round({values}[ceil({pos})::int + 1]::numeric, 1)::float8"
    return f"""CASE WHEN {count} = 0 THEN NULL
                    WHEN ceil({pos}) > floor({pos})
                    THEN round(({lo} + ({hi} - {lo}) * ({pos} - floor({pos})))::numeric, 1)
                    ELSE round({lo}::numeric, 1) END"""


def lead_cycle_time(conn: psycopg.Connection, scope: Scope = WORKSPACE, *,
                    since: date | None = None, limit: int = 50) -> Result:
    """Measure how long completed tasks took from creation (lead) and from start (cycle)."""
    limit = check_limit(limit)
    clk = clock(conn, since, default_days=90)
    lead, cycle = (days("completed_at - date_created", None),
                   days("completed_at - started_at", None))
    # The percentiles stream over the completed tasks once (each one's two values worked
    # out once, OFFSET 0 keeps them from being inlined into every aggregate); the rows are
    # the newest completions read backwards from 0013's index, their first active time
    # probed by key, not a sort of every completed task kept aside.
    rows = conn.execute(
        f"""WITH x AS MATERIALIZED (
                SELECT count(*) AS n, count(v.lead) AS n_lead, count(v.cycle) AS n_cycle,
                       array_agg(v.lead ORDER BY v.lead) FILTER (WHERE v.lead IS NOT NULL)
                           AS lead,
                       array_agg(v.cycle ORDER BY v.cycle) FILTER (WHERE v.cycle IS NOT NULL)
                           AS cycle
                  FROM (SELECT {lead} AS lead, {cycle} AS cycle
                          FROM ({done_since(scope)}) d OFFSET 0) v),
            stats AS (
                SELECT n, n_cycle, {rounded_pct("lead", "n_lead", 0.5)},
                       {rounded_pct("lead", "n_lead", 0.85)},
                       {rounded_pct("cycle", "n_cycle", 0.5)},
                       {rounded_pct("cycle", "n_cycle", 0.85)}
                  FROM x)
            SELECT stats.*, r.* FROM stats LEFT JOIN LATERAL (
                SELECT d.id, t.name,
                       (t.date_created AT TIME ZONE %(tz)s)::date,
                       (d.started_at AT TIME ZONE %(tz)s)::date,
                       (d.completed_at AT TIME ZONE %(tz)s)::date,
                       {days("d.completed_at - d.date_created")},
                       {days("d.completed_at - d.started_at")}
                  FROM ({done_since(scope)} ORDER BY 3 DESC, 1 LIMIT %(limit)s) d
                  JOIN clickup_tasks t ON t.id = d.id
                 ORDER BY d.completed_at DESC, d.id) r ON true""",
        {**scope.params, **clk.params, "limit": limit}).fetchall()
    (total, with_cycle, lead50, lead85, cycle50, cycle85), table = split(rows, 6)
    summary = {"completed": total, "since": clk.since,
               "lead_time_median_days": lead50, "lead_time_p85_days": lead85,
               "cycle_time_median_days": cycle50, "cycle_time_p85_days": cycle85,
               "with_cycle_time": with_cycle, "never_seen_active": total - with_cycle}
    notes = ["lead time = completion (date_done, else date_closed) - creation; cycle time = "
             "completion - first time the status history saw the task in an active (custom) "
             "status; archived tasks excluded"]
    if total - with_cycle:
        notes.append(f"{total - with_cycle} task(s) were never seen in an active status (done "
                     "before the sync first saw them, or moved straight from not started to "
                     "done): they have a lead time but no cycle time")
    return Result.table(
        f"Lead and cycle time of tasks completed in {scope.label} since {clk.since}",
        ["task_id", "task", "created", "started", "completed", "lead_days", "cycle_days"],
        table, limit=limit, summary=summary, notes=notes, total_rows=total)


def _counted(alias: str, scope: Scope) -> str:
    """Condition: task ``alias`` is one time_in_status counts (live and in scope, open or
    completed since the window's start)."""
    a = alias
    return (f"NOT {a}.is_deleted AND NOT {a}.archived AND {scope.condition(a)} "
            f"AND ({NOT_DONE.replace('t.', a + '.')} OR ({DONE.replace('t.', a + '.')} "
            f"AND {COMPLETED_AT.replace('t.', a + '.')} >= {SINCE}))")


def _current_stays(scope: Scope) -> str:
    """A query of the latest stay (until now) of each counted task, in a status not done or
    closed: task_id, status, kind and the time ``spent`` in the window.

    Migration 0032 keeps these stays in `current_stays` with the columns of their tasks
    that `_counted` tests (every task there is live), so no task is joined: a task counts
    when it is in scope and unfinished, or completed since the window's start.
    """
    return f"""
        SELECT k.id AS task_id, k.status, k.kind,
               now() - greatest(k.changed_at, {SINCE}) AS spent
          FROM current_stays k
         WHERE {scope.condition("k")} AND (k.unfinished OR k.completed_at >= {SINCE})
           AND now() > greatest(k.changed_at, {SINCE})"""


def _ended_stays(scope: Scope) -> str:
    """`_current_stays` for the earlier stays that ended inside the window (0018's index of
    ended stays by end time)."""
    return f"""
        SELECT h.task_id, h.status, coalesce(h.status_type, 'open') AS kind,
               least(h.ended_at, now()) - greatest(h.changed_at, {SINCE}) AS spent
          FROM task_status_history h JOIN clickup_tasks t ON t.id = h.task_id
         WHERE h.ended_at IS NOT NULL AND h.ended_at > {SINCE}
           AND {NOT_DONE.replace("t.", "h.")}
           AND least(h.ended_at, now()) > greatest(h.changed_at, {SINCE})
           AND {_counted("t", scope)}"""


@reads
def time_in_status(conn: psycopg.Connection, scope: Scope = WORKSPACE, *,
                   since: date | None = None, limit: int = 50) -> Result:
    """Add up the days tasks spent in each status within a window, in all and per task."""
    limit = check_limit(limit)
    clk = clock(conn, since, default_days=90)
    rows = conn.execute(
        f"""WITH cur AS ({_current_stays(scope)}),
            ended AS ({_ended_stays(scope)}),
            ended_task AS (
                SELECT task_id, status, kind, count(*) AS stays, sum(spent) AS spent
                  FROM ended GROUP BY task_id, status, kind),
            parts AS (
                SELECT status, kind, count(*) AS tasks, count(*) AS stays, sum(spent) AS spent
                  FROM cur GROUP BY status, kind
                UNION ALL
                -- a task counts once per status: not again when its latest stay is there too
                SELECT e.status, e.kind, count(*) FILTER (WHERE NOT EXISTS (
                           SELECT FROM task_status_history c
                            WHERE c.task_id = e.task_id AND c.ended_at IS NULL
                              AND {NOT_DONE.replace("t.", "c.")} AND c.status = e.status
                              AND coalesce(c.status_type, 'open') = e.kind
                              AND now() > greatest(c.changed_at, {SINCE}))),
                       sum(e.stays), sum(e.spent)
                  FROM ended_task e GROUP BY e.status, e.kind),
            per_status AS MATERIALIZED (
                SELECT status, kind, sum(tasks)::bigint AS tasks, sum(stays)::bigint AS stays,
                       extract(epoch FROM sum(spent)) / 86400 AS days
                  FROM parts GROUP BY status, kind),
            stats AS (
                SELECT count(*), round(coalesce(sum(days), 0), 1),
                       (SELECT array[status, round(days / tasks, 1)::text] FROM per_status
                         WHERE kind = 'custom' ORDER BY days / tasks DESC, status LIMIT 1)
                  FROM per_status)
            SELECT stats.*, r.* FROM stats LEFT JOIN LATERAL (
                SELECT status, kind, tasks, stays, round(days, 1), round(days / tasks, 1)
                  FROM per_status
                 ORDER BY {KIND_RANK}, days DESC, status
                 LIMIT %(limit)s) r ON true""",
        {**scope.params, **clk.params, "limit": limit}).fetchall()
    (statuses, task_days, slowest), table = split(rows, 3)
    return Result.table(
        f"Time in status in {scope.label} since {clk.since}",
        ["status", "type", "tasks", "stays", "total_days", "avg_days_per_task"],
        table, limit=limit, total_rows=statuses,
        summary={"since": clk.since, "statuses": statuses, "task_days": task_days,
                 "slowest_active_status": slowest[0] if slowest else None,
                 "slowest_active_avg_days": float(slowest[1]) if slowest else None},
        notes=["from consecutive status-history rows, cut to the window (since 00:00 to now); "
               "a task's latest stay runs until now; time before the sync first saw a task is "
               "not counted; done/closed statuses are left out (time there never ends)",
               "avg_days_per_task = total_days / tasks that spent time in the status; a stay "
               "is one visit; archived tasks excluded"])


def _median(middle: str, count: str) -> str:
    """SQL: the median of a set from ``middle`` (its values ``v`` at 0-based ranks
    (``count`` - 1) / 2 and the next) as percentile_cont(0.5) takes it: the middle value, or
    the two interpolated (lo + (hi - lo) × 0.5), so both answers are the same to the µs."""
    return f"""(SELECT CASE WHEN s.{count} = 0 THEN NULL
                        WHEN mod(s.{count}, 2) = 1 THEN min(m.v)
                        ELSE (max(m.v) - min(m.v)) * 0.5::float8 + min(m.v) END
                  FROM {middle} m)"""


@reads
def aging(conn: psycopg.Connection, scope: Scope = WORKSPACE, *, limit: int = 50) -> Result:
    """List open tasks by how long they have sat in their current status."""
    limit = check_limit(limit)
    # Each part reads an index in order; a parallel scan of the whole table looks cheaper
    # to the planner and takes longer on a busy server.
    conn.execute("SELECT set_config('max_parallel_workers_per_gather', '0', true)")
    open_ = f"{LIVE} AND {NOT_DONE} AND {scope.condition()}"
    in_status = f"greatest(now() - {ENTERED}, interval '0')"
    rows = conn.execute(
        f"""WITH stats AS MATERIALIZED (
                SELECT count(*) AS n,
                       count(*) FILTER (WHERE coalesce(t.status_type, 'open') = 'open') AS fresh,
                       count(*) FILTER (WHERE coalesce(t.status_type, 'open') <> 'open')
                           AS active,
                       count(t.date_created) AS aged,
                       count(*) FILTER (WHERE {in_status} > interval '14 days') AS over14,
                       count(*) FILTER (WHERE {in_status} > interval '30 days') AS over30
                  FROM clickup_tasks t WHERE {open_}),
            -- the middle two of each ordering, read in the order of an index
            age_mid AS (
                SELECT now() - t.date_created AS v FROM clickup_tasks t
                 WHERE {open_} AND t.date_created IS NOT NULL
                 ORDER BY t.date_created DESC
                OFFSET (SELECT (aged - 1) / 2 FROM stats) LIMIT 2),
            status_mid AS (
                SELECT {in_status} AS v FROM clickup_tasks t WHERE {open_}
                 ORDER BY {ENTERED} DESC NULLS FIRST
                OFFSET (SELECT (n - 1) / 2 FROM stats) LIMIT 2),
            mids AS MATERIALIZED (
                SELECT {days(_median("age_mid", "aged"))} AS age50,
                       {days(_median("status_mid", "n"))} AS status50 FROM stats s),
            -- oldest in status first: those waiting since before now in the index's order,
            -- then the few at zero days (entered now or later, or never dated), by id below
            top AS (
                SELECT x.id FROM (
                    (SELECT t.id, {ENTERED} AS e FROM clickup_tasks t
                      WHERE {open_} AND {ENTERED} < now()
                      ORDER BY {ENTERED}, t.id LIMIT %(limit)s)
                    UNION ALL
                    SELECT t.id, {ENTERED} FROM clickup_tasks t
                     WHERE {open_} AND {ENTERED} >= now()
                    UNION ALL
                    SELECT t.id, NULL FROM clickup_tasks t WHERE {open_} AND {ENTERED} IS NULL) x
                 ORDER BY greatest(now() - x.e, interval '0') DESC, x.id LIMIT %(limit)s)
            SELECT s.n, s.fresh, s.active, m.age50, m.status50, s.over14, s.over30, r.*
              FROM stats s CROSS JOIN mids m LEFT JOIN LATERAL (
                SELECT t.id, t.name, t.status, coalesce(t.status_type, 'open'),
                       {days(in_status)}, {days("now() - t.date_created")}, {ASSIGNEES}
                  FROM top JOIN clickup_tasks t ON t.id = top.id
                 ORDER BY {in_status} DESC, t.id LIMIT %(limit)s) r ON true""",
        {**scope.params, "limit": limit}).fetchall()
    (total, not_started, active, age50, status50, over14, over30), table = split(rows, 7)
    return Result.table(
        f"Open tasks by time in their current status in {scope.label}",
        ["task_id", "task", "status", "type", "days_in_status", "age_days", "assignees"],
        table, limit=limit, total_rows=total,
        summary={"open_tasks": total, "not_started": not_started, "active": active,
                 "median_age_days": age50, "median_days_in_status": status50,
                 "in_status_over_14_days": over14, "in_status_over_30_days": over30},
        notes=["open = status type open or custom (not done/closed); age = now - date_created; "
               "days in status = now - the task's last status-history row (else its last "
               "update); oldest in status first; archived tasks excluded"])


MIDDLE = """CASE WHEN mod(g.tasks, 2) = 1 THEN min(mid.v)
                ELSE (max(mid.v) - min(mid.v)) * 0.5::float8 + min(mid.v) END"""
"""The median of a group ``g`` of ``g.tasks`` values from the one or two ``mid.v`` at ranks
(tasks - 1) / 2 and the next, as percentile_cont(0.5) takes it (as `_median`)."""


def bottlenecks(conn: psycopg.Connection, scope: Scope = WORKSPACE, *,
                limit: int = 50) -> Result:
    """Rank the statuses where work waits longest: tasks waiting × median days waiting."""
    limit = check_limit(limit)
    open_ = f"{LIVE} AND {NOT_DONE} AND {scope.condition()}"
    # Migration 0027's index holds the open tasks by status and type, latest entered first:
    # a status's count and oldest are read in its order, and its median is the one or two
    # entries (ascending time waited) half way along it, not a sort of all ~32k waiting
    # tasks. The name test runs once per status, not once per task.
    waited = f"greatest(now() - {ENTERED}, interval '0')"
    rows = conn.execute(
        f"""WITH groups AS MATERIALIZED (
                SELECT t.status, coalesce(t.status_type, 'open') AS kind, count(*) AS tasks,
                       min({ENTERED}) AS first_entered
                  FROM clickup_tasks t WHERE {open_}
                 GROUP BY t.status, coalesce(t.status_type, 'open')),
            per_status AS MATERIALIZED (
                SELECT g.status, g.kind, g.status ~* %(blocked)s AS blocked, g.tasks,
                       {days(MIDDLE, digits=None)} AS median,
                       {days("greatest(now() - g.first_entered, interval '0')", digits=None)}
                           AS oldest
                  FROM (SELECT * FROM groups
                         WHERE kind = 'custom' OR status ~* %(blocked)s) g
                  CROSS JOIN LATERAL (
                       SELECT {waited} AS v FROM clickup_tasks t
                        WHERE {open_} AND t.status = g.status
                          AND coalesce(t.status_type, 'open') = g.kind
                        ORDER BY {ENTERED} DESC NULLS FIRST
                       OFFSET (g.tasks - 1) / 2 LIMIT 2) mid
                 GROUP BY g.status, g.kind, g.tasks, g.first_entered),
            stats AS (SELECT count(*), coalesce(sum(tasks), 0)::bigint,
                             coalesce(sum(tasks) FILTER (WHERE blocked), 0)::bigint
                        FROM per_status)
            SELECT stats.*, r.* FROM stats LEFT JOIN LATERAL (
                SELECT status, kind, tasks, round(median::numeric, 1), round(oldest::numeric, 1),
                       round((tasks * median)::numeric, 1), blocked
                  FROM per_status ORDER BY tasks * median DESC, status LIMIT %(limit)s) r
                ON true""",
        {**scope.params, "blocked": BLOCKED_LOOKING, "limit": limit}).fetchall()
    (statuses, waiting, blocked), table = split(rows, 3)
    worst = table[0] if table else None
    return Result.table(
        f"Bottlenecks in {scope.label}",
        ["status", "type", "tasks_waiting", "median_days_waiting", "oldest_days", "score",
         "looks_blocked"],
        table, limit=limit, total_rows=statuses,
        summary={"statuses": statuses, "tasks_waiting": waiting,
                 "in_blocked_looking_statuses": blocked,
                 "worst_status": worst[0] if worst else None,
                 "worst_tasks_waiting": worst[2] if worst else None,
                 "worst_median_days": worst[3] if worst else None},
        notes=["statuses of type custom (active, neither not-started nor done), plus any "
               "not-done status whose name looks blocked (block, wait, hold, stuck, pause, "
               "pending, impeded, depend); days waiting = now - the task's last status-history "
               "row (else its last update); score = tasks waiting × median days waiting "
               "(task-days); archived tasks excluded"])
