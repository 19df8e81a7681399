"""Build the REST API app: routers, the API key, CORS, metrics, errors and the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import anyio
from fastapi import APIRouter, Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from clickup_sync import __version__, heap
from clickup_sync.config import Settings

from . import errors, routes
from .auth import HEADER, RequireKey
from .kept_pages import PATH as KEPT_PATH
from .kept_pages import KeptTaskPages
from .metrics import ApiMetrics, MetricsMiddleware
from .runtime import ApiRuntime

DESCRIPTION = f"""
Read the ClickUp Workspace that clickup-sync mirrors into PostgreSQL, and start syncs.

**Compatible**: the original tool's routes keep their paths and response keys
(`/employees`, `/tasks`, `/tasks/by-employee`, `/tasks/with-time`, `/tasks/with-comments`,
`/tasks/{{task_id}}`, `/dependencies/{{task_id}}`, `/daily-sync`, `/sync/tasks`,
`/sync/employees`, `/sync/daily`).

**Paging**: listings take `limit` (default 100, at most 500) and `offset`, and answer
`count`, `limit`, `offset`, `total` and `next` (the path of the next page, null on the last).

**Auth**: when the server has an API key, every route but `/health` needs it, as
`{HEADER}: <key>` or `Authorization: Bearer <key>`; otherwise 401.

**Errors**: every error is `{{"error": code, "detail": sentence, "errors": [...]}}`: 401
without the key, 404 for an unknown task, employee or run, 422 for a malformed or
out-of-range parameter (or a name that matches nothing), 503 when the database is
unreachable or busy.

**Syncs**: a trigger answers 202 at once with a `run_id`; `GET /sync/runs/{{run_id}}` tells
how it went. Runs never overlap.
"""

TAGS = [
    {"name": "tasks", "description": "Tasks in the original tool's shape (the `tasks` view)."},
    {"name": "employees", "description": "The Workspace's members."},
    {"name": "records", "description": "Time entries, comments and the hierarchy."},
    {"name": "sync", "description": "Start syncs and snapshots; follow runs."},
    {"name": "analytics", "description": "Metrics from the analytics layer (the same "
                                         "functions as the MCP tools)."},
    {"name": "operations", "description": "Health and Prometheus metrics."},
]


def operation_id(route: APIRoute) -> str:
    """The route's function name, with the method when it is not GET (``sync_tasks_post``)."""
    methods = sorted(route.methods or ())
    return route.name if methods == ["GET"] else f"{route.name}_{'_'.join(methods).lower()}"


def _route(router: APIRouter, method: str, path: str) -> BaseRoute:
    return next(r for r in router.routes if isinstance(r, APIRoute) and r.path == path
                and method in r.methods)


def create_app(settings: Settings, dsn: str, *, api_key: str | None = None,
               cors_origins: Sequence[str] | None = None, pool_size: int = 10) -> FastAPI:
    """The API over database ``dsn``.

    ``api_key`` (default: ``settings.api_key``): required on every route but ``/health``
    when set. ``cors_origins`` (default: ``settings.cors_origins``): browser origins allowed
    to call the API (none: CORS stays off). The pool opens when the app starts and closes
    when it stops.
    """
    if api_key is None and settings.api_key is not None:
        api_key = settings.api_key.get_secret_value()
    if cors_origins is None:
        cors_origins = settings.cors_origins
    runtime = ApiRuntime(settings, dsn, pool_size=pool_size)
    metrics = ApiMetrics(runtime.task_pages)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(runtime.open)
        try:
            await runtime.aopen()
            heap.settle()  # the app is loaded: its objects live as long as it does
            yield
        finally:
            await runtime.aclose()
            await anyio.to_thread.run_sync(runtime.close)

    app = FastAPI(title="clickup-sync API", version=__version__, description=DESCRIPTION,
                  openapi_tags=TAGS, lifespan=lifespan,
                  generate_unique_id_function=operation_id)
    app.state.runtime = runtime
    app.state.metrics = metrics
    errors.install(app)
    required = RequireKey(api_key) if api_key else None
    guard: list[Any] = [Depends(required)] if required else []
    documented = {**(errors.UNAUTHORIZED if api_key else {}), **errors.UNAVAILABLE}
    for router in routes.DATA:
        app.include_router(router, dependencies=guard, responses=documented)
    for router in routes.OPEN:
        app.include_router(router)
    app.add_middleware(KeptTaskPages, runtime=runtime, key=required,
                       route=_route(routes.tasks.router, "GET", KEPT_PATH))
    if cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins),
                           allow_methods=["GET", "POST"],
                           allow_headers=[HEADER, "Authorization", "Content-Type"])
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    return app
