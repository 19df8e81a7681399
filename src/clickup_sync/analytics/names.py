"""The names a question may use: people, Spaces, Folders, Lists, projects, statuses.

An assistant recognises these in a question to pick tools that take them, and to hand the
model names spelled as the database spells them. Live items only (archived and deleted
ones are rarely asked about), each kind capped, so the answer stays small on any Workspace.
"""

from __future__ import annotations

import psycopg

from .result import Result

PER_KIND = 1000
"""Names read at most per kind; the list says when one was cut."""

_NAMES = """
(SELECT 'person' AS kind, e.name, e.clickup_user_id::text AS id, 1 AS k FROM employees e
  WHERE e.is_active AND coalesce(e.name, '') <> '' ORDER BY e.name LIMIT %(cap)s)
UNION ALL
(SELECT 'space', s.name, s.id, 2 FROM spaces s
  WHERE NOT s.is_deleted AND NOT s.archived ORDER BY s.name LIMIT %(cap)s)
UNION ALL
(SELECT 'folder', f.name, f.id, 3 FROM folders f
  WHERE NOT f.is_deleted AND NOT f.archived AND NOT f.hidden ORDER BY f.name LIMIT %(cap)s)
UNION ALL
(SELECT 'list', l.name, l.id, 4 FROM lists l
  WHERE NOT l.is_deleted AND NOT l.archived ORDER BY l.name LIMIT %(cap)s)
UNION ALL
(SELECT 'project', p.name, p.id::text, 5 FROM projects p ORDER BY p.name LIMIT %(cap)s)
UNION ALL
(SELECT 'status', x.status, '', 6 FROM (
   SELECT DISTINCT ls.status FROM list_statuses ls
     JOIN lists l ON l.id = ls.list_id AND NOT l.is_deleted AND NOT l.archived) x
  ORDER BY x.status LIMIT %(cap)s)
"""


def known_names(conn: psycopg.Connection, *, per_kind: int = PER_KIND) -> Result:
    """List the names of people, Spaces, Folders, Lists, projects and statuses in use.

    Names repeat when two items share one (three Lists called "Backlog"); the ids tell
    them apart.
    """
    rows = conn.execute(f"SELECT kind, name, id FROM ({_NAMES}) n ORDER BY k, name, id",
                        {"cap": per_kind}).fetchall()
    counts: dict[str, int] = {}
    for kind, _, _ in rows:
        counts[kind] = counts.get(kind, 0) + 1
    cut = sorted(k for k, n in counts.items() if n >= per_kind)
    notes = ["live items only: no archived or deleted Spaces, Folders or Lists, no former "
             "members; statuses are those of the live Lists' workflows"]
    if cut:
        notes.append(f"cut at {per_kind} names: {', '.join(cut)}")
    summary = {f"{k}s" if k != "status" else "statuses": n for k, n in counts.items()}
    return Result.table("Names the Workspace knows", ["kind", "name", "id"], rows,
                        limit=len(rows) or 1, summary=summary, notes=notes)
