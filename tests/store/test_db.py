"""Connections and pools: pooler-safe settings, redacted DSNs, one clear error."""

from __future__ import annotations

import time
import traceback
from typing import Any

import psycopg
import pytest

from clickup_sync.store import StoreError, aconnect, connect, make_async_pool, make_pool, redact

SECRET = "s3cr3t-Pa55"
CLOSED_PORT = 1  # nothing listens on port 1 of the loopback


@pytest.mark.parametrize(("dsn", "expected"), [
    (f"postgresql://app:{SECRET}@db.example.com:6543/postgres",
     "postgresql://app:***@db.example.com:6543/postgres"),
    (f"postgres://app:{SECRET}@h1:5432,h2:5433/db?sslmode=require",
     "postgres://app:***@h1:5432,h2:5433/db?sslmode=require"),
    (f"postgresql://app@host/db?password={SECRET}&sslmode=require",
     "postgresql://app@host/db?password=***&sslmode=require"),
    (f"host=db port=6543 user=app password={SECRET} dbname=postgres",
     "host=db port=6543 user=app password=*** dbname=postgres"),
    (f"host=db password = '{SECRET} with \\' quote' dbname=x",
     "host=db password = *** dbname=x"),
    ("postgresql://postgres@127.0.0.1:5432/test", "postgresql://postgres@127.0.0.1:5432/test"),
])
def test_redact_hides_the_password(dsn: str, expected: str) -> None:
    assert redact(dsn) == expected
    assert SECRET not in redact(dsn)


@pytest.mark.parametrize("dsn", [
    f"postgresql://app:{SECRET}@127.0.0.1:{CLOSED_PORT}/db",
    f"host=127.0.0.1 port={CLOSED_PORT} user=app password={SECRET} dbname=db",
    f"host=127.0.0.1 port={CLOSED_PORT} password={SECRET} nonsense",
])
def test_connection_errors_are_one_sentence_without_the_password(dsn: str) -> None:
    with pytest.raises(StoreError) as caught:
        connect(dsn)
    message = str(caught.value)
    assert message.startswith("Cannot connect to PostgreSQL at ")
    assert message.endswith(".") and "\n" not in message
    assert SECRET not in "".join(traceback.format_exception(caught.value))


def test_connections_never_prepare_on_the_server(fresh_dsn: str) -> None:
    with connect(fresh_dsn) as conn:
        assert conn.prepare_threshold is None and conn.autocommit is False
        for _ in range(10):
            conn.execute("SELECT %s::int", (1,))
        row = conn.execute("SELECT count(*) FROM pg_prepared_statements").fetchone()
        assert row == (0,)
        assert conn.info.parameter_status("application_name") == "clickup-sync"


def test_pool_hands_out_configured_connections(fresh_dsn: str) -> None:
    with make_pool(fresh_dsn, min_size=1, max_size=2) as pool, pool.connection() as conn:
        assert conn.prepare_threshold is None and conn.autocommit is False
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_pool_with_a_bad_dsn_fails_fast_with_a_clear_error() -> None:
    started = time.monotonic()
    with pytest.raises(StoreError, match="Cannot connect to PostgreSQL") as caught:
        make_pool(f"postgresql://app:{SECRET}@127.0.0.1:{CLOSED_PORT}/db")
    assert time.monotonic() - started < 5
    assert SECRET not in str(caught.value)


async def test_async_connection_and_pool(fresh_dsn: str) -> None:
    conn: psycopg.AsyncConnection[Any] = await aconnect(fresh_dsn)
    async with conn:
        assert conn.prepare_threshold is None and conn.autocommit is False
    pool = await make_async_pool(fresh_dsn, min_size=1, max_size=2)
    async with pool, pool.connection() as pooled:
        cur = await pooled.execute("SELECT 2")
        assert await cur.fetchone() == (2,)
    with pytest.raises(StoreError, match=r"127\.0\.0\.1") as caught:
        await aconnect(f"postgresql://app:{SECRET}@127.0.0.1:{CLOSED_PORT}/db")
    assert SECRET not in str(caught.value)
