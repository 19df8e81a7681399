"""A sync equals ClickUp: full, then incremental after the workspace changes, with faults."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from clickup_sync.clickup import ClickUpClient, RetryPolicy
from clickup_sync.simulator import FaultConfig, Simulator
from clickup_sync.sync import SyncEngine, SyncOptions

from .truth import differences

TOKEN = "pk_sync"


@pytest.fixture()
def sim() -> Iterator[Simulator]:
    simulator = Simulator.generate(seed=3, tasks=600, plan="enterprise", token=TOKEN,
                                   rate_window=1.0)
    yield simulator
    simulator.close()


async def _sync(base_url: str, dsn: str, *, full: bool = False, reconcile: bool = False,
                retry: RetryPolicy | None = None):
    options = SyncOptions(reconcile_every_s=0 if reconcile else 3600, hierarchy_every_s=0)
    async with ClickUpClient(TOKEN, base_url, retry=retry) as client:
        engine = SyncEngine(client, dsn, options)
        return await engine.run(full=full, comments_seconds=None)


async def test_full_sync_equals_ground_truth(sim: Simulator, dsn: str) -> None:
    with sim.serve() as url:
        result = await _sync(url, dsn)
    assert result.status == "ok", result.errors
    assert result.kind == "full" and result.comments_waiting == 0
    assert differences(sim, dsn) == []
    assert result.counts["tasks"] >= len(sim.workspace.tasks)


async def test_incremental_sync_after_changes_equals_ground_truth(sim: Simulator,
                                                                  dsn: str) -> None:
    with sim.serve() as url:
        assert (await _sync(url, dsn)).status == "ok"
        summary = sim.advance(600)
        assert summary["deleted"] and summary["created"]
        result = await _sync(url, dsn, reconcile=True)
        assert result.status == "ok", result.errors
        assert differences(sim, dsn) == []
        with psycopg.connect(dsn) as conn:
            deleted = {r[0] for r in conn.execute(
                "SELECT id FROM clickup_tasks WHERE is_deleted")}
        assert set(summary["deleted"]) & deleted
        # Without deletions to find, an incremental run reads only what changed.
        sim.advance(30)
        quiet = await _sync(url, dsn)
        assert quiet.status == "ok" and quiet.kind == "incremental"
        assert differences(sim, dsn) == []


async def test_sync_converges_through_ten_percent_faults(sim: Simulator, dsn: str) -> None:
    sim.faults.configure(FaultConfig(error_rate=0.03, rate_limit_rate=0.02, drop_rate=0.02,
                                     truncate_rate=0.02, slow_rate=0.01, slow_seconds=0.05,
                                     rate_limit_burst=2, rate_limit_reset=0.05, seed=4))
    # Each 429 waits for the reset it carries (50 ms away), plus a margin kept short.
    retry = RetryPolicy(max_attempts=6, base_delay=0.01, max_delay=0.05,
                        rate_limit_margin=0.02)
    with sim.serve() as url:
        for _ in range(6):
            result = await _sync(url, dsn, reconcile=True, retry=retry)
            if result.status == "ok":
                break
        assert result.status == "ok", result.errors
        sim.advance(240)
        for _ in range(6):
            result = await _sync(url, dsn, reconcile=True, retry=retry)
            if result.status == "ok":
                break
    assert sum(sim.faults.injected.values()) > 50
    assert differences(sim, dsn) == []
    with psycopg.connect(dsn) as conn:
        dupes = conn.execute("SELECT count(*) - count(DISTINCT id) FROM time_entries").fetchone()
    assert dupes == (0,)
