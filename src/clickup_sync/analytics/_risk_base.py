"""Shared pieces of the risk and report metrics: argument checks and SQL fragments.

The fragments are fixed SQL text (never built from caller input), so the single metrics and
the composites that reuse them count exactly the same tasks.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ._args import check_int
from ._args import check_scope as check_scope  # weekly.py imports it from here
from .history import BLOCKED_LOOKING
from .scope import AnalyticsError, Scope

MAX_DAYS = 3650
BLOCKED_STATUS = BLOCKED_LOOKING
"""A workflow status (of `list_statuses`) whose name matches this case-insensitive regex,
shared with `bottlenecks`, means blocked: block, wait, hold, stuck, pause, pending, impeded,
depend."""

TODAY = "(now() AT TIME ZONE cs_timezone())::date"


def open_task(alias: str = "t") -> str:
    """Condition: a live, unarchived task whose status is not of type done or closed."""
    return (f"NOT {alias}.is_deleted AND NOT {alias}.archived "
            f"AND coalesce({alias}.status_type, '') NOT IN ('done', 'closed')")


DONE_AT = "coalesce(t.date_done, t.date_closed)"
"""When task ``t`` was completed: ClickUp's date_done, else date_closed."""


def finished_task(alias: str = "t") -> str:
    """Condition: a live, unarchived task whose status is of type done or closed."""
    return (f"NOT {alias}.is_deleted AND NOT {alias}.archived "
            f"AND {alias}.status_type IN ('done', 'closed')")


def between(expr: str) -> str:
    """Condition: timestamptz ``expr`` falls in the `span` (local dates start .. end - 1)."""
    return f"{expr} >= %(start_at)s AND {expr} < %(end_at)s"


def span(conn: Any, start: date, end: date) -> dict[str, Any]:
    """Parameters of local dates start .. end - 1: the dates and the instants they begin.

    The instants are computed once and bound, so the planner sees constants (and can use
    the indexes on time columns) and no row pays for a timezone conversion.
    """
    row = conn.execute(
        "SELECT %(s)s::date::timestamp AT TIME ZONE cs_timezone(), "
        "%(e)s::date::timestamp AT TIME ZONE cs_timezone()", {"s": start, "e": end}).fetchone()
    return {"start": start, "end": end, "start_at": row[0], "end_at": row[1]}


def local_date(expr: str) -> str:
    """The calendar date of timestamptz ``expr`` in the configured timezone."""
    return f"({expr} AT TIME ZONE cs_timezone())::date"


def person_name(alias: str, id_expr: str) -> str:
    """Display name of an employee row ``alias`` for the user id ``id_expr``."""
    return f"coalesce({alias}.name, {alias}.email, {id_expr}::text)"


def assignee_names(task_id: str) -> str:
    """Scalar subquery: the task's assignees' names, comma separated, sorted."""
    name = person_name("e", "a.user_id")
    return (f"(SELECT string_agg({name}, ', ' ORDER BY {name}) FROM task_assignees a "
            f"LEFT JOIN employees e ON e.clickup_user_id = a.user_id "
            f"WHERE a.task_id = {task_id})")


UNFINISHED_WAIT = "NOT w.is_deleted AND coalesce(w.status_type, '') NOT IN ('done', 'closed')"
"""Condition on ``w``, a task waited on: it still blocks (exists and is not done)."""
ASSIGNED_OPEN = "c.assignee_id IS NOT NULL AND NOT c.resolved AND NOT c.is_deleted"
"""Condition on comment ``c``: assigned to someone and not resolved."""
WAITED_ON = "'''' || w.name || ''' (' || w.status || ')'"
"""How a task waited on is shown: 'name' (status)."""


SCOPE_FIRST_MAX = 0
"""A scope with at most this many open tasks (and more than none) has its blocked tasks
found scope-first; 0: none has."""


