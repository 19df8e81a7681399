"""The MCP server: the one module that imports the MCP SDK (``mcp>=2.3,<3``, `MCPServer`).

It turns the framework-free tool declarations (`tools`) into MCP tools: the arguments'
schema comes from each function's annotations (compacted: no titles, no ``null`` branches),
the description from its docstring, the hints from its declaration. A tool's `Result` goes
back twice, as structured content (the model's fields) and as text (`Result.as_text`). Expected
failures (bad arguments, unknown names, refused writes) become tool errors carrying their
message; anything else is logged with its traceback and reaches the client only as
"internal error; see server log".
"""

from __future__ import annotations

import inspect
import logging
import typing
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal

import anyio
import uvicorn
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.tools import Tool
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.types import ASGIApp

from clickup_sync import __version__
from clickup_sync.analytics import AnalyticsError
from clickup_sync.clickup import ClickUpError
from clickup_sync.config import Settings
from clickup_sync.store import StoreError
from clickup_sync.sync.runner import NotConfigured
from clickup_sync.sync.writeback import WriteError

from .auth import BearerTokenGate
from .registry import ToolSpec
from .runtime import Runtime, ToolFailure
from .tools import TOOLBOXES

Transport = Literal["stdio", "http", "sse"]
log = logging.getLogger("clickup_sync.mcp")

EXPECTED = (AnalyticsError, WriteError, ClickUpError, NotConfigured, StoreError, ToolFailure)
"""Failures whose message is safe and useful to show the model."""
MASKED = "internal error; see server log"
INSTRUCTIONS = (
    "Answers questions about one ClickUp Workspace from its PostgreSQL mirror, kept current "
    "by clickup-sync. Refer to Spaces, Folders, Lists, projects and people by name or id; "
    "an unknown name fails with the closest candidates. Results: totals first, then a table.")


class ToolServer:
    """The clickup-sync MCP server: the SDK server (``sdk``) and its HTTP/SSE apps."""

    def __init__(self, settings: Settings, dsn: str, *, token: str | None = None) -> None:
        self.runtime = Runtime(settings, dsn)
        self.token = token or None
        runtime = self.runtime

        @asynccontextmanager
        async def lifespan(_: MCPServer[Any]) -> AsyncIterator[Runtime]:
            async with runtime.opened():
                yield runtime

        self.sdk: MCPServer[Any] = MCPServer(
            "clickup-sync", instructions=INSTRUCTIONS, version=__version__, lifespan=lifespan,
            tools=[_tool(spec, runtime) for box in TOOLBOXES for spec in box.specs])

    def http_app(self, host: str = "127.0.0.1") -> ASGIApp:
        """Streamable HTTP at ``/mcp`` (stateless: a restart loses nothing)."""
        return self._gated(self.sdk.streamable_http_app(host=host, stateless_http=True))

    def sse_app(self, host: str = "127.0.0.1") -> ASGIApp:
        """SSE for older clients: ``GET /sse`` and ``POST /messages/``."""
        app = self.sdk.sse_app(host=host)
        runtime = self.runtime

        @asynccontextmanager
        async def lifespan(_: Starlette) -> AsyncIterator[None]:
            async with runtime.opened():  # open the pool at start-up, not at first client
                yield

        app.router.lifespan_context = lifespan
        return self._gated(app)

    async def run_stdio(self) -> None:
        await self.sdk.run_stdio_async()

    def _gated(self, app: ASGIApp) -> ASGIApp:
        return BearerTokenGate(app, self.token) if self.token else app


def build_server(settings: Settings, dsn: str, *, token: str | None = None) -> ToolServer:
    """Build the MCP server over database ``dsn``; ``token`` guards HTTP and SSE when set."""
    return ToolServer(settings, dsn, token=token)


def run_server(settings: Settings, dsn: str, *, transport: Transport = "stdio",
               host: str = "127.0.0.1", port: int = 8001, token: str | None = None) -> None:
    """Serve until interrupted: stdio, streamable HTTP (``/mcp``) or SSE (``/sse``)."""
    server = build_server(settings, dsn, token=token)
    if transport == "stdio":
        anyio.run(server.run_stdio)
        return
    app = server.http_app(host) if transport == "http" else server.sse_app(host)
    uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning")).run()


class _StrictTool(Tool):
    """A tool that refuses unknown arguments and explains invalid ones in a line each.

    The SDK ignores arguments a tool does not take, so a model passing the original
    tool's ``list_id`` would silently get a Workspace-wide answer; here it is told.
    """

    async def run(self, arguments: dict[str, Any], context: Any,
                  convert_result: bool = False) -> Any:
        known = self.parameters.get("properties", {})
        unknown = sorted(set(arguments) - set(known))
        if unknown:
            takes = ", ".join(known) or "no arguments"
            raise ToolError(f"Error executing tool {self.name}: unknown argument "
                            f"{', '.join(unknown)}; it takes: {takes}")
        try:
            return await super().run(arguments, context, convert_result)
        except ToolError as exc:
            cause = exc.__cause__
            if not isinstance(cause, ValidationError):
                raise
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: {e['msg']}"
                for e in cause.errors(include_url=False, include_input=False))
            raise ToolError(f"Error executing tool {self.name}: invalid arguments: "
                            f"{problems}") from cause


def _tool(spec: ToolSpec, runtime: Runtime) -> Tool:
    """An SDK `Tool` calling ``spec.fn(runtime, **arguments)``."""
    fn = inspect.unwrap(spec.fn)
    hints = typing.get_type_hints(fn, include_extras=True)
    params = [p.replace(annotation=hints[p.name])
              for p in list(inspect.signature(fn).parameters.values())[1:]]

    async def call(**arguments: Any) -> CallToolResult:
        try:
            result = await spec.fn(runtime, **arguments)
        except EXPECTED as exc:
            raise ToolError(str(exc)) from exc
        except Exception as exc:
            log.exception("tool %s failed", spec.name)
            raise ToolError(MASKED) from exc
        return CallToolResult(content=[TextContent(type="text", text=result.as_text())],
                              structured_content=result.model_dump(mode="json"))

    # No output schema: every tool returns the same `Result` shape (docs/mcp.md), and
    # repeating its schema on 66 tools would double the size of tools/list.
    call.__signature__ = inspect.Signature(params, return_annotation=CallToolResult)  # type: ignore[attr-defined]
    tool = _StrictTool.from_function(
        call, name=spec.name, description=spec.description,
        annotations=ToolAnnotations(read_only_hint=spec.read_only,
                                    destructive_hint=spec.destructive,
                                    idempotent_hint=spec.idempotent,
                                    open_world_hint=spec.open_world))
    tool.parameters = {**compact_schema(tool.parameters), "additionalProperties": False}
    return tool


def compact_schema(schema: Any, *, names: bool = False) -> Any:
    """Drop what a model does not need: titles, and ``anyOf [X, null]`` with a null default.

    ``names``: ``schema`` maps property names to schemas (keys are kept as they are).
    """
    if isinstance(schema, list):
        return [compact_schema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    if names:
        return {k: compact_schema(v) for k, v in schema.items()}
    out = {k: compact_schema(v, names=k in ("properties", "$defs"))
           for k, v in schema.items() if k != "title"}
    branches = out.get("anyOf")
    if (isinstance(branches, list) and len(branches) == 2 and {"type": "null"} in branches
            and "default" in out and out["default"] is None):
        (kept,) = [b for b in branches if b != {"type": "null"}]
        del out["anyOf"], out["default"]
        out = {**kept, **out}
    return out
