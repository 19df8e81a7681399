"""The blocking edges kept by migration 0026 stay equal to their definition whatever writes:
after a sync, after each kind of write to either end of an edge or to the edge itself, and
after a sync-like batch, recomputed once at commit. Every change runs in a transaction that
is rolled back."""

from __future__ import annotations

import psycopg
import pytest

from clickup_sync.analytics import WORKSPACE, blockers
from clickup_sync.simulator import Simulator
from tests.analytics.kept import as_at_commit, check_change
from tests.analytics.test_risk_reports import blocked_truth

Synced = tuple[Simulator, str]
OPEN = ("NOT {a}.is_deleted AND NOT {a}.archived "
        "AND coalesce({a}.status_type, '') NOT IN ('done', 'closed')")
DEFINED = f"""SELECT d.task_id, d.depends_on, t.list_id, t.folder_id, t.space_id
                FROM task_dependencies d
                JOIN clickup_tasks t ON t.id = d.task_id
                JOIN clickup_tasks w ON w.id = d.depends_on
               WHERE {OPEN.format(a='t')}
                 AND NOT w.is_deleted AND coalesce(w.status_type, '') NOT IN ('done', 'closed')"""
"""The edges from an open task onto an unfinished one, from the tables themselves (not
from the migration's view)."""
DIFFER = f"""SELECT count(*) FROM (
    (SELECT * FROM blocking_edges EXCEPT ALL ({DEFINED}))
    UNION ALL
    (({DEFINED}) EXCEPT ALL SELECT * FROM blocking_edges)) d"""
STATE = "SELECT md5(string_agg(k::text, ',' ORDER BY k::text)) FROM blocking_edges k"


def differ(conn: psycopg.Connection) -> int:
    """Kept edges not as defined, once this transaction's noted tasks are recomputed."""
    as_at_commit(conn)
    row = conn.execute(DIFFER).fetchone()
    assert row is not None
    return int(row[0])


def test_synced_edges_are_the_waits_on_unfinished_tasks(synced: Synced,
                                                        conn: psycopg.Connection) -> None:
    sim, _ = synced
    assert differ(conn) == 0
    waiting = {r[0] for r in conn.execute("SELECT task_id FROM blocking_edges")}
    truth = {task for task, why in blocked_truth(sim).items() if "dependency" in why}
    assert waiting == truth and truth  # as the simulator's own tasks say
    row = conn.execute("SELECT count(*) FROM task_dependencies d WHERE NOT EXISTS ("
                       "SELECT FROM blocking_edges k WHERE k.task_id = d.task_id "
                       "AND k.depends_on = d.depends_on)").fetchone()
    assert row is not None and row[0] > 0  # some edges do not block: their filter is real


WAITER = f"EXISTS (SELECT FROM blocking_edges k WHERE k.task_id = t.id) AND {OPEN.format(a='t')}"
WAITED = "EXISTS (SELECT FROM blocking_edges k WHERE k.depends_on = t.id)"
DONE_WAITED = ("t.status_type IN ('done', 'closed') AND NOT t.is_deleted AND EXISTS ("
               "SELECT FROM task_dependencies d JOIN clickup_tasks o ON o.id = d.task_id "
               f"WHERE d.depends_on = t.id AND {OPEN.format(a='o')})")
FREE = (f"{OPEN.format(a='t')} "
        "AND NOT EXISTS (SELECT FROM task_dependencies d WHERE d.task_id = t.id)")
