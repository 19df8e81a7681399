"""Who carries the work: open tasks and remaining estimates per person, people who hold
tasks but show no activity, comments waiting on someone, and tasks nobody tracks time on.

Open means not done (status type other than ``done``/``closed``); in progress means status
type ``custom``. Live, unarchived tasks only; subtasks count as tasks. Time comes from each
person's own intervals (see `time`). Definitions: docs/metrics/time-and-workload.md.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

import psycopg

from ._args import check_choice, check_int, check_limit, check_person, check_scope
from .result import Result
from .scope import WORKSPACE, Person, Scope
from .time import (
    DONE,
    HOURS,
    LIVE,
    LOCAL_START,
    PERSON_NAME,
    RUNNING_NOTE,
    TASK_MS,
    local_clock,
    person_sums_sql,
    reads,
)

OPEN = f"coalesce(t.status_type, '') NOT IN {DONE}"
"""Not done; written exactly as the WHERE clause of migration 0013's index of unfinished
tasks, so the open tasks are read from that index, not from every task row."""
MAX_DAYS = 3650
LOOKBACK_DAYS = 365
COMMENT_CHARS = 200


OPEN_WORK_LEVEL = {"workspace": "space_id = '*'",
          "space": "space_id = %(scope_id)s AND folder_id = '*'",
          "folder": "folder_id = %(scope_id)s"}
"""The rows of `open_work_counts` that count a scope's tasks once (migration 0021)."""


def open_work_sql(scope: Scope) -> str:
    """CTE ``per``: per person (``user_id``; 0: nobody assigned, -1: every task once) the
    open tasks in scope, in progress, overdue, due from now to ``%(next_week)s``, estimate
    left (ms) and without an estimate, read from the open work the database keeps
    (migration 0021) rather than from every open task and its assignees.

    The counts are per UTC week of the due date; the current week's tasks (from
    ``%(week0)s``) are read one by one to tell overdue from due soon at this instant, and
    a task with a running timer has its estimate left measured now. A List is counted from
    its rows (its tasks may live in other Lists too, which the counts do not know)."""
    rows = "open_assignments o CROSS JOIN LATERAL cs_open_work_delta(o, 1) x"
    counts = f"SELECT x.* FROM {rows} WHERE {scope.condition('o')}" if scope.kind == "list" \
        else f"SELECT * FROM open_work_counts WHERE {OPEN_WORK_LEVEL[scope.kind]}"
    return f"""
        c AS (SELECT c.user_id, sum(c.tasks)::bigint AS open,
                     coalesce(sum(c.tasks) FILTER (WHERE c.doing), 0)::bigint AS doing,
                     coalesce(sum(c.tasks) FILTER (WHERE c.due_week < %(week0)s), 0)::bigint
                         AS overdue,
                     sum(c.left_ms) AS left_ms, sum(c.no_estimate)::bigint AS no_estimate
                FROM ({counts}) c GROUP BY c.user_id),
        e AS (SELECT x.user_id, count(*) FILTER (WHERE o.due_date < now()) AS overdue,
                     count(*) FILTER (WHERE o.due_date >= now()) AS soon
                FROM {rows}
               WHERE o.due_date >= (%(week0)s::timestamp AT TIME ZONE 'UTC')
                 AND o.due_date < {LOCAL_START.format(name="next_week")}
                 AND {scope.condition("o")}
               GROUP BY x.user_id),
        r AS (SELECT x.user_id, sum(greatest(0, o.est - coalesce({TASK_MS}, 0))) AS left_ms
                FROM {rows} LEFT JOIN task_time_totals tt ON tt.task_id = o.id
               WHERE o.running AND o.est > 0 AND {scope.condition("o")}
               GROUP BY x.user_id),
        per AS (SELECT c.user_id, c.open, c.doing,
                       c.overdue + coalesce(e.overdue, 0) AS overdue, coalesce(e.soon, 0) AS soon,
                       c.left_ms + coalesce(r.left_ms, 0) AS left_ms, c.no_estimate
                  FROM c LEFT JOIN e ON e.user_id = c.user_id
                  LEFT JOIN r ON r.user_id = c.user_id)"""


def open_work_params(conn: psycopg.Connection) -> tuple[date, dict[str, Any]]:
    """(today, the parameters of `open_work_sql`): the timezone, the next local Monday
    (``next_week``) and the Monday of the current week in UTC (``week0``), as the open work
    is counted per UTC week of the due date (migration 0021)."""
    row = conn.execute("SELECT cs_timezone(), (now() AT TIME ZONE cs_timezone())::date, "
                       "date_trunc('week', now() AT TIME ZONE 'UTC')::date").fetchone()
    assert row is not None
    tz, today, week0 = row
    monday = today - timedelta(days=today.weekday())
    return today, {"tz": tz, "next_week": monday + timedelta(days=7), "week0": week0}


