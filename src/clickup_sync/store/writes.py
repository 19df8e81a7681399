"""Writes of synced records, in bulk, inside the caller's transaction.

Each function takes an open transaction (the sync commits a batch together with its cursor)
and never commits. Rows go through `bulk.upsert` (COPY into a staging table, then
``INSERT … ON CONFLICT``). Child rows of a task (assignees, tags, values, …) are replaced
whole for the tasks of the batch, since a task payload always lists all of them.
Absence is evidence of deletion only where the caller says its read was complete.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from .bulk import copy_rows, upsert
from .records import (
    ChecklistItemRecord,
    ChecklistRecord,
    CommentRecord,
    CustomValueRecord,
    EmployeeRecord,
    FolderRecord,
    ListRecord,
    SpaceRecord,
    StatusRecord,
    TaskRecord,
    TimeEntryRecord,
    columns,
    digest,
    row,
)

_JSON_COLUMNS = {"raw", "value", "type_config"}


def _rows(records: Iterable[Any]) -> list[tuple[Any, ...]]:
    """Record tuples with JSON columns wrapped, so text values are not taken for json text."""
    out = []
    for rec in records:
        cols = columns(type(rec))
        out.append(tuple(Jsonb(v) if c in _JSON_COLUMNS else v
                         for c, v in zip(cols, row(rec), strict=True)))
    return out


def _upsert(conn: psycopg.Connection, table: str, records: Sequence[Any],
            key: Sequence[str], *, extra_update: Sequence[str] = (),
            where_changed: bool = False) -> int:
    if not records:
        return 0
    cols = columns(type(records[0]))
    return upsert(conn, table, cols, _rows(records), key,
                  update_columns=[c for c in cols if c not in key] + list(extra_update),
                  where_changed=where_changed)


def write_workspace(conn: psycopg.Connection, team_id: str, name: str, color: str | None,
                    raw: dict[str, Any]) -> None:
    conn.execute(
        """INSERT INTO workspaces (id, name, color, raw) VALUES (%s, %s, %s, %s)
           ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, color = EXCLUDED.color,
                  raw = EXCLUDED.raw, synced_at = now()""",
        (team_id, name, color, Jsonb(raw)))


def write_employees(conn: psycopg.Connection, records: Sequence[EmployeeRecord]) -> int:
    """Upsert members; those missing from this complete list are marked inactive, not
    deleted, so their history keeps its names."""
    n = _upsert(conn, "employees", records, ["clickup_user_id"])
    conn.execute("UPDATE employees SET updated_at = now() WHERE clickup_user_id = ANY(%s)",
                 ([r.clickup_user_id for r in records],))
    conn.execute("UPDATE employees SET is_active = false, updated_at = now() "
                 "WHERE is_active AND NOT (clickup_user_id = ANY(%s))",
                 ([r.clickup_user_id for r in records],))
    return n


def write_hierarchy(conn: psycopg.Connection, spaces: Sequence[SpaceRecord],
                    folders: Sequence[FolderRecord], lists: Sequence[ListRecord],
                    statuses: Sequence[StatusRecord]) -> None:
    """Upsert a complete walk of the hierarchy; what it no longer holds is marked deleted."""
    for table, records in (("spaces", spaces), ("folders", folders), ("lists", lists)):
        _upsert(conn, table, records, ["id"], where_changed=True)  # unchanged: left alone
        conn.execute(f"UPDATE {table} SET is_deleted = (id <> ALL(%s)) "
                     "WHERE is_deleted IS DISTINCT FROM (id <> ALL(%s))",
                     ([r.id for r in records],) * 2)
    conn.execute("DELETE FROM list_statuses WHERE list_id = ANY(%s)",
                 (list({s.list_id for s in statuses}),))
    if statuses:
        copy_rows(conn, "list_statuses", columns(StatusRecord), _rows(statuses))


def _record_status_changes(conn: psycopg.Connection, tasks: Sequence[TaskRecord]) -> None:
    """Append a history row for each task whose status differs from the stored one.

    The change time is ClickUp's ``date_updated`` of the payload that shows the new status;
    a task seen for the first time gets the time it reached its status, as far as its
    dates tell (done/closed date, else its last update).
    """
    conn.execute(
        """INSERT INTO task_status_history (task_id, status, status_type, previous_status,
                                            changed_at)
           SELECT b.id, b.status, b.status_type, t.status,
                  CASE WHEN t.id IS NULL
                       THEN coalesce(b.date_done, b.date_closed, b.date_updated, now())
                       ELSE coalesce(b.date_updated, now()) END
             FROM unnest(%s::text[], %s::text[], %s::text[], %s::timestamptz[],
                         %s::timestamptz[], %s::timestamptz[])
                  AS b(id, status, status_type, date_updated, date_done, date_closed)
             LEFT JOIN clickup_tasks t ON t.id = b.id
            WHERE t.id IS NULL OR t.status IS DISTINCT FROM b.status""",
        ([t.id for t in tasks], [t.status for t in tasks], [t.status_type for t in tasks],
         [t.date_updated for t in tasks], [t.date_done for t in tasks],
         [t.date_closed for t in tasks]))


# [flow perf, migration 0009] status_since caches the task's latest status-history row.
def _set_status_since(conn: psycopg.Connection, ids: list[str]) -> None:
    """Set ``status_since`` of these tasks to their latest status change (aging reads it)."""
    conn.execute(
        """UPDATE clickup_tasks t SET status_since = h.at
             FROM (SELECT task_id, max(changed_at) AS at FROM task_status_history
                    WHERE task_id = ANY(%s) GROUP BY task_id) h
            WHERE t.id = h.task_id AND t.status_since IS DISTINCT FROM h.at""", (ids,))


_CHILD_TABLES = ("task_assignees", "task_watchers", "task_tags", "task_locations",
                 "task_custom_values", "task_links", "checklists", "checklist_items")


def _clear_children(conn: psycopg.Connection, ids: list[str]) -> None:
    """Delete every child row of these tasks in one statement (one round trip)."""
    ctes = ", ".join(f"d{i} AS (DELETE FROM {t} WHERE task_id = ANY(%(ids)s))"
                     for i, t in enumerate(_CHILD_TABLES))
    conn.execute(f"WITH {ctes}, dd AS (DELETE FROM task_dependencies "
                 "WHERE task_id = ANY(%(ids)s) OR depends_on = ANY(%(ids)s)) SELECT 1",
                 {"ids": ids})


def _copy_children(conn: psycopg.Connection, table: str, cols: Sequence[str],
                   rows: list[tuple[Any, ...]]) -> None:
    if rows:
        copy_rows(conn, table, cols, rows)


def _changed(conn: psycopg.Connection, tasks: list[TaskRecord]) -> dict[str, bytes]:
    """The digests of the tasks that differ from what was last written for them (or are
    new, or stored as deleted): the rest are stored exactly as they would be written."""
    digests = {t.id: digest(t) for t in tasks}
    same = conn.execute(
        """SELECT b.id FROM unnest(%s::text[], %s::bytea[]) AS b(id, digest)
             JOIN task_write_digests d ON d.task_id = b.id AND d.digest = b.digest
             JOIN clickup_tasks t ON t.id = b.id AND NOT t.is_deleted""",
        (list(digests), list(digests.values()))).fetchall()
    for (task_id,) in same:
        del digests[task_id]
    return digests


def write_tasks(conn: psycopg.Connection, tasks: Sequence[TaskRecord]) -> int:
    """Upsert a batch of tasks with every child row; re-seen tasks are no longer deleted.
    Returns how many were written: a task exactly as last written is left alone, its
    rows and the kept tables that follow them untouched (migration 0033).

    A payload lists every child of its task (and every dependency edge touching it, on
    either side), so children are replaced whole for the tasks of the batch.
    """
    if not tasks:
        return 0
    latest = {t.id: t for t in tasks}  # a page may repeat a task
    digests = _changed(conn, list(latest.values()))
    tasks = [t for task_id, t in latest.items() if task_id in digests]
    if not tasks:
        return 0
    ids = [t.id for t in tasks]
    _record_status_changes(conn, tasks)
    n = _upsert(conn, "clickup_tasks", tasks, ["id"], extra_update=["synced_at"])
    _set_status_since(conn, ids)
    fields = {f.id: f for t in tasks for f in t._custom_fields}
    _upsert(conn, "custom_fields", list(fields.values()), ["id"])
    _clear_children(conn, ids)
    _copy_children(conn, "task_assignees", ("task_id", "user_id"),
                   [(t.id, u) for t in tasks for u in dict.fromkeys(t._assignees)])
    _copy_children(conn, "task_watchers", ("task_id", "user_id"),
                   [(t.id, u) for t in tasks for u in dict.fromkeys(t._watchers)])
    _copy_children(conn, "task_tags", ("task_id", "name", "tag_fg", "tag_bg"),
                   list({(t.id, n): (t.id, n, fg, bg) for t in tasks
                         for n, fg, bg in t._tags}.values()))
    _copy_children(conn, "task_locations", ("task_id", "list_id"),
                   list({(t.id, lid) for t in tasks for lid in t._locations}))
    _copy_children(conn, "task_custom_values", columns(CustomValueRecord),
                   _rows([v for t in tasks for v in t._custom_values]))
    _copy_children(conn, "task_links", ("task_id", "link_id"),
                   list({(t.id, link) for t in tasks for link in t._links}))
    _copy_children(conn, "checklists", columns(ChecklistRecord),
                   _rows({c.id: c for t in tasks for c in t._checklists}.values()))
    _copy_children(conn, "checklist_items", columns(ChecklistItemRecord),
                   _rows({i.id: i for t in tasks for i in t._checklist_items}.values()))
    edges = {e for t in tasks for e in t._dependencies}
    if edges:  # an edge may also be stored already from its other task's payload
        upsert(conn, "task_dependencies", ("task_id", "depends_on"), list(edges),
               ("task_id", "depends_on"), update_columns=[])
    upsert(conn, "task_write_digests", ("task_id", "digest"), list(digests.items()),
           ("task_id",))
    return n


def mark_tasks_deleted(conn: psycopg.Connection, seen_ids: Iterable[str]) -> list[str]:
    """After a complete read of every task: mark the tasks it did not see deleted."""
    conn.execute("CREATE TEMP TABLE seen_tasks (id text PRIMARY KEY) ON COMMIT DROP")
    copy_rows(conn, "seen_tasks", ("id",), [(i,) for i in set(seen_ids)])
    rows = conn.execute(
        """UPDATE clickup_tasks t SET is_deleted = true, deleted_at = now()
            WHERE NOT t.is_deleted AND NOT EXISTS (SELECT 1 FROM seen_tasks s WHERE s.id = t.id)
           RETURNING t.id""").fetchall()
    deleted = [r[0] for r in rows]
    _delete_comments_of(conn, deleted)
    return deleted


def _delete_comments_of(conn: psycopg.Connection, task_ids: list[str]) -> None:
    """ClickUp deletes a task's comments with it."""
    if task_ids:
        conn.execute("UPDATE comments SET is_deleted = true, synced_at = now() "
                     "WHERE task_id = ANY(%s) AND NOT is_deleted", (task_ids,))


