"""The project registry: names for the Spaces, Folders and Lists people call projects.

One registry, kept in PostgreSQL (table ``projects``), so every tool, route and report knows
the same projects. Adding and removing are the only writes in analytics; each runs in its own
transaction. A project's tasks are those of its scope (`Scope.condition`): live, unarchived,
subtasks included, a List also holding tasks added to it from other Lists.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import errors

from .result import Result
from .scope import WORKSPACE, AnalyticsError, Scope, UnknownName, best_match, resolve_project
from .workload import OPEN_WORK_LEVEL
from .workspace import HARD_CAP, PATH_SEP, Counts, bounded, tally

RECENT_DAYS = 30
_TABLE = {"space": "spaces", "folder": "folders", "list": "lists"}

_UNASSIGNED = """count(*) FILTER (WHERE {which} AND NOT EXISTS (
                       SELECT 1 FROM task_assignees a WHERE a.task_id = t.id))"""
"""Tasks ``{which}`` nobody is assigned to (one index probe each)."""
# Progress numbers of a set of tasks ``t`` (project_status and all_projects_status), the
# unassigned ones as ``{unassigned}`` says (`_PROGRESS_ALL`: every open task probed).
_PROGRESS = """count(*) AS tasks,
    count(*) FILTER (WHERE t.status_type = 'open') AS not_started,
    count(*) FILTER (WHERE t.status_type = 'custom') AS active,
    count(*) FILTER (WHERE t.status_type IN ('done', 'closed')) AS done,
    count(*) FILTER (WHERE t.due_date < now()
                       AND t.status_type NOT IN ('done', 'closed')) AS overdue,
    count(*) FILTER (WHERE t.due_date >= now() AND t.due_date < now() + interval '7 days'
                       AND t.status_type NOT IN ('done', 'closed')) AS due_next_7_days,
    {unassigned} AS unassigned_not_done,
    count(*) FILTER (WHERE t.status_type IN ('done', 'closed')
                       AND coalesce(t.date_done, t.date_closed) >= now() - interval '7 days')
        AS done_last_7_days,
    count(*) FILTER (WHERE t.date_created >= now() - interval '7 days') AS created_last_7_days,
    max(t.date_updated) AS last_update"""
_OPEN_UNASSIGNED = _UNASSIGNED.format(which="t.status_type NOT IN ('done', 'closed')")
_PROGRESS_ALL = _PROGRESS.format(unassigned=_OPEN_UNASSIGNED)
_COLUMNS = """c.id, c.status_type, c.due_date, c.date_done, c.date_closed, c.date_created,
              c.date_updated, c.is_deleted, c.archived"""
_PROGRESS_NAMES = ["tasks", "not_started", "active", "done", "overdue", "due_next_7_days",
                   "unassigned_not_done", "done_last_7_days", "created_last_7_days",
                   "last_update"]
_PATH = f"""CASE p.kind WHEN 'space' THEN s1.name
                       WHEN 'folder' THEN s2.name || '{PATH_SEP}' || f2.name
                       ELSE concat_ws('{PATH_SEP}', s3.name, f3.name, l3.name) END"""
_REGISTRY = f"""SELECT p.name, p.kind, p.target_id, {_PATH}, p.added_at
      FROM projects p
      LEFT JOIN spaces s1 ON p.kind = 'space' AND s1.id = p.target_id AND NOT s1.is_deleted
      LEFT JOIN folders f2 ON p.kind = 'folder' AND f2.id = p.target_id AND NOT f2.is_deleted
      LEFT JOIN spaces s2 ON s2.id = f2.space_id
      LEFT JOIN lists l3 ON p.kind = 'list' AND l3.id = p.target_id AND NOT l3.is_deleted
      LEFT JOIN folders f3 ON f3.id = l3.folder_id
      LEFT JOIN spaces s3 ON s3.id = l3.space_id
     ORDER BY lower(p.name) LIMIT {HARD_CAP}"""


def _clean_name(name: str) -> str:
    text = " ".join((name or "").split())
    if not text or len(text) > 100:
        raise AnalyticsError("a project name needs 1 to 100 characters")
    return text


def add_project(conn: psycopg.Connection, name: str, scope: Scope) -> Result:
    """Register a Space, Folder or List under a project name."""
    label = _clean_name(name)
    if scope.kind not in _TABLE:
        raise AnalyticsError("a project is a Space, Folder or List, not the whole Workspace")
    try:
        with conn.transaction():
            target = conn.execute(
                f"SELECT name FROM {_TABLE[scope.kind]} WHERE id = %s AND NOT is_deleted",
                (scope.id,)).fetchone()
            if target is None:
                raise AnalyticsError(f"no {scope.kind} with id {scope.id!r} is in the database")
            clash = conn.execute(
                """SELECT name, kind, target_id FROM projects
                    WHERE lower(name) = lower(%s) OR (kind = %s AND target_id = %s)""",
                (label, scope.kind, scope.id)).fetchone()
            if clash:
                raise AnalyticsError(
                    f"project {clash[0]!r} already names {clash[1]} {clash[2]}; remove it "
                    "first or choose another name")
            conn.execute("INSERT INTO projects (name, kind, target_id) VALUES (%s, %s, %s)",
                         (label, scope.kind, scope.id))
    except errors.UniqueViolation:
        raise AnalyticsError(f"project {label!r} or its target was just registered by "
                             "someone else; list the projects and try again") from None
    result = list_projects(conn)
    result.title = f"Project {label!r} added ({scope.kind} {target[0]}); all projects"
    return result


def remove_project(conn: psycopg.Connection, name: str) -> Result:
    """Remove a project from the registry (its Space, Folder or List is untouched)."""
    label = _clean_name(name)
    with conn.transaction():
        gone = conn.execute(
            "DELETE FROM projects WHERE lower(name) = lower(%s) RETURNING name, kind, target_id",
            (label,)).fetchone()
        if gone is None:
            names = [r[0] for r in conn.execute("SELECT name FROM projects LIMIT 500")]
            try:  # a close name is only suggested: removing needs the exact name
                close = [best_match(label, {n: n for n in names}, "project")]
            except UnknownName as unknown:
                close = unknown.candidates
            raise UnknownName("project", label, close)
    result = list_projects(conn)
    result.title = f"Project {gone[0]!r} removed; remaining projects"
    return result


def list_projects(conn: psycopg.Connection) -> Result:
    """Which projects are registered, what each names, and how far along each is."""
    found = conn.execute(_REGISTRY).fetchall()
    counts = tally(conn, WORKSPACE, include_archived=False) if found else {}
    rows = []
    for name, kind, target, path, added in found:
        c = counts[kind].get(target, Counts())
        rows.append((name, kind, target, path or "(missing: deleted or not synced)", c.tasks,
                     c.tasks - c.done, c.done, c.percent_done, added))
    return Result.table(
        "Registered projects", ["project", "kind", "target_id", "path", "tasks", "not_done",
                                "done", "percent_done", "added"], rows, limit=HARD_CAP,
        summary={"projects": len(rows), "missing_targets": sum(r[3].startswith("(") for r in
                                                                 rows)},
        notes=["tasks: live and unarchived, subtasks included"])


def discover_projects(conn: psycopg.Connection, *, limit: int = 100) -> Result:
    """Which Folders and Lists look like projects (recent activity) but are not registered?"""
    limit = bounded(limit)
    found = conn.execute(
        f"""WITH recent AS MATERIALIZED (
                SELECT t.list_id, t.folder_id, count(*) AS n, max(t.date_updated) AS last
                  FROM clickup_tasks t
                 WHERE NOT t.is_deleted AND NOT t.archived
                   AND t.date_updated >= now() - make_interval(days => %(days)s)
                 GROUP BY t.list_id, t.folder_id)
            SELECT * FROM (
              SELECT 'folder' AS kind, f.id, f.name, s.id AS space_id, NULL::text AS fid,
                     s.name || '{PATH_SEP}' || f.name AS path, sum(r.n)::bigint AS n,
                     max(r.last) AS last
                FROM recent r JOIN folders f ON f.id = r.folder_id
                JOIN spaces s ON s.id = f.space_id
               WHERE NOT (f.archived OR f.is_deleted OR s.archived OR s.is_deleted)
               GROUP BY f.id, s.id
              UNION ALL
              SELECT 'list', l.id, l.name, s.id, f.id,
                     concat_ws('{PATH_SEP}', s.name, f.name, l.name), sum(r.n)::bigint,
                     max(r.last)
                FROM recent r JOIN lists l ON l.id = r.list_id
                JOIN spaces s ON s.id = l.space_id LEFT JOIN folders f ON f.id = l.folder_id
               WHERE NOT (l.archived OR l.is_deleted OR s.archived OR s.is_deleted
                          OR coalesce(f.archived OR f.is_deleted, false))
               GROUP BY l.id, s.id, f.id) c
             WHERE NOT EXISTS (SELECT 1 FROM projects p
                                WHERE p.kind = c.kind AND p.target_id = c.id)
             ORDER BY n DESC, last DESC, path LIMIT {HARD_CAP}""",
        {"days": RECENT_DAYS}).fetchall()
    registered = {(r[1], r[2]): r[0] for r in conn.execute(_REGISTRY)}
    taken = {n.casefold() for n in registered.values()}
    seen: dict[str, int] = {}
    for r in found:
        seen[r[2].casefold()] = seen.get(r[2].casefold(), 0) + 1
    shown = found[:limit]
    counts = tally(conn, WORKSPACE, include_archived=False)
    rows = []
    for kind, key, name, space_id, folder_id, path, n, last in shown:
        within = registered.get(("folder", folder_id)) or registered.get(("space", space_id))
        unique = seen[name.casefold()] == 1 and name.casefold() not in taken
        c = counts[kind].get(key, Counts())
        rows.append((kind, key, path, name if unique else path, n, c.tasks - c.done, c.tasks,
                     last, within))
    return Result.table(
        "Project candidates (not registered)",
        ["kind", "id", "path", "suggested_name", f"updated_last_{RECENT_DAYS}_days", "not_done",
         "tasks", "last_update", "inside_project"], rows, limit=limit, total_rows=len(found),
        summary={"candidates": len(found), "registered": len(registered)},
        notes=[f"candidates: unarchived Folders and Lists with tasks updated in the last "
               f"{RECENT_DAYS} days (by home List), busiest first",
               "register one with add_project(name, scope)"])


def _project_of(conn: psycopg.Connection, scope: Scope) -> str | None:
    row = conn.execute("SELECT name FROM projects WHERE kind = %s AND target_id = %s",
                       (scope.kind, scope.id)).fetchone()
    return row[0] if row else None


def _unassigned_sql(scope: Scope) -> str:
    """SQL: the open tasks in ``scope`` nobody is assigned to, as the database keeps them
    (user 0 of `open_work_counts`), rather than one probe of the assignees per open task
    (~14k in a large Space). A List is not kept per List: 0, its tasks are probed."""
    if scope.kind == "list":
        return "0"
    return (f"(SELECT coalesce(sum(tasks), 0) FROM open_work_counts "
            f"WHERE user_id = 0 AND {OPEN_WORK_LEVEL[scope.kind]})")


def _status_rows(conn: psycopg.Connection, scope: Scope) -> list[tuple[Any, ...]]:
    """Per status, in the workflow's order: (status, type, tasks, the progress numbers, the
    kept count of open tasks nobody is assigned to), one pass over the scope's tasks. Outside
    a List the per-status unassigned number is minus those without a status type, which the
    kept count holds and `_PROGRESS` leaves out; in a List it is counted here, and the kept
    count is 0."""
    parts = _PROGRESS.format(unassigned=_OPEN_UNASSIGNED if scope.kind == "list" else
                             "-" + _UNASSIGNED.format(which="t.status_type IS NULL"))
    return conn.execute(
        f"""SELECT t.status, t.status_type, count(*) AS n, {parts},
                   {_unassigned_sql(scope)} AS kept_unassigned
              FROM clickup_tasks t
             WHERE NOT t.is_deleted AND NOT t.archived AND {scope.condition()}
             GROUP BY t.status, t.status_type
             ORDER BY min(coalesce(t.status_orderindex, 999)), count(*) DESC, t.status
            """, scope.params).fetchall()


def _progress_of(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    """The progress numbers of all the tasks of `_status_rows`' rows, added up."""
    if not rows:
        return dict(zip(_PROGRESS_NAMES, [0] * (len(_PROGRESS_NAMES) - 1) + [None],
                        strict=True))
    numbers = {name: sum(r[3 + i] for r in rows)
               for i, name in enumerate(_PROGRESS_NAMES[:-1])}
    numbers["unassigned_not_done"] += rows[0][-1]
    numbers["last_update"] = max((r[-2] for r in rows if r[-2] is not None), default=None)
    return numbers