NO_HOURS = "g AS (SELECT NULL::bigint AS k, 0 AS ms WHERE false)"
"""Workload's per-person hours (CTE ``g``) when left out: nobody."""


@reads
def workload(conn: psycopg.Connection, scope: Scope = WORKSPACE, *, limit: int = 50,
             hours: bool = True) -> Result:
    """Show each person's open work: tasks open, in progress, overdue and due this week,
    the estimate left, and the hours they tracked in the last 7 days.

    ``hours=False`` leaves the hours out (0, and people who hold no open task unlisted), for
    a caller that shows only the open work of the most loaded: summing a week of intervals
    costs more than the open work itself."""
    scope, limit = check_scope(scope), check_limit(limit)
    today, base = open_work_params(conn)
    params = {**scope.params, **base, "since": today - timedelta(days=6),
              "after": today + timedelta(days=1), "user_id": None}
    rows = conn.execute(
        f"""WITH {open_work_sql(scope)},
            {person_sums_sql(scope, no_task=scope.kind == "workspace") if hours else NO_HOURS},
            tot AS (SELECT coalesce(sum(open) FILTER (WHERE user_id = -1), 0) AS open,
                           coalesce(sum(open) FILTER (WHERE user_id = 0), 0) AS unassigned,
                           coalesce(sum(doing) FILTER (WHERE user_id = -1), 0) AS doing,
                           coalesce(sum(overdue) FILTER (WHERE user_id = -1), 0) AS overdue,
                           coalesce(sum(left_ms) FILTER (WHERE user_id = -1), 0) AS left_ms
                      FROM per)
            SELECT tot.open::bigint, tot.unassigned::bigint, tot.doing::bigint,
                   tot.overdue::bigint, {HOURS.format(ms="tot.left_ms")}, p.*
              FROM tot LEFT JOIN LATERAL (
                   SELECT {PERSON_NAME.format(uid="u.user_id")} AS person,
                          coalesce(per.open, 0) AS open, coalesce(per.doing, 0),
                          coalesce(per.overdue, 0), coalesce(per.soon, 0),
                          {HOURS.format(ms="coalesce(per.left_ms, 0)")} AS left_h,
                          coalesce(per.no_estimate, 0),
                          {HOURS.format(ms="coalesce(recent.ms, 0)")}
                     FROM (SELECT user_id FROM per WHERE user_id > 0
                           UNION SELECT k FROM g) u
                     LEFT JOIN per ON per.user_id = u.user_id
                     LEFT JOIN g recent ON recent.k = u.user_id
                     LEFT JOIN employees emp ON emp.clickup_user_id = u.user_id) p ON true
             ORDER BY p.open DESC, p.left_h DESC, p.person""", params).fetchall()
    people = [r[5:] for r in rows if r[5] is not None]
    top = people[0] if people and people[0][1] else None
    summary = {"people": len(people), "open_tasks": rows[0][0], "unassigned_open": rows[0][1],
               "in_progress": rows[0][2], "overdue": rows[0][3],
               "remaining_estimate_hours": rows[0][4],
               "most_loaded": f"{top[0]} ({top[1]} open)" if top else None}
    return Result.table(
        f"Workload per person in {scope.label}",
        ["person", "open", "in_progress", "overdue", "due_this_week", "remaining_hours",
         "open_without_estimate", "hours_last_7_days"], people, limit=limit, summary=summary,
        notes=["open = not done, on live unarchived tasks; a task counts fully for each of its "
               "assignees, so per-person numbers add up to more than the totals",
               "remaining = estimate minus all time tracked on the task itself (floored at 0), "
               "over open tasks that have an estimate",
               "overdue = due before now; due this week = from now to Sunday night "
               f"(ISO week, timezone {params['tz']})",
               f"hours_last_7_days = own intervals started {params['since']} to {today}; "
               + RUNNING_NOTE,
               "most loaded = most open tasks, then most estimate left"])


def _kind(time_at: Any, comment_at: Any, created_at: Any) -> tuple[Any, str | None]:
    """The latest of the three activity times, and what it was."""
    found = [(at, kind) for at, kind in ((time_at, "time tracked"), (comment_at, "comment"),
                                          (created_at, "task created")) if at is not None]
    return max(found, key=lambda x: x[0]) if found else (None, None)