def mark_task_deleted(conn: psycopg.Connection, task_id: str) -> None:
    conn.execute("UPDATE clickup_tasks SET is_deleted = true, deleted_at = now() "
                 "WHERE id = %s AND NOT is_deleted", (task_id,))
    _delete_comments_of(conn, [task_id])


def write_time_entries(conn: psycopg.Connection, entries: Sequence[TimeEntryRecord], *,
                       window: tuple[datetime, datetime, list[int]] | None = None) -> int:
    """Upsert intervals (an interval as stored is left alone: a full sync re-reads them
    all). With ``window`` (start, end, users) the read was complete for it: entries of
    those users starting in it that were not returned are marked deleted."""
    n = _upsert(conn, "time_entries", entries, ["id"], where_changed=True)
    if window is not None:
        start, end, users = window
        conn.execute(
            """UPDATE time_entries SET is_deleted = true, synced_at = now()
                WHERE NOT is_deleted AND start_at >= %s AND start_at <= %s
                  AND user_id = ANY(%s) AND NOT (id = ANY(%s))""",
            (start, end, users, [e.id for e in entries]))
    if entries:
        conn.execute("UPDATE time_entries SET is_deleted = false WHERE id = ANY(%s) "
                     "AND is_deleted", ([e.id for e in entries],))
    return n