def scope_first(conn: Any, scope: Scope) -> bool:
    """Whether `blocked_ctes` should list the open tasks of ``scope`` and probe each.

    Candidate-first reads the blocking edges the database keeps for the scope (migration
    0026), the open tasks of the scope in a blocked-looking status (an index) and the few
    assigned comments; scope-first lists every open task of the scope. With the edges kept,
    candidate-first is the faster at every size measured at 100k tasks (a List of 8 open
    tasks 4 vs 14 ms, one of 660 7 vs 35, a Folder of 1.3k 10 vs 20), so `SCOPE_FIRST_MAX`
    is 0; the scope-first plan remains for ``open_tasks`` (one person's). The open tasks
    per List are kept in ``list_task_counts`` (migration 0010), so the choice costs one
    small read when a threshold is set.
    """
    if scope.kind == "workspace" or SCOPE_FIRST_MAX <= 0:
        return False
    row = conn.execute(
        f"""SELECT coalesce(sum(c.tasks), 0) FROM list_task_counts c
             WHERE NOT c.archived AND c.status_type NOT IN ('done', 'closed')
               AND c.{scope.kind}_id = %(scope_id)s""", scope.params).fetchone()
    return bool(row and row[0] <= SCOPE_FIRST_MAX)


def blocked_ctes(scope: Scope, extra: str = "true", *, first: bool = False,
                 open_tasks: str | None = None) -> str:
    """CTE ``b``: the open tasks in scope (passing ``extra``) that are blocked.

    Columns: id, name, list_id, status, status_type, priority, due_date, date_updated,
    ``waits_n`` (unfinished tasks it waits on), ``by_status`` (in a blocked-looking workflow
    status) and ``comments`` (its unresolved assigned comments). CTE ``edges`` holds the
    dependency edges (task_id, depends_on) from open tasks onto unfinished tasks, at least
    those of ``b``, read from the edges the database keeps (`BLOCKING_EDGES`).
    With ``first`` (what `scope_first` says of the scope) the scope's open tasks are listed
    first; otherwise candidates come from three small sets (blocking edges, open tasks in
    such a status, assigned comments), never from a scan of all tasks.
    ``open_tasks`` (SQL: column id of open tasks, among them every one of ``b``; any other
    column is not read) starts scope-first from those, such as one person's few hundred.
    `blocked_detail` describes a few rows of ``b``.
    """
    found = _scoped_kept(scope, open_tasks) if first or open_tasks else _candidate_kept(scope)
    # Each kept task's row is read by key: its estimate is far off, and a hash join would
    # read every open task to find a few thousand.
    return f"""
    bs AS MATERIALIZED (  -- the regex tested once per name, not once per List's status
        SELECT s.status FROM (SELECT DISTINCT ls.status FROM list_statuses ls OFFSET 0) s
         WHERE s.status ~* %(blocked_re)s),
    {found},
    b AS MATERIALIZED (
        SELECT t.*, f.waits_n, f.by_status, f.comments
          FROM kept f CROSS JOIN LATERAL (
               SELECT t.id, t.name, t.list_id, t.status, t.status_type, t.priority,
                      t.due_date, t.date_updated
                 FROM clickup_tasks t
                WHERE t.id = f.id AND {open_task()} AND {scope.condition()} AND {extra}
               OFFSET 0) t)"""


BLOCKING_EDGES = """(SELECT k.task_id AS id, k.task_id, k.depends_on, k.list_id, k.folder_id,
                            k.space_id FROM blocking_edges k)"""
"""The dependency edges from an open task onto an unfinished task, with the waiting task's
place as columns id, list_id, folder_id, space_id (so `Scope.condition` applies): kept by
the database (migration 0026)."""


def _candidate_kept(scope: Scope) -> str:
    """CTEs ``edges`` and ``kept`` (id, waits_n, by_status, comments), candidate-first.

    Every candidate is open and in scope when found: the kept edges and the status index
    say so themselves, and the few assigned comments' tasks are probed by key."""
    return f"""
    edges AS MATERIALIZED (
        SELECT t.task_id, t.depends_on FROM {BLOCKING_EDGES} t WHERE {scope.condition()}),
    cand AS (
        SELECT task_id AS id, 1 AS waits, 0 AS by_status, 0 AS comments FROM edges
        UNION ALL
        SELECT t.id, 0, 1, 0 FROM clickup_tasks t
         WHERE {open_task()} AND t.status = ANY (ARRAY(TABLE bs)) AND {scope.condition()}
        UNION ALL
        SELECT c.task_id, 0, 0, 1 FROM comments c
         WHERE {ASSIGNED_OPEN} AND c.task_id IS NOT NULL
           AND EXISTS (SELECT FROM clickup_tasks t WHERE t.id = c.task_id
                          AND {open_task()} AND {scope.condition()})),
    kept AS MATERIALIZED (
        SELECT id, sum(waits) AS waits_n, max(by_status) = 1 AS by_status,
               sum(comments) AS comments
          FROM cand GROUP BY id)"""


