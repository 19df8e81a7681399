"""Advisory locks exclude other sessions and are released when they should be."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from clickup_sync.store import (
    StoreError,
    advisory_lock,
    advisory_unlock,
    advisory_xact_lock,
    connect,
    lock_id,
    try_advisory_lock,
)

KEY = "sync:team:9001"
IDLE = psycopg.pq.TransactionStatus.IDLE


@pytest.fixture()
def other(fresh_dsn: str) -> Iterator[psycopg.Connection[Any]]:
    """A second session on the same database."""
    with connect(fresh_dsn) as connection:
        yield connection


def test_lock_id_is_a_stable_bigint() -> None:
    assert lock_id(KEY) == lock_id(KEY) != lock_id(KEY + "x")
    # Pinned: processes running different versions must hash a key alike.
    assert lock_id("clickup-sync:migrate") == -3508176251033500523
    assert all(-(2**63) <= lock_id(str(i)) < 2**63 for i in range(1000))


def test_session_lock_excludes_another_connection(conn: psycopg.Connection[Any],
                                                  other: psycopg.Connection[Any]) -> None:
    assert try_advisory_lock(conn, KEY) is True
    assert conn.info.transaction_status == IDLE  # no transaction left open by the helper
    assert try_advisory_lock(other, KEY) is False
    assert try_advisory_lock(other, "another key") is True
    assert advisory_unlock(conn, KEY) is True
    assert try_advisory_lock(other, KEY) is True
    assert advisory_unlock(conn, KEY) is False


def test_context_manager_without_waiting(conn: psycopg.Connection[Any],
                                         other: psycopg.Connection[Any]) -> None:
    with advisory_lock(conn, KEY) as held:
        assert held is True
        with advisory_lock(other, KEY, wait=False) as acquired:
            assert acquired is False
    with advisory_lock(other, KEY, wait=False) as acquired:
        assert acquired is True


def test_context_manager_waits_for_the_holder(conn: psycopg.Connection[Any],
                                              other: psycopg.Connection[Any]) -> None:
    acquired_at: list[float] = []

    def wait_for_lock() -> None:
        with advisory_lock(other, KEY):
            acquired_at.append(time.monotonic())

    with advisory_lock(conn, KEY):
        waiter = threading.Thread(target=wait_for_lock)
        waiter.start()
        time.sleep(0.3)
        assert acquired_at == []
        released_at = time.monotonic()
    waiter.join(timeout=10)
    assert acquired_at and acquired_at[0] >= released_at


def test_lock_is_released_after_a_failed_statement(conn: psycopg.Connection[Any],
                                                   other: psycopg.Connection[Any]) -> None:
    with pytest.raises(psycopg.errors.UndefinedTable), advisory_lock(conn, KEY):
        conn.execute("SELECT * FROM missing_table")
    assert try_advisory_lock(other, KEY) is True


def test_transaction_lock_ends_with_the_transaction(conn: psycopg.Connection[Any],
                                                   other: psycopg.Connection[Any]) -> None:
    assert advisory_xact_lock(conn, KEY) is True
    assert advisory_xact_lock(other, KEY, wait=False) is False
    other.rollback()
    conn.commit()
    assert advisory_xact_lock(other, KEY, wait=False) is True


def test_transaction_lock_refuses_autocommit_outside_a_transaction(fresh_dsn: str) -> None:
    with connect(fresh_dsn, autocommit=True) as conn:
        with pytest.raises(StoreError, match="needs a transaction"):
            advisory_xact_lock(conn, KEY)
        with conn.transaction():
            assert advisory_xact_lock(conn, KEY) is True
