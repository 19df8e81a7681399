"""Where work stands: tasks per status, and progress toward done.

Done means a status of type ``done`` or ``closed`` (ClickUp's Done and Closed groups);
archived and deleted tasks are left out unless asked for. Subtasks count as tasks.
"""

from __future__ import annotations

import psycopg

from .result import Result
from .scope import WORKSPACE, Scope

DONE_TYPES = ("done", "closed")


def status_summary(conn: psycopg.Connection, scope: Scope = WORKSPACE, *,
                   include_archived: bool = False, limit: int = 50) -> Result:
    """How many tasks are in each status, with the share of each and the share done."""
    rows = conn.execute(
        f"""SELECT t.status, t.status_type, count(*) AS tasks
              FROM clickup_tasks t
             WHERE NOT t.is_deleted AND (%(archived)s OR NOT t.archived)
               AND {scope.condition()}
             GROUP BY t.status, t.status_type
             ORDER BY tasks DESC, t.status""",
        {**scope.params, "archived": include_archived}).fetchall()
    total = sum(r[2] for r in rows)
    done = sum(r[2] for r in rows if r[1] in DONE_TYPES)
    table = [(status, kind, n, round(100 * n / total, 1) if total else 0.0)
             for status, kind, n in rows]
    return Result.table(
        f"Tasks by status in {scope.label}", ["status", "type", "tasks", "percent"], table,
        limit=limit, summary={"total_tasks": total, "done": done, "not_done": total - done,
                              "percent_done": round(100 * done / total, 1) if total else 0.0},
        notes=["done = status type done or closed; archived tasks excluded"
               if not include_archived else "done = status type done or closed"])