def _activity_sql(scope: Scope) -> str:
    """Per holder (CTE ``h``): the latest interval start, comment and task creation since
    ``%(horizon)s``, in scope. Workspace: each person's own index; a smaller scope: one pass
    over the scope's tasks."""
    if scope.kind == "workspace":
        return """
            SELECT h.*,
                   (SELECT max(e.start_at) FROM time_entries e WHERE e.user_id = h.user_id
                       AND NOT e.is_deleted AND e.start_at >= %(horizon)s) AS time_at,
                   (SELECT max(c.date) FROM comments c WHERE c.user_id = h.user_id
                       AND NOT c.is_deleted AND c.date >= %(horizon)s) AS comment_at,
                   (SELECT max(t.date_created) FROM clickup_tasks t
                     WHERE t.creator_id = h.user_id AND NOT t.is_deleted
                       AND t.date_created >= %(horizon)s) AS created_at
              FROM h"""
    return f"""
            SELECT h.*, tt.at AS time_at, cc.at AS comment_at,
                   (SELECT max(t.date_created) FROM clickup_tasks t
                     WHERE t.creator_id = h.user_id AND NOT t.is_deleted
                       AND t.date_created >= %(horizon)s AND {scope.condition("t")})
                       AS created_at
              FROM h
              LEFT JOIN (SELECT e.user_id, max(e.start_at) AS at
                           FROM clickup_tasks t JOIN time_entries e ON e.task_id = t.id
                          WHERE NOT t.is_deleted AND {scope.condition("t")}
                            AND NOT e.is_deleted AND e.start_at >= %(horizon)s
                          GROUP BY e.user_id) tt ON tt.user_id = h.user_id
              LEFT JOIN (SELECT c.user_id, max(c.date) AS at
                           FROM clickup_tasks t JOIN comments c ON c.task_id = t.id
                          WHERE NOT t.is_deleted AND {scope.condition("t")}
                            AND NOT c.is_deleted AND c.date >= %(horizon)s
                          GROUP BY c.user_id) cc ON cc.user_id = h.user_id"""


def _holders_sql(scope: Scope) -> str:
    """Per person (``user_id``): the open tasks they hold in scope (``open_tasks``). The
    Workspace, a Space or a Folder reads the open work the database keeps (migration 0021:
    one row per person and week, not one per open task and assignee); a List is counted
    from its tasks."""
    if scope.kind != "list":
        return f"""SELECT user_id, sum(tasks)::bigint AS open_tasks FROM open_work_counts
                    WHERE user_id > 0 AND {OPEN_WORK_LEVEL[scope.kind]}
                    GROUP BY user_id HAVING sum(tasks) > 0"""
    return f"""SELECT a.user_id, count(*) AS open_tasks
                 FROM clickup_tasks t JOIN task_assignees a ON a.task_id = t.id
                WHERE {LIVE} AND {OPEN} AND {scope.condition("t")}
                GROUP BY a.user_id"""


@reads
def inactive_assignees(conn: psycopg.Connection, scope: Scope = WORKSPACE, *,
                       days: int = 14, limit: int = 50) -> Result:
    """Find the people who hold open tasks but tracked no time, wrote no comment and created
    no task in the last ``days`` days, or who have left the Workspace."""
    scope, limit = check_scope(scope), check_limit(limit)
    days = check_int(days, "days", 1, MAX_DAYS)
    tz, _ = local_clock(conn)
    lookback = max(days, LOOKBACK_DAYS)
    params = {**scope.params, "tz": tz}
    row = conn.execute("SELECT now(), now() - %s * interval '1 day', "
                       "now() - %s * interval '1 day'", (days, lookback)).fetchone()
    assert row is not None
    now, cutoff, params["horizon"] = row
    holders = conn.execute(
        f"""WITH h AS MATERIALIZED ({_holders_sql(scope)})
            SELECT {PERSON_NAME.format(uid="act.user_id")}, act.open_tasks, act.time_at,
                   act.comment_at, act.created_at,
                   (emp.last_active AT TIME ZONE %(tz)s)::date, emp.is_active,
                   emp.clickup_user_id IS NOT NULL
              FROM ({_activity_sql(scope)}) act
              LEFT JOIN employees emp ON emp.clickup_user_id = act.user_id""",
        params).fetchall()
    table = []
    for name, open_tasks, time_at, comment_at, created_at, seen, active, known in holders:
        at, kind = _kind(time_at, comment_at, created_at)
        if known and active and at is not None and at >= cutoff:
            continue
        reason = ("not a member of the Workspace" if not known else
                  "left the Workspace" if not active else f"no activity in {days} days")
        table.append((name, open_tasks, at, kind, seen, reason))
    table.sort(key=lambda r: (r[2] is not None, r[2] or now, r[0]))
    for i, r in enumerate(table):  # as local dates, once sorted
        table[i] = (*r[:2], r[2].astimezone(ZoneInfo(tz)).date() if r[2] else None, *r[3:])
    where = "anywhere in the Workspace" if scope.kind == "workspace" else \
        f"on tasks in {scope.label}"
    return Result.table(
        f"Assignees without activity in {scope.label} (last {days} days)",
        ["person", "open_tasks", "last_activity", "last_activity_kind", "last_seen",
         "reason"], table, limit=limit,
        summary={"inactive": len(table), "assignees_checked": len(holders),
                 "open_tasks_held": sum(r[1] for r in table), "days": days},
        notes=[f"activity = time tracked (interval start), a comment written or a task "
               f"created, {where}; status changes carry no author and are not counted",
               f"last_activity is looked up over the last {lookback} days (empty: none in "
               "that time); last_seen is ClickUp's last active date",
               "people who left the Workspace are listed while they hold open tasks",
               "least recently active first"])


