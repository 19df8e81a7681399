"""Tasks: list them by filters, read one whole, or search them by words.

Lists and searches show live tasks (never deleted ones) and leave archived tasks out unless
asked. Subtasks are tasks. Dates are shown in the configured timezone (`cs_timezone()`);
date filters are whole local days.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Literal

import psycopg

from .result import Result, plain
from .scope import WORKSPACE, AnalyticsError, Person, Scope, UnknownName, best_match
from .workspace import PATH_SEP, bounded

StatusType = Literal["open", "active", "done", "closed", "not_done", "any"]
OrderBy = Literal["updated", "due", "created", "priority"]
PRIORITY = {1: "urgent", 2: "high", 3: "normal", 4: "low"}
DONE = "t.status_type IN ('done', 'closed')"

_TYPE_SQL = {
    "open": "t.status_type = 'open'",
    "active": "t.status_type = 'custom'",
    "done": DONE,
    "closed": "t.status_type = 'closed'",
    "not_done": f"NOT coalesce({DONE}, false)",
    "any": "true",
}
_ORDER_SQL = {
    "updated": "t.date_updated DESC, t.id",
    "due": "t.due_date NULLS LAST, t.priority NULLS LAST, t.id",
    "created": "t.date_created DESC, t.id",
    "priority": "t.priority NULLS LAST, t.due_date NULLS LAST, t.id",
}
_LOCAL_DAY = "(%({0})s::date::timestamp AT TIME ZONE cs_timezone())"
_NEXT_LOCAL_DAY = "((%({0})s::date + 1)::timestamp AT TIME ZONE cs_timezone())"
ASSIGNEES = """(SELECT string_agg(coalesce(e.name, a.user_id::text), ', ' ORDER BY e.name)
                  FROM task_assignees a LEFT JOIN employees e ON e.clickup_user_id = a.user_id
                 WHERE a.task_id = t.id)"""


def _day(value: date | str | None, name: str) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise AnalyticsError(f"{name} must be a date like 2026-03-31; got {value!r}") from None


def _choice(value: str, allowed: dict[str, str], name: str) -> str:
    if value not in allowed:
        raise AnalyticsError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
    return allowed[value]


def like_pattern(text: str) -> str:
    """An ILIKE pattern finding ``text`` anywhere, its ``%``, ``_`` and ``\\`` taken literally."""
    return "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"


def _canonical(conn: psycopg.Connection, value: str, exists: str, names: str,
               what: str) -> str:
    """``value`` as stored (case aside), or the one name it clearly means, else `UnknownName`."""
    text = value.strip()
    stored = conn.execute(exists, {"v": text}).fetchone()
    if stored:
        return str(stored[0])
    return best_match(text, {r[0]: r[0] for r in conn.execute(names)}, what)


def _in_scope(scope: Scope) -> str:
    """`Scope.condition`, a List's as one set of ids: its tasks (by the List index) and
    those added to it. The condition's ``OR`` of the two cannot use the index, and the
    count of a List's tasks read every task (~60 ms at 100k)."""
    if scope.kind != "list":
        return scope.condition()
    return ("t.id IN (SELECT h.id FROM clickup_tasks h WHERE h.list_id = %(scope_id)s "
            "UNION ALL SELECT x.task_id FROM task_locations x WHERE x.list_id = %(scope_id)s)")


