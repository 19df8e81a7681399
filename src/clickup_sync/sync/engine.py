"""One sync run: members, hierarchy, tasks, time entries, then comments with the time left.

A run holds a PostgreSQL advisory lock named after the Workspace (in a transaction kept open
for the run), so any number of processes (the scheduler, a CLI call, the API's trigger)
sync one at a time: the others skip.
A fetch that fails ends its stream for this run and leaves stored data as it was; the run is
recorded as ``partial`` and the next one resumes from the committed cursors.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from clickup_sync.clickup import AuthError, ClickUpClient, ClickUpError
from clickup_sync.store import connect, locks, runs

from . import comments, hierarchy, tasks, time_entries
from .context import Db, Progress, RunContext, SyncOptions, now_ms
from .rows import BadPayload

log = logging.getLogger("clickup_sync.sync")


@dataclass(slots=True)
class RunResult:
    """What a run did. ``status``: ok, partial (some streams failed), failed, skipped."""

    run_id: int | None
    status: str
    kind: str
    counts: dict[str, int] = field(default_factory=dict)
    api_calls: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    comments_waiting: int = 0


class SyncEngine:
    """Runs syncs of one Workspace into one database."""

    def __init__(self, client: ClickUpClient, dsn: str, options: SyncOptions | None = None,
                 progress: Progress | None = None) -> None:
        self.client = client
        self.dsn = dsn
        self.options = options or SyncOptions()
        self.progress = progress
        self._teams: list[dict[str, Any]] | None = None

    async def resolve_team(self) -> str:
        """The configured Workspace, or the first one the token can see."""
        if self.options.team_id:
            return self.options.team_id
        teams = self._teams = await self.client.get_teams()  # the run's member sync reuses it
        if not teams:
            raise LookupError("the ClickUp token has access to no Workspace")
        self.options.team_id = str(teams[0]["id"])
        return self.options.team_id

    async def run(self, *, full: bool = False, comments_seconds: float | None = -1.0
                  ) -> RunResult:
        """Sync once. ``comments_seconds``: -1 the configured budget, None until done."""
        kind = "full" if full else "incremental"
        try:
            team_id = await self.resolve_team()
        except (ClickUpError, LookupError) as exc:
            return RunResult(None, "failed", kind, errors=[f"cannot list Workspaces: {exc}"])
        # The lock lives in a transaction held open for the run: that pins one server
        # session even through a transaction pooler (Supabase port 6543), and the server
        # releases it when the transaction ends, including when this process is killed.
        lock_conn = connect(self.dsn)
        try:
            if not locks.advisory_xact_lock(lock_conn, f"clickup-sync:sync:{team_id}",
                                            wait=False):
                return RunResult(None, "skipped", kind,
                                 errors=["another sync of this Workspace is running"])
            conn = connect(self.dsn, autocommit=True)
            try:
                runs.fail_abandoned_runs(conn)
                return await self._run(Db(conn), team_id, full, comments_seconds)
            finally:
                conn.close()
        finally:
            lock_conn.close()  # rolls back the lock's transaction, which releases it

    async def _run(self, db: Db, team_id: str, full: bool,
                   comments_seconds: float | None) -> RunResult:
        started = time.monotonic()
        ctx = RunContext(self.client, db, self.options, team_id, now_ms(), self.progress)
        due = await self._due(db, ctx.started_ms)
        full = full or due["reconcile"]
        kind = "full" if full else "incremental"
        run_id = await db.run(runs.start_run, kind)
        calls_before = self.client.calls
        status = "ok"
        waiting = 0
        try:
            teams, self._teams = self._teams, None
            await hierarchy.sync_members(ctx, teams)
            if full or due["hierarchy"]:
                await hierarchy.sync_hierarchy(ctx)
                await db.write(runs.set_cursor, "hierarchy", ctx.started_ms)
            reconciled = await tasks.sync_tasks(ctx, full=full)
            if reconciled:
                await db.write(runs.set_cursor, "reconcile", ctx.started_ms)
            await time_entries.sync_time_entries(ctx, full=full)
            budget = self.options.comment_seconds if comments_seconds == -1 else comments_seconds
            waiting = await comments.sync_comments(ctx, seconds=budget)
        except AuthError:
            status = "failed"
            ctx.error("ClickUp rejected the API token (check CLICKUP_API_TOKEN)")
        except (ClickUpError, BadPayload, LookupError) as exc:
            status = "partial"
            ctx.error(str(exc))
            log.warning("sync run %s stopped early: %s", run_id, exc)
        except BaseException as exc:
            await db.run(runs.finish_run, run_id, status="failed", counts=dict(ctx.counts),
                         api_calls=self.client.calls - calls_before,
                         errors=[*ctx.errors, f"{type(exc).__name__}: {exc}"],
                         detail=ctx.detail)
            raise
        if status == "ok" and ctx.errors:
            status = "partial"
        ctx.detail["comments_waiting"] = waiting
        api_calls = self.client.calls - calls_before
        await db.run(runs.finish_run, run_id, status=status, counts=dict(ctx.counts),
                     api_calls=api_calls, errors=ctx.errors, detail=ctx.detail)
        return RunResult(run_id, status, kind, dict(ctx.counts), api_calls, ctx.errors,
                         time.monotonic() - started, waiting)

    async def _due(self, db: Db, now: int) -> dict[str, Any]:
        """Which periodic work this run owes: a hierarchy walk, a deletion reconciliation."""
        out = {}
        for name, every in (("hierarchy", self.options.hierarchy_every_s),
                            ("reconcile", self.options.reconcile_every_s)):
            last = await db.run(runs.get_cursor, name)
            out[name] = last is None or now - last >= every * 1000
        return out
