"""Admin routes under ``/_simulator``: ground truth, change, counters, faults, tokens.

These are the simulator's own controls, used by tests, benchmarks and the demo. ClickUp has no
such prefix, so they never shadow a real endpoint.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .faults import FaultConfig

if TYPE_CHECKING:
    from .service import Simulator

PREFIX = "/_simulator"


async def _json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    body = json.loads(raw)
    if not isinstance(body, dict):
        raise ValueError("body must be a JSON object")
    return body


def routes(sim: Simulator, json_response: type[Response]) -> list[Route]:
    def bad(message: str) -> Response:
        return json_response({"error": message}, status_code=400)

    async def state(request: Request) -> Response:
        with sim.state.lock:  # orjson serializes the dataclasses directly, fast at 100k tasks
            return json_response(sim.workspace)

    async def advance(request: Request) -> Response:
        try:
            minutes = float((await _json_body(request)).get("minutes", 30))
        except (ValueError, TypeError) as exc:
            return bad(f"minutes must be a number: {exc}")
        if not 0 < minutes <= 7 * 24 * 60:
            return bad("minutes must be between 0 and 10080")
        return json_response(sim.advance(minutes))

    async def stats(request: Request) -> Response:
        return json_response(sim.stats.to_dict())

    async def reset_stats(request: Request) -> Response:
        sim.stats.reset()
        return json_response(sim.stats.to_dict())

    async def faults(request: Request) -> Response:
        if request.method == "PUT":
            try:
                sim.faults.configure(FaultConfig(**await _json_body(request)))
            except (ValueError, TypeError) as exc:
                return bad(str(exc))
        return json_response({"config": sim.faults.config.to_dict(),
                              "injected": sim.faults.injected})

    async def tokens(request: Request) -> Response:
        try:
            body = await _json_body(request)
            sim.add_token(str(body["token"]), int(body.get("user_id", sim.workspace.owner_id)),
                          str(body.get("plan", sim.config.plan)))
        except (KeyError, ValueError, TypeError) as exc:
            return bad(f"need token, optional user_id and plan: {exc}")
        return json_response({"ok": True})

    return [
        Route(PREFIX + "/state", state, methods=["GET"]),
        Route(PREFIX + "/advance", advance, methods=["POST"]),
        Route(PREFIX + "/stats", stats, methods=["GET"]),
        Route(PREFIX + "/stats/reset", reset_stats, methods=["POST"]),
        Route(PREFIX + "/faults", faults, methods=["GET", "PUT"]),
        Route(PREFIX + "/tokens", tokens, methods=["POST"]),
    ]
