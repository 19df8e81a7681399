"""Stored records, page by page: tasks (the original tool's row shape), employees, time
entries, comments, dependencies, the hierarchy and sync runs.

These serve readers that want rows rather than answers (the REST API's listings, BI tools).
Every listing is bounded (``limit`` at most `MAX_PAGE`) and returns the total it was cut
from, in a stable order (ties broken by id) so offsets page without gaps or repeats.
A task page first picks its ids from ``clickup_tasks`` (which the indexes serve), then
reads those rows from ``task_rows``: the ``tasks`` view's rows, stored and kept equal to the
view at every commit (migration 0014), since computing the view's per-row columns
(assignees, time, comments, dependencies) costs tens of milliseconds a page. Whole rows are
read as JSON text from ``task_bodies`` (migration 0020), written once when a row changes, so
a page of them costs no typed values on either side (`JsonPage`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

import psycopg
from psycopg.rows import dict_row
from psycopg.types.string import ByteaBinaryLoader

from .scope import AnalyticsError

Cursor = TypeVar("Cursor", psycopg.Cursor[Any], psycopg.AsyncCursor[Any])
MAX_PAGE = 500
STATUS_TYPES = ("open", "custom", "done", "closed")
_LOCAL_DAY = "(%({0})s::date::timestamp AT TIME ZONE cs_timezone())"
_NEXT_LOCAL_DAY = "((%({0})s::date + 1)::timestamp AT TIME ZONE cs_timezone())"
_TASK_ORDER = "t.date_updated DESC NULLS LAST, t.id"


@dataclass(frozen=True, slots=True)
class Page:
    """One page of rows, and how many rows matched in all."""

    total: int
    rows: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class JsonPage:
    """One page of rows already written as JSON, and how many rows matched in all."""

    total: int
    count: int
    json: bytes
    """The rows as one JSON array, in the REST API's format (`store` migration 0020)."""
    version: int = 0
    """The task listing version the page was read at (`task_listing_version`)."""


@dataclass(frozen=True, slots=True)
class TaskFilter:
    """Which tasks to list; every given filter must hold (values within one are alternatives).

    Dates are whole days in the configured timezone, both ends included; ``updated_since``
    is an instant (a naive one is read in the configured timezone).
    """

    statuses: tuple[str, ...] = ()
    status_types: tuple[str, ...] = ()
    assignees: tuple[int, ...] = ()
    space_id: str | None = None
    folder_id: str | None = None
    list_id: str | None = None
    tags: tuple[str, ...] = ()
    created_from: date | None = None
    created_to: date | None = None
    due_from: date | None = None
    due_to: date | None = None
    updated_since: datetime | None = None
    archived: bool | None = None
    include_deleted: bool = False

    def where(self) -> tuple[str, dict[str, Any]]:
        """The SQL condition on ``clickup_tasks t`` and its parameters."""
        sql = ["true" if self.include_deleted else "NOT t.is_deleted"]
        params: dict[str, Any] = {}

        def add(condition: str, **values: Any) -> None:
            sql.append(condition)
            params.update(values)

        if self.statuses:
            add("lower(t.status) = ANY(%(statuses)s)",
                statuses=[s.strip().lower() for s in self.statuses])
        if self.status_types:
            unknown = sorted(set(self.status_types) - set(STATUS_TYPES))
            if unknown:
                raise AnalyticsError(f"status_type must be one of {', '.join(STATUS_TYPES)}; "
                                     f"got {', '.join(unknown)}")
            add("t.status_type = ANY(%(status_types)s)", status_types=list(self.status_types))
        if self.assignees:
            add("EXISTS (SELECT 1 FROM task_assignees a WHERE a.task_id = t.id "
                "AND a.user_id = ANY(%(assignees)s))", assignees=list(self.assignees))
        if self.space_id is not None:
            add("t.space_id = %(space_id)s", space_id=self.space_id)
        if self.folder_id is not None:
            add("t.folder_id = %(folder_id)s", folder_id=self.folder_id)
        if self.list_id is not None:
            add("(t.list_id = %(list_id)s OR EXISTS (SELECT 1 FROM task_locations x "
                "WHERE x.task_id = t.id AND x.list_id = %(list_id)s))", list_id=self.list_id)
        if self.tags:
            add("EXISTS (SELECT 1 FROM task_tags g WHERE g.task_id = t.id "
                "AND lower(g.name) = ANY(%(tags)s))", tags=[g.strip().lower() for g in self.tags])
        for column, start, end in (("date_created", self.created_from, self.created_to),
                                   ("due_date", self.due_from, self.due_to)):
            if start and end and start > end:
                raise AnalyticsError(f"{column} range: the start ({start}) is after the end "
                                     f"({end})")
            if start is not None:
                add(f"t.{column} >= " + _LOCAL_DAY.format(f"{column}_from"),
                    **{f"{column}_from": start})
            if end is not None:
                add(f"t.{column} < " + _NEXT_LOCAL_DAY.format(f"{column}_to"),
                    **{f"{column}_to": end})
        if self.updated_since is not None:
            add("t.date_updated >= %(updated_since)s", updated_since=self.updated_since)
        if self.archived is not None:
            add("t.archived = %(archived)s", archived=self.archived)
        return " AND ".join(sql), params