def get_tasks(conn: psycopg.Connection, scope: Scope = WORKSPACE, *, status: str | None = None,
              status_type: StatusType = "not_done", assignee: Person | None = None,
              tag: str | None = None, due_before: date | None = None,
              due_after: date | None = None, updated_since: date | None = None,
              include_archived: bool = False, include_subtasks: bool = True,
              order_by: OrderBy = "updated", limit: int = 50) -> Result:
    """Which tasks match these filters (status, person, tag, due and update dates)?"""
    limit = bounded(limit)
    where = ["NOT t.is_deleted", "(%(archived)s OR NOT t.archived)", _in_scope(scope)]
    params: dict[str, Any] = {**scope.params, "archived": include_archived, "limit": limit}
    order = _choice(order_by, _ORDER_SQL, "order_by")
    if status is not None:
        status = _canonical(
            conn, status, "SELECT status FROM list_statuses WHERE lower(status) = lower(%(v)s) "
            "UNION ALL SELECT status FROM clickup_tasks WHERE lower(status) = lower(%(v)s) "
            "LIMIT 1",
            "SELECT DISTINCT status FROM list_statuses LIMIT 5000", "status")
        where.append("t.status = %(status)s")
        params["status"] = status
    else:
        where.append(_choice(status_type, _TYPE_SQL, "status_type"))
    if assignee is not None:
        where.append("EXISTS (SELECT 1 FROM task_assignees a WHERE a.task_id = t.id "
                     "AND a.user_id = %(user)s)")
        params["user"] = assignee.user_id
    if tag is not None:
        tag = _canonical(conn, tag, "SELECT name FROM task_tags WHERE name = %(v)s UNION ALL "
                         "SELECT name FROM task_tags WHERE lower(name) = lower(%(v)s) LIMIT 1",
                         "SELECT DISTINCT name FROM task_tags LIMIT 5000", "tag")
        where.append("EXISTS (SELECT 1 FROM task_tags g WHERE g.task_id = t.id "
                     "AND g.name = %(tag)s)")
        params["tag"] = tag
    before, after = _day(due_before, "due_before"), _day(due_after, "due_after")
    since = _day(updated_since, "updated_since")
    if before and after and after > before:
        raise AnalyticsError(f"due_after ({after}) is later than due_before ({before})")
    for value, key, sql in ((before, "due_before", "t.due_date < " + _NEXT_LOCAL_DAY),
                            (after, "due_after", "t.due_date >= " + _LOCAL_DAY),
                            (since, "since", "t.date_updated >= " + _LOCAL_DAY)):
        if value is not None:
            where.append(sql.format(key))
            params[key] = value
    if not include_subtasks:
        where.append("t.parent_id IS NULL")
    cond = " AND ".join(where)
    total, overdue = conn.execute(
        f"""SELECT count(*), count(*) FILTER (WHERE t.due_date < now() AND NOT {DONE})
              FROM clickup_tasks t WHERE {cond}""", params).fetchone() or (0, 0)
    rows = conn.execute(
        f"""SELECT t.id, t.name, t.status, t.status_type, l.name, {ASSIGNEES}, t.priority,
                   (t.due_date AT TIME ZONE cs_timezone())::date,
                   (t.date_updated AT TIME ZONE cs_timezone())::date, t.parent_id
              FROM clickup_tasks t LEFT JOIN lists l ON l.id = t.list_id
             WHERE {cond} ORDER BY {order} LIMIT %(limit)s""", params).fetchall()
    table = [(*r[:6], PRIORITY.get(r[6]), *r[7:]) for r in rows]
    shown = f"status {status!r}" if status is not None else f"status type {status_type}"
    return Result.table(
        f"Tasks in {scope.label}", ["task_id", "name", "status", "type", "list", "assignees",
                                    "priority", "due", "updated", "parent_id"],
        table, limit=limit, total_rows=total,
        summary={"tasks": total, "overdue": overdue, "shown": len(table)},
        notes=[f"filter: {shown}" + (f", assignee {assignee.name}" if assignee else "")
               + (f", tag {tag!r}" if tag else ""),
               "type custom = active; done = done or closed; a named status overrides "
               "status_type; due_before/due_after include that day",
               f"ordered by {order_by}; archived tasks "
               + ("included" if include_archived else "left out")])


# -- one task -----------------------------------------------------------------------------

_ID_IN_URL = re.compile(r"/t/(?:\d+/)?([A-Za-z0-9_-]+)/?$")


