"""The ASGI app: ClickUp's behaviour around each endpoint, and the simulator's admin routes.

Around every ClickUp route, in this order (as ClickUp answers): count the request, check the
``Authorization`` header, count it against the token's rate limit, maybe inject a fault, run
the handler under the state lock, answer in ClickUp's error shape when it fails.
Admin routes live under ``/_simulator``, a prefix ClickUp does not use.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import Counter
from typing import TYPE_CHECKING, Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import admin
from .mutations import MutationError, NotFoundError
from .queries import QueryError
from .routes import ROUTES, Call, Handler

if TYPE_CHECKING:
    from .service import Simulator

log = logging.getLogger("clickup_sync.simulator")
API_PREFIX = "/api/v2"

# Errors for unknown ids when the simulator answers 404 instead of ClickUp's usual 401.
_NOT_FOUND_404 = {
    "task": ("Task not found, deleted", "ITEM_013"),
    "list": ("List not found", "SUBCAT_016"),
    "folder": ("Folder not found", "CAT_014"),
    "comment": ("Comment not found", "COMM_024"),
    "webhook": ("Webhook not found", "WEBHOOK_003"),
    "team": ("Team not authorized", "OAUTH_027"),
}


class JSON(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, default=list, option=orjson.OPT_NON_STR_KEYS)


def error(status: int, err: str, ecode: str, headers: dict[str, str] | None = None) -> JSON:
    """ClickUp's v2 error body: ``{"err": …, "ECODE": …}``."""
    return JSON({"err": err, "ECODE": ecode}, status_code=status, headers=headers)


class CutResponse(Response):
    """A response whose body stops early: ``drop`` closes the connection mid-body,
    ``truncate`` sends a complete HTTP message whose JSON is cut short."""

    def __init__(self, body: bytes, status_code: int, headers: dict[str, str], drop: bool):
        super().__init__(status_code=status_code, headers=headers,
                         media_type="application/json")
        self._full = body
        self._drop = drop

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        cut = self._full[: max(1, len(self._full) // 2)]
        length = len(self._full) if self._drop else len(cut)
        headers = [(k, v) for k, v in self.raw_headers if k != b"content-length"]
        headers.append((b"content-length", str(length).encode()))
        await send({"type": "http.response.start", "status": self.status_code,
                    "headers": headers})
        await send({"type": "http.response.body", "body": cut, "more_body": self._drop})
        if self._drop:
            raise ConnectionAbortedError("simulated dropped connection")


def _token_of(request: Request) -> str | None:
    raw = request.headers.get("authorization")
    if raw is None:
        return None
    raw = raw.strip()
    return raw[7:].strip() if raw.lower().startswith("bearer ") else raw


def _clickup_endpoint(sim: Simulator, method: str, template: str, handler: Handler) -> Route:
    state = sim.state

    async def endpoint(request: Request) -> Response:
        sim.stats.count(method, template, request)
        token = _token_of(request)
        if not token:
            return error(401, "Authorization header required", "OAUTH_017")
        account = state.tokens.get(token)
        if account is None:
            return error(401, "Token invalid", "OAUTH_025")
        decision = sim.limiter.hit(token, sim.rate_limit_for(account.plan))
        headers = decision.headers()
        if not decision.allowed:
            sim.stats.rate_limited += 1
            return error(429, "Rate limit reached", "APP_002", headers)
        fault, code = sim.faults.draw()
        if fault == "error":
            return error(code, "Internal Server Error", "SIM_500", headers)
        if fault == "rate_limit":
            sim.stats.rate_limited += 1
            return error(429, "Rate limit reached", "APP_002",
                         {**headers, "X-RateLimit-Remaining": "0",
                          "X-RateLimit-Reset": sim.faults.reset_header(decision.reset)})
        if fault == "slow":
            await asyncio.sleep(sim.faults.config.slow_seconds)
        body = None
        if method in ("POST", "PUT"):
            try:
                body = json.loads(await request.body() or b"{}")
            except ValueError:
                return error(400, "Invalid JSON body", "INPUT_001", headers)
        call = Call(state, account.user_id, dict(request.path_params), request.query_params,
                    body, sim.config.gt_inclusive)
        try:
            with state.lock:
                result = handler(call)
                content = orjson.dumps(result, default=list)
        except NotFoundError as exc:
            return _not_found(sim, exc.kind, headers)
        except (QueryError, MutationError) as exc:
            return error(exc.status, exc.err, exc.ecode, headers)
        if fault in ("drop", "truncate"):
            return CutResponse(content, 200, headers, drop=fault == "drop")
        return Response(content, 200, headers, media_type="application/json")

    return Route(API_PREFIX + template, endpoint, methods=[method], name=f"{method} {template}")


def _not_found(sim: Simulator, kind: str, headers: dict[str, str]) -> JSON:
    if kind == "space":  # recorded live: 404 PROJ_006
        return error(404, "Space not found", "PROJ_006", headers)
    if sim.config.unknown_id_status == 404:
        err, ecode = _NOT_FOUND_404.get(kind, ("Not found", "ITEM_013"))
        return error(404, err, ecode, headers)
    return error(401, "Team not authorized", "OAUTH_027", headers)


class RequestStats:
    """Requests served, per endpoint template and per token, read by benchmarks and tests."""

    def __init__(self) -> None:
        self.by_endpoint: Counter[str] = Counter()
        self.by_token: Counter[str] = Counter()
        self.rate_limited = 0

    def count(self, method: str, template: str, request: Request) -> None:
        self.by_endpoint[f"{method} {template}"] += 1
        self.by_token[_token_of(request) or "<none>"] += 1

    def reset(self) -> None:
        self.by_endpoint.clear()
        self.by_token.clear()
        self.rate_limited = 0

    def to_dict(self) -> dict[str, Any]:
        return {"total": sum(self.by_endpoint.values()), "rate_limited": self.rate_limited,
                "by_endpoint": dict(self.by_endpoint), "by_token": dict(self.by_token)}


def build_app(sim: Simulator) -> Starlette:
    """The simulator's ASGI app: ClickUp API v2 under /api/v2, admin under /_simulator."""
    routes = [_clickup_endpoint(sim, m, p, h) for m, p, h in ROUTES]
    routes += admin.routes(sim, JSON)

    async def unknown_route(request: Request, exc: Exception) -> Response:
        return error(404, "Route not found", "APP_001")

    return Starlette(routes=routes, exception_handlers={404: unknown_route,
                                                        405: unknown_route})
