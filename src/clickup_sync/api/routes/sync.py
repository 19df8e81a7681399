"""Sync: start work now (the original's trigger routes) and see how runs went.

A trigger records a request (a ``sync_runs`` row of kind ``trigger``), starts the work in
the background and answers 202 at once with the request's id; ``GET /sync/runs/{id}``
follows it. Syncs never overlap: while another process's sync holds the Workspace's lock,
a requested one ends ``skipped``. The ``GET`` forms exist because the original tool's
callers use them; new callers should ``POST``.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from clickup_sync import analytics
from clickup_sync.store import runs
from clickup_sync.store.triggers import KIND as TRIGGER
from clickup_sync.sync.runner import NotConfigured

from ..deps import Conn, Runtime
from ..errors import INVALID, NOT_FOUND, UNAVAILABLE, NotFound
from ..models import Paged
from ..params import BIGINT_MAX, Limit, Name, Offset, page_fields

router = APIRouter(prefix="/sync", tags=["sync"], responses=INVALID)


class Started(BaseModel):
    """A request to run work, accepted."""

    model_config = {"json_schema_extra": {"examples": [
        {"run_id": 42, "action": "tasks", "status": "queued", "url": "/sync/runs/42"}]}}

    run_id: int = Field(description="Follow it at `GET /sync/runs/{run_id}`")
    action: str = Field(description="tasks, employees or daily")
    status: str = Field(description="queued: the work starts in the background")
    url: str = Field(description="Path of the run")


class Run(BaseModel):
    """A sync run, or a request to run one (kind `trigger`)."""

    id: int
    kind: str = Field(description="full, incremental (syncs), trigger (a request made "
                                  "through this API)…")
    status: str = Field(description="Syncs: running, ok, partial, failed. Requests: "
                                    "queued, started, done, skipped, failed")
    started_at: datetime
    finished_at: datetime | None
    tasks_upserted: int
    time_entries_upserted: int
    comments_upserted: int
    deleted: int
    api_calls: int = Field(description="ClickUp API calls the run made")
    errors: list[Any]
    detail: dict[str, Any]


class RunDetail(Run):
    outcome: str = Field(description="How it went: a sync's status (ok, partial, failed, "
                                     "skipped); for a request, that of the work it started, "
                                     "or its own while it is open")
    run: Run | None = Field(None, description="For a request: the sync run it started")


class RunPage(Paged):
    runs: list[Run]


def _accepted(request: Request, runtime: Runtime, action: str, *, full: bool = False
              ) -> Started:
    if action == "daily":
        work = runtime.snapshot_work
    else:
        if not runtime.clickup_configured:
            raise NotConfigured("this server cannot sync: CLICKUP_API_TOKEN is not set")
        work = runtime.sync_work(full=full)
    run_id = runtime.request(action, work, via=f"{request.method} {request.url.path}",
                             full=full)
    return Started(run_id=run_id, action=action, status="queued", url=f"/sync/runs/{run_id}")


TRIGGER_DOC = {"status_code": 202, "response_model": Started, "responses": UNAVAILABLE}
Full = Annotated[bool, Query(description="Re-read everything and find deleted tasks "
                                         "(slower); default: only what changed")]


@router.post("/tasks", summary="Start a sync", **TRIGGER_DOC)
@router.get("/tasks", summary="Start a sync (GET form of the original)", **TRIGGER_DOC)
def sync_tasks(request: Request, runtime: Runtime, full: Full = False) -> Started:
    """Start a sync of tasks, time entries and members (comments are left to the
    schedule); answers at once. 503 when this server has no ClickUp token."""
    return _accepted(request, runtime, "tasks", full=full)


@router.post("/employees", summary="Start a member sync", **TRIGGER_DOC)
@router.get("/employees", summary="Start a member sync (GET form of the original)",
            **TRIGGER_DOC)
def sync_employees(request: Request, runtime: Runtime) -> Started:
    """Start a sync that brings the Workspace's members (and what changed) up to date."""
    return _accepted(request, runtime, "employees")


@router.post("/daily", summary="Take today's snapshot", **TRIGGER_DOC)
@router.get("/daily", summary="Take today's snapshot (GET form of the original)",
            **TRIGGER_DOC)
def sync_daily(request: Request, runtime: Runtime) -> Started:
    """Take today's snapshot of every live task (what `GET /daily-sync` serves)."""
    return _accepted(request, runtime, "daily")


@router.get("/runs", response_model=RunPage, summary="List sync runs")
def list_runs(request: Request, conn: Conn,
              kind: Annotated[Name | None, Query(description="full, incremental, "
                                                            "trigger…")] = None,
              status: Annotated[Name | None, Query(description="e.g. ok, failed")] = None,
              limit: Limit = 100, offset: Offset = 0) -> RunPage:
    """Sync runs and requests, newest first."""
    page = analytics.run_page(conn, kind=kind, status=status, limit=limit, offset=offset)
    return RunPage(runs=page.rows, **page_fields(  # type: ignore[arg-type]
        request, total=page.total, count=len(page.rows), limit=limit, offset=offset))


@router.get("/runs/{run_id}", response_model=RunDetail, responses=NOT_FOUND,
            summary="Get a sync run")
def get_run(conn: Conn, run_id: Annotated[int, Path(ge=1, le=BIGINT_MAX,
                                                    description="Run or request id")]
            ) -> RunDetail:
    """How a run, or the work a request started, went; 404 when there is no such run."""
    found = runs.get_run(conn, run_id)
    if found is None:
        raise NotFound(f"no sync run with id {run_id}")
    row: dict[str, Any] = dataclasses.asdict(found)
    started = None
    if found.kind == TRIGGER and found.detail.get("sync_run_id"):
        started = runs.get_run(conn, int(found.detail["sync_run_id"]))
    outcome = found.detail.get("outcome", found.status) if found.kind == TRIGGER \
        else found.status
    return RunDetail(**row, outcome=str(outcome),
                     run=Run(**dataclasses.asdict(started)) if started else None)
