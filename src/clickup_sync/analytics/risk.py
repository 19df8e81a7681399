"""What needs attention: overdue, at-risk, stale and blocked tasks.

Every list here holds open work only: live, unarchived tasks whose status is not of type
done or closed (subtasks included). Days count in the configured timezone. Definitions are
in docs/metrics/risk-and-reports.md.
"""

from __future__ import annotations

from typing import Any

import psycopg

from ._args import check_limit, check_person, check_scope
from ._risk_base import (
    TODAY,
    assignee_names,
    blocked_ctes,
    blocked_detail,
    blocked_reason,
    check_days,
    local_date,
    open_task,
    params,
    person_name,
    scope_first,
)
from .result import Result
from .scope import WORKSPACE, Person, Scope
from .time import ENTRY_MS, reads
from .workload import open_work_params, open_work_sql


def _overdue_where(scope: Scope) -> str:
    return f"{open_task()} AND t.due_date < now() AND {scope.condition()}"


def _overdue_tally(scope: Scope, person: Person | None) -> tuple[str, str]:
    """(CTEs ``tally``: overdue tasks per assignee, None for nobody, and ``total``: their
    count, each task once; the source of the oldest rows). The Workspace, a Space or a
    Folder counts them from the open work the database keeps (`open_work_sql`); a List or
    one person's tasks lists them first (a person's from their rows of that open work,
    migration 0026's index), as their co-assignees count too."""
    if person is None and scope.kind != "list":
        return f"""{open_work_sql(scope)},
            tally AS (SELECT nullif(user_id, 0) AS user_id, overdue AS n FROM per
                       WHERE user_id <> -1 AND overdue > 0),
            total AS (SELECT coalesce(sum(overdue) FILTER (WHERE user_id = -1), 0)::bigint AS n
                        FROM per)""", f"""(SELECT t.id, t.due_date FROM clickup_tasks t
                   WHERE {_overdue_where(scope)} ORDER BY t.due_date, t.id
                   LIMIT %(limit)s) o"""
    # One person's: their rows of the open work kept per assignee, found by person.
    listed = f"""SELECT t.id, t.due_date FROM open_assignments t
                 WHERE t.user_id = %(person)s AND t.due_date < now() AND {scope.condition()}""" \
        if person else f"SELECT t.id, t.due_date FROM clickup_tasks t WHERE {_overdue_where(scope)}"
    return f"""o AS MATERIALIZED ({listed}),
            tally AS (SELECT a.user_id, count(*) AS n
                        FROM o LEFT JOIN task_assignees a ON a.task_id = o.id
                       GROUP BY a.user_id),
            total AS (SELECT count(*) AS n FROM o)""", "o"


@reads
def overdue_tasks(conn: psycopg.Connection, scope: Scope = WORKSPACE, *,
                  person: Person | None = None, limit: int = 50) -> Result:
    """List the open tasks past their due date, oldest first, and who has the most."""
    scope, person, limit = check_scope(scope), check_person(conn, person), check_limit(limit)
    args = params(scope, person=person.user_id if person else None, limit=limit,
                  **open_work_params(conn)[1])
    tally, oldest = _overdue_tally(scope, person)
    rows = conn.execute(
        f"""WITH {tally},
            stats AS (SELECT (SELECT n FROM total) AS total,
                             (SELECT n FROM tally WHERE user_id IS NULL) AS unassigned,
                             (SELECT json_agg(json_build_array(x.who, x.n)
                                              ORDER BY x.n DESC, x.who)
                                FROM (SELECT {person_name('e', 'tally.user_id')} AS who, tally.n
                                        FROM tally LEFT JOIN employees e
                                          ON e.clickup_user_id = tally.user_id
                                       WHERE tally.user_id IS NOT NULL
                                       ORDER BY tally.n DESC, who LIMIT 5) x) AS people)
            SELECT stats.*, r.* FROM stats LEFT JOIN LATERAL (
                SELECT p.id, t.name, l.name AS list, {assignee_names('p.id')} AS assignees,
                       {local_date('p.due_date')} AS due,
                       {TODAY} - {local_date('p.due_date')} AS days, t.status
                  FROM (SELECT o.id, o.due_date FROM {oldest}
                         ORDER BY o.due_date, o.id LIMIT %(limit)s) p
                  JOIN clickup_tasks t ON t.id = p.id
                  LEFT JOIN lists l ON l.id = t.list_id
                 ORDER BY p.due_date, p.id) r ON true""", args).fetchall()
    total, unassigned, people = rows[0][:3]
    table = [r[3:] for r in rows if r[3] is not None]
    oldest = table[0] if table else None
    whose = f" assigned to {person.name}" if person else ""
    return Result.table(
        f"Overdue tasks{whose} in {scope.label}",
        ["task_id", "task", "list", "assignees", "due", "days_overdue", "status"],
        table, limit=limit, total_rows=total,
        summary={"overdue": total, "most_overdue_people": {k: v for k, v in people or []},
                 "unassigned": unassigned or 0,
                 "oldest_task": oldest[1] if oldest else None,
                 "oldest_days_overdue": oldest[5] if oldest else None},
        notes=["overdue = due date before now and status type not done/closed; archived "
               "tasks left out", "days_overdue counts calendar days in the configured "
               "timezone; a task with several assignees counts for each of them"])


