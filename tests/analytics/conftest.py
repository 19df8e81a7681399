"""One synced database for the analytics tests: a seeded workspace, synced whole, with a
week of daily snapshots taken while the simulated team worked."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from clickup_sync.simulator import Simulator
from clickup_sync.store import connect
from tests.syncing import synced_workspace

TOKEN = "pk_analytics"


@pytest.fixture(scope="session")
def synced() -> Iterator[tuple[Simulator, str]]:
    """(simulator, dsn): 800 tasks synced, snapshots for the last 7 days (today included)."""
    with synced_workspace(seed=11, tasks=800, token=TOKEN, days=7) as workspace:
        yield workspace


@pytest.fixture()
def conn(synced: tuple[Simulator, str]) -> Iterator[psycopg.Connection]:
    with connect(synced[1], autocommit=True) as c:
        yield c
