"""The standup's in-progress and overdue tallies (`doing_and_late`, read from the kept open
work and migration 0030's index) equal the same tallies counted from the task rows
themselves, in every scope and after writes that move a task in or out of them.

The ground truth reads clickup_tasks and task_assignees directly (no kept table), and names
the three in-progress tasks each person updated last."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from clickup_sync.analytics.reports import TOTAL, Tally, daily_standup, doing_and_late
from clickup_sync.analytics.scope import WORKSPACE, Scope
from clickup_sync.simulator import Simulator
from clickup_sync.store import connect
from tests.analytics.kept import as_at_commit

Synced = tuple[Simulator, str]
OPEN_ROWS = """
    SELECT t.id, t.name, a.user_id, t.status_type = 'custom', t.due_date < now(),
           t.date_updated
      FROM clickup_tasks t LEFT JOIN task_assignees a ON a.task_id = t.id
     WHERE NOT t.is_deleted AND NOT t.archived
       AND coalesce(t.status_type, '') NOT IN ('done', 'closed') AND {where}"""


def truth(conn: psycopg.Connection, scope: Scope) -> tuple[Tally, Tally]:
    """(in progress, overdue) per assignee (None: nobody), in total (`TOTAL`, each task
    once), with the three in-progress names per person, from the task rows."""
    rows = conn.execute(OPEN_ROWS.format(where=scope.condition("t")), scope.params).fetchall()
    doing: dict[Any, list[tuple[Any, str, str]]] = defaultdict(list)
    late: dict[Any, int] = defaultdict(int)
    tasks: dict[str, tuple[bool, bool]] = {}
    for task_id, name, user, is_doing, is_late, updated in rows:
        tasks[task_id] = (bool(is_doing), bool(is_late))
        if is_doing:
            doing[user].append((updated, task_id, name))
        if is_late:
            late[user] += 1
    out_doing: Tally = {}
    for user, found in doing.items():
        # date_updated DESC (NULL first, as PostgreSQL orders DESC), then id
        found.sort(key=lambda f: (f[0] is not None, -(f[0].timestamp() if f[0] else 0), f[1]))
        out_doing[user] = (len(found), [f[2] for f in found[:3]] if user is not None else [])
    out_doing[TOTAL] = (sum(d for d, _ in tasks.values()), [])
    out_late: Tally = {user: (n, []) for user, n in late.items()}
    out_late[TOTAL] = (sum(x for _, x in tasks.values()), [])
    return out_doing, out_late


def _without_unassigned_names(tally: Tally) -> Tally:
    return {u: (n, names if u is not None else []) for u, (n, names) in tally.items()}


def scopes(conn: psycopg.Connection) -> list[Scope]:
    found = [WORKSPACE]
    for kind in ("space", "folder", "list"):
        ids = conn.execute(f"SELECT DISTINCT {kind}_id FROM clickup_tasks "
                           f"WHERE {kind}_id IS NOT NULL ORDER BY 1").fetchall()
        found += [Scope(kind, i, f"{kind} {i}") for (i,) in ids]  # type: ignore[arg-type]
    return found


@pytest.fixture()
def tx(synced: Synced) -> Iterator[psycopg.Connection]:
    """A connection inside a transaction that is rolled back."""
    with connect(synced[1]) as c, c.transaction(force_rollback=True):
        yield c


def test_doing_and_late_equal_the_task_rows_in_every_scope(conn: psycopg.Connection) -> None:
    checked = 0
    with conn.transaction():  # one now() for both sides
        for scope in scopes(conn):
            doing, late = doing_and_late(conn, scope)
            want_doing, want_late = truth(conn, scope)
            assert _without_unassigned_names(doing) == want_doing, scope
            assert late == want_late, scope
            checked += bool(want_doing[TOTAL][0]) + bool(want_late[TOTAL][0])
    assert checked > 10  # scopes with work in progress and overdue work were compared


def _open_task(tx: psycopg.Connection, where: str) -> str:
    row = tx.execute(f"""SELECT t.id FROM clickup_tasks t WHERE NOT t.is_deleted
                          AND NOT t.archived AND {where} ORDER BY t.id LIMIT 1""").fetchone()
    assert row is not None, where
    return str(row[0])


def test_doing_and_late_follow_writes(tx: psycopg.Connection) -> None:
    """A task started, one due a minute ago (this week's overdue, counted one by one), one
    reassigned and one finished: the tallies follow once the writes are committed."""
    started = _open_task(tx, "t.status_type = 'open' AND EXISTS (SELECT FROM task_assignees a "
                             "WHERE a.task_id = t.id)")
    tx.execute("""UPDATE clickup_tasks SET status_type = 'custom',
                          date_updated = (SELECT max(date_updated) + interval '1 day'
                                            FROM clickup_tasks)
                   WHERE id = %s""", (started,))
    late = _open_task(tx, "t.status_type = 'custom' AND t.due_date IS NULL "
                          f"AND t.id <> '{started}'")
    tx.execute("UPDATE clickup_tasks SET due_date = now() - interval '1 minute' WHERE id = %s",
               (late,))
    moved = _open_task(tx, "t.status_type = 'custom' AND t.due_date < now() AND EXISTS "
                           "(SELECT FROM task_assignees a WHERE a.task_id = t.id) "
                           f"AND t.id NOT IN ('{started}', '{late}')")
    tx.execute("DELETE FROM task_assignees WHERE task_id = %s", (moved,))
    tx.execute("INSERT INTO task_assignees SELECT %s, max(user_id) FROM task_assignees",
               (moved,))
    done = _open_task(tx, "t.status_type = 'custom' AND t.due_date < now() AND t.id NOT IN "
                          f"('{started}', '{late}', '{moved}')")
    tx.execute("UPDATE clickup_tasks SET status_type = 'done', status = 'complete' "
               "WHERE id = %s", (done,))
    as_at_commit(tx)
    space = tx.execute("SELECT space_id FROM clickup_tasks WHERE id = %s", (started,)).fetchone()
    assert space is not None
    for scope in (WORKSPACE, Scope("space", space[0], "its Space")):
        doing, late_now = doing_and_late(tx, scope)
        want_doing, want_late = truth(tx, scope)
        assert _without_unassigned_names(doing) == want_doing
        assert late_now == want_late
    first = tx.execute("SELECT min(user_id) FROM task_assignees WHERE task_id = %s",
                       (started,)).fetchone()
    assert first is not None
    names = doing_and_late(tx, WORKSPACE)[0][first[0]][1]
    assert tx.execute("SELECT name FROM clickup_tasks WHERE id = %s",
                      (started,)).fetchone() == (names[0],)  # updated last: named first


def test_standup_counts_are_the_tallies(conn: psycopg.Connection) -> None:
    with conn.transaction():
        result = daily_standup(conn, limit=500)
        doing, late = truth(conn, WORKSPACE)
    s = result.summary
    assert (s["in_progress_now"], s["overdue_now"]) == (doing[TOTAL][0], late[TOTAL][0])
    shown = {r[0]: (r[4], r[5]) for r in result.rows}
    names = dict(conn.execute("SELECT clickup_user_id, coalesce(name, email, "
                              "clickup_user_id::text) FROM employees").fetchall())
    for user, (n, top) in doing.items():
        if user not in (TOTAL, None):
            assert shown[names[user]][0] == n
            row = next(r for r in result.rows if r[0] == names[user])
            assert f"doing: {', '.join(top)}" in row[-1]