CHANGES: dict[str, tuple[str, str]] = {
    # name: (which task, what to do to it: %(id)s)
    "waited on done": (WAITED, "UPDATE clickup_tasks SET status_type = 'done' WHERE id = %(id)s"),
    "waited on reopened": (DONE_WAITED,
                           "UPDATE clickup_tasks SET status_type = 'custom' WHERE id = %(id)s"),
    "waited on deleted": (WAITED, "UPDATE clickup_tasks SET is_deleted = true WHERE id = %(id)s"),
    "waited on removed": (WAITED, "DELETE FROM clickup_tasks WHERE id = %(id)s"),
    "waiter closed": (WAITER, "UPDATE clickup_tasks SET status_type = 'closed' WHERE id = %(id)s"),
    "waiter archived": (WAITER, "UPDATE clickup_tasks SET archived = true WHERE id = %(id)s"),
    "waiter moved": (WAITER, "UPDATE clickup_tasks SET list_id = 'b-list', folder_id = NULL, "
                             "space_id = 'b-space' WHERE id = %(id)s"),
    "waiter removed": (WAITER, "DELETE FROM clickup_tasks WHERE id = %(id)s"),
    "edge added": (FREE, "INSERT INTO task_dependencies (task_id, depends_on) SELECT %(id)s, "
                         "k.depends_on FROM blocking_edges k ORDER BY 1, 2 LIMIT 1"),
    "edges removed": (WAITER, "DELETE FROM task_dependencies WHERE task_id = %(id)s"),
    "edge rewired": (WAITER, "UPDATE task_dependencies SET task_id = 'b-elsewhere' "
                             "WHERE task_id = %(id)s"),
    "task waited on arrives": (FREE, """
        INSERT INTO task_dependencies (task_id, depends_on) VALUES (%(id)s, 'b-late');
        INSERT INTO clickup_tasks (id, name, status, status_type, list_id, raw)
        VALUES ('b-late', 'late', 'to do', 'open', 'b-list', '{}')"""),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_edges_follow_each_change(synced: Synced, conn: psycopg.Connection,
                                  change: str) -> None:
    which, sql = CHANGES[change]
    check_change(conn, which, sql, STATE, differ)


def test_blockers_read_the_kept_edges(synced: Synced, conn: psycopg.Connection) -> None:
    """A task waiting on nothing comes to wait on an unfinished task: once committed, it is
    blocked, waiting on that one task."""
    row = conn.execute(f"SELECT t.id FROM clickup_tasks t WHERE {FREE} AND t.status !~* "
                       "'(block|wait|hold|stuck|paus|pending|imped|depend)' AND NOT EXISTS ("
                       "SELECT FROM comments c WHERE c.task_id = t.id) ORDER BY t.id LIMIT 1"
                       ).fetchone()
    assert row is not None
    task = row[0]
    assert task not in {r[0] for r in blockers(conn, WORKSPACE, limit=500).rows}
    with conn.transaction(force_rollback=True):
        conn.execute("INSERT INTO task_dependencies (task_id, depends_on) SELECT %s, "
                     "k.depends_on FROM blocking_edges k ORDER BY 1, 2 LIMIT 1", (task,))
        as_at_commit(conn)
        found = {r[0]: r for r in blockers(conn, WORKSPACE, limit=500).rows}
        assert task in found and found[task][5].startswith("waits on '")


def test_edges_follow_a_batch(synced: Synced, conn: psycopg.Connection) -> None:
    """As a sync writes a page: tasks upserted, their dependency edges (either end) deleted
    and copied again, some left out; recomputed once, at commit."""
    before = conn.execute(STATE).fetchone()
    ids = [r[0] for r in conn.execute(
        "SELECT DISTINCT task_id FROM blocking_edges ORDER BY 1 LIMIT 40")]
    with conn.transaction(force_rollback=True):
        conn.execute("UPDATE clickup_tasks SET date_updated = now(), status_type = CASE WHEN "
                     "status_type = 'custom' THEN 'done' ELSE status_type END "
                     "WHERE id = ANY (%s)", (ids,))
        kept = conn.execute("DELETE FROM task_dependencies WHERE task_id = ANY (%(ids)s) "
                            "OR depends_on = ANY (%(ids)s) RETURNING task_id, depends_on",
                            {"ids": ids}).fetchall()
        with conn.cursor().copy("COPY task_dependencies (task_id, depends_on) FROM STDIN") as cp:
            for edge in kept[::2]:
                cp.write_row(edge)
        assert conn.execute(STATE).fetchone() == before
        assert conn.execute("SELECT count(*) FROM kept_work_stale WHERE kind = 'b'"
                            ).fetchone() != (0,)
        assert differ(conn) == 0
        assert conn.execute(STATE).fetchone() != before
        assert conn.execute("SELECT count(*) FROM kept_work_stale").fetchone() == (0,)
