"""A synced workspace, the served simulator (for writes), and a scripted model server.

The assistant's tests run the real chain: the loop asks a model server over HTTP (the
scripted one, `llm_server.ScriptedLLM`, or llama.cpp's for the end-to-end test), calls our
MCP server through the MCP protocol (in-process by default), and that server reads a fresh
PostgreSQL database filled by a real sync of the simulator.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from clickup_sync.assistant.toolbelt import ToolBelt
from clickup_sync.config import Settings
from clickup_sync.simulator import Simulator
from tests.assistant.llm_server import ScriptedLLM
from tests.syncing import settings_for, synced_workspace

CLICKUP_TOKEN = "pk_assistant"


@pytest.fixture(scope="session")
def synced() -> Iterator[tuple[Simulator, str]]:
    """(simulator, dsn): 300 tasks synced on two days, with a snapshot on each."""
    with synced_workspace(seed=31, tasks=300, token=CLICKUP_TOKEN) as workspace:
        yield workspace


@pytest.fixture(scope="session")
def sim_url(synced: tuple[Simulator, str]) -> Iterator[str]:
    with synced[0].serve() as url:
        yield url


@pytest.fixture(scope="session")
def settings(sim_url: str, synced: tuple[Simulator, str]) -> Settings:
    """Settings for the synced database and the served simulator, no model server."""
    return settings_for(sim_url, synced[1], CLICKUP_TOKEN)


@pytest.fixture(scope="session")
def dsn(synced: tuple[Simulator, str]) -> str:
    return synced[1]


@pytest.fixture()
async def belt(settings: Settings, dsn: str) -> AsyncIterator[ToolBelt]:
    """Our MCP server in-process, reached through the MCP client."""
    async with ToolBelt.in_process(settings, dsn) as belt:
        yield belt


@pytest.fixture(scope="session")
def llm_server() -> Iterator[ScriptedLLM]:
    with ScriptedLLM.serve() as server:
        yield server


@pytest.fixture()
def llm(llm_server: ScriptedLLM) -> ScriptedLLM:
    """The scripted model server, with an empty script and no requests recorded."""
    llm_server.reset()
    return llm_server
