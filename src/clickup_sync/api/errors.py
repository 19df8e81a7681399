"""One JSON error shape for every failure, FastAPI's own validation errors included.

``{"error": "<code>", "detail": "<one sentence>", "errors": [...]}``: ``error`` is a stable
code a program can branch on, ``detail`` a sentence a person can act on, and ``errors``
lists each invalid parameter (422 only). Expected failures map to their status here; an
unexpected one is logged with its traceback and answered 500 "internal error" without it.
"""

from __future__ import annotations

import logging
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from psycopg_pool import PoolTimeout
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from clickup_sync.analytics import AnalyticsError
from clickup_sync.store import StoreError
from clickup_sync.sync.runner import NotConfigured

log = logging.getLogger("clickup_sync.api")

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 406: "not_acceptable", 409: "conflict",
         413: "too_large", 415: "unsupported_media_type", 422: "invalid_request",
         429: "too_many_requests", 500: "internal", 503: "unavailable"}


class FieldError(BaseModel):
    """One invalid parameter."""

    loc: str = Field(description="Where: `query.limit`, `path.task_id`, `header.x-api-key`…",
                     examples=["query.limit"])
    msg: str = Field(description="What is wrong with it.",
                     examples=["Input should be greater than or equal to 1"])


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: str = Field(description="Stable code: " + ", ".join(sorted(set(CODES.values()))),
                       examples=["not_found"])
    detail: str = Field(description="One sentence saying what went wrong and what to change.",
                        examples=["no task with id '86zzzzzzz'"])
    errors: list[FieldError] = Field(default_factory=list,
                                     description="Each invalid parameter (422 only).")


class NotFound(Exception):
    """The thing a path names does not exist; the message says which."""


def _doc(description: str, example: dict[str, Any]) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description,
            "content": {"application/json": {"example": example}}}


INVALID = {422: _doc("A parameter is malformed or out of range (or names nothing known).",
                     {"error": "invalid_request", "detail": "query.limit: Input should be "
                      "greater than or equal to 1",
                      "errors": [{"loc": "query.limit",
                                  "msg": "Input should be greater than or equal to 1"}]})}
NOT_FOUND = {404: _doc("No such record.", {"error": "not_found",
                                           "detail": "no task with id '86zzzzzzz'"})}
UNAUTHORIZED = {401: _doc("The API key is missing or wrong.",
                          {"error": "unauthorized",
                           "detail": "send the API key in the X-API-Key header"})}
UNAVAILABLE = {503: _doc("The database is unreachable, busy, or the query took too long.",
                         {"error": "unavailable",
                          "detail": "the database is busy; try again in a moment"})}


def error_response(status: int, detail: str, errors: list[FieldError] | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(error=CODES.get(status, "error"), detail=detail, errors=errors or [])
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [FieldError(loc=".".join(str(p) for p in e.get("loc", ())),
                         msg=str(e.get("msg", "invalid")))
              for e in exc.errors()]
    summary = "; ".join(f"{e.loc}: {e.msg}" for e in errors[:3]) or "invalid request"
    return error_response(422, summary, errors)


def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else CODES.get(exc.status_code, "error")
    headers = dict(exc.headers or {})
    if exc.status_code == 405:  # a path served by several routes (GET and POST) allows all
        headers["Allow"] = ", ".join(_allowed(request))
    return error_response(exc.status_code, detail, headers=headers)


def _allowed(request: Request) -> list[str]:
    methods: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches({**request.scope, "method": "GET"})
        if match != Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return sorted(methods)


def _not_found(_: Request, exc: Exception) -> JSONResponse:
    return error_response(404, str(exc))


def _analytics(_: Request, exc: Exception) -> JSONResponse:
    return error_response(422, str(exc))


def _unavailable(_: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, PoolTimeout):
        detail = "the database is busy; try again in a moment"
    elif isinstance(exc, psycopg.errors.QueryCanceled):
        detail = "the query took too long; narrow it (filters, a smaller page or window)"
    elif isinstance(exc, NotConfigured | StoreError):
        detail = str(exc)
    else:
        log.warning("database error: %s", exc)
        detail = "the database cannot be reached; try again in a moment"
    return error_response(503, detail, headers={"Retry-After": "5"})


def _internal(request: Request, exc: Exception) -> JSONResponse:
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal error; see the server log")


def install(app: FastAPI) -> None:
    """Answer every error of ``app`` with an `ErrorBody`."""
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(AnalyticsError, _analytics)
    for unavailable in (PoolTimeout, psycopg.errors.QueryCanceled, psycopg.OperationalError,
                        NotConfigured, StoreError):
        app.add_exception_handler(unavailable, _unavailable)
    app.add_exception_handler(Exception, _internal)
