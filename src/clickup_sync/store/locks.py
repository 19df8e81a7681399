"""Advisory locks named by strings, so processes can agree that only one of them runs a job.

PostgreSQL names advisory locks with a bigint; `lock_id` hashes a readable key
(``"sync:team:123"``) to one, the same in every process and Python version.

Session-level locks (`try_advisory_lock`, `advisory_lock`) outlive transactions and need a
connection that stays one server session: a direct one, or a pooler in session mode.
Through a transaction pooler (Supabase port 6543, PgBouncer ``pool_mode=transaction``) use
`advisory_xact_lock`, which the server releases at the end of the transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import pq

from clickup_sync.store.db import StoreError


def lock_id(key: str) -> int:
    """Hash `key` to the signed 64-bit number PostgreSQL's advisory lock functions take."""
    digest = hashlib.blake2b(key.encode(), digest_size=8, person=b"clickup-sync").digest()
    return int.from_bytes(digest, "big", signed=True)


def _scalar(conn: psycopg.Connection[Any], query: bytes, key: str) -> Any:
    """Run a one-value lock query in its own (sub)transaction, leaving no transaction open."""
    with conn.transaction():
        row = conn.execute(query, (lock_id(key),)).fetchone()
    assert row is not None
    return row[0]


def try_advisory_lock(conn: psycopg.Connection[Any], key: str) -> bool:
    """Take the session-level lock `key` if it is free; return whether this session holds it.

    Locks are counted: each success needs its own `advisory_unlock`.
    """
    return bool(_scalar(conn, b"SELECT pg_try_advisory_lock(%s)", key))


def advisory_unlock(conn: psycopg.Connection[Any], key: str) -> bool:
    """Release one hold of the session-level lock `key`; return False if it was not held."""
    return bool(_scalar(conn, b"SELECT pg_advisory_unlock(%s)", key))


@contextmanager
def advisory_lock(conn: psycopg.Connection[Any], key: str, *,
                  wait: bool = True) -> Iterator[bool]:
    """Hold the session-level lock `key` for the block; yield whether it was acquired.

    With ``wait=True`` the block starts once the lock is free, so it always yields True; with
    ``wait=False`` it yields False at once when another session holds it. On the way out the
    lock is released; if the block left the transaction aborted, that transaction is rolled
    back first, since an aborted transaction cannot run the unlock.
    """
    if wait:
        _scalar(conn, b"SELECT pg_advisory_lock(%s), true", key)
        acquired = True
    else:
        acquired = try_advisory_lock(conn, key)
    try:
        yield acquired
    finally:
        if acquired and not (conn.closed or conn.broken):
            if conn.info.transaction_status == pq.TransactionStatus.INERROR:
                conn.rollback()
            advisory_unlock(conn, key)


def advisory_xact_lock(conn: psycopg.Connection[Any], key: str, *, wait: bool = True) -> bool:
    """Take the lock `key` until the current transaction ends; return whether it was taken.

    Safe through a transaction pooler. With ``wait=True`` it waits for the lock and returns
    True; with ``wait=False`` it returns False at once when another transaction holds it.
    Runs in the caller's transaction (starting one if needed) and never commits.
    """
    if conn.autocommit and conn.info.transaction_status == pq.TransactionStatus.IDLE:
        raise StoreError("advisory_xact_lock needs a transaction: in autocommit mode the lock "
                         "would end with its own statement; use `with conn.transaction():`.")
    if wait:
        conn.execute(b"SELECT pg_advisory_xact_lock(%s)", (lock_id(key),))
        return True
    row = conn.execute(b"SELECT pg_try_advisory_xact_lock(%s)", (lock_id(key),)).fetchone()
    return bool(row and row[0])