def _bounds(limit: int, offset: int) -> dict[str, int]:
    if limit < 1 or offset < 0:
        raise AnalyticsError("limit must be at least 1 and offset at least 0")
    return {"limit": min(limit, MAX_PAGE), "offset": offset}


def _dicts(conn: psycopg.Connection, query: str, params: Any = None, *,
           binary: bool = False) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row, binary=binary) as cur:
        return cur.execute(query, params).fetchall()


def _count(conn: psycopg.Connection, query: str, params: Any = None) -> int:
    row = conn.execute(query, params).fetchone()
    return int(row[0]) if row else 0


def _page_ids(source: str, where: str, order: str) -> str:
    """The page's ids, in order, as one array (unnest ... WITH ORDINALITY keeps the order)."""
    return (f"unnest(ARRAY(SELECT t.id FROM {source} WHERE {where} ORDER BY {order} "
            "LIMIT %(limit)s OFFSET %(offset)s)) WITH ORDINALITY p(id, n)")


def _task_page(conn: psycopg.Connection, where: str, params: dict[str, Any], order: str,
               *, columns: tuple[str, ...], source: str = "clickup_tasks t") -> Page:
    total_n = _count(conn, f"SELECT count(*) FROM {source} WHERE {where}", params)
    if total_n <= params["offset"]:
        return Page(total_n, [])
    wanted = ", ".join(f"v.{c}" for c in columns)
    return Page(total_n, _dicts(conn, f"""
        SELECT {wanted} FROM {_page_ids(source, where, order)}
          JOIN task_rows v ON v.clickup_task_id = p.id
         ORDER BY p.n""", params, binary=True))  # binary: no times formatted as text


def _task_page_query(where: TaskFilter, limit: int, offset: int
                     ) -> tuple[str, dict[str, Any]]:
    """The listing version and the total, then the page's bodies in order: one row per
    body, each carrying both (one row with no body for a page past the end), so a page is
    one round trip. Rows rather than one aggregated string: joining 150 kB in PostgreSQL
    cost more than sending the rows."""
    condition, params = where.where()
    params.update(_bounds(limit, offset))
    # Every live task: the total is kept in live_task_total (migration 0023).
    total_sql = ("SELECT tasks FROM live_task_total" if where == TaskFilter()
                 else f"SELECT count(*) FROM clickup_tasks t WHERE {condition}")
    return f"""
        SELECT v.n, l.total, b.body
          FROM task_listing_version v CROSS JOIN ({total_sql}) l(total)
          LEFT JOIN LATERAL (
                SELECT b.body, p.n FROM {_page_ids("clickup_tasks t", condition, _TASK_ORDER)}
                  JOIN task_bodies b ON b.task_id = p.id) b ON true
         ORDER BY b.n""", params


def _json_page(rows: list[tuple[Any, ...]]) -> JsonPage:
    bodies = [body for _, _, body in rows if body is not None]
    return JsonPage(int(rows[0][1]), len(bodies), b"[" + b",".join(bodies) + b"]",
                    version=int(rows[0][0]))


def _bodies_cursor(cursor: Cursor) -> Cursor:
    """The cursor, reading in binary and ``text`` as bytes: a body goes out as it came in,
    never decoded and re-encoded."""
    cursor.adapters.register_loader("text", ByteaBinaryLoader)
    return cursor


def task_page(conn: psycopg.Connection, where: TaskFilter = TaskFilter(), *,
              limit: int = 100, offset: int = 0) -> JsonPage:
    """Which tasks match, most recently updated first, as rows of the ``tasks`` view?"""
    with _bodies_cursor(conn.cursor(binary=True)) as cursor:
        return _json_page(cursor.execute(*_task_page_query(where, limit, offset)).fetchall())