@reads
def at_risk_tasks(conn: psycopg.Connection, scope: Scope = WORKSPACE, *, days: int = 3,
                  limit: int = 50) -> Result:
    """List the open tasks due within the next ``days`` days, and why each may slip."""
    scope, days, limit = check_scope(scope), check_days(days), check_limit(limit)
    args = params(scope, days=days, limit=limit)
    rows = conn.execute(
        f"""WITH r AS MATERIALIZED (
              SELECT t.id, t.name, t.list_id, t.status, t.due_date,
                     to_char(t.due_date AT TIME ZONE cs_timezone(), 'YYYY-MM-DD HH24:MI')
                       AS due_local,
                     extract(epoch FROM t.due_date - now()) / 3600 AS hours_left,
                     x.assignees = 0 AS no_assignee, t.status_type = 'open' AS not_started,
                     coalesce(t.time_estimate_ms, 0) > 0
                       AND (t.time_estimate_ms - x.tracked_ms) / 3600000.0
                           > extract(epoch FROM t.due_date - now()) / 3600 AS over_estimate,
                     x.waits > 0 AS blocked
                FROM clickup_tasks t CROSS JOIN LATERAL (SELECT
                     (SELECT count(*) FROM task_assignees a WHERE a.task_id = t.id) AS assignees,
                     (SELECT coalesce(sum({ENTRY_MS}), 0) FROM time_entries e
                       WHERE e.task_id = t.id AND NOT e.is_deleted) AS tracked_ms,
                     (SELECT count(*) FROM blocking_edges k  -- t is open: its edges are kept
                       WHERE k.task_id = t.id) AS waits) x
               WHERE {open_task()} AND {scope.condition()}
                 AND t.due_date >= now() AND t.due_date < now() + %(days)s * interval '1 day'),
            f AS (SELECT r.*, no_assignee::int + not_started::int + over_estimate::int
                              + blocked::int AS flags FROM r)
            SELECT p.*, l.name AS list, {assignee_names('p.id')} AS assignees
              FROM (SELECT f.*, count(*) OVER () AS total,
                           count(*) FILTER (WHERE flags > 0) OVER () AS flagged,
                           count(*) FILTER (WHERE no_assignee) OVER () AS n_unassigned,
                           count(*) FILTER (WHERE not_started) OVER () AS n_not_started,
                           count(*) FILTER (WHERE over_estimate) OVER () AS n_over,
                           count(*) FILTER (WHERE blocked) OVER () AS n_blocked
                      FROM f ORDER BY flags DESC, due_date, id LIMIT %(limit)s) p
              LEFT JOIN lists l ON l.id = p.list_id
             ORDER BY p.flags DESC, p.due_date, p.id""", args)
    names = [c.name for c in rows.description or []]
    found = [dict(zip(names, r, strict=True)) for r in rows.fetchall()]
    table = []
    for r in found:
        why = [text for key, text in (("no_assignee", "no assignee"),
                                      ("not_started", "not started"),
                                      ("over_estimate", "estimate left exceeds time left"),
                                      ("blocked", "blocked by an unfinished dependency"))
               if r[key]]
        table.append((r["id"], r["name"], r["list"], r["assignees"],
                      r["due_local"], round(r["hours_left"], 1),
                      r["status"], "; ".join(why) or "due soon"))
    head: dict[str, Any] = found[0] if found else {}
    return Result.table(
        f"Tasks due within {days} days in {scope.label}",
        ["task_id", "task", "list", "assignees", "due", "hours_left", "status", "risk"],
        table, limit=limit, total_rows=head.get("total", 0),
        summary={"due_soon": head.get("total", 0), "with_risk_flags": head.get("flagged", 0),
                 "no_assignee": head.get("n_unassigned", 0),
                 "not_started": head.get("n_not_started", 0),
                 "estimate_exceeds_time_left": head.get("n_over", 0),
                 "blocked_by_dependency": head.get("n_blocked", 0), "window_days": days},
        notes=[f"due soon = open task due between now and {days} x 24 h from now "
               "(overdue tasks are in overdue_tasks)",
               "estimate left = time estimate minus the time tracked on the task (a running "
               "timer up to now), compared with the clock hours until the due time; due "
               "times are local"])


