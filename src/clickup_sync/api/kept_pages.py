"""Kept ``/tasks`` pages served ahead of the framework.

A kept page (`page_cache`) still cost a request FastAPI's whole path: twenty query
parameters parsed and validated, dependencies solved, the response built, about half of
the request's time at 200 requests a second. A page is kept only after its exact request
(path and query string) went through that path and was answered, so the same request
again needs none of it: this middleware answers it with the key check, the one-row
version read, and the kept bytes. Anything else, a page not kept at the current version,
a missing or wrong key, a failed version read, goes on to the route, which answers or
refuses as it always does.
"""

from __future__ import annotations

from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from clickup_sync import analytics

from .auth import RequireKey
from .page_cache import page_key
from .runtime import ApiRuntime

PATH = "/tasks"


class KeptTaskPages:
    """ASGI middleware: ``GET /tasks`` answered from the kept pages when it can be."""

    def __init__(self, app: ASGIApp, runtime: ApiRuntime, key: RequireKey | None,
                 route: BaseRoute) -> None:
        self.app = app
        self.runtime = runtime
        self.key = key
        self.route = route  # for the metrics, which label requests by route

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = await self._kept(scope) if self._eligible(scope) else None
        if body is None:
            await self.app(scope, receive, send)
            return
        scope["route"] = self.route
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-length", str(len(body)).encode()),
                                (b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})

    def _eligible(self, scope: Scope) -> bool:
        return (scope["type"] == "http" and scope["method"] == "GET"
                and scope["path"] == PATH
                and (self.key is None or self.key.accepts_headers(scope["headers"])))

    async def _kept(self, scope: Scope) -> bytes | None:
        pages, key = self.runtime.task_pages, page_key(scope)
        if key not in pages:  # not kept at any version: no read needed
            return None
        try:
            version = await self.runtime.aread(analytics.task_listing_version)
        except Exception:
            return None
        return pages.peek(key, version)