async def task_page_async(conn: psycopg.AsyncConnection, where: TaskFilter = TaskFilter(), *,
                          limit: int = 100, offset: int = 0) -> JsonPage:
    """`task_page` on an asyncio connection (the bodies do not depend on its timezone)."""
    async with _bodies_cursor(conn.cursor(binary=True)) as cursor:
        await cursor.execute(*_task_page_query(where, limit, offset))
        return _json_page(await cursor.fetchall())


async def task_listing_version(conn: psycopg.AsyncConnection) -> int:
    """A number that moves whenever a task listing could answer differently (migration
    0024; a List filter aside): pages read at the same number are the same."""
    cursor = await conn.execute("SELECT n FROM task_listing_version")
    row = await cursor.fetchone()
    return int(row[0]) if row else 0


def task_row(conn: psycopg.Connection, task_id: str) -> bytes | None:
    """One task's row of the ``tasks`` view as JSON, deleted or not; None when unknown."""
    with _bodies_cursor(conn.cursor(binary=True)) as cursor:
        row = cursor.execute("SELECT body FROM task_bodies WHERE task_id = %s",
                             (task_id,)).fetchone()
    return row[0] if row else None


WITH_TIME_COLUMNS = ("clickup_task_id", "title", "status", "assignee_name", "start_times",
                     "end_times", "tracked_minutes", "assigned_comment")
WITH_COMMENTS_COLUMNS = ("clickup_task_id", "title", "status", "assignee_name",
                         "assigned_comment")


def tasks_with_time(conn: psycopg.Connection, *, limit: int = 100, offset: int = 0) -> Page:
    """Which live tasks have tracked time (a whole minute or more), the most first?"""
    tracked = """(SELECT e.task_id AS id, (sum(e.duration_ms) / 60000)::integer AS minutes
                    FROM time_entries e WHERE NOT e.is_deleted AND e.task_id IS NOT NULL
                   GROUP BY e.task_id) m JOIN clickup_tasks t ON t.id = m.id"""
    return _task_page(conn, "NOT t.is_deleted AND m.minutes > 0", _bounds(limit, offset),
                      "m.minutes DESC, t.id", source=tracked,
                      columns=WITH_TIME_COLUMNS)


def tasks_with_comments(conn: psycopg.Connection, *, limit: int = 100,
                        offset: int = 0) -> Page:
    """Which live tasks have unresolved comments assigned to someone, recently updated first?"""
    where = ("NOT t.is_deleted AND EXISTS (SELECT 1 FROM comments c WHERE c.task_id = t.id "
             "AND c.assignee_id IS NOT NULL AND NOT c.resolved AND NOT c.is_deleted)")
    return _task_page(conn, where, _bounds(limit, offset), _TASK_ORDER,
                      columns=WITH_COMMENTS_COLUMNS)


def daily_sync_page(conn: psycopg.Connection, *, limit: int = 100, offset: int = 0) -> Page:
    """Today's snapshot (the ``daily_syncs`` view), latest status change first."""
    params = _bounds(limit, offset)
    today = "snapshot_date = (now() AT TIME ZONE cs_timezone())::date"
    total = _count(conn, f"SELECT count(*) FROM task_snapshots WHERE {today}")
    rows = _dicts(conn, f"""
        SELECT r.* FROM (SELECT s.data FROM task_snapshots s WHERE s.{today}
                          ORDER BY (s.data ->> 'last_status_change')::timestamptz DESC
                                   NULLS LAST, s.task_id
                          LIMIT %(limit)s OFFSET %(offset)s) p,
               LATERAL jsonb_populate_record(NULL::tasks, p.data) r""", params)
    return Page(total, rows)


def task_dependencies(conn: psycopg.Connection, task_id: str) -> dict[str, Any] | None:
    """What a task waits on and what it blocks; None when the task is unknown."""
    row = conn.execute("SELECT dependencies FROM tasks WHERE clickup_task_id = %s",
                       (task_id,)).fetchone()
    if row is None:
        return None
    edges = _dicts(conn, """
        SELECT 'waiting_on' AS way, d.depends_on AS task_id, o.name AS title, o.status,
               coalesce(o.is_deleted, false) AS is_deleted
          FROM task_dependencies d LEFT JOIN clickup_tasks o ON o.id = d.depends_on
         WHERE d.task_id = %(id)s
        UNION ALL
        SELECT 'blocking', d.task_id, o.name, o.status, coalesce(o.is_deleted, false)
          FROM task_dependencies d LEFT JOIN clickup_tasks o ON o.id = d.task_id
         WHERE d.depends_on = %(id)s
         ORDER BY 1, 2""", {"id": task_id})
    out: dict[str, Any] = {"labels": row[0], "waiting_on": [], "blocking": []}
    for edge in edges:
        out[edge.pop("way")].append(edge)
    return out


