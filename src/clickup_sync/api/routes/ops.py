"""Operations: a health check for load balancers, and metrics for Prometheus."""

from __future__ import annotations

from typing import Literal

import psycopg
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from psycopg_pool import PoolTimeout
from pydantic import BaseModel, Field

from clickup_sync import __version__, analytics

from ..deps import Conn, Runtime
from ..metrics import CONTENT_TYPE, ApiMetrics

health_router = APIRouter(tags=["operations"])
metrics_router = APIRouter(tags=["operations"])


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    database: Literal["ok", "unreachable"]
    version: str = Field(examples=[__version__])


@health_router.get("/health", response_model=Health, summary="Check health", responses={
    503: {"model": Health, "description": "The database does not answer."}})
def health(runtime: Runtime) -> Health | JSONResponse:
    """Whether the server and its database answer. Never needs the API key."""
    try:
        runtime.ping()
    except (psycopg.Error, PoolTimeout):
        body = Health(status="unavailable", database="unreachable", version=__version__)
        return JSONResponse(body.model_dump(), status_code=503)
    return Health(status="ok", database="ok", version=__version__)


@metrics_router.get("/metrics", response_class=Response, summary="Get metrics", responses={
    200: {"description": "Prometheus text format (version 0.0.4)",
          "content": {"text/plain": {"schema": {"type": "string"}, "example": (
              "# TYPE clickup_sync_sync_lag_seconds gauge\n"
              "clickup_sync_sync_lag_seconds 31.2\n")}}}})
def metrics(request: Request, conn: Conn) -> Response:
    """Sync lag, sync runs, ClickUp API calls, errors, and request counts and latency."""
    collected: ApiMetrics = request.app.state.metrics
    body = collected.render(analytics.sync_figures(conn))
    return Response(body, media_type=CONTENT_TYPE)
