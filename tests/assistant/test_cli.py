"""`clickup-sync ask` and `chat` as users run them: processes, configured from the
environment, talking to the scripted model server over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from clickup_sync.config import Settings
from clickup_sync.mcp import build_server
from tests.assistant.llm_server import ScriptedLLM, calls, failure, last_user_text, text
from tests.syncing import serving

OVERDUE = "Which employee has the most overdue tasks and why?"
MCP_TOKEN = "loop-secret"


def run(args: list[str], llm_url: str, dsn: str, stdin: str = "",
        **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "DATABASE_URL": dsn, "LM_STUDIO_BASE_URL": llm_url,
               "LM_STUDIO_MODEL": "scripted-model", "ASSISTANT_TOOL_MODE": "tools",
               "CLICKUP_API_TOKEN": "", "COLUMNS": "200", **env}
    done = subprocess.run([sys.executable, "-m", "clickup_sync.cli", *args], input=stdin,
                          env=environ, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def most_overdue(request: dict[str, Any]) -> Any:
    """A model that names the first person of the overdue result's summary."""
    sent = last_user_text(request)
    person = sent.split("most overdue people: {'", 1)[1].split("'", 1)[0]
    count = sent.split(f"'{person}': ", 1)[1].split(",", 1)[0]
    return text(f"{person} has the most overdue tasks: {count}.")


def test_ask_prints_the_answer_and_the_call(llm: ScriptedLLM, dsn: str) -> None:
    llm.script(calls(("get_overdue_tasks", {"limit": 5})), most_overdue)
    done = run(["ask", OVERDUE], llm.url, dsn)
    assert done.returncode == 0, done.stderr
    assert '→ get_overdue_tasks {"limit": 5}' in done.stderr
    assert " has the most overdue tasks: " in done.stdout
    assert len(llm.requests) == 2 and len(llm.requests[0]["tools"]) <= 8

    llm.script(calls(("get_overdue_tasks", {"limit": 5})), most_overdue)
    done = run(["ask", OVERDUE, "--json"], llm.url, dsn)
    body = json.loads(done.stdout)
    assert done.returncode == 0 and body["error"] is None and body["mode"] == "tools"
    (call,) = body["calls"]
    assert call["tool"] == "get_overdue_tasks" and call["arguments"] == {"limit": 5}
    top, count = next(iter(call["result"]["summary"]["most_overdue_people"].items()))
    assert body["answer"] == f"{top} has the most overdue tasks: {count}."


def test_ask_without_a_model_server_says_so(llm: ScriptedLLM, dsn: str) -> None:
    done = run(["ask", OVERDUE], "http://127.0.0.1:9/v1", dsn)
    assert done.returncode == 1
    assert "error: cannot reach the model server at http://127.0.0.1:9/v1" in done.stderr


@pytest.fixture(scope="module")
def mcp_url(settings: Settings, dsn: str) -> Iterator[str]:
    """Our MCP server over streamable HTTP, guarded by a token, in a thread."""
    with serving(build_server(settings, dsn, token=MCP_TOKEN).http_app()) as url:
        yield f"{url}/mcp"


def test_ask_over_a_remote_mcp_server(llm: ScriptedLLM, mcp_url: str) -> None:
    llm.script(calls(("get_overdue_tasks", {"limit": 5})), most_overdue)
    done = run(["ask", OVERDUE, "--mcp-url", mcp_url, "--mcp-token", MCP_TOKEN], llm.url,
               "postgresql://nobody@127.0.0.1:1/none")  # the database is the server's
    assert done.returncode == 0, done.stderr
    assert "has the most overdue tasks" in done.stdout

    done = run(["ask", OVERDUE, "--mcp-url", mcp_url, "--mcp-token", "wrong"], llm.url, "")
    assert done.returncode == 1
    assert f"error: cannot reach the MCP server at {mcp_url}: HTTP 401" in done.stderr


def test_chat_keeps_history_and_survives_a_failing_model_server(
        llm: ScriptedLLM, dsn: str) -> None:
    llm.script(calls(("get_overdue_tasks", {"limit": 5})), most_overdue,  # question 1
               failure(503, "Model is loading"),                            # question 2
               text("late", delay=5),                                       # question 3
               calls(("get_person_summary", {"person": "Sam Bauer"})),      # question 4
               text("Sam has plenty open."))
    questions = [OVERDUE, "And who is second?", "Still there?", "What is Sam Bauer doing?"]
    done = run(["chat"], llm.url, dsn, stdin="\n".join([*questions, "exit"]) + "\n",
               ASSISTANT_TIMEOUT="1")
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("error:") == 2
    assert f"the model server at {llm.url} answered HTTP 503: Model is loading" in done.stderr
    assert f"the model server at {llm.url} did not answer within 1 s" in done.stderr
    assert '→ get_overdue_tasks {"limit": 5}' in done.stderr
    assert '→ get_person_summary {"person": "Sam Bauer"}' in done.stderr
    assert "has the most overdue tasks" in done.stdout and "Sam has plenty open." in done.stdout
    last = llm.requests[-1]
    assert last["stream"] is True  # the answer streamed
    history = [m["content"] for m in last["messages"][:-1]]  # instructions open the first
    assert history[0].endswith(f"\n\n{OVERDUE}") and "has the most overdue tasks" in history[1]
    assert len(history) == 2  # failed questions leave no trace in the history


def test_chat_asks_before_a_change_and_respects_no(llm: ScriptedLLM, dsn: str,
                                                   synced: tuple[Any, str]) -> None:
    sim = synced[0]
    names = [lst.name for lst in sim.workspace.lists.values()]
    target = next(lst.name for lst in sim.workspace.lists.values()
                  if not lst.archived and names.count(lst.name) == 1)
    create = ("create_task", {"list": target, "name": "Plan the offsite"})
    llm.script(calls(create))
    done = run(["chat"], llm.url, dsn, stdin=f"Create a task Plan the offsite in {target}\nn\n")
    assert done.returncode == 0, done.stderr
    assert f"Run create_task {json.dumps(create[1])}? [y/N]" in done.stdout
    assert "I did not run create_task" in done.stdout and len(llm.requests) == 1
    assert not [t for t in sim.workspace.tasks.values() if t.name == "Plan the offsite"]