def employee_rows(conn: psycopg.Connection, *, include_inactive: bool = True
              ) -> list[dict[str, Any]]:
    """Every member the sync has seen (people who left too, unless asked), by name."""
    return _dicts(conn, """
        SELECT id, name, email, role, clickup_user_id, is_active FROM employees
         WHERE %(all)s OR is_active ORDER BY name NULLS LAST, clickup_user_id LIMIT 100000""",
                  {"all": include_inactive})


def employee_user_id(conn: psycopg.Connection, employee_id: UUID) -> int | None:
    """The ClickUp user id of the employee row ``employee_id``; None when unknown."""
    row = conn.execute("SELECT clickup_user_id FROM employees WHERE id = %s",
                       (employee_id,)).fetchone()
    return int(row[0]) if row else None


@dataclass(frozen=True, slots=True)
class EntryFilter:
    """Which time entries or comments to list (all given filters hold)."""

    task_id: str | None = None
    user_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    include_deleted: bool = False


def time_entry_page(conn: psycopg.Connection, where: EntryFilter = EntryFilter(), *,
                    limit: int = 100, offset: int = 0) -> Page:
    """Tracked intervals (one per user and interval), latest start first."""
    condition, params = _entry_where(where, "e", "start_at")
    params.update(_bounds(limit, offset))
    total = _count(conn, f"SELECT count(*) FROM time_entries e WHERE {condition}", params)
    rows = _dicts(conn, f"""
        SELECT e.id, e.task_id, e.user_id, m.name AS user_name, e.start_at, e.end_at,
               e.duration_ms, e.is_running, e.billable, e.description, e.tags, e.is_deleted
          FROM time_entries e LEFT JOIN employees m ON m.clickup_user_id = e.user_id
         WHERE {condition} ORDER BY e.start_at DESC, e.id
         LIMIT %(limit)s OFFSET %(offset)s""", params) if total > params["offset"] else []
    return Page(total, rows)


def comment_page(conn: psycopg.Connection, where: EntryFilter = EntryFilter(), *,
                 assignee_id: int | None = None, resolved: bool | None = None,
                 limit: int = 100, offset: int = 0) -> Page:
    """Comments on tasks and Lists (threaded replies too), newest first."""
    condition, params = _entry_where(where, "c", "date")
    if assignee_id is not None:
        condition += " AND c.assignee_id = %(assignee_id)s"
        params["assignee_id"] = assignee_id
    if resolved is not None:
        condition += " AND c.resolved = %(resolved)s"
        params["resolved"] = resolved
    params.update(_bounds(limit, offset))
    total = _count(conn, f"SELECT count(*) FROM comments c WHERE {condition}", params)
    rows = _dicts(conn, f"""
        SELECT c.id, c.task_id, c.list_id, c.parent_comment_id, c.user_id,
               m.name AS user_name, c.text, c.date, c.resolved, c.assignee_id,
               c.assigned_by_id, c.reply_count, c.is_deleted
          FROM comments c LEFT JOIN employees m ON m.clickup_user_id = c.user_id
         WHERE {condition} ORDER BY c.date DESC, c.id
         LIMIT %(limit)s OFFSET %(offset)s""", params) if total > params["offset"] else []
    return Page(total, rows)


def _entry_where(where: EntryFilter, alias: str, when: str) -> tuple[str, dict[str, Any]]:
    if where.since and where.until and where.since > where.until:
        raise AnalyticsError(f"since ({where.since}) is after until ({where.until})")
    sql = ["true" if where.include_deleted else f"NOT {alias}.is_deleted"]
    params: dict[str, Any] = {}
    for value, key, condition in (
            (where.task_id, "task_id", f"{alias}.task_id = %(task_id)s"),
            (where.user_id, "user_id", f"{alias}.user_id = %(user_id)s"),
            (where.since, "since", f"{alias}.{when} >= %(since)s"),
            (where.until, "until", f"{alias}.{when} < %(until)s")):
        if value is not None:
            sql.append(condition)
            params[key] = value
    return " AND ".join(sql), params