@reads
def assigned_comments(conn: psycopg.Connection, scope: Scope = WORKSPACE, *,
                      person: Person | None = None, limit: int = 50) -> Result:
    """Count the unresolved comments assigned to each person, or list one person's."""
    scope, limit = check_scope(scope), check_limit(limit)
    who = check_person(conn, person)
    workspace = scope.kind == "workspace"
    params = {**scope.params, "tz": local_clock(conn)[0], "limit": limit,
              "user_id": who.user_id if who else None, "chars": COMMENT_CHARS}
    base = f"""FROM comments c LEFT JOIN clickup_tasks t ON t.id = c.task_id
         WHERE c.assignee_id IS NOT NULL AND NOT c.resolved AND NOT c.is_deleted
           AND (%(user_id)s::bigint IS NULL OR c.assignee_id = %(user_id)s::bigint)
           AND ((t.id IS NOT NULL AND {LIVE} AND {scope.condition("t")})
                OR {"c.task_id IS NULL" if workspace else "false"})"""
    total = conn.execute(
        f"SELECT count(*), count(DISTINCT c.assignee_id), count(DISTINCT c.task_id) {base}",
        params).fetchone()
    assert total is not None
    summary: dict[str, Any] = {"comments": total[0], "people": total[1], "tasks": total[2]}
    if who is None:
        columns = ["person", "comments", "tasks", "oldest", "newest"]
        rows = conn.execute(
            f"""SELECT {PERSON_NAME.format(uid="g.assignee_id")}, g.n, g.tasks,
                       (g.oldest AT TIME ZONE %(tz)s)::date, (g.newest AT TIME ZONE %(tz)s)::date
                  FROM (SELECT c.assignee_id, count(*) AS n, count(DISTINCT c.task_id) AS tasks,
                               min(c.date) AS oldest, max(c.date) AS newest {base}
                         GROUP BY c.assignee_id) g
                  LEFT JOIN employees emp ON emp.clickup_user_id = g.assignee_id
                 ORDER BY g.n DESC, 1""", params).fetchall()
    else:
        summary["person"] = who.name
        columns = ["date", "task_id", "task", "comment", "assigned_by"]
        rows = conn.execute(
            f"""SELECT (c.date AT TIME ZONE %(tz)s)::date, c.task_id,
                       coalesce(t.name, '(List comment)'),
                       CASE WHEN length(c.text) > %(chars)s
                            THEN left(c.text, %(chars)s) || '…' ELSE c.text END,
                       {PERSON_NAME.format(uid="c.assigned_by_id")}
                  {base.replace("FROM comments c", "FROM comments c LEFT JOIN employees emp "
                                "ON emp.clickup_user_id = c.assigned_by_id", 1)}
                 ORDER BY c.date DESC, c.id LIMIT %(limit)s""", params).fetchall()
    notes = ["unresolved, undeleted comments with an assignee, on live unarchived tasks in "
             "scope" + (" and on Lists" if workspace else "")]
    if who is not None:
        notes.append(f"newest first; comment text cut at {COMMENT_CHARS} characters")
    return Result.table(
        f"Assigned comments in {scope.label}" + (f" for {who.name}" if who else ""),
        columns, rows, limit=limit, summary=summary, notes=notes,
        total_rows=total[0] if who else len(rows))