def _find_task(conn: psycopg.Connection, ref: str) -> str:
    """The id of the task ``ref`` names: id, custom id, URL or (unique, fuzzy) name."""
    text = (ref or "").strip()
    if not text or len(text) > 500:
        raise AnalyticsError("give a task id, custom id, URL or name (up to 500 characters)")
    found = _ID_IN_URL.search(text)
    key = found.group(1) if found else text.lstrip("#")
    # Two index look-ups (the id, then migration 0013's index on upper(custom_id)): an OR
    # of the two would read every task.
    row = conn.execute(
        """SELECT id FROM (
               SELECT id, 0 AS o, is_deleted FROM clickup_tasks WHERE id = %(k)s
               UNION ALL
               SELECT id, 1, is_deleted FROM clickup_tasks WHERE upper(custom_id) = upper(%(k)s)
           ) x ORDER BY o, is_deleted LIMIT 1""", {"k": key}).fetchone()
    if row:
        return str(row[0])
    named = conn.execute(
        """SELECT t.id, t.name || ' (id ' || t.id || ', ' || coalesce(l.name, '?') || ')'
             FROM clickup_tasks t LEFT JOIN lists l ON l.id = t.list_id
            WHERE NOT t.is_deleted AND lower(t.name) = lower(%s) LIMIT 20""",
        (text,)).fetchall()
    if len(named) == 1:
        return str(named[0][0])
    if named:
        return best_match(text, {r[0]: r[1] for r in named}, "single task")
    words = [w for w in re.findall(r"[^\W_]+", text) if len(w) >= 3][:8]
    likes = [like_pattern(w[:4]) for w in words] or [like_pattern(text[:4])]
    near = conn.execute(
        """SELECT id, name FROM clickup_tasks
            WHERE NOT is_deleted AND name ILIKE ANY(%s)
            ORDER BY date_updated DESC NULLS LAST LIMIT 2000""", (likes,)).fetchall()
    try:
        return best_match(text, {r[0]: r[1] for r in near}, "task")
    except UnknownName as unknown:
        if unknown.candidates:
            raise
        raise AnalyticsError(
            f"no task has the id, custom id or name {text!r}; use an id from get_tasks or "
            "search_tasks, the task's URL, or words of its name with search_tasks") from None


def _field_value(ftype: str, config: dict[str, Any], value: Any, text: str | None,
                 number: Any, when: datetime | None, flag: bool | None) -> Any:
    if ftype == "labels" and isinstance(value, list):
        names = {o.get("id"): o.get("label") for o in config.get("options") or []}
        return [names.get(v, v) for v in value]
    if ftype in ("users", "tasks") and isinstance(value, list):
        return [v.get("username") or v.get("name") or v.get("id") if isinstance(v, dict)
                else v for v in value]
    if ftype == "location" and isinstance(value, dict):
        return value.get("formatted_address")
    if ftype == "date":
        return when.date().isoformat() if when else text
    if ftype == "checkbox":
        return flag
    if number is not None:
        return plain(number)
    return text if text is not None else value


