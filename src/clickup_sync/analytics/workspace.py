"""The Workspace's shape: Spaces, Folders and Lists, their workflows and how many tasks each holds.

Counts are of live tasks (deleted ones never count). Archived tasks, and archived Spaces,
Folders and Lists (with everything inside them), are left out unless ``include_archived``.
A List counts its own tasks and the tasks added to it from other Lists (Tasks in Multiple
Lists); a Folder or Space counts the tasks whose home List is inside it. Done = status type
done or closed, active = custom, not started = open.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import psycopg

from ._args import check_limit
from .result import Result
from .scope import WORKSPACE, AnalyticsError, Kind, Scope

HARD_CAP = 500
CONTAINER_CAP = 5000
"""Spaces, Folders or Lists read at most per query (ClickUp allows far fewer per Workspace)."""
PATH_SEP = " › "


def live(alias: str = "t") -> str:
    """SQL: the task ``alias`` is live, and unarchived unless ``%(archived)s``."""
    return f"NOT {alias}.is_deleted AND (%(archived)s OR NOT {alias}.archived)"


def bounded(limit: int, cap: int = HARD_CAP) -> int:
    """``limit`` checked as `check_limit` does it, and capped at ``cap``."""
    return min(check_limit(limit), cap)


def need(scope: Scope, kinds: tuple[Kind, ...], what: str) -> None:
    """Refuse a scope of another kind, saying which kinds ``what`` takes."""
    if scope.kind not in kinds:
        raise AnalyticsError(f"{what} needs a {' or '.join(k.capitalize() for k in kinds)}; "
                             f"got {scope.label}")


class Counts(NamedTuple):
    tasks: int = 0
    not_started: int = 0
    active: int = 0
    done: int = 0

    @property
    def not_done(self) -> int:
        return self.tasks - self.done

    @property
    def percent_done(self) -> float:
        return round(100 * self.done / self.tasks, 1) if self.tasks else 0.0

    def add(self, status_type: str | None, n: int) -> Counts:
        at = {"open": 1, "custom": 2, "done": 3, "closed": 3}.get(status_type or "")
        return Counts(*(v + n if i in (0, at) else v for i, v in enumerate(self)))


def _where(scope: Scope, **extra: Any) -> dict[str, Any]:
    return {"space": scope.id if scope.kind == "space" else None,
            "folder": scope.id if scope.kind == "folder" else None,
            "list": scope.id if scope.kind == "list" else None,
            "archived": False, "folderless": False, "cap": CONTAINER_CAP, **extra}


_IN_SCOPE = """(%(space)s::text IS NULL OR {a}.space_id = %(space)s)
       AND (%(folder)s::text IS NULL OR {a}.folder_id = %(folder)s)"""
# One statement, one row per Space, Folder and List with its counts by status group. Home-List
# counts come from `list_task_counts` (migration 0010: triggers keep it equal to the live tasks
# grouped by these columns, '' standing for none); tasks added to a second List from
# `list_added_tasks` (migration 0028: those locations with their task's status, kept at
# commit), so no task row is read. Grouped here, not in Python: ~2.6k rows become ~500.
_TALLY = f"""WITH home AS (
        SELECT nullif(c.space_id, '') AS s, nullif(c.folder_id, '') AS f, c.list_id AS l,
               c.status_type AS k, c.tasks AS n
          FROM list_task_counts c
         WHERE c.tasks <> 0 AND (%(archived)s OR NOT c.archived)
           AND {_IN_SCOPE.format(a="c")}
           AND (%(list)s::text IS NULL OR c.list_id = %(list)s)),
    added AS (
        SELECT a.list_id AS l, coalesce(a.status_type, '') AS k, count(*) AS n
          FROM list_added_tasks a JOIN lists l ON l.id = a.list_id
         WHERE (%(archived)s OR NOT a.archived) AND {_IN_SCOPE.format(a="l")}
           AND (%(list)s::text IS NULL OR a.list_id = %(list)s)
         GROUP BY 1, 2),
    counted (level, key, k, n) AS (
        SELECT 'space', s, k, n FROM home WHERE s IS NOT NULL
        UNION ALL SELECT 'folder', f, k, n FROM home WHERE f IS NOT NULL
        UNION ALL SELECT 'list', l, k, n FROM home WHERE l <> ''
        UNION ALL SELECT 'list', l, k, n FROM added WHERE l <> '')
    SELECT level, key, sum(n)::bigint,
           coalesce(sum(n) FILTER (WHERE k = 'open'), 0)::bigint,
           coalesce(sum(n) FILTER (WHERE k = 'custom'), 0)::bigint,
           coalesce(sum(n) FILTER (WHERE k IN ('done', 'closed')), 0)::bigint
      FROM counted GROUP BY 1, 2"""


def tally(conn: psycopg.Connection, scope: Scope, *,
          include_archived: bool) -> dict[str, dict[str, Counts]]:
    """Task counts per Space, Folder and List inside ``scope``:
    ``{"space": {id: Counts}, "folder": {…}, "list": {…}}``."""
    out: dict[str, dict[str, Counts]] = {"space": {}, "folder": {}, "list": {}}
    for level, key, *counts in conn.execute(_TALLY, _where(scope, archived=include_archived)):
        out[level][key] = Counts(*counts)
    return out


_HIDDEN = {"f": "(f.archived OR s.archived)",
           "l": "(l.archived OR coalesce(f.archived, false) OR s.archived)"}
_SPACES = """SELECT s.id, s.name, s.private, s.archived FROM spaces s
              WHERE NOT s.is_deleted AND (%(archived)s OR NOT s.archived)
                AND (%(space)s::text IS NULL OR s.id = %(space)s)
              ORDER BY s.name, s.id LIMIT %(cap)s"""
_FOLDERS = f"""SELECT f.id, f.name, s.id, s.name, {_HIDDEN['f']} FROM folders f
                JOIN spaces s ON s.id = f.space_id
               WHERE NOT f.is_deleted AND NOT s.is_deleted
                 AND (%(archived)s OR NOT {_HIDDEN['f']})
                 AND (%(space)s::text IS NULL OR s.id = %(space)s)
                 AND (%(folder)s::text IS NULL OR f.id = %(folder)s)
               ORDER BY s.name, s.id, f.orderindex, f.name LIMIT %(cap)s"""
_LISTS = f"""SELECT l.id, l.name, s.id, s.name, f.id, f.name, {_HIDDEN['l']}
              FROM lists l JOIN spaces s ON s.id = l.space_id
              LEFT JOIN folders f ON f.id = l.folder_id
             WHERE NOT l.is_deleted AND NOT s.is_deleted AND NOT coalesce(f.is_deleted, false)
               AND (%(archived)s OR NOT {_HIDDEN['l']})
               AND (%(space)s::text IS NULL OR s.id = %(space)s)
               AND (%(folder)s::text IS NULL OR f.id = %(folder)s)
               AND (%(list)s::text IS NULL OR l.id = %(list)s)
               AND (NOT %(folderless)s OR l.folder_id IS NULL)
             ORDER BY s.name, s.id, f.orderindex NULLS FIRST, f.id, l.orderindex, l.name
             LIMIT %(cap)s"""


class _Place(NamedTuple):
    spaces: list[tuple[Any, ...]]
    folders: list[tuple[Any, ...]]
    lists: list[tuple[Any, ...]]
    counts: dict[str, dict[str, Counts]]

    def count(self, kind: str, key: str) -> Counts:
        return self.counts[kind].get(key, Counts())


def _place(conn: psycopg.Connection, scope: Scope, *, show_archived: bool,
           count_archived: bool, folderless: bool = False) -> _Place:
    """The Spaces, Folders and Lists of ``scope`` with their task counts."""
    where = _where(scope, archived=show_archived, folderless=folderless)
    return _Place(conn.execute(_SPACES, where).fetchall(),
                  conn.execute(_FOLDERS, where).fetchall(),
                  conn.execute(_LISTS, where).fetchall(),
                  tally(conn, scope, include_archived=count_archived))


def _missing(scope: Scope) -> AnalyticsError:
    return AnalyticsError(f"{scope.label} is not in the database (deleted or never synced)")


def _archived_note(include_archived: bool) -> str:
    return ("archived Spaces, Folders, Lists and tasks included" if include_archived else
            "archived Spaces, Folders, Lists and tasks left out")


def _progress(c: Counts, **head: Any) -> dict[str, Any]:
    return {**head, "tasks": c.tasks, "not_started": c.not_started, "active": c.active,
            "done": c.done, "percent_done": c.percent_done}


def workspaces(conn: psycopg.Connection) -> Result:
    """Which Workspaces are synced, with their members, Spaces, Folders, Lists and tasks."""
    place = _place(conn, WORKSPACE, show_archived=False, count_archived=False)
    rows = [(w[0], w[1], w[2], len(place.spaces), len(place.folders), len(place.lists),
             sum(c.tasks for c in place.counts["space"].values()), w[3])
            for w in conn.execute(
                """SELECT w.id, w.name, (SELECT count(*) FROM employees e WHERE e.is_active),
                          w.synced_at FROM workspaces w ORDER BY w.name LIMIT 50""")]
    return Result.table(
        "Synced Workspaces", ["workspace_id", "name", "active_members", "spaces", "folders",
                              "lists", "tasks", "synced_at"], rows, limit=50,
        summary={"workspaces": len(rows), "tasks": sum(r[6] for r in rows)},
        notes=["Spaces, Folders and Lists neither archived (nor inside an archived one) nor "
               "deleted; tasks: live and unarchived, wherever they are; members: active"])


def spaces(conn: psycopg.Connection, *, include_archived: bool = False,
           limit: int = 100) -> Result:
    """Which Spaces exist, with their Folders, Lists and task progress."""
    limit = bounded(limit)
    place = _place(conn, WORKSPACE, show_archived=include_archived,
                   count_archived=include_archived)
    rows = []
    for sid, name, private, archived in place.spaces:
        c = place.count("space", sid)
        rows.append((sid, name, private, archived, sum(f[2] == sid for f in place.folders),
                     sum(x[2] == sid for x in place.lists), c.tasks, c.not_done, c.done,
                     c.percent_done))
    return Result.table(
        "Spaces", ["space_id", "name", "private", "archived", "folders", "lists", "tasks",
                   "not_done", "done", "percent_done"], rows, limit=limit,
        summary={"spaces": len(rows), "tasks": sum(r[6] for r in rows)},
        notes=[_archived_note(include_archived)])


def space_detail(conn: psycopg.Connection, scope: Scope) -> Result:
    """What one Space holds: its Folders and folderless Lists with their task progress."""
    need(scope, ("space",), "space_detail")
    place = _place(conn, scope, show_archived=True, count_archived=False)
    if not place.spaces:
        raise _missing(scope)
    sid, name, private, archived = place.spaces[0]
    rows = []
    for fid, fname, _s, _sn, farch in place.folders:
        c = place.count("folder", fid)
        rows.append(("folder", fid, fname, farch, sum(x[4] == fid for x in place.lists),
                     c.tasks, c.not_done, c.done, c.percent_done))
    for lst in (x for x in place.lists if x[4] is None):
        c = place.count("list", lst[0])
        rows.append(("list", lst[0], lst[1], lst[6], None, c.tasks, c.not_done, c.done,
                     c.percent_done))
    flow = conn.execute("SELECT jsonb_path_query_array(raw, '$.statuses[*].status') "
                        "FROM spaces WHERE id = %s", (sid,)).fetchone()
    summary = _progress(place.count("space", sid), space_id=sid, name=name, private=private,
                        archived=archived, folders=len(place.folders),
                        folderless_lists=len(rows) - len(place.folders),
                        workflow=" → ".join(flow[0]) if flow and flow[0] else None)
    return Result.table(
        f"Space {name}", ["kind", "id", "name", "archived", "lists", "tasks", "not_done",
                          "done", "percent_done"], rows, limit=HARD_CAP, summary=summary,
        notes=["archived tasks left out of the counts; archived Folders and Lists shown",
               "workflow = the Space's own statuses; a Folder or List may override them"])


def folders(conn: psycopg.Connection, scope: Scope = WORKSPACE, *,
            include_archived: bool = False, limit: int = 100) -> Result:
    """Which Folders exist (in the Workspace or a Space), with their Lists and task progress."""
    need(scope, ("workspace", "space", "folder"), "folders")
    limit = bounded(limit)
    place = _place(conn, scope, show_archived=include_archived,
                   count_archived=include_archived)
    rows = []
    for fid, name, _sid, sname, archived in place.folders:
        c = place.count("folder", fid)
        rows.append((fid, name, sname, archived, sum(x[4] == fid for x in place.lists),
                     c.tasks, c.not_done, c.done, c.percent_done))
    return Result.table(
        f"Folders in {scope.label}", ["folder_id", "name", "space", "archived", "lists",
                                      "tasks", "not_done", "done", "percent_done"],
        rows, limit=limit, summary={"folders": len(rows), "tasks": sum(r[5] for r in rows)},
        notes=[_archived_note(include_archived)])


def folder_detail(conn: psycopg.Connection, scope: Scope) -> Result:
    """What one Folder holds: its Lists with their task progress, and its totals."""
    need(scope, ("folder",), "folder_detail")
    place = _place(conn, scope, show_archived=True, count_archived=False)
    if not place.folders:
        raise _missing(scope)
    fid, name, _sid, sname, archived = place.folders[0]
    rows = [(x[0], x[1], x[6], *place.count("list", x[0]), place.count("list", x[0])
             .percent_done) for x in place.lists]
    return Result.table(
        f"Folder {name}", ["list_id", "name", "archived", "tasks", "not_started", "active",
                           "done", "percent_done"], rows, limit=HARD_CAP,
        summary=_progress(place.count("folder", fid), folder_id=fid, name=name, space=sname,
                          archived=archived, lists=len(rows)),
        notes=["archived tasks left out of the counts; archived Lists shown",
               "a List also counts tasks added to it from other Lists; the Folder total "
               "counts each task of its Lists once, by home List"])


def lists(conn: psycopg.Connection, scope: Scope = WORKSPACE, *, include_archived: bool = False,
          folderless_only: bool = False, limit: int = 100) -> Result:
    """Which Lists exist (in the Workspace, a Space or a Folder), with their task progress."""
    limit = bounded(limit)
    place = _place(conn, scope, show_archived=include_archived,
                   count_archived=include_archived, folderless=folderless_only)
    rows = []
    for lid, name, _sid, sname, _fid, fname, archived in place.lists:
        c = place.count("list", lid)
        rows.append((lid, name, sname, fname, archived, *c, c.percent_done))
    return Result.table(
        f"{'Folderless ' if folderless_only else ''}Lists in {scope.label}",
        ["list_id", "name", "space", "folder", "archived", "tasks", "not_started", "active",
         "done", "percent_done"], rows, limit=limit,
        summary={"lists": len(rows), "tasks_in_shown_lists": sum(r[5] for r in rows[:limit])},
        notes=[_archived_note(include_archived),
               "a List counts its own tasks and tasks added to it from other Lists"])


_LIST_TASKS = """WITH here AS (
        SELECT t.id, t.list_id, t.parent_id, t.status, t.status_type, t.due_date,
               t.date_updated FROM clickup_tasks t
         WHERE t.list_id = %(scope_id)s AND NOT t.is_deleted AND NOT t.archived
        UNION ALL
        SELECT t.id, t.list_id, t.parent_id, t.status, t.status_type, t.due_date,
               t.date_updated FROM task_locations x
          JOIN clickup_tasks t ON t.id = x.task_id AND t.list_id <> x.list_id
         WHERE x.list_id = %(scope_id)s AND NOT t.is_deleted AND NOT t.archived)
    SELECT grouping(status), status, min(status_type), count(*),
           count(*) FILTER (WHERE status_type NOT IN ('done', 'closed') AND due_date < now()),
           count(*) FILTER (WHERE status_type NOT IN ('done', 'closed') AND NOT EXISTS (
                              SELECT 1 FROM task_assignees a WHERE a.task_id = here.id)),
           count(*) FILTER (WHERE parent_id IS NOT NULL),
           count(*) FILTER (WHERE list_id <> %(scope_id)s), max(date_updated)
      FROM here GROUP BY GROUPING SETS ((status), ())"""


def list_detail(conn: psycopg.Connection, scope: Scope) -> Result:
    """Where one List stands: its workflow with tasks in each status, and its totals."""
    need(scope, ("list",), "list_detail")
    head = conn.execute(_LISTS, _where(scope, archived=True)).fetchone()
    if head is None:
        raise _missing(scope)
    lid, name, _sid, sname, _fid, fname, archived = head
    per = conn.execute(_LIST_TASKS, scope.params).fetchall()
    total = next((r for r in per if r[0] == 1), None)
    by_status = {r[1]: (r[2], r[3]) for r in per if r[0] == 0}
    c = Counts()
    for kind, n in by_status.values():
        c = c.add(kind, n)
    table = [(order, status, kind, by_status.pop(status, (kind, 0))[1])
             for order, status, kind in conn.execute(
                 "SELECT orderindex, status, type FROM list_statuses WHERE list_id = %s "
                 "ORDER BY orderindex, status LIMIT 200", (lid,))]
    table += [(None, status, kind, n) for status, (kind, n) in sorted(by_status.items())]
    path = PATH_SEP.join(x for x in (sname, fname, name) if x)
    summary = _progress(c, list_id=lid, name=name, path=path, archived=archived,
                        overdue=total[4] if total else 0,
                        unassigned_not_done=total[5] if total else 0,
                        subtasks=total[6] if total else 0,
                        from_other_lists=total[7] if total else 0,
                        last_update=total[8] if total else None)
    notes = ["rows: the List's workflow in order, with its live, unarchived tasks per status",
             "overdue = not done and due before now"]
    if by_status:
        notes.append("statuses without an order are not in this List's workflow: tasks "
                     "added from another List keep their home List's status")
    return Result.table(f"List {path}", ["order", "status", "type", "tasks"], table,
                        limit=HARD_CAP, summary=summary, notes=notes)


def list_statuses(conn: psycopg.Connection, scope: Scope) -> Result:
    """Which statuses a List's workflow has, in order, with their type."""
    need(scope, ("list", "folder", "space"), "list_statuses")
    if scope.kind == "list":
        rows = conn.execute(
            """SELECT orderindex, status, type, color FROM list_statuses
                WHERE list_id = %(scope_id)s ORDER BY orderindex, status LIMIT 200""",
            scope.params).fetchall()
        source = "the List's workflow (its own, its Folder's or its Space's)"
    else:
        owner = conn.execute(
            """SELECT CASE WHEN f.override_statuses THEN f.raw ELSE s.raw END
                 FROM spaces s LEFT JOIN folders f ON f.id = %(scope_id)s
                WHERE s.id = coalesce(f.space_id, %(scope_id)s)""", scope.params).fetchone()
        rows = sorted((int(st.get("orderindex") or 0), st.get("status"), st.get("type"),
                       st.get("color")) for st in (owner[0].get("statuses") or [] if owner
                                                    else []))
        source = f"the workflow {scope.label} gives its Lists (a List may override it)"
    if not rows:
        raise AnalyticsError(f"no workflow is known for {scope.label}; sync it first")
    group = {"open": "not started", "custom": "active", "done": "done", "closed": "closed"}
    table = [(o, st, t, group.get(t, t), color) for o, st, t, color in rows]
    return Result.table(
        f"Workflow of {scope.label}", ["order", "status", "type", "group", "color"], table,
        limit=HARD_CAP, summary={"statuses": len(table),
                                 "flow": " → ".join(str(r[1]) for r in table)},
        notes=[f"statuses of {source}; type custom = active"])