# -- tasks nobody tracks time on --------------------------------------------------------------
_SUBTASK_TIME = """
    WITH RECURSIVE d AS (
        SELECT k.id FROM clickup_tasks k WHERE k.parent_id = t.id AND NOT k.is_deleted
        UNION
        SELECT k.id FROM clickup_tasks k JOIN d ON k.parent_id = d.id WHERE NOT k.is_deleted)
    SELECT 1 FROM d JOIN task_time_totals tt ON tt.task_id = d.id"""
"""Time on a subtask, at any level, of task ``t`` (a correlated subquery)."""
_STATUS_FILTER = {"active": "t.status_type = 'custom'",
                  "done": f"t.status_type IN {DONE}", "any": "true"}


@reads
def untracked_tasks(conn: psycopg.Connection, scope: Scope = WORKSPACE, *,
                    status: Literal["active", "done", "any"] = "active",
                    limit: int = 50) -> Result:
    """List the tasks no one has tracked time on, neither on them nor on their subtasks."""
    scope, limit = check_scope(scope), check_limit(limit)
    check_choice(status, "status", tuple(_STATUS_FILTER))
    params = {**scope.params, "limit": limit, "tz": local_clock(conn)[0]}
    rows = conn.execute(
        f"""WITH c AS MATERIALIZED (
                SELECT t.id, coalesce(t.date_done, t.date_closed, t.date_updated) AS moved
                  FROM clickup_tasks t
                 WHERE {LIVE} AND {_STATUS_FILTER[status]} AND {scope.condition("t")}
                   AND coalesce(t.custom_item_id, 0) <> 1),
            u AS MATERIALIZED (
                SELECT c.* FROM c WHERE NOT EXISTS (
                    SELECT 1 FROM task_time_totals tt WHERE tt.task_id = c.id)),
            p AS MATERIALIZED (  -- few tasks have subtasks: look below those only
                SELECT u.id FROM u  -- live subtasks, as the walk: 0017's index of them,
                 WHERE u.id IN (    -- not every task's parent (~20 ms less at 100k)
                     SELECT k.parent_id FROM clickup_tasks k
                      WHERE NOT k.is_deleted AND k.parent_id IS NOT NULL)),
            sub AS (SELECT t.id FROM p t WHERE EXISTS ({_SUBTASK_TIME})),
            f AS MATERIALIZED (SELECT u.* FROM u WHERE u.id NOT IN (SELECT id FROM sub)),
            tot AS (SELECT (SELECT count(*) FROM f) AS found, count(*) AS considered FROM c)
            SELECT tot.found, tot.considered, r.*
              FROM tot LEFT JOIN LATERAL (
                   SELECT t.id, t.name, t.status, l.name AS list,
                          (SELECT string_agg(coalesce(emp.name, a.user_id::text), ', '
                                             ORDER BY emp.name)
                             FROM task_assignees a
                             LEFT JOIN employees emp ON emp.clickup_user_id = a.user_id
                            WHERE a.task_id = t.id),
                          round(t.time_estimate_ms::numeric / 3600000, 2),
                          (t.date_created AT TIME ZONE %(tz)s)::date,
                          (page.moved AT TIME ZONE %(tz)s)::date, page.moved
                     FROM (SELECT f.id, f.moved FROM f
                            ORDER BY f.moved DESC NULLS LAST, f.id LIMIT %(limit)s) page
                     JOIN clickup_tasks t ON t.id = page.id
                     LEFT JOIN lists l ON l.id = t.list_id) r ON true
             ORDER BY r.moved DESC NULLS LAST, r.id""", params).fetchall()
    found, considered = rows[0][0], rows[0][1]
    table = [r[2:-1] for r in rows if r[2] is not None]
    what = {"active": "active (status type custom)", "done": "done or closed",
            "any": "live"}[status]
    return Result.table(
        f"Tasks with no time tracked in {scope.label} ({status})",
        ["task_id", "task", "status", "list", "assignees", "estimate_hours", "created",
         "last_change"], table, limit=limit,
        summary={"untracked": found, "tasks_considered": considered,
                 "percent_untracked": round(100 * found / considered, 1) if considered else 0.0},
        notes=[f"{what}, unarchived tasks with no time entry on them or on any of their "
               "subtasks; milestones left out",
               "last_change = date done or closed, else date updated; newest first"],
        total_rows=found)