def _related(conn: psycopg.Connection, task_id: str) -> list[tuple[Any, ...]]:
    """Parent, subtasks, dependencies, links, other Lists, checklists and latest comments."""
    return conn.execute(
        """SELECT * FROM (
             SELECT 1 AS o, 'parent' AS relation, p.id, p.name, p.status, NULL AS detail
               FROM clickup_tasks c JOIN clickup_tasks p ON p.id = c.parent_id
              WHERE c.id = %(id)s
             UNION ALL (SELECT 2, 'subtask', s.id, s.name, s.status, NULL
               FROM clickup_tasks s WHERE s.parent_id = %(id)s AND NOT s.is_deleted
              ORDER BY s.orderindex, s.id LIMIT 50)
             UNION ALL SELECT 3, 'waiting on', d.depends_on, o.name, o.status, NULL
               FROM task_dependencies d LEFT JOIN clickup_tasks o ON o.id = d.depends_on
              WHERE d.task_id = %(id)s
             UNION ALL SELECT 4, 'blocking', d.task_id, o.name, o.status, NULL
               FROM task_dependencies d LEFT JOIN clickup_tasks o ON o.id = d.task_id
              WHERE d.depends_on = %(id)s
             UNION ALL SELECT 5, 'linked', k.link_id, o.name, o.status, NULL
               FROM task_links k LEFT JOIN clickup_tasks o ON o.id = k.link_id
              WHERE k.task_id = %(id)s
             UNION ALL SELECT 6, 'also in list', x.list_id, l.name, NULL, NULL
               FROM task_locations x LEFT JOIN lists l ON l.id = x.list_id
              WHERE x.task_id = %(id)s
             UNION ALL SELECT 7, 'checklist', c.id, c.name,
                    count(i.*) FILTER (WHERE i.resolved) || '/' || count(i.*) || ' done', NULL
               FROM checklists c LEFT JOIN checklist_items i ON i.checklist_id = c.id
              WHERE c.task_id = %(id)s GROUP BY c.id, c.name
             UNION ALL (SELECT 8, 'comment', c.id, left(c.text, 200),
                    CASE WHEN c.resolved THEN 'resolved' END,
                    'by ' || coalesce(e.name, c.user_id::text, '?') || ' '
                    || cs_iso(c.date, cs_timezone())
                    || coalesce(', assigned to ' || coalesce(a.name, c.assignee_id::text), '')
               FROM comments c LEFT JOIN employees e ON e.clickup_user_id = c.user_id
               LEFT JOIN employees a ON a.clickup_user_id = c.assignee_id
              WHERE c.task_id = %(id)s AND NOT c.is_deleted ORDER BY c.date DESC LIMIT 5)
           ) r ORDER BY o""", {"id": task_id}).fetchall()


