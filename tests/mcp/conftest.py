"""A synced database, a simulator to write to, and the MCP server over real transports.

The server runs as it does in production: `build_server(...).http_app()` under uvicorn on
a free port (in a thread), reached by the SDK's own client over streamable HTTP.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from typing import Any

import httpx2
import pytest
import uvicorn
from mcp.client.client import Client
from mcp.client.streamable_http import streamable_http_client
from pydantic import SecretStr

from clickup_sync.config import Settings
from clickup_sync.mcp import build_server
from clickup_sync.simulator import Simulator
from clickup_sync.store import connect, upgrade
from clickup_sync.store.snapshots import take_snapshot
from tests.pg import fresh_database
from tests.syncing import sync_exactly

CLICKUP_TOKEN = "pk_mcp"
MCP_TOKEN = "mcp-secret"


async def _sync(sim: Simulator, dsn: str) -> None:
    await sync_exactly(sim, dsn, CLICKUP_TOKEN)


@pytest.fixture(scope="session")
def synced() -> Iterator[tuple[Simulator, str]]:
    """(simulator, dsn): 300 tasks synced twice, a snapshot yesterday and today."""
    sim = Simulator.generate(seed=23, tasks=300, plan="enterprise", token=CLICKUP_TOKEN,
                             rate_window=1.0)
    with fresh_database() as dsn:
        with connect(dsn) as conn:
            upgrade(conn)
        today = date.today()
        for day in (today - timedelta(days=1), today):
            asyncio.run(_sync(sim, dsn))
            with connect(dsn, autocommit=True) as conn, conn.transaction():
                take_snapshot(conn, day)
            if day != today:
                sim.advance(240)
        yield sim, dsn
    sim.close()


@pytest.fixture(scope="session")
def sim_url(synced: tuple[Simulator, str]) -> Iterator[str]:
    with synced[0].serve() as url:
        yield url


@pytest.fixture(scope="session")
def settings(sim_url: str, synced: tuple[Simulator, str]) -> Settings:
    """Settings pointing at the served simulator and the synced database, nothing else."""
    return Settings(_env_file=None, clickup_api_token=SecretStr(CLICKUP_TOKEN),  # type: ignore[call-arg]
                    clickup_api_url=sim_url, clickup_team_id=None,
                    database_url=SecretStr(synced[1]), data_dir=None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def mcp_url(settings: Settings, synced: tuple[Simulator, str]) -> Iterator[str]:
    """The server over streamable HTTP at ``/mcp``, guarded by `MCP_TOKEN`."""
    app = build_server(settings, synced[1], token=MCP_TOKEN).http_app()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "MCP server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}/mcp"
    server.should_exit = True
    thread.join(timeout=10)


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