def hierarchy(conn: psycopg.Connection, *, include_archived: bool = False,
              limit: int = 200) -> Result:
    """How the Workspace is organised: Space › Folder › List, with tasks at every level."""
    limit = bounded(limit)
    place = _place(conn, WORKSPACE, show_archived=include_archived,
                   count_archived=include_archived)
    tree: list[tuple[Any, ...]] = []

    def add(depth: int, kind: str, key: str, path: list[str], archived: bool) -> None:
        c = place.count(kind, key)
        tree.append((depth, kind, key, "  " * depth + path[-1], PATH_SEP.join(path), archived,
                     c.tasks, c.not_done, c.done, c.percent_done))

    in_folder: dict[str, list[tuple[Any, ...]]] = {}
    for x in place.lists:
        in_folder.setdefault(x[4] or "space " + x[2], []).append(x)
    for sid, sname, _private, sarch in place.spaces:
        add(0, "space", sid, [sname], sarch)
        for fid, fname, _s, _sn, farch in (f for f in place.folders if f[2] == sid):
            add(1, "folder", fid, [sname, fname], farch)
            for lst in in_folder.get(fid, []):
                add(2, "list", lst[0], [sname, fname, lst[1]], lst[6])
        for lst in in_folder.get("space " + sid, []):
            add(1, "list", lst[0], [sname, lst[1]], lst[6])
    return Result.table(
        "Workspace hierarchy", ["depth", "kind", "id", "name", "path", "archived", "tasks",
                                "not_done", "done", "percent_done"], tree, limit=limit,
        summary={"spaces": len(place.spaces), "folders": len(place.folders),
                 "lists": len(place.lists),
                 "tasks": sum(place.count("space", s[0]).tasks for s in place.spaces)},
        notes=[_archived_note(include_archived),
               "depth 0 = Space, 1 = Folder or folderless List, 2 = List in a Folder",
               "a List also counts tasks added to it from other Lists"])
