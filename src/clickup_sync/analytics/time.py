"""Where the hours go: time tracked by person, place or period, per task, against estimates.

Time comes from ``time_entries`` (one row per interval per user), never from ClickUp's
``time_spent`` rollup and never split between co-assignees: each person's hours are their
own intervals. A running timer counts from its start up to now. Windows are local dates in
the configured timezone (``cs_timezone()``), inclusive at both ends, and an interval belongs
to the day it started on. Definitions: docs/metrics/time-and-workload.md.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, Literal, ParamSpec, TypeVar

import psycopg

from ._args import check_choice, check_limit, check_person, check_scope
from .result import Result
from .scope import WORKSPACE, AnalyticsError, Person, Scope

MAX_WINDOW_DAYS = 366
DONE = "('done', 'closed')"
LIVE = "NOT t.is_deleted AND NOT t.archived"
ENTRY_MS = ("greatest(0, coalesce(e.duration_ms, (extract(epoch FROM coalesce(e.end_at, now())"
            " - e.start_at) * 1000)::bigint))")
"""An interval's length in ms; a running timer (no end yet) counts up to now."""
HOURS = "round(({ms})::numeric / 3600000, 2)"
LOCAL_START = "((%({name})s::date)::timestamp AT TIME ZONE %(tz)s)"
"""The instant a local date (parameter ``name``) begins in timezone ``%(tz)s``."""
PERSON_NAME = "coalesce(emp.name, 'user ' || {uid})"
RUNNING_NOTE = "a running timer counts from its start up to now"
TASK_MS = f"""(tt.ended_ms + CASE WHEN tt.running > 0 THEN (
    SELECT coalesce(sum({ENTRY_MS}), 0) FROM time_entries e
     WHERE e.task_id = tt.task_id AND NOT e.is_deleted AND e.duration_ms IS NULL
       AND e.end_at IS NULL) ELSE 0 END)"""
"""All time tracked on one task (row ``tt`` of ``task_time_totals``, which the database keeps
in step with ``time_entries``): its finished intervals plus its running timers up to now."""


P = ParamSpec("P")
R = TypeVar("R")


