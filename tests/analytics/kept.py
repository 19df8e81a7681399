"""Kept tables inside a writing transaction."""

from __future__ import annotations

import psycopg


def as_at_commit(conn: psycopg.Connection) -> None:
    """Recompute what this transaction's writes noted, as its commit would (the deferred
    flushes of migrations 0014 and 0025), and defer again what follows."""
    conn.execute("SET CONSTRAINTS ALL IMMEDIATE")
    conn.execute("SET CONSTRAINTS ALL DEFERRED")
