"""The assistant's hands: our MCP server's tools, reached through the MCP protocol.

In-process by default (the SDK connects a client to a server object directly, no socket),
or over streamable HTTP to a running ``clickup-sync mcp --transport http`` (``--mcp-url``),
so the assistant sees exactly what any MCP client sees. Transport failures become
`ToolBeltError` with one sentence; a tool's own failure is a `ToolOutput` with ``is_error``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager, suppress
from typing import Any, Self

import httpx2
from mcp.client.client import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from clickup_sync.config import Settings

from .catalog import ToolInfo, ToolOutput

CALL_TIMEOUT = 60.0
"""Seconds a tool call may take (the server stops any query at 30 s)."""


class ToolBeltError(Exception):
    """The MCP server could not be reached or answered outside the protocol."""


class ToolBelt:
    """An open MCP client session: list the tools, call one."""

    def __init__(self, connect: Any, where: str) -> None:
        self._connect = connect
        self.where = where
        self._stack: AsyncExitStack | None = None
        self._client: Client | None = None
        self._tools: list[ToolInfo] | None = None
        self._refused: list[int] = []

    @classmethod
    def in_process(cls, settings: Settings, dsn: str) -> ToolBelt:
        """Our server built here, over database ``dsn``, connected without a socket."""
        from clickup_sync.mcp.server import ToolServer

        @asynccontextmanager
        async def connect() -> AsyncIterator[Client]:
            async with Client(ToolServer(settings, dsn).sdk) as client:
                yield client

        return cls(connect, "the in-process MCP server")

    @classmethod
    def remote(cls, url: str, token: str | None = None) -> ToolBelt:
        """A running server at ``url`` (``…/mcp``), sending ``token`` as a bearer token."""

        refused: list[int] = []  # HTTP statuses >= 400 seen, which the SDK reports vaguely

        async def note(response: httpx2.Response) -> None:
            if response.status_code >= 400:
                refused.append(response.status_code)

        @asynccontextmanager
        async def connect() -> AsyncIterator[Client]:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            async with (httpx2.AsyncClient(headers=headers, timeout=CALL_TIMEOUT,
                                           event_hooks={"response": [note]}) as http,
                        Client(streamable_http_client(url, http_client=http)) as client):
                yield client

        belt = cls(connect, f"the MCP server at {url}")
        belt._refused = refused
        return belt

    async def __aenter__(self) -> Self:
        stack = AsyncExitStack()
        try:
            self._client = await stack.enter_async_context(self._connect())
        except BaseException as exc:
            await stack.aclose()
            if isinstance(exc, Exception | BaseExceptionGroup) and not isinstance(
                    exc, KeyboardInterrupt | SystemExit):
                raise ToolBeltError(f"cannot reach {self.where}: {self._why(exc)}") from exc
            raise
        self._stack = stack
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        stack, self._stack, self._client = self._stack, None, None
        if stack is not None:
            with suppress(Exception):  # closing a broken connection must not hide the cause
                await stack.aclose()

    async def list_tools(self) -> list[ToolInfo]:
        """Every tool the server offers (fetched once a session)."""
        if self._tools is None:
            client = self._open()
            try:
                listed, cursor = [], None
                while True:
                    page = await client.list_tools(cursor=cursor)
                    listed += page.tools
                    cursor = page.next_cursor
                    if cursor is None:
                        break
            except (MCPError, httpx2.HTTPError, OSError) as exc:
                raise ToolBeltError(f"{self.where} failed to list its tools: "
                                    f"{self._why(exc)}") from exc
            self._tools = [
                ToolInfo(t.name, t.description or "", dict(t.input_schema or {}),
                         read_only=bool(t.annotations and t.annotations.read_only_hint))
                for t in listed]
        return self._tools

    async def call(self, name: str, arguments: dict[str, Any]) -> ToolOutput:
        """Run one tool; its failure (bad arguments, unknown name…) is an error output."""
        client = self._open()
        try:
            result = await client.call_tool(name, arguments, read_timeout_seconds=CALL_TIMEOUT)
        except MCPError as exc:  # a protocol-level refusal, e.g. an unknown tool
            return ToolOutput(text=str(exc), is_error=True)
        except (httpx2.HTTPError, OSError, TimeoutError) as exc:
            raise ToolBeltError(f"{self.where} failed during {name}: {self._why(exc)}") from exc
        text = "\n".join(getattr(c, "text", "") for c in result.content).strip()
        return ToolOutput(text=text, data=result.structured_content,
                          is_error=bool(result.is_error))

    def _why(self, exc: BaseException) -> str:
        if self._refused:
            status = self._refused[-1]
            return f"HTTP {status}{'; check the token' if status in (401, 403) else ''}"
        return _reason(exc)

    def _open(self) -> Client:
        if self._client is None:
            raise ToolBeltError("the MCP connection is not open (use `async with`)")
        return self._client


def _reason(exc: BaseException) -> str:
    """The innermost useful message of ``exc`` (task groups wrap the real one)."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    if isinstance(exc, httpx2.ConnectError):
        return "connection refused (is `clickup-sync mcp --transport http` running?)"
    if isinstance(exc, httpx2.TimeoutException):
        return "timed out"
    return str(exc) or type(exc).__name__
