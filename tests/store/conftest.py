"""Fixtures for store tests: a fresh database per test (logic lives in tests/pg.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from clickup_sync.store import connect
from tests import pg


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The maintenance DSN of the test server; stops an embedded one at the end."""
    yield pg.server_dsn()
    pg.shutdown()


@pytest.fixture()
def fresh_dsn(pg_server: str) -> Iterator[str]:
    """The DSN of a new empty database, dropped after the test."""
    with pg.fresh_database() as dsn:
        yield dsn


@pytest.fixture()
def conn(fresh_dsn: str) -> Iterator[psycopg.Connection[Any]]:
    """A connection (autocommit off) to a new empty database."""
    with connect(fresh_dsn) as connection:
        yield connection