def _scoped_kept(scope: Scope, open_tasks: str | None = None) -> str:
    """CTEs ``edges`` and ``kept`` for a small scope: its open tasks (``so``; by default
    all of them) are listed first and matched with the kept edges, the open tasks of the
    scope in a blocked-looking status (from migration 0006's status index, so ``so``
    needs no status) and the few assigned comments."""
    listed = open_tasks or f"""SELECT o.id FROM clickup_tasks o
         WHERE {open_task("o")} AND {scope.condition("o")}"""
    return f"""
    so AS MATERIALIZED ({listed}),
    edges AS MATERIALIZED (
        SELECT k.task_id, k.depends_on FROM so JOIN blocking_edges k ON k.task_id = so.id),
    held AS (SELECT t.id FROM clickup_tasks t
              WHERE {open_task()} AND t.status = ANY (ARRAY(TABLE bs)) AND {scope.condition()}),
    asked AS (SELECT c.task_id, count(*) AS n FROM comments c
               WHERE {ASSIGNED_OPEN} AND c.task_id IS NOT NULL GROUP BY c.task_id),
    kept AS MATERIALIZED (
        SELECT f.* FROM (
            SELECT so.id, coalesce(w.n, 0) AS waits_n,
                   EXISTS (SELECT FROM held WHERE held.id = so.id) AS by_status,
                   coalesce(c.n, 0) AS comments
              FROM so LEFT JOIN (SELECT task_id, count(*) AS n FROM edges GROUP BY task_id) w
                ON w.task_id = so.id
              LEFT JOIN asked c ON c.task_id = so.id) f
         WHERE f.waits_n > 0 OR f.by_status OR f.comments > 0)"""


def blocked_detail(alias: str) -> str:
    """Columns ``waits`` (up to 3 of the unfinished tasks row ``alias`` of ``b`` waits on,
    as 'name' (status)) and ``comment_for`` (whom its open assigned comments are for)."""
    who = person_name("e", "c.assignee_id")
    return f"""
        (SELECT (array_agg({WAITED_ON} ORDER BY w.date_created, w.id))[1:3]
           FROM task_dependencies d JOIN clickup_tasks w ON w.id = d.depends_on
          WHERE d.task_id = {alias}.id AND {UNFINISHED_WAIT}) AS waits,
        (SELECT array_agg(DISTINCT {who})
           FROM comments c LEFT JOIN employees e ON e.clickup_user_id = c.assignee_id
          WHERE c.task_id = {alias}.id AND {ASSIGNED_OPEN}) AS comment_for"""


def params(scope: Scope, **extra: Any) -> dict[str, Any]:
    """Bound parameters for a query over ``scope`` (the blocked-status regex included)."""
    return {**scope.params, "blocked_re": BLOCKED_STATUS, **extra}


def check_days(days: Any, name: str = "days") -> int:
    return check_int(days, name, 1, MAX_DAYS)


def check_date(value: Any, name: str) -> date | None:
    """A date (a datetime's date; text as 2026-11-23 or ISO week 2026-W47: its Monday)."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        try:
            value = (date.fromisocalendar(int(text[:4]), int(text[6:]), 1)
                     if len(text) in (7, 8) and text[4:6].upper() == "-W"
                     else date.fromisoformat(text))
        except ValueError:
            raise AnalyticsError(f"{name} must be a date such as 2026-11-23 or an ISO week "
                                 f"such as 2026-W47; got {text[:40]!r}") from None
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date) or not 1990 <= value.year <= 2200:
        raise AnalyticsError(f"{name} must be a date between 1990 and 2200, such as "
                             f"2026-11-23; got {value!r}")
    return value


def blocked_reason(waits: list[str] | None, waits_n: int, by_status: bool, status: str,
                   comments: int, comment_for: list[str] | None) -> str:
    """One readable sentence of why a task is blocked."""
    parts = []
    if waits_n:
        more = f" and {waits_n - 3} more" if waits_n > 3 else ""
        parts.append(f"waits on {', '.join((waits or [])[:3])}{more}")
    if by_status:
        parts.append(f"status '{status}'")
    if comments:
        whom = ", ".join(comment_for or [])
        plural = "s" if comments > 1 else ""
        parts.append(f"{comments} unresolved assigned comment{plural} (for {whom})")
    return "; ".join(parts)

