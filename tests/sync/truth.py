"""Compare the database with the simulator's ground truth, field by field.

Written against the simulator's own records (not through the API or the sync's mapping), so
a misreading in the sync shows up as a difference here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg

from clickup_sync.simulator import Simulator


def _ms(value: datetime | None) -> int | None:
    return None if value is None else round(value.timestamp() * 1000)


def _rows(conn: psycopg.Connection, query: str) -> dict[str, dict[str, Any]]:
    cur = conn.execute(query)
    names = [d.name for d in cur.description or []]
    return {str(r[0]): dict(zip(names, r, strict=True)) for r in cur}


def _group(conn: psycopg.Connection, query: str) -> dict[str, set]:
    out: dict[str, set] = {}
    for key, value in conn.execute(query):
        out.setdefault(str(key), set()).add(value)
    return out


def differences(sim: Simulator, dsn: str, *, comments: bool = True) -> list[str]:
    """Every way the database differs from the simulator's current Workspace."""
    ws = sim.workspace
    diffs: list[str] = []

    def check(what: str, got: Any, want: Any) -> None:
        if got != want:
            diffs.append(f"{what}: database {got!r} != ClickUp {want!r}")

    with sim.state.lock, psycopg.connect(dsn) as conn:
        # Members and hierarchy.
        emp = _rows(conn, "SELECT clickup_user_id, name, email, role_id, is_active FROM employees")
        check("member ids", set(emp), {str(u) for u in ws.members})
        for m in ws.members.values():
            if str(m.id) in emp:
                check(f"member {m.id} role", emp[str(m.id)]["role_id"], m.role)
                check(f"member {m.id} email", emp[str(m.id)]["email"], m.email)
        for table, records in (("spaces", ws.spaces), ("folders", ws.folders),
                               ("lists", ws.lists)):
            got = _rows(conn, f"SELECT id, name, archived FROM {table} WHERE NOT is_deleted")
            check(f"{table} ids", set(got), set(records))
            for rid, rec in records.items():
                if rid in got:
                    check(f"{table} {rid}", (got[rid]["name"], got[rid]["archived"]),
                          (rec.name, rec.archived))
        statuses = _group(conn, "SELECT list_id, status || ':' || type FROM list_statuses")
        for lst in ws.lists.values():
            check(f"list {lst.id} statuses", statuses.get(lst.id, set()),
                  {f"{s.status}:{s.type}" for s in sim.state.list_statuses(lst)})

        # Tasks and their children.
        tasks = _rows(conn, """SELECT id, name, status, status_type, list_id, parent_id,
                                      top_level_parent_id, archived, priority, date_created,
                                      date_updated, date_closed, date_done, due_date,
                                      start_date, time_estimate_ms, points, creator_id,
                                      custom_item_id, description
                                 FROM clickup_tasks WHERE NOT is_deleted""")
        check("task ids", set(tasks), set(ws.tasks))
        assignees = _group(conn, "SELECT task_id, user_id FROM task_assignees")
        watchers = _group(conn, "SELECT task_id, user_id FROM task_watchers")
        tags = _group(conn, "SELECT task_id, name FROM task_tags")
        values = _group(conn, "SELECT task_id, field_id FROM task_custom_values")
        deps = _group(conn, "SELECT task_id, depends_on FROM task_dependencies")
        links = _group(conn, "SELECT task_id, link_id FROM task_links")
        locations = _group(conn, "SELECT task_id, list_id FROM task_locations")
        items = _group(conn, "SELECT task_id, id || ':' || resolved FROM checklist_items")
        for t in ws.tasks.values():
            row = tasks.get(t.id)
            if row is None:
                continue
            st = sim.state.task_status(t)
            check(f"task {t.id}", (
                row["name"], row["status"], row["status_type"], row["list_id"],
                row["parent_id"], row["top_level_parent_id"], row["archived"], row["priority"],
                _ms(row["date_created"]), _ms(row["date_updated"]), _ms(row["date_closed"]),
                _ms(row["date_done"]), _ms(row["due_date"]), _ms(row["start_date"]),
                row["time_estimate_ms"], None if row["points"] is None else float(row["points"]),
                row["creator_id"], row["custom_item_id"], row["description"]), (
                t.name, st.status, st.type, t.list_id, t.parent, t.top_level_parent, t.archived,
                t.priority, t.date_created, t.date_updated, t.date_closed, t.date_done,
                t.due_date, t.start_date, t.time_estimate,
                None if t.points is None else float(t.points), t.creator, t.custom_item_id,
                t.description))
            check(f"task {t.id} assignees", assignees.get(t.id, set()), set(t.assignees))
            check(f"task {t.id} watchers", watchers.get(t.id, set()), set(t.watchers))
            check(f"task {t.id} tags", tags.get(t.id, set()), set(t.tags))
            check(f"task {t.id} custom values", values.get(t.id, set()),
                  {k for k, v in t.custom_values.items() if v is not None})
            check(f"task {t.id} depends on", deps.get(t.id, set()),
                  {d for d in t.depends_on if d in ws.tasks})
            check(f"task {t.id} links", links.get(t.id, set()),
                  {lk for lk in t.linked if lk in ws.tasks})
            check(f"task {t.id} locations", locations.get(t.id, set()), set(t.locations))
            check(f"task {t.id} checklist items", items.get(t.id, set()),
                  {f"{i.id}:{str(i.resolved).lower()}" for cl in t.checklists
                   for i in cl.items})

        # Time entries, one row per interval.
        entries = _rows(conn, """SELECT id, task_id, user_id, start_at, end_at, duration_ms,
                                        is_running, billable, description
                                   FROM time_entries WHERE NOT is_deleted""")
        check("time entry ids", set(entries), set(ws.time_entries))
        for te in ws.time_entries.values():
            row = entries.get(te.id)
            if row is not None:
                check(f"time entry {te.id}", (
                    row["task_id"], row["user_id"], _ms(row["start_at"]), _ms(row["end_at"]),
                    row["duration_ms"], row["is_running"], row["billable"],
                    row["description"]), (
                    te.task_id, te.user_id, te.start, te.end,
                    None if te.end is None else te.end - te.start, te.end is None,
                    te.billable, te.description))

        if comments:
            got = _rows(conn, """SELECT id, task_id, parent_comment_id, user_id, text,
                                        resolved, assignee_id, assigned_by_id, date
                                   FROM comments WHERE NOT is_deleted AND task_id IS NOT NULL""")
            want = {c.id: c for c in ws.comments.values() if c.task_id}
            check("comment ids", set(got), set(want))
            for c in want.values():
                row = got.get(c.id)
                if row is not None:
                    check(f"comment {c.id}", (
                        row["task_id"], row["parent_comment_id"], row["user_id"], row["text"],
                        row["resolved"], row["assignee_id"], row["assigned_by_id"],
                        _ms(row["date"])), (
                        c.task_id, c.parent_id, c.user_id, c.text, c.resolved, c.assignee,
                        c.assigned_by, c.date))
    return diffs