def project_status(conn: psycopg.Connection, name_or_scope: str | Scope) -> Result:
    """Where a project stands: progress, overdue and recent work, and tasks per status.

    The numbers are added up from the per-status counts (one pass over the scope's tasks);
    the open tasks nobody is assigned to come from the open work the database keeps."""
    scope = name_or_scope if isinstance(name_or_scope, Scope) else resolve_project(
        conn, name_or_scope)
    project = _project_of(conn, scope)
    found = _status_rows(conn, scope)
    numbers = _progress_of(found)
    total, done = numbers["tasks"], numbers["done"]
    table = [(s, k, n, round(100 * n / total, 1) if total else 0.0)
             for s, k, n, *_ in found[:HARD_CAP]]
    summary: dict[str, Any] = {"project": project or scope.label, "scope": scope.label,
                               **numbers,
                               "percent_done": round(100 * done / total, 1) if total else 0.0}
    notes = ["tasks: live and unarchived, subtasks included; done = status type done or "
             "closed; overdue = not done and due before now; 7-day windows end now"]
    if project is None:
        notes.append(f"{scope.label} is not a registered project (add_project registers it)")
    return Result.table(f"Status of project {project or scope.label}",
                        ["status", "type", "tasks", "percent"], table, limit=HARD_CAP,
                        summary=summary, notes=notes)


