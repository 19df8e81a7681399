"""The transports a client can use: stdio (the CLI as a subprocess), streamable HTTP and
SSE, with the bearer token enforced on the HTTP ones."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from mcp.client.client import Client
from mcp.client.sse import sse_client
from mcp.client.stdio import StdioServerParameters

from tests.mcp.conftest import MCP_TOKEN, call, http_client
from tests.mcp.test_catalog import ALL
from tests.syncing import free_port


def _command() -> list[str]:
    exe = shutil.which("clickup-sync")
    return [exe] if exe else [sys.executable, "-m", "clickup_sync.cli"]


def _live(sim) -> int:
    return sum(not t.archived for t in sim.workspace.tasks.values())


async def test_stdio_subprocess_lists_and_answers(synced, tmp_path: Path) -> None:
    sim, dsn = synced
    command, *args = _command()
    params = StdioServerParameters(command=command, args=[*args, "mcp", "--transport", "stdio"],
                                   env={"DATABASE_URL": dsn, "CLICKUP_API_TOKEN": ""},
                                   cwd=tmp_path)  # no .env from the checkout
    async with Client(params) as mcp:
        assert sorted(t.name for t in (await mcp.list_tools()).tools) == sorted(ALL)
        answer = await call(mcp, "get_status_summary")
    assert answer["summary"]["total_tasks"] == _live(sim)


def test_http_refuses_requests_without_the_token(mcp_url: str) -> None:
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    headers = {"Accept": "application/json, text/event-stream"}
    for auth in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": MCP_TOKEN}):
        response = httpx.post(mcp_url, json=body, headers={**headers, **auth})
        assert response.status_code == 401, auth
        assert response.headers["www-authenticate"].startswith("Bearer")


async def test_http_client_with_a_wrong_token_cannot_connect(mcp_url: str) -> None:
    with pytest.raises(Exception):  # noqa: B017  (the SDK surfaces the 401 its own way)
        async with http_client(mcp_url, token="wrong") as mcp:
            await mcp.list_tools()


@pytest.fixture(scope="module")
def cli_sse(synced, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``clickup-sync mcp --transport sse`` as a subprocess, token from MCP_TOKEN."""
    port = free_port()
    env = {"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
           "DATABASE_URL": synced[1], "MCP_TOKEN": MCP_TOKEN}
    folder = tmp_path_factory.mktemp("sse")
    log = folder / "stderr.txt"
    with log.open("wb") as err:
        proc = subprocess.Popen([*_command(), "mcp", "--transport", "sse", "--port", str(port)],
                                env=env, cwd=folder, stdout=subprocess.DEVNULL, stderr=err)
    url = f"http://127.0.0.1:{port}/sse"
    deadline = time.monotonic() + 30
    while True:
        assert proc.poll() is None, log.read_text()
        try:
            if httpx.get(url, timeout=1).status_code == 401:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "the SSE server did not start"
        time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


async def test_sse_for_older_clients(synced, cli_sse: str) -> None:
    transport = sse_client(cli_sse, headers={"Authorization": f"Bearer {MCP_TOKEN}"})
    async with Client(transport, mode="legacy") as mcp:
        assert len((await mcp.list_tools()).tools) == len(ALL)
        answer = await call(mcp, "get_status_summary")
    assert answer["summary"]["total_tasks"] == _live(synced[0])
    assert httpx.get(cli_sse, timeout=5).status_code == 401