def write_task_comments(conn: psycopg.Connection, task_id: str,
                        comments: Sequence[CommentRecord], synced_for: datetime | None) -> int:
    """Store every comment of a task (a complete read): the rest of the task's stored
    comments are marked deleted, and the task is noted as read up to ``synced_for``."""
    n = _upsert(conn, "comments", comments, ["id"])
    conn.execute(
        """UPDATE comments SET is_deleted = NOT (id = ANY(%s)), synced_at = now()
            WHERE task_id = %s""",
        ([c.id for c in comments], task_id))
    conn.execute(
        """INSERT INTO task_sync_state (task_id, comments_synced_for, comments_synced_at)
           VALUES (%s, %s, now())
           ON CONFLICT (task_id) DO UPDATE SET comments_synced_for = EXCLUDED.comments_synced_for,
                  comments_synced_at = now()""",
        (task_id, synced_for))
    return n


def write_list_comments(conn: psycopg.Connection, list_id: str,
                        comments: Sequence[CommentRecord]) -> int:
    n = _upsert(conn, "comments", comments, ["id"])
    conn.execute("UPDATE comments SET is_deleted = NOT (id = ANY(%s)) "
                 "WHERE list_id = %s AND task_id IS NULL", ([c.id for c in comments], list_id))
    return n