def get_task(conn: psycopg.Connection, task_id: str) -> Result:
    """What is there to know about one task (by id, custom id, URL or name)?"""
    key = _find_task(conn, task_id)
    p = {"id": key}
    head = conn.execute(
        """SELECT t.id, t.custom_id, t.name, t.status, t.status_type, s.name, f.name, l.name,
                  t.priority, t.points, t.archived, t.is_deleted, t.url,
                  cs_iso(t.date_created, cs_timezone()), cs_iso(t.date_updated, cs_timezone()),
                  cs_iso(t.start_date, cs_timezone()), cs_iso(t.due_date, cs_timezone()),
                  cs_iso(t.date_done, cs_timezone()), cs_iso(t.date_closed, cs_timezone()),
                  coalesce(t.due_date < now() AND NOT coalesce(t.status_type IN
                           ('done', 'closed'), false), false),
                  t.time_estimate_ms, t.time_spent_ms, coalesce(e.name, t.creator_id::text),
                  left(t.description, 600), t.list_id
             FROM clickup_tasks t LEFT JOIN lists l ON l.id = t.list_id
             LEFT JOIN folders f ON f.id = t.folder_id LEFT JOIN spaces s ON s.id = t.space_id
             LEFT JOIN employees e ON e.clickup_user_id = t.creator_id
            WHERE t.id = %(id)s""", p).fetchone()
    assert head is not None
    people = conn.execute(
        """SELECT 'assignees', coalesce(e.name, a.user_id::text) FROM task_assignees a
             LEFT JOIN employees e ON e.clickup_user_id = a.user_id WHERE a.task_id = %(id)s
           UNION ALL SELECT 'watchers', coalesce(e.name, w.user_id::text) FROM task_watchers w
             LEFT JOIN employees e ON e.clickup_user_id = w.user_id WHERE w.task_id = %(id)s
           UNION ALL SELECT 'tags', name FROM task_tags WHERE task_id = %(id)s
           ORDER BY 1, 2""", p).fetchall()
    tracked = conn.execute(
        """WITH RECURSIVE tree(id, depth) AS (
               SELECT %(id)s::text, 0
               UNION ALL SELECT c.id, tree.depth + 1 FROM clickup_tasks c
                 JOIN tree ON c.parent_id = tree.id WHERE tree.depth < 10 AND NOT c.is_deleted)
           SELECT coalesce(e.name, x.user_id::text), x.task_id = %(id)s, sum(x.duration_ms),
                  bool_or(x.is_running)
             FROM time_entries x LEFT JOIN employees e ON e.clickup_user_id = x.user_id
            WHERE x.task_id IN (SELECT id FROM tree) AND NOT x.is_deleted
            GROUP BY 1, 2""", p).fetchall()
    fields = conn.execute(
        """SELECT f.name, f.type, f.type_config, v.value, v.value_text, v.value_number,
                  v.value_date, v.value_bool
             FROM task_custom_values v JOIN custom_fields f ON f.id = v.field_id
            WHERE v.task_id = %(id)s ORDER BY f.name LIMIT 100""", p).fetchall()
    related = _related(conn, key)
    own_ms = sum(int(r[2] or 0) for r in tracked if r[1])
    by_person: dict[str, float] = {}
    for name, own, ms, _running in tracked:
        if own:
            by_person[name] = round(int(ms or 0) / 3_600_000, 2)
    sub = [r for r in related if r[1] == "subtask"]
    summary: dict[str, Any] = {
        "task_id": head[0], "custom_id": head[1], "name": head[2], "status": head[3],
        "status_type": head[4], "list": PATH_SEP.join(x for x in head[5:8] if x),
        "list_id": head[24], "assignees": [r[1] for r in people if r[0] == "assignees"],
        "watchers": [r[1] for r in people if r[0] == "watchers"], "creator": head[22],
        "priority": PRIORITY.get(head[8]), "points": head[9],
        "tags": [r[1] for r in people if r[0] == "tags"], "created": head[13],
        "updated": head[14], "start": head[15], "due": head[16], "done": head[17],
        "closed": head[18], "overdue": head[19],
        "estimate_h": round(head[20] / 3_600_000, 2) if head[20] else None,
        "tracked_h": round(own_ms / 3_600_000, 2), "tracked_by": by_person,
        "tracked_with_subtasks_h": round(sum(int(r[2] or 0) for r in tracked) / 3_600_000, 2),
        "timer_running": any(r[3] for r in tracked if r[1]),
        "clickup_time_spent_h": round(head[21] / 3_600_000, 2) if head[21] else None,
        "subtasks": len(sub), "waiting_on": sum(r[1] == "waiting on" for r in related),
        "blocking": sum(r[1] == "blocking" for r in related),
        "custom_fields": {r[0]: plain(_field_value(*r[1:])) for r in fields},
        "archived": head[10], "deleted": head[11], "url": head[12], "description": head[23],
    }
    items = conn.execute("SELECT count(*) FILTER (WHERE resolved), count(*) "
                         "FROM checklist_items WHERE task_id = %(id)s", p).fetchone()
    if items and items[1]:
        summary["checklist"] = f"{items[0]}/{items[1]} items done"
    summary = {k: v for k, v in summary.items() if v not in (None, [], {}, "")}
    notes = ["tracked_h = this task's own finished time entries, every person's "
             "(timer_running says one is still running); tracked_with_subtasks_h adds its "
             "subtasks'; clickup_time_spent_h is ClickUp's own figure",
             "rows: parent, subtasks (first 50), dependencies both ways, links, other Lists, "
             "checklists and the 5 latest comments"]
    if head[11]:
        notes.insert(0, "this task was deleted in ClickUp; shown from the last sync")
    return Result.table(f"Task {head[2]}", ["relation", "id", "name", "status", "detail"],
                        [r[1:] for r in related], limit=500, summary=summary, notes=notes)


# -- search -------------------------------------------------------------------------------

NAME_WORDS = "to_tsvector('english', t.name)"
TEXT_WORDS = "to_tsvector('english', coalesce(t.description, ''))"
"""Must stay the expressions of the indexes of migration 0007 (clickup_tasks_name_words_idx,
clickup_tasks_text_words_idx), so that matching reads the indexes."""
LOWER_NAME = "lower(t.name)"
"""Must stay the expression of migration 0013's trigram index (when pg_trgm is there)."""
_INSIDE = ("'%%' || replace(replace(replace(lower(%(q)s), '\\', '\\\\'), '%%', '\\%%'), "
           "'_', '\\_') || '%%'")
