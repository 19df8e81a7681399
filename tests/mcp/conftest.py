"""A synced database, a simulator to write to, and the MCP server over real transports.

The server runs as it does in production: `build_server(...).http_app()` under uvicorn on
a free port (in a thread), reached by the SDK's own client over streamable HTTP.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx2
import pytest
from mcp.client.client import Client
from mcp.client.streamable_http import streamable_http_client

from clickup_sync.config import Settings
from clickup_sync.mcp import build_server
from clickup_sync.simulator import Simulator
from tests.syncing import serving, settings_for, synced_workspace

CLICKUP_TOKEN = "pk_mcp"
MCP_TOKEN = "mcp-secret"


@pytest.fixture(scope="session")
def synced() -> Iterator[tuple[Simulator, str]]:
    """(simulator, dsn): 300 tasks synced twice, a snapshot yesterday and today."""
    with synced_workspace(seed=23, tasks=300, token=CLICKUP_TOKEN) as workspace:
        yield workspace


@pytest.fixture(scope="session")
def sim_url(synced: tuple[Simulator, str]) -> Iterator[str]:
    with synced[0].serve() as url:
        yield url


@pytest.fixture(scope="session")
def settings(sim_url: str, synced: tuple[Simulator, str]) -> Settings:
    """Settings pointing at the served simulator and the synced database, nothing else."""
    return settings_for(sim_url, synced[1], CLICKUP_TOKEN)


@pytest.fixture(scope="session")
def mcp_url(settings: Settings, synced: tuple[Simulator, str]) -> Iterator[str]:
    """The server over streamable HTTP at ``/mcp``, guarded by `MCP_TOKEN`."""
    app = build_server(settings, synced[1], token=MCP_TOKEN).http_app()
    with serving(app) as url:
        yield f"{url}/mcp"


@asynccontextmanager
async def http_client(url: str, token: str | None = MCP_TOKEN) -> AsyncIterator[Client]:
    """The SDK's client over streamable HTTP, sending the bearer token."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with (httpx2.AsyncClient(headers=headers, timeout=60) as http,
                Client(streamable_http_client(url, http_client=http)) as client):
        yield client


async def call(client: Client, tool: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
    """Call ``tool``, insist it succeeded, and return its structured content."""
    result = await client.call_tool(tool, args or {})
    text = result.content[0].text if result.content else ""  # type: ignore[union-attr]
    assert not result.is_error, f"{tool}{args or ''} failed: {text}"
    assert result.structured_content is not None and text.startswith("## ")
    return result.structured_content


async def fail(client: Client, tool: str, args: dict[str, Any] | None = None) -> str:
    """Call ``tool``, insist it failed as a tool error (not a crash), and return the message."""
    result = await client.call_tool(tool, args or {})
    text = result.content[0].text if result.content else ""  # type: ignore[union-attr]
    assert result.is_error, f"{tool}{args or ''} should have failed, answered: {text[:300]}"
    assert "internal error" not in text, f"{tool}{args or ''} crashed"
    return text


def table(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of a structured result as dicts keyed by column."""
    return [dict(zip(answer["columns"], row, strict=True)) for row in answer["rows"]]