@reads
def stale_tasks(conn: psycopg.Connection, scope: Scope = WORKSPACE, *, days: int = 14,
                limit: int = 50) -> Result:
    """List the open or active tasks nobody has touched for ``days`` days, oldest first."""
    scope, days, limit = check_scope(scope), check_days(days), check_limit(limit)
    args = params(scope, days=days, limit=limit)
    rows = conn.execute(
        f"""SELECT p.id, p.name, l.name, {assignee_names('p.id')}, p.status,
                   {local_date('p.date_updated')},
                   floor(extract(epoch FROM now() - p.date_updated) / 86400)::int,
                   p.total, p.active, p.not_started
              FROM (SELECT t.id, t.name, t.list_id, t.status, t.date_updated,
                           count(*) OVER () AS total,
                           count(*) FILTER (WHERE t.status_type = 'custom') OVER () AS active,
                           count(*) FILTER (WHERE t.status_type = 'open') OVER ()
                             AS not_started
                      FROM clickup_tasks t
                     WHERE {open_task()} AND t.status_type IN ('open', 'custom')
                       AND t.date_updated < now() - %(days)s * interval '1 day'
                       AND {scope.condition()}
                     ORDER BY t.date_updated, t.id LIMIT %(limit)s) p
              LEFT JOIN lists l ON l.id = p.list_id
             ORDER BY p.date_updated, p.id""", args).fetchall()
    first = rows[0] if rows else None
    return Result.table(
        f"Tasks untouched for {days}+ days in {scope.label}",
        ["task_id", "task", "list", "assignees", "status", "last_updated", "days_idle"],
        [r[:7] for r in rows], limit=limit, total_rows=first[7] if first else 0,
        summary={"stale": first[7] if first else 0, "active": first[8] if first else 0,
                 "not_started": first[9] if first else 0,
                 "oldest_task": first[1] if first else None,
                 "oldest_days_idle": first[6] if first else None, "idle_days": days},
        notes=[f"stale = status type open or custom (active) and last update more than "
               f"{days} x 24 h ago; any change, comment or tracked time counts as an update",
               "archived tasks left out"])


@reads
def blockers(conn: psycopg.Connection, scope: Scope = WORKSPACE, *, limit: int = 50) -> Result:
    """List the open tasks that are blocked, with the reasons, and what blocks the most."""
    scope, limit = check_scope(scope), check_limit(limit)
    cur = conn.execute(
        f"""WITH {blocked_ctes(scope, first=scope_first(conn, scope))},
            hits AS MATERIALIZED (
                SELECT p.depends_on AS id, count(*) AS n
                  FROM b JOIN edges p ON p.task_id = b.id GROUP BY p.depends_on),
            -- only the tasks as blocking as the fifth can rank, so only their names are read
            top AS (SELECT w.name || ' (' || w.id || ')' AS task, h.n
                      FROM hits h JOIN clickup_tasks w ON w.id = h.id
                     WHERE h.n >= coalesce((SELECT n FROM hits ORDER BY n DESC
                                            LIMIT 1 OFFSET 4), 0)
                     ORDER BY h.n DESC, task LIMIT 5),
            stats AS (SELECT count(*) AS total,
                             count(*) FILTER (WHERE waits_n > 0) AS n_dep,
                             count(*) FILTER (WHERE by_status) AS n_status,
                             count(*) FILTER (WHERE comments > 0) AS n_comment,
                             (SELECT json_agg(json_build_array(task, n) ORDER BY n DESC, task)
                                FROM top) AS blocking
                        FROM b)
            SELECT stats.*, p.* FROM stats LEFT JOIN LATERAL (
                SELECT p.id, p.name, l.name AS list, {assignee_names('p.id')} AS assignees,
                       p.status, p.waits_n, p.by_status, p.comments, {blocked_detail('p')}
                  FROM (SELECT b.*, (waits_n > 0)::int + by_status::int + (comments > 0)::int
                                      AS reasons
                          FROM b ORDER BY reasons DESC, waits_n DESC, coalesce(priority, 5),
                                   id LIMIT %(limit)s) p
                  LEFT JOIN lists l ON l.id = p.list_id
                 ORDER BY p.reasons DESC, p.waits_n DESC, coalesce(p.priority, 5), p.id) p
                ON true""", params(scope, limit=limit))
    names = [c.name for c in cur.description or []]
    found = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    head = found[0]
    table = [(r["id"], r["name"], r["list"], r["assignees"], r["status"],
              blocked_reason(r["waits"], r["waits_n"], r["by_status"], r["status"],
                             r["comments"], r["comment_for"])) for r in found if r["id"]]
    return Result.table(
        f"Blocked tasks in {scope.label}",
        ["task_id", "task", "list", "assignees", "status", "blocked_because"], table,
        limit=limit, total_rows=head["total"],
        summary={"blocked": head["total"], "waiting_on_tasks": head["n_dep"],
                 "blocked_status": head["n_status"],
                 "unresolved_assigned_comments": head["n_comment"],
                 "top_blocking_tasks": {k: v for k, v in head["blocking"] or []}},
        notes=["blocked = open task that waits on an unfinished task (dependency), sits in a "
               "workflow status named like blocked / waiting / on hold / stuck / paused / "
               "pending, or has an unresolved assigned comment", "top_blocking_tasks: "
               "unfinished tasks the most blocked tasks here wait on"])
