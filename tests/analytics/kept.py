"""Kept tables inside a writing transaction."""

from __future__ import annotations

from collections.abc import Callable

import psycopg


def as_at_commit(conn: psycopg.Connection) -> None:
    """Recompute what this transaction's writes noted, as its commit would (the deferred
    flushes of migrations 0014 and 0025), and defer again what follows."""
    conn.execute("SET CONSTRAINTS ALL IMMEDIATE")
    conn.execute("SET CONSTRAINTS ALL DEFERRED")


def check_change(conn: psycopg.Connection, which: str, sql: str, state: str,
                 differ: Callable[[psycopg.Connection], int], *,
                 noted_until_commit: bool = True) -> None:
    """Apply ``sql`` (statements split on ``;``, ``%(id)s`` the first task matching
    ``which``) in a rolled-back transaction: the kept table (``state``, one value) stays as
    it was until commit (unless ``noted_until_commit`` is false, as for a truncation),
    then equals its definition (``differ`` counts the rows that differ, after the commit's
    flushes) and has changed; after the rollback it is as before."""
    row = conn.execute(f"SELECT t.id FROM clickup_tasks t WHERE {which} "
                       "ORDER BY t.id LIMIT 1").fetchone()
    assert row is not None, which
    before = conn.execute(state).fetchone()
    with conn.transaction(force_rollback=True):
        for statement in sql.split(";"):
            conn.execute(statement, {"id": row[0]} if "%(id)s" in statement else None)
        if noted_until_commit:
            assert conn.execute(state).fetchone() == before  # only noted until commit
        assert differ(conn) == 0
        assert conn.execute(state).fetchone() != before  # the change reached the table
    assert conn.execute(state).fetchone() == before
    assert differ(conn) == 0
