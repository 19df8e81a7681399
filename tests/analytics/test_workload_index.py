"""The workload reads the open live tasks from migration 0019's index alone.

The index is only used while its WHERE clause is implied by the query's; a change to
`time.LIVE` or `workload.OPEN` that breaks the match would quietly send the workload back
to reading every task row, so the plan is checked here (answers are checked elsewhere).
"""

from __future__ import annotations

import psycopg
import pytest

from clickup_sync.analytics import WORKSPACE, Scope
from clickup_sync.analytics.time import LIVE
from clickup_sync.analytics.workload import OPEN

INDEX = "clickup_tasks_open_work_idx"


def _plan(conn: psycopg.Connection, scope: Scope) -> str:
    """The plan of workload's open-task read, with scans of the table ruled out and the
    table's other indexes dropped for the while (the test Workspace is small enough that a
    sequential scan, or a plain scan of another index, would win on cost). Vacuumed first,
    as the benchmark database is: an index-only scan is costed by the pages known visible."""
    conn.execute("VACUUM ANALYZE clickup_tasks")
    with conn.transaction(force_rollback=True):
        conn.execute("SET LOCAL enable_seqscan = off")
        conn.execute("SET LOCAL enable_bitmapscan = off")
        for (other,) in conn.execute(
                """SELECT i.indexrelid::regclass::text FROM pg_index i
                    WHERE i.indrelid = 'clickup_tasks'::regclass AND NOT i.indisprimary
                      AND i.indexrelid <> %s::regclass""", (INDEX,)).fetchall():
            conn.execute(f"DROP INDEX {other}")  # rolled back below
        rows = conn.execute(
            f"""EXPLAIN SELECT t.id, t.status_type, t.due_date, t.time_estimate_ms
                  FROM clickup_tasks t
                 WHERE {LIVE} AND {OPEN} AND {scope.condition("t")}""",
            scope.params).fetchall()
    return "\n".join(line for (line,) in rows)


@pytest.mark.parametrize("kind", ["workspace", "folder", "space"])
def test_open_tasks_are_read_from_the_index_alone(conn: psycopg.Connection, kind: str) -> None:
    if kind == "workspace":
        scope = WORKSPACE
    else:
        row = conn.execute(f"SELECT {kind}_id FROM clickup_tasks "
                           f"WHERE {kind}_id IS NOT NULL LIMIT 1").fetchone()
        assert row is not None
        scope = Scope(kind, row[0], f"a {kind}")
    plan = _plan(conn, scope)
    assert f"Index Only Scan using {INDEX}" in plan, plan