def reads(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a metric in one transaction with JIT compilation off and room to hash in memory:
    these are short indexed reads, and a cost estimate on an unanalyzed table can make
    PostgreSQL spend most of a second compiling a query that runs in milliseconds, while
    the default 4 MB ``work_mem`` sends the sums over a month of intervals to disk."""

    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        conn = args[0]
        assert isinstance(conn, psycopg.Connection)
        with conn.transaction():
            conn.execute("SELECT set_config('jit', 'off', true), "
                         "set_config('work_mem', '64MB', true)")
            return fn(*args, **kwargs)

    return run


def _as_date(value: Any, name: str) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise AnalyticsError(f"{name} must be a date like 2025-03-31; not {value!r}")


def local_clock(conn: psycopg.Connection) -> tuple[str, date]:
    """The configured timezone and today's date in it. Queries bind the timezone once as
    ``%(tz)s``: calling ``cs_timezone()`` per row costs more than the rest of a sum."""
    tz, today, _ = local_now(conn)
    return tz, today


def local_now(conn: psycopg.Connection) -> tuple[str, date, datetime]:
    """`local_clock` and the transaction's ``now()``. A query given ``now()`` as a value
    (``%(now)s``, the same instant within a transaction) is planned from the column's
    statistics; written as ``now()``, a range up to it is guessed at a fraction of a percent
    of the rows, and a month of done tasks gets a plan made for a few hundred."""
    row = conn.execute("SELECT cs_timezone(), (now() AT TIME ZONE cs_timezone())::date, now()"
                       ).fetchone()
    assert row is not None
    return row[0], row[1], row[2]


def local_window(since: Any, until: Any, *, today: date,
                 default_days: int) -> tuple[date, date]:
    """(since, until), local dates, inclusive; by default the ``default_days`` to today."""
    first, given = _as_date(since, "since"), _as_date(until, "until")
    last = given or today
    if last >= date.max or (first is None and last.toordinal() <= default_days):
        raise AnalyticsError("since and until must be ordinary calendar dates")
    first = first or last - timedelta(days=default_days - 1)
    if first > last:
        raise AnalyticsError(f"since ({first}) is after until ({last}); swap them" if given
                             else f"since ({first}) is in the future; give a past date")
    if (last - first).days + 1 > MAX_WINDOW_DAYS:
        raise AnalyticsError(f"a window may span at most {MAX_WINDOW_DAYS} days; "
                             f"{first} to {last} is {(last - first).days + 1}")
    return first, last


# -- hours tracked -----------------------------------------------------------------------------
GroupBy = Literal["person", "task", "list", "folder", "space", "day", "week"]
_NO_TASK_OK = ("person", "day", "week")
# group_by → (key, second key, label columns, label SQL, joins, order); keys read the
# per-task sums ``p`` (`task_sums_sql`) and the task ``t``; labels read g.k/g.k2.
_GROUPS: dict[str, tuple[str, str, list[str], str, str, str]] = {
    "person": ("p.user_id::text", "NULL", ["person"], PERSON_NAME.format(uid="g.k"),
               "LEFT JOIN employees emp ON emp.clickup_user_id = g.k::bigint",
               "g.ms DESC, g.k::text"),
    "task": ("p.task_id", "NULL", ["task_id", "task", "list"], "g.k, tk.name, l.name",
             "LEFT JOIN clickup_tasks tk ON tk.id = g.k LEFT JOIN lists l ON l.id = tk.list_id",
             "g.ms DESC, g.k"),
    "list": ("t.list_id", "NULL", ["list"], "coalesce(l.name, g.k)",
             "LEFT JOIN lists l ON l.id = g.k", "g.ms DESC, g.k"),
    "folder": ("t.folder_id", "CASE WHEN t.folder_id IS NULL THEN t.space_id END",
               ["folder"], "coalesce(f.name, '(no Folder) in ' || coalesce(s.name, g.k2))",
               "LEFT JOIN folders f ON f.id = g.k LEFT JOIN spaces s ON s.id = g.k2",
               "g.ms DESC, g.k"),
    "space": ("t.space_id", "NULL", ["space"], "coalesce(s.name, g.k)",
              "LEFT JOIN spaces s ON s.id = g.k", "g.ms DESC, g.k"),
    "day": ("p.at", "NULL", ["day"],
            "g.k::date", "", "g.k"),
    "week": ("p.at", "NULL",
             ["week", "week_start"], "to_char(g.k::date, 'IYYY-\"W\"IW'), g.k::date", "", "g.k"),
}


def entries_sql(scope: Scope, *, no_task: bool, key: str = "NULL", key2: str = "NULL") -> str:
    """Intervals started in [since, after) of the given person (or anyone) on live tasks in
    scope, plus, when ``no_task``, those on no task or on a deleted one (as on no task):
    group keys, user, task, ms, running."""
    window = f"""NOT e.is_deleted
           AND e.start_at >= {LOCAL_START.format(name="since")}
           AND e.start_at < {LOCAL_START.format(name="after")}
           AND (%(user_id)s::bigint IS NULL OR e.user_id = %(user_id)s::bigint)"""
    cols = f"e.user_id, e.task_id, {ENTRY_MS} AS ms, e.end_at IS NULL AS running"
    sql = f"""
        SELECT {key} AS k, {key2} AS k2, {cols}
          FROM time_entries e JOIN clickup_tasks t ON t.id = e.task_id
         WHERE {window} AND {LIVE} AND {scope.condition("t")}"""
    if no_task:  # ClickUp keeps the time of a deleted task, on no task
        sql += f"""
        UNION ALL
        SELECT {key} AS k, {key2} AS k2, {cols}
          FROM time_entries e WHERE {window} AND e.task_id IS NULL
        UNION ALL
        SELECT {key} AS k, {key2} AS k2, e.user_id, NULL, {ENTRY_MS},
               e.end_at IS NULL
          FROM time_entries e JOIN clickup_tasks t ON t.id = e.task_id AND t.is_deleted
         WHERE {window}"""
    return sql



_PERIODS = {"day": "(e.start_at AT TIME ZONE %(tz)s)::date::text",
            "week": "date_trunc('week', e.start_at AT TIME ZONE %(tz)s)::date::text"}
"""The period an interval belongs to, for the groups by period (``p.at``)."""


def task_sums_sql(scope: Scope, *, no_task: bool, key: str = "NULL", key2: str = "NULL",
                  period: str = "NULL") -> str:
    """The intervals of `entries_sql`, summed per person, task and ``period``, as CTEs
    ``pre`` (the sums) and ``e`` (their rows: group keys, user, task (NULL on no task or
    a deleted one), ms, intervals, running timers). A month of a large Workspace is
    hundreds of thousands of intervals but tens of thousands of (person, task) pairs, so
    the Workspace sums them before meeting the tasks and the distinct counts read pairs;
    a smaller scope finds its tasks first, as its intervals are a fraction of the window's."""
    workspace = scope.kind == "workspace"
    live = f"{LIVE} AND {scope.condition('t')}"
    sql = f"""
        SELECT {key} AS k, {key2} AS k2, p.user_id, p.task_id, p.ms, p.n, p.running
          FROM pre p JOIN clickup_tasks t ON t.id = p.task_id
         WHERE {live if workspace else "true"}"""
    if no_task:  # ClickUp keeps the time of a deleted task, on no task
        sql += f"""
        UNION ALL
        SELECT {key}, {key2}, p.user_id, p.task_id, p.ms, p.n, p.running
          FROM pre p WHERE p.task_id IS NULL
        UNION ALL
        SELECT {key}, {key2}, p.user_id, NULL, p.ms, p.n, p.running
          FROM pre p JOIN clickup_tasks t ON t.id = p.task_id AND t.is_deleted"""
    tasks = "" if workspace else f"JOIN clickup_tasks t ON t.id = e.task_id AND {live}"
    pre = PRE_SUMS.format(period=period, tasks=tasks)
    return f"pre AS MATERIALIZED ({pre}), e AS ({sql})"


PRE_SUMS = f"""
        SELECT e.user_id, e.task_id, {{period}} AS at, sum({ENTRY_MS}) AS ms, count(*) AS n,
               count(*) FILTER (WHERE e.end_at IS NULL) AS running
          FROM time_entries e {{tasks}}
         WHERE NOT e.is_deleted
           AND e.start_at >= {LOCAL_START.format(name="since")}
           AND e.start_at < {LOCAL_START.format(name="after")}
           AND (%(user_id)s::bigint IS NULL OR e.user_id = %(user_id)s::bigint)
         GROUP BY e.user_id, e.task_id, 3"""
"""Live intervals started in [since, after) of the given person (or anyone), on the tasks
``{tasks}`` joins (all when empty), summed per person, task and period (``{period}``)."""


def person_sums_sql(scope: Scope, *, no_task: bool) -> str:
    """CTEs ``pre`` (`PRE_SUMS`, read once, so not materialized) and ``g``: per person
    (``k``; ``k2`` NULL) the ms, intervals, tasks, running timers and ms on no task, over the
    intervals `task_sums_sql` counts. Pairs are one row per (person, task), so a person's
    tasks are their pairs on a live task, no distinct count. The Workspace tells live,
    deleted and other tasks apart by the few tasks with time that are not live, which the
    database keeps (``time_task_states``, migration 0031): a pair whose task has no row
    there is on a live task. That spares a hash of every live task (~97k at 100k tasks)
    met by every pair."""
    workspace = scope.kind == "workspace"
    tasks = "" if workspace else \
        f"JOIN clickup_tasks t ON t.id = e.task_id AND {LIVE} AND {scope.condition('t')}"
    pre = PRE_SUMS.format(period="NULL", tasks=tasks)
    if not workspace:
        return f"""pre AS ({pre}),
            g AS (SELECT p.user_id AS k, NULL AS k2, sum(p.ms) AS ms, sum(p.n)::bigint AS n,
                         1 AS people, count(*) AS tasks, sum(p.running) AS running,
                         0 AS no_task
                    FROM pre p GROUP BY p.user_id)"""
    live = "p.task_id IS NOT NULL AND s.task_id IS NULL"
    # on no task, a live task or (ClickUp keeps its time, on no task) a deleted one
    keep = "s.task_id IS NULL OR s.state = 'deleted'" if no_task else live
    # kept rows are chosen by FILTER, not WHERE: the share of a left join's misses is
    # guessed, and a guess of a few rows sorted tens of thousands of pairs by person
    return f"""pre AS ({pre}),
            g AS (SELECT p.user_id AS k, NULL AS k2, sum(p.ms) FILTER (WHERE p.keep) AS ms,
                         (sum(p.n) FILTER (WHERE p.keep))::bigint AS n, 1 AS people,
                         count(*) FILTER (WHERE p.live) AS tasks,
                         sum(p.running) FILTER (WHERE p.keep) AS running,
                         coalesce(sum(p.ms) FILTER (WHERE p.keep AND NOT p.live), 0) AS no_task
                    FROM (SELECT p.*, {live} AS live, {keep} AS keep
                            FROM pre p LEFT JOIN time_task_states s
                              ON s.task_id = p.task_id) p
                   GROUP BY p.user_id HAVING bool_or(p.keep))"""


def _group_sums_sql(scope: Scope, group_by: str, *, no_task: bool) -> str:
    """CTEs ending in ``g`` (per group: keys ``k``/``k2``, ms, intervals, people, tasks) and
    ``tot`` (intervals, ms, people, running timers, ms on no task) for `time_tracked`."""
    if group_by == "person":  # the keys are the people: totals add up the groups
        return f"""{person_sums_sql(scope, no_task=no_task)},
                 tot AS (SELECT coalesce(sum(n), 0)::bigint AS n, coalesce(sum(ms), 0) AS ms,
                              count(*) AS people, coalesce(sum(running), 0)::bigint AS running,
                              coalesce(sum(no_task), 0) AS no_task
                         FROM g)"""
    key, key2 = _GROUPS[group_by][:2]
    sums = task_sums_sql(scope, no_task=no_task, key=key, key2=key2,
                         period=_PERIODS.get(group_by, "NULL"))
    return f"""{sums},
                 g AS (SELECT k, k2, sum(ms) AS ms, sum(n)::bigint AS n,
                              count(DISTINCT user_id) AS people,
                              count(DISTINCT task_id) AS tasks
                         FROM e GROUP BY k, k2),
                 tot AS (SELECT coalesce(sum(n), 0)::bigint AS n, coalesce(sum(ms), 0) AS ms,
                              count(DISTINCT user_id) AS people,
                              coalesce(sum(running), 0)::bigint AS running,
                              coalesce(sum(ms) FILTER (WHERE task_id IS NULL), 0) AS no_task
                         FROM e)"""


@reads
def time_tracked(conn: psycopg.Connection, scope: Scope = WORKSPACE, *,
                 group_by: GroupBy = "person", since: date | None = None,
                 until: date | None = None, person: Person | None = None,
                 limit: int = 50) -> Result:
    """Count the hours tracked in a window, per person, task, List, Folder, Space, day or week."""
    scope, limit = check_scope(scope), check_limit(limit)
    group_by = check_choice(group_by, "group_by", tuple(_GROUPS))  # type: ignore[assignment]
    who = check_person(conn, person)
    tz, today = local_clock(conn)
    first, last = local_window(since, until, today=today, default_days=30)
    label_cols, labels, joins, order = _GROUPS[group_by][2:]
    no_task = scope.kind == "workspace" and group_by in _NO_TASK_OK
    params = {**scope.params, "tz": tz, "since": first, "after": last + timedelta(days=1),
              "user_id": who.user_id if who else None, "limit": limit}
    found = conn.execute(
        f"""WITH {_group_sums_sql(scope, group_by, no_task=no_task)}
            SELECT tot.n, {HOURS.format(ms="tot.ms")}, tot.people, tot.running,
                   {HOURS.format(ms="tot.no_task")}, r.*
              FROM tot LEFT JOIN LATERAL (
                   SELECT {labels}, {HOURS.format(ms="g.ms")}, g.n, g.people, g.tasks,
                          round(100 * g.ms / nullif(tot.ms, 0), 1), g.k, g.groups,
                          g.position
                     FROM (SELECT g.*, count(*) OVER () AS groups,
                                  row_number() OVER (ORDER BY {order}) AS position
                             FROM g ORDER BY position LIMIT %(limit)s) g {joins}) r ON true
             ORDER BY r.position""", params).fetchall()
    total = found[0][:5]
    rows = [r[5:-1] for r in found if r[-1] is not None]
    # names can repeat (a "Backlog" List in every Folder): places also carry their id
    columns = [*label_cols, "hours", "entries", "people", "tasks", "percent", f"{group_by}_id"]
    drop = {"person": "people", "task": "tasks"}.get(group_by)
    keep = [i for i, c in enumerate(columns[:-1]) if c != drop]
    if group_by in ("list", "folder", "space"):
        keep.append(len(columns) - 1)
    table = [[r[i] for i in keep] for r in rows]
    notes = [f"intervals that started from {first} to {last} (local dates, "
             "timezone of the settings), on live, unarchived tasks in scope",
             RUNNING_NOTE + (f" ({total[3]} running now)" if total[3] else ""),
             "co-assignees are credited only with their own intervals"]
    notes.append("intervals on no task (meetings…) or on deleted tasks are included" if no_task else
                 "intervals on no task are left out (they belong to no task, List or Space)")
    summary = {"total_hours": total[1], "entries": total[0], "people": total[2],
               "since": first, "until": last}
    if no_task:
        summary["hours_on_no_task"] = total[4]
    if who:
        summary["person"] = who.name
    if group_by == "week":
        notes.append("ISO weeks from Monday; the first and last week may be cut by the window")
    return Result.table(
        f"Hours tracked by {group_by} in {scope.label}"
        + (f" by {who.name}" if who else ""),
        [columns[i] for i in keep], table, limit=limit,
        summary=summary, notes=notes, total_rows=rows[0][-1] if rows else 0)


# -- one task ----------------------------------------------------------------------------------
TREE = """
    tree AS (SELECT id FROM clickup_tasks WHERE id = %(task_id)s
             UNION
             SELECT c.id FROM clickup_tasks c JOIN tree ON c.parent_id = tree.id
              WHERE NOT c.is_deleted)"""
"""The task and its subtasks at every level (UNION stops at a cycle in bad data)."""


def find_task(conn: psycopg.Connection, task_id: Any) -> tuple[Any, ...]:
    """(id, name, status, estimate ms, is_deleted) of a task by id or custom id."""
    if not isinstance(task_id, str) or not task_id.strip().lstrip("#") \
            or len(task_id) > 200:
        raise AnalyticsError(f"task_id must be a ClickUp task id such as 86abc123; "
                             f"not {task_id!r}")
    ref = task_id.strip().lstrip("#")
    query = ("SELECT id, name, status, time_estimate_ms, is_deleted FROM clickup_tasks "
             "WHERE {} = %s ORDER BY is_deleted LIMIT 1")
    row = (conn.execute(query.format("id"), (ref,)).fetchone()
           or conn.execute(query.format("custom_id"), (ref,)).fetchone())
    if row is None:
        raise AnalyticsError(f"no task with id {ref!r}; give the id shown in ClickUp's task "
                             "URL (…/t/<id>) or its custom id")
    if row[4]:
        raise AnalyticsError(f"task {ref!r} ({row[1]}) was deleted in ClickUp")
    return row


@reads
def task_time_breakdown(conn: psycopg.Connection, task_id: str, *, limit: int = 50) -> Result:
    """Show who tracked how much on a task, its own time against its subtasks', and the
    estimate against the time tracked."""
    limit = check_limit(limit)
    tid, name, status, estimate_ms, _ = find_task(conn, task_id)
    params = {"task_id": tid, "limit": limit, "tz": local_clock(conn)[0]}
    rows = conn.execute(
        f"""WITH RECURSIVE {TREE},
                 p AS (SELECT e.user_id, {ENTRY_MS} AS ms, e.task_id = %(task_id)s AS own,
                              e.start_at, e.end_at IS NULL AS running
                         FROM time_entries e JOIN tree ON tree.id = e.task_id
                        WHERE NOT e.is_deleted)
            SELECT {PERSON_NAME.format(uid="p.user_id")},
                   {HOURS.format(ms="coalesce(sum(ms) FILTER (WHERE own), 0)")},
                   {HOURS.format(ms="coalesce(sum(ms) FILTER (WHERE NOT own), 0)")},
                   {HOURS.format(ms="sum(ms)")}, count(*),
                   (max(p.start_at) AT TIME ZONE %(tz)s)::date,
                   count(*) FILTER (WHERE running)
              FROM p LEFT JOIN employees emp ON emp.clickup_user_id = p.user_id
             GROUP BY p.user_id, emp.name
             ORDER BY sum(ms) DESC, 1""", params).fetchall()
    tree = conn.execute(
        f"""WITH RECURSIVE {TREE}
            SELECT count(*) - 1, coalesce(sum(c.time_estimate_ms)
                                          FILTER (WHERE c.id <> %(task_id)s), 0)
              FROM tree JOIN clickup_tasks c ON c.id = tree.id""", params).fetchone()
    assert tree is not None
    own = float(sum(r[1] for r in rows))
    subs = float(sum(r[2] for r in rows))
    tracked = own + subs
    estimate = ((estimate_ms or 0) + int(tree[1])) / 3_600_000
    summary = {"task_id": tid, "task": name, "status": status,
               "tracked_hours": tracked, "own_hours": own, "subtask_hours": subs,
               "estimate_hours": (estimate_ms or 0) / 3_600_000,
               "subtask_estimate_hours": int(tree[1]) / 3_600_000,
               "total_estimate_hours": estimate,
               "remaining_hours": max(estimate - tracked, 0.0) if estimate else None,
               "tracked_percent_of_estimate":
                   round(100 * tracked / estimate, 1) if estimate else None,
               "subtasks": tree[0], "people": len(rows),
               "intervals": sum(r[4] for r in rows)}
    running = sum(r[6] for r in rows)
    notes = ["subtasks at every level count toward the task (deleted ones do not)",
             "estimate = the task's own estimate plus its subtasks' estimates",
             "each person's hours are their own intervals, never split"]
    if running:
        notes.append(RUNNING_NOTE + f" ({running} running now)")
    return Result.table(
        f"Time on task {name}", ["person", "own_hours", "subtask_hours", "total_hours",
                                 "intervals", "last_tracked"],
        [r[:6] for r in rows], limit=limit, summary=summary, notes=notes)


# -- estimates against time tracked ------------------------------------------------------------
RUNNING_UP = f"""
        up AS (SELECT e.task_id AS id, e.id AS entry, {ENTRY_MS} AS ms
                 FROM time_entries e
                WHERE NOT e.is_deleted AND e.duration_ms IS NULL AND e.end_at IS NULL
                  AND e.task_id IS NOT NULL
               UNION
               SELECT t.parent_id, up.entry, up.ms
                 FROM up JOIN clickup_tasks t ON t.id = up.id
                WHERE NOT t.is_deleted AND t.parent_id IS NOT NULL)"""
"""A recursive CTE ``up``: each running timer (a handful, by 0011's index) with its length
now, on its task and on every task above it, climbing through live tasks as the subtask
roll-up descends (a timer once per task, even in a cycle of parents)."""


def _measured_sql(scope: Scope, *, one_person: bool = False) -> str:
    """CTEs ``done``: live tasks in scope done (date done, else closed) from ``%(since)s`` to
    now with an estimate of their own (only ``%(user_id)s``'s when ``one_person``); ``rated``:
    each of them once, as (root, done_at, estimate ms, tracked ms, assignees), a count of it
    being a count of ``done``; and ``m``: those with time tracked, with their ratio ``r``;
    all rolled up over subtasks at every level. The database keeps each done task's roll-up
    (``task_estimates``, migration 0022), so a task is one row of one table, not a walk of
    its subtasks and a probe of every task total and assignment; running timers
    (`RUNNING_UP`) are added as they stand now. The rows are read once: a quarter's are
    most of the table, which a separate count of ``done`` read a second time. ``r`` is
    float8 ÷ float8, the same double as Python's int ÷ int, so the medians and bands below
    match one computed in Python."""
    mine = "AND %(user_id)s::bigint = ANY (x.assignees)" if one_person else ""
    return f"""
        done AS NOT MATERIALIZED (
            SELECT x.id, x.done_at, x.est, x.ended_ms, x.assignees
              FROM task_estimates x
             WHERE {scope.condition("x")} {mine}
               AND x.done_at >= {LOCAL_START.format(name="since")} AND x.done_at < %(now)s),
        {RUNNING_UP},
        running AS (SELECT up.id, sum(up.ms)::bigint AS ms FROM up GROUP BY up.id),
        rated AS MATERIALIZED (
            SELECT d.id AS root, d.done_at, d.est, d.assignees,
                   d.ended_ms + coalesce(run.ms, 0) AS tracked
              FROM done d LEFT JOIN running run ON run.id = d.id),
        m AS NOT MATERIALIZED (
            SELECT s.*, s.tracked::float8 / s.est::float8 AS r FROM rated s
             WHERE s.tracked > 0)"""


RATIO_STATS = """count(*)::int AS n,
       ((array_agg(m.r ORDER BY m.r))[(count(*)::int + 1) / 2]
        + (array_agg(m.r ORDER BY m.r))[count(*)::int / 2 + 1]) / 2 AS mid,
       count(*) FILTER (WHERE m.r >= 0.8::float8 AND m.r <= 1.2::float8) AS within,
       count(*) FILTER (WHERE m.r > 1.2::float8) AS over,
       count(*) FILTER (WHERE m.r < 0.8::float8) AS under,
       coalesce(sum(m.est), 0) AS est, coalesce(sum(m.tracked), 0) AS tracked"""
"""Over rows of ``m``: count, median ratio (the middle one, or the mean of the two middle
ones, as `statistics.median`), tasks within 0.8–1.2, over 1.2, under 0.8, estimate and
tracked ms. Seven columns, read by `_stats`."""


def _stats(row: Sequence[Any]) -> tuple[int, float | None, float, int, int, float, float]:
    """(tasks, median ratio to 0.01, percent within 20 percent, over, under, estimate hours,
    tracked hours) from the seven columns of `RATIO_STATS`."""
    n, mid, within, over, under, est, tracked = row
    return (n, round(mid, 2) if n else None, round(100 * within / n, 1) if n else 0.0,
            over, under, int(est) / 3_600_000, int(tracked) / 3_600_000)


USER_NAME = ("CASE WHEN emp.clickup_user_id IS NULL THEN 'user ' || a.user_id "
             "ELSE coalesce(nullif(emp.name, ''), a.user_id::text) END")
"""A person's name for the accuracy tables: their member name, else their id; 'user <id>'
when they are not a member."""


def accuracy_of(conn: psycopg.Connection, who: Person, *, since: date | None = None
                ) -> tuple[date, dict[str, Any]]:
    """(since, the person's row of `estimation_accuracy` by person as a dict, or {} when
    none of their tasks was measured), measuring only the tasks assigned to them: a
    person's summary need not measure the whole Workspace to show one row of it."""
    tz, today, now = local_now(conn)
    first, _ = local_window(since, None, today=today, default_days=90)
    row = conn.execute(
        f"""WITH RECURSIVE {_measured_sql(WORKSPACE, one_person=True)}
            SELECT {RATIO_STATS} FROM m""",
        {"tz": tz, "since": first, "now": now, "user_id": who.user_id}).fetchone()
    assert row is not None
    if not row[0]:
        return first, {}
    tasks, mid, within, over, under, _, _ = _stats(row)
    return first, {"tasks": tasks, "median_ratio": mid, "within_20_percent": within,
                   "over": over, "under": under}


_ACCURACY_ROWS = {
    "person": f"""SELECT CASE WHEN a.user_id IS NULL THEN '(unassigned)' ELSE {USER_NAME} END,
                         a.n, a.mid, a.within, a.over, a.under, a.est, a.tracked
                    FROM (SELECT m.user_id, {RATIO_STATS}
                            FROM (SELECT unnest(coalesce(nullif(m.assignees, '{{}}'),
                                                         '{{NULL}}')) AS user_id, m.r, m.est,
                                         m.tracked FROM m) m
                           GROUP BY m.user_id) a
                    LEFT JOIN employees emp ON emp.clickup_user_id = a.user_id""",
    "task": f"""SELECT m.root, k.name, ARRAY(
                           SELECT {USER_NAME} FROM task_assignees a
                             LEFT JOIN employees emp ON emp.clickup_user_id = a.user_id
                            WHERE a.task_id = m.root),
                       (m.done_at AT TIME ZONE %(tz)s)::date, m.est, m.tracked, m.r
                  FROM (SELECT m.* FROM m ORDER BY m.r DESC, m.root COLLATE "C"
                         LIMIT %(limit)s) m
                  JOIN clickup_tasks k ON k.id = m.root""",
}
"""The rows shown: per person (a task's ratio counts for each assignee), or the ``limit``
tasks with the highest ratio (ties by id, in Python's order)."""


@reads
def estimation_accuracy(conn: psycopg.Connection, scope: Scope = WORKSPACE, *,
                        group_by: Literal["person", "task"] = "person",
                        since: date | None = None, limit: int = 50) -> Result:
    """Measure how well estimates matched the time tracked on tasks done recently,
    per person or per task."""
    scope, limit = check_scope(scope), check_limit(limit)
    check_choice(group_by, "group_by", ("person", "task"))
    tz, today, now = local_now(conn)
    first, _ = local_window(since, None, today=today, default_days=90)
    found = conn.execute(
        f"""WITH RECURSIVE {_measured_sql(scope)},
                 tot AS (SELECT (SELECT count(*) FROM rated) AS done, {RATIO_STATS} FROM m)
            SELECT tot.*, r.* FROM tot LEFT JOIN ({_ACCURACY_ROWS[group_by]}) r ON true""",
        {**scope.params, "tz": tz, "since": first, "now": now, "limit": limit}).fetchall()
    n, mid, within, over, under, est, tracked = _stats(found[0][1:8])
    summary = {"tasks_measured": n, "median_ratio": mid,
               "within_20_percent": within, "over_estimate": over, "under_estimate": under,
               "estimate_hours": est, "tracked_hours": tracked,
               "estimated_but_untracked": found[0][0] - n, "since": first}
    rows = [r[8:] for r in found if r[8] is not None]
    if group_by == "task":
        columns = ["task_id", "task", "assignees", "done", "estimate_hours", "tracked_hours",
                   "ratio"]
        table = [(tid, name, ", ".join(sorted(who)), day, e / 3_600_000, t / 3_600_000,
                  round(r, 2)) for tid, name, who, day, e, t, r in
                 sorted(rows, key=lambda row: (-row[6], row[0]))]
    else:
        columns = ["person", "tasks", "median_ratio", "within_20_percent", "over", "under",
                   "estimate_hours", "tracked_hours"]
        table = sorted(((r[0], *_stats(r[1:])) for r in rows),
                       key=lambda row: (-row[1], row[0]))
    notes = ["ratio = hours tracked ÷ hours estimated, both rolled up over subtasks at every "
             "level; 1.0 is exact, within 20 percent means 0.8–1.2",
             f"tasks done (date done, else date closed) from {first} to now, live and "
             "unarchived, with an estimate of their own",
             "tasks with no time tracked are not measured (counted as estimated_but_untracked)"]
    if group_by == "person":
        notes.append("a task's ratio counts for each of its assignees; over/under = tasks "
                     "above 1.2 / below 0.8")
    return Result.table(f"Estimates against time tracked by {group_by} in {scope.label}",
                        columns, table, limit=limit, summary=summary, notes=notes,
                        total_rows=n if group_by == "task" else len(table))