"""A LIKE pattern of the whole query, lower-cased, anywhere (its %, _ and \\ taken literally);
built in SQL from a constant, so the planner sees a constant pattern it can match with the
trigram index."""


def search_tasks(conn: psycopg.Connection, query: str, scope: Scope = WORKSPACE, *,
                 include_closed: bool = False, limit: int = 20) -> Result:
    """Which tasks mention these words in their name or description, best match first?"""
    limit = bounded(limit)
    text = (query or "").strip()
    words = re.findall(r"[^\W_]+", text)[:12]
    if not words or len(text) > 300:
        raise AnalyticsError("search needs at least one word or number (up to 300 characters)")
    words = [w[:60] for w in words]
    params = {**scope.params, "q": text, "any": " | ".join(w + ":*" for w in words),
              "all": " & ".join(w + ":*" for w in words), "several": len(words) > 1,
              "closed": include_closed,
              "limit": limit}
    # Each way of matching reads its index, then the matching rows it visits anyway: no
    # second pass over the tasks, whose filters (live, scope, done) apply right there.
    live = (f"NOT t.is_deleted AND NOT t.archived AND {scope.condition()} "
            f"AND (%(closed)s OR NOT coalesce({DONE}, false))")
    hits = " UNION ALL ".join(
        f"SELECT t.id, t.list_id, t.date_updated, {src} AS src FROM clickup_tasks t "
        f"WHERE {match} AND {live}" for src, match in (
            (1, f"{NAME_WORDS} @@ to_tsquery('english', %(any)s)"),
            (2, f"%(several)s AND {NAME_WORDS} @@ to_tsquery('english', %(all)s)"),
            (3, f"{LOWER_NAME} LIKE {_INSIDE}"),
            (4, f"{TEXT_WORDS} @@ to_tsquery('english', %(any)s)"),
            (5, f"{LOWER_NAME} = lower(%(q)s)")))
    rows = conn.execute(
        f"""WITH found AS MATERIALIZED (
                SELECT id, list_id, date_updated, count(*) OVER () AS n,
                       bool_or(src IN (1, 3)) AS in_name, bool_or(src = 5) AS exact,
                       bool_or(src = 3) AS phrase,
                       bool_or(src = 1) AND (bool_or(src = 2) OR NOT %(several)s) AS all_named,
                       bool_or(src = 1) AS named
                  FROM ({hits}) h
                 GROUP BY id, list_id, date_updated)
            SELECT t.id, t.name, t.status, l.name, {ASSIGNEES},
                   CASE WHEN f.in_name THEN 'name' ELSE 'description' END,
                   (f.date_updated AT TIME ZONE cs_timezone())::date, f.n
              FROM (SELECT * FROM found
                     ORDER BY exact DESC, phrase DESC, all_named DESC, named DESC,
                              date_updated DESC, id
                     LIMIT %(limit)s) f
              JOIN clickup_tasks t ON t.id = f.id
              LEFT JOIN lists l ON l.id = f.list_id
             ORDER BY f.exact DESC, f.phrase DESC, f.all_named DESC, f.named DESC,
                      f.date_updated DESC, f.id""", params).fetchall()
    total = rows[0][-1] if rows else 0
    return Result.table(
        f"Tasks matching {text!r} in {scope.label}",
        ["task_id", "name", "status", "list", "assignees", "matched_in", "updated"],
        [r[:-1] for r in rows], limit=limit, total_rows=total,
        summary={"matches": total, "shown": len(rows)},
        notes=["a task matches when any word (or a word's beginning, English stemming) is in "
               "its name or description, or the whole query is inside its name; ranked: "
               "exact name, query inside the name, all words in the name, some in the name, "
               "then most recently updated",
               ("done and closed tasks included" if include_closed else
                "done and closed tasks left out") + "; archived tasks left out"])