def hierarchy_tree(conn: psycopg.Connection, *, include_archived: bool = False
                   ) -> list[dict[str, Any]]:
    """Spaces › Folders › Lists with live task counts and each List's statuses."""
    keep = {"all": include_archived}
    spaces = _dicts(conn, """SELECT id, name, private, archived FROM spaces
                              WHERE NOT is_deleted AND (%(all)s OR NOT archived)
                              ORDER BY lower(name), id LIMIT 5000""", keep)
    folders = _dicts(conn, """SELECT id, space_id, name, hidden, archived FROM folders
                               WHERE NOT is_deleted AND (%(all)s OR NOT archived)
                               ORDER BY orderindex NULLS LAST, lower(name), id LIMIT 5000""",
                     keep)
    lists = _dicts(conn, """
        SELECT l.id, l.space_id, l.folder_id, l.name, l.archived,
               (SELECT count(*) FROM clickup_tasks t WHERE t.list_id = l.id
                   AND NOT t.is_deleted AND (%(all)s OR NOT t.archived)) AS task_count
          FROM lists l WHERE NOT l.is_deleted AND (%(all)s OR NOT l.archived)
         ORDER BY l.orderindex NULLS LAST, lower(l.name), l.id LIMIT 5000""", keep)
    statuses: dict[str, list[dict[str, Any]]] = {}
    for s in _dicts(conn, """SELECT list_id, status, type, color, orderindex FROM list_statuses
                              ORDER BY list_id, orderindex, status LIMIT 100000"""):
        statuses.setdefault(s.pop("list_id"), []).append(s)
    by_parent: dict[str, list[dict[str, Any]]] = {}
    for lst in lists:
        lst["statuses"] = statuses.get(lst["id"], [])
        by_parent.setdefault(lst.pop("folder_id") or "space:" + lst["space_id"], []).append(lst)
        lst.pop("space_id")
    in_space: dict[str, list[dict[str, Any]]] = {}
    for folder in folders:
        folder["lists"] = by_parent.get(folder["id"], [])
        in_space.setdefault(folder.pop("space_id"), []).append(folder)
    for space in spaces:
        space["folders"] = in_space.get(space["id"], [])
        space["lists"] = by_parent.get("space:" + space["id"], [])
    return spaces


RUN_COLUMNS = ("id, kind, status, started_at, finished_at, tasks_upserted, "
               "time_entries_upserted, comments_upserted, deleted, api_calls, errors, detail")


def run_page(conn: psycopg.Connection, *, kind: str | None = None, status: str | None = None,
             limit: int = 100, offset: int = 0) -> Page:
    """Sync runs (and requests to run one), newest first."""
    params: dict[str, Any] = {"kind": kind, "status": status, **_bounds(limit, offset)}
    where = ("(%(kind)s::text IS NULL OR kind = %(kind)s) "
             "AND (%(status)s::text IS NULL OR status = %(status)s)")
    total = _count(conn, f"SELECT count(*) FROM sync_runs WHERE {where}", params)
    rows = _dicts(conn, f"SELECT {RUN_COLUMNS} FROM sync_runs WHERE {where} "
                        "ORDER BY id DESC LIMIT %(limit)s OFFSET %(offset)s", params)
    return Page(total, rows)


def sync_figures(conn: psycopg.Connection) -> dict[str, Any]:
    """Counters for monitoring: sync lag, runs by kind and status, API calls, errors."""
    head = _dicts(conn, """
        SELECT extract(epoch FROM now() - max(finished_at)) AS lag_seconds,
               extract(epoch FROM max(finished_at)) AS last_ok_at,
               (SELECT count(*) FROM sync_runs WHERE status = 'running') AS running,
               (SELECT coalesce(sum(api_calls), 0) FROM sync_runs) AS api_calls,
               (SELECT coalesce(sum(jsonb_array_length(errors)), 0) FROM sync_runs) AS errors,
               (SELECT count(*) FROM clickup_tasks WHERE NOT is_deleted) AS tasks
          FROM sync_runs WHERE status = 'ok' AND kind IN ('full', 'incremental')""")[0]
    head["runs"] = [tuple(r) for r in conn.execute(
        "SELECT kind, status, count(*) FROM sync_runs GROUP BY kind, status ORDER BY 1, 2")]
    return head