def all_projects_status(conn: psycopg.Connection) -> Result:
    """How every registered project stands, side by side."""
    rows = conn.execute(
        f"""WITH reg AS (SELECT name, kind, target_id FROM projects),
                t AS (
                  SELECT reg.name, {_COLUMNS} FROM reg JOIN clickup_tasks c
                      ON reg.kind = 'space' AND c.space_id = reg.target_id
                  UNION ALL SELECT reg.name, {_COLUMNS} FROM reg JOIN clickup_tasks c
                      ON reg.kind = 'folder' AND c.folder_id = reg.target_id
                  UNION ALL SELECT reg.name, {_COLUMNS} FROM reg JOIN clickup_tasks c
                      ON reg.kind = 'list' AND c.list_id = reg.target_id
                  UNION ALL SELECT reg.name, {_COLUMNS} FROM reg JOIN task_locations x
                      ON reg.kind = 'list' AND x.list_id = reg.target_id
                    JOIN clickup_tasks c ON c.id = x.task_id AND c.list_id <> x.list_id)
            SELECT t.name, {_PROGRESS_ALL} FROM t WHERE NOT t.is_deleted AND NOT t.archived
             GROUP BY t.name""").fetchall()
    numbers = {r[0]: dict(zip(_PROGRESS_NAMES, r[1:], strict=True)) for r in rows}
    table = []
    for name, kind, _target, path, _added in conn.execute(_REGISTRY).fetchall():
        n = numbers.get(name) or dict.fromkeys(_PROGRESS_NAMES, 0)
        pct = round(100 * n["done"] / n["tasks"], 1) if n["tasks"] else 0.0
        table.append((name, kind, path or "(missing)", n["tasks"], n["tasks"] - n["done"],
                      n["done"], pct, n["overdue"], n["done_last_7_days"],
                      n["last_update"] or None))
    return Result.table(
        "Status of all projects", ["project", "kind", "path", "tasks", "not_done", "done",
                                   "percent_done", "overdue", "done_last_7_days",
                                   "last_update"], table, limit=HARD_CAP,
        summary={"projects": len(table), "tasks": sum(r[3] for r in table),
                 "overdue": sum(r[7] for r in table)},
        notes=["tasks: live and unarchived, subtasks included; a task in two projects "
               "counts in both; overdue = not done and due before now"])
