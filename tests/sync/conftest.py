"""Fixtures for sync tests: a migrated fresh database and a simulator to sync from."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.pg import fresh_database


@pytest.fixture()
def dsn() -> Iterator[str]:
    """A fresh database with the schema applied."""
    with fresh_database(migrated=True) as url:
        yield url
