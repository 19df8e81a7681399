"""SQL the evaluation computes its facts with, written from the metric definitions
(docs/metrics.md), not from the analytics code, so a mistake there shows up here.

``PICKS`` choose the names questions mention (the busiest person, the biggest Space…), so
the questions fit whatever workspace was synced; every query takes ``%(tz)s``, the
configured timezone, for local days and ISO weeks.
"""

from __future__ import annotations

LIVE = "NOT t.is_deleted AND NOT t.archived"
OPEN = "coalesce(t.status_type, '') NOT IN ('done', 'closed')"
DONE_AT = "coalesce(t.date_done, t.date_closed)"
TODAY = "(now() AT TIME ZONE %(tz)s)::date"
WEEK = f"date_trunc('week', {TODAY})::date"
"""Monday of the current ISO week, local."""


def local(day_sql: str) -> str:
    """The instant a local date starts."""
    return f"(({day_sql})::timestamp AT TIME ZONE %(tz)s)"


MS = ("CASE WHEN e.is_running OR e.duration_ms IS NULL OR e.duration_ms < 0 "
      "THEN extract(epoch FROM now() - e.start_at) * 1000 ELSE e.duration_ms END")
HOURS = f"round((sum({MS}) / 3600000.0)::numeric, 2)"
ON_COUNTED_TASK = ("NOT e.is_deleted AND NOT EXISTS (SELECT 1 FROM clickup_tasks x "
                   "WHERE x.id = e.task_id AND NOT x.is_deleted AND x.archived)")
"""Workspace-wide time: entries on no task or a deleted task count, archived tasks not."""
LAST_30 = f"e.start_at >= {local(f'{TODAY} - 29')} AND e.start_at < {local(f'{TODAY} + 1')}"
LAST_WEEK = f"e.start_at >= {local(f'{WEEK} - 7')} AND e.start_at < {local(WEEK)}"
PEOPLE = "employees p JOIN task_assignees a ON a.user_id = p.clickup_user_id"

PICKS: dict[str, str] = {
    "person": f"""SELECT p.name FROM {PEOPLE} JOIN clickup_tasks t ON t.id = a.task_id
                   WHERE {LIVE} AND {OPEN} AND p.is_active
                   GROUP BY p.name ORDER BY count(*) DESC, p.name LIMIT 1""",
    "space": f"""SELECT s.name FROM spaces s JOIN clickup_tasks t ON t.space_id = s.id
                  WHERE {LIVE} AND NOT s.archived AND NOT s.is_deleted
                  GROUP BY s.name ORDER BY count(*) DESC, s.name LIMIT 1""",
    "folder": f"""SELECT f.name FROM folders f JOIN clickup_tasks t ON t.folder_id = f.id
                   WHERE {LIVE} AND NOT f.archived AND NOT f.is_deleted AND (
                     SELECT count(*) FROM folders g WHERE lower(g.name) = lower(f.name)
                        AND NOT g.is_deleted) = 1
                   GROUP BY f.name ORDER BY count(*) DESC, f.name LIMIT 1""",
    "list": f"""SELECT l.name FROM lists l JOIN clickup_tasks t ON t.list_id = l.id
                 WHERE {LIVE} AND NOT l.archived AND NOT l.is_deleted AND (
                   SELECT count(*) FROM lists m WHERE lower(m.name) = lower(l.name)
                      AND NOT m.is_deleted) = 1
                 GROUP BY l.name ORDER BY count(*) DESC, l.name LIMIT 1""",
    "task_id": f"""SELECT t.id FROM clickup_tasks t JOIN time_entries e ON e.task_id = t.id
                    WHERE {LIVE} AND NOT e.is_deleted AND t.parent_id IS NULL
                    GROUP BY t.id ORDER BY count(DISTINCT e.user_id) DESC, sum(e.duration_ms)
                    DESC, t.id LIMIT 1""",
    "since": f"SELECT ({WEEK} - 7)::text",
    "word": f"""SELECT lower(substring(t.name from position(' ' in t.name) + 1))
                 FROM clickup_tasks t WHERE {LIVE} AND {OPEN} AND t.name NOT LIKE 'Clean up %%'
                 GROUP BY 1 HAVING count(*) = 1 ORDER BY 1 LIMIT 1""",
}
"""Names and values the question texts use, as one-value queries."""
