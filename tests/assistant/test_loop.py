"""The question→answer loop against a scripted model server over HTTP and our MCP server.

Each test scripts the model's replies, lets `Assistant.ask` run the real chain (router,
model requests over a socket, MCP calls in-process, PostgreSQL), then checks what the model
server was sent (the tools offered, the schema, the tool results) and the answer.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from openai import AsyncOpenAI

from clickup_sync.assistant.llm import open_client
from clickup_sync.assistant.loop import MAX_PARALLEL, Answer, Assistant
from clickup_sync.assistant.names import load_entities
from clickup_sync.assistant.router import ToolRouter
from clickup_sync.assistant.toolbelt import ToolBelt
from clickup_sync.config import Settings
from clickup_sync.simulator import Simulator
from tests.assistant.llm_server import (
    Reply,
    ScriptedLLM,
    calls,
    failure,
    last_user_text,
    offered_tools,
    response_schema,
    structured,
    text,
)

Make = Callable[..., Assistant]
OVERDUE = "Which employee has the most overdue tasks and why?"


@pytest.fixture()
async def router(belt: ToolBelt) -> ToolRouter:
    return ToolRouter(await belt.list_tools(), await load_entities(belt.call))


@pytest.fixture()
async def make(belt: ToolBelt, llm: ScriptedLLM, settings: Settings,
               router: ToolRouter) -> AsyncIterator[Callable[..., Assistant]]:
    """Build assistants on the scripted server (``router=None`` offers the first 8 tools)."""
    clients: list[AsyncOpenAI] = []

    def build(*, mode: str = "tools", timeout: float = 20.0, base_url: str | None = None,
              routed: bool = True, **options: Any) -> Assistant:
        client = open_client(settings, timeout=timeout, base_url=base_url or llm.url)
        clients.append(client)
        return Assistant(belt, client, "scripted-model", router=router if routed else None,
                         mode=mode, **options)  # type: ignore[arg-type]

    yield build
    for client in clients:
        await client.close()


def echo_number(label: str) -> Any:
    """A model that answers with the number after ``label:`` in the tool result it got."""

    def reply(request: dict[str, Any]) -> Reply:
        found = re.search(rf"{label}: ([\d.]+)", last_user_text(request))
        return text(f"The result says {label} is {found.group(1)}." if found else "No idea.")

    return reply


async def test_a_tool_call_runs_and_the_answer_takes_its_numbers(
        make: Make, llm: ScriptedLLM) -> None:
    llm.script(calls(("get_overdue_tasks", {"limit": 5})), echo_number("overdue"))
    answer = await make().ask(OVERDUE)

    assert answer.error is None, answer.error
    first = llm.requests[0]
    assert len(first["tools"]) <= 8 and "get_overdue_tasks" in offered_tools(first)
    assert answer.offered == offered_tools(first)
    assert [(c.name, c.arguments) for c in answer.calls] == [("get_overdue_tasks", {"limit": 5})]
    total = answer.calls[0].output.data["summary"]["overdue"]  # type: ignore[index]
    assert "Result of get_overdue_tasks" in last_user_text(llm.requests[1])
    assert answer.text == f"The result says overdue is {total}."
    assert "tools" not in llm.requests[1] and "response_format" not in llm.requests[1]


async def test_parallel_calls_all_run_up_to_the_cap(
        make: Make, llm: ScriptedLLM) -> None:
    wanted = [("get_overdue_tasks", {"limit": 3}), ("get_workload", {"limit": 3}),
              ("get_status_summary", {}), ("get_workspaces", {})]
    llm.script(calls(*wanted), text("Both say a lot."))
    answer = await make().ask(OVERDUE)

    assert answer.error is None, answer.error
    assert [c.name for c in answer.calls] == [n for n, _ in wanted[:MAX_PARALLEL]]
    assert all(not c.output.is_error for c in answer.calls)
    sent = last_user_text(llm.requests[1])
    assert all(f"Result of {n}" in sent for n, _ in wanted[:MAX_PARALLEL])
    assert "get_workspaces" not in sent and any("ran the first 3" in n for n in answer.notes)


@pytest.mark.parametrize(("bad", "problem"), [
    ('{"limit": 5', "not valid JSON"),
    ({"limit": "five"}, "do not fit its schema: limit"),
    ({"list_id": "901"}, "do not fit its schema"),
])
async def test_malformed_arguments_get_one_repair(
        make: Make, llm: ScriptedLLM, bad: Any, problem: str) -> None:
    llm.script(calls(("get_overdue_tasks", bad)), calls(("get_overdue_tasks", {"limit": 2})),
               echo_number("overdue"))
    answer = await make().ask(OVERDUE)

    assert answer.error is None, answer.error
    assert problem in llm.requests[1]["messages"][-1]["content"]
    assert [c.arguments for c in answer.calls] == [{"limit": 2}]


async def test_malformed_twice_is_a_clear_error(
        make: Make, llm: ScriptedLLM) -> None:
    llm.script(calls(("get_overdue_tasks", "{oops")), calls(("get_overdue_tasks", "[1, 2]")))
    answer = await make().ask(OVERDUE)

    assert answer.calls == [] and len(llm.requests) == 2
    assert answer.error == ("the model's tool call was malformed twice: The arguments of "
                            "get_overdue_tasks must be a JSON object, not list.")


async def test_an_unknown_tool_is_named_and_asked_again(
        make: Make, llm: ScriptedLLM) -> None:
    llm.script(calls(("get_everything", {})), calls(("get_workload", {"limit": 3})),
               echo_number("overdue"))
    answer = await make().ask(OVERDUE)

    retry = llm.requests[1]["messages"][-1]["content"]
    assert "There is no tool named 'get_everything'" in retry
    assert "get_overdue_tasks" in retry  # the offered tools are listed again
    assert [c.name for c in answer.calls] == ["get_workload"] and answer.error is None


async def test_text_instead_of_a_call_is_asked_again_then_taken(
        make: Make, llm: ScriptedLLM) -> None:
    llm.script(text("Probably Sam."), calls(("get_overdue_tasks", {})), echo_number("overdue"))
    answer = await make().ask(OVERDUE)
    assert [c.name for c in answer.calls] == ["get_overdue_tasks"]
    assert llm.requests[1]["messages"][-2] == {"role": "assistant", "content": "Probably Sam."}

    llm.reset()
    llm.script(text("Hello!"), text("Hello! Ask me about your team."))
    answer = await make().ask("hi there")
    assert answer.calls == [] and answer.error is None
    assert answer.text == "Hello! Ask me about your team." and len(llm.requests) == 2


async def test_a_tool_error_gets_one_retry_with_the_message(
        make: Make, llm: ScriptedLLM) -> None:
    llm.script(calls(("get_person_summary", {"person": "Fatima"})),
               calls(("get_person_summary", {"person": "Fatima Garcia"})),
               echo_number("open tasks"))
    answer = await make().ask("How is Fatima doing?")

    assert [c.output.is_error for c in answer.calls] == [True, False]
    retry = llm.requests[1]["messages"][-1]["content"]
    assert retry.startswith('The call get_person_summary {"person": "Fatima"} failed: ')
    assert "did you mean" in retry and "Fatima Garcia" in retry
    assert answer.calls[-1].arguments == {"person": "Fatima Garcia"} and not answer.error
    open_tasks = answer.calls[-1].output.data["summary"]["open_tasks"]  # type: ignore[index]
    assert answer.text == f"The result says open tasks is {open_tasks}."

    llm.reset()
    llm.script(calls(("get_person_summary", {"person": "Zorro"})),
               calls(("get_person_summary", {"person": "Zorro"})))
    answer = await make().ask("How is Zorro doing?")
    assert answer.error is not None and answer.error.startswith("get_person_summary failed:")
    assert "Zorro" in answer.error and len(answer.calls) == 2


def test_the_scripted_server_records_and_refuses_when_empty(llm: ScriptedLLM) -> None:
    import httpx

    response = httpx.post(f"{llm.url}/chat/completions", json={"model": "m", "messages": []})
    assert response.status_code == 500 and "no reply left" in response.text
    assert llm.requests == [{"model": "m", "messages": []}]


async def test_json_mode_sends_one_schema_branch_per_offered_tool(
        make: Make, llm: ScriptedLLM, belt: ToolBelt) -> None:
    llm.script(structured({"tool": "get_overdue_tasks", "arguments": {"limit": 4}}),
               echo_number("overdue"))
    answer = await make(mode="json").ask(OVERDUE)

    first = llm.requests[0]
    schema = response_schema(first)
    assert "tools" not in first and schema is not None
    names = offered_tools(first)
    assert len(names) <= 8 and names == answer.offered and "get_overdue_tasks" in names
    branch = next(b for b in schema["anyOf"]
                  if b["properties"]["tool"]["const"] == "get_overdue_tasks")
    tools = {t.name: t for t in await belt.list_tools()}
    assert branch["properties"]["arguments"] == tools["get_overdue_tasks"].input_schema
    assert schema["anyOf"][-1]["properties"] == \
        {"tool": {"const": "none"}, "answer": {"type": "string", "maxLength": 2000}}
    assert "get_overdue_tasks:" in first["messages"][0]["content"]  # the catalogue inline
    assert [c.arguments for c in answer.calls] == [{"limit": 4}] and answer.mode == "json"


async def test_json_mode_none_branch_is_the_answer(
        make: Make, llm: ScriptedLLM) -> None:
    llm.script(structured({"tool": "none", "answer": "You are welcome."}))
    answer = await make(mode="json").ask("thanks!")
    assert answer == Answer("You are welcome.", [], answer.offered, None, "json",
                            ["answered without a tool"])


async def test_auto_falls_back_to_tools_when_structured_output_is_refused(
        make: Make, llm: ScriptedLLM) -> None:
    llm.script(failure(400, "response_format json_schema is not supported"),
               failure(422, "response_format: Input should be 'text' or 'json_object'"),
               calls(("get_overdue_tasks", {})), echo_number("overdue"),
               calls(("get_workload", {})), echo_number("overdue"))
    assistant = make(mode="auto")
    modes: list[str] = []
    answer = await assistant.ask(OVERDUE, on_event=lambda k, p: modes.append(p)
                                 if k == "mode" else None)
    assert [r.get("response_format", {}).get("type") for r in llm.requests[:3]] == [
        "json_schema", "json_object", None]
    assert "tools" in llm.requests[2] and answer.mode == "tools" and answer.error is None
    assert "json_schema refused" in modes[0] and "using native tool calls" in modes[1]
    await assistant.ask(OVERDUE)  # the session remembers: no second refusal
    assert "tools" in llm.requests[4] and "response_format" not in llm.requests[4]


async def test_json_mode_speaks_the_older_json_object_dialect_when_asked(
        make: Make, llm: ScriptedLLM) -> None:
    llm.script(failure(422, "response_format: Input should be 'text' or 'json_object'"),
               structured({"tool": "get_overdue_tasks", "arguments": {}}),
               echo_number("overdue"),
               failure(400, "grammar too large"))
    assistant = make(mode="json")
    answer = await assistant.ask(OVERDUE)
    second = llm.requests[1]["response_format"]
    assert second["type"] == "json_object" and offered_tools(llm.requests[1]) == answer.offered
    assert [c.name for c in answer.calls] == ["get_overdue_tasks"] and answer.error is None
    answer = await assistant.ask(OVERDUE)  # json mode does not fall back to tools
    assert answer.error == f"the model server at {llm.url} answered HTTP 400: grammar too large"
    assert len(llm.requests) == 4


async def test_a_slow_model_server_times_out_with_a_sentence(
        make: Make, llm: ScriptedLLM) -> None:
    llm.script(text("late", delay=3))
    answer = await make(routed=False, timeout=0.5).ask(OVERDUE)
    assert answer.error == (f"the model server at {llm.url} did not answer within 0.5 s; it "
                            "may still be loading the model (raise ASSISTANT_TIMEOUT)")


async def test_an_http_error_and_an_absent_server_are_sentences(
        make: Make, llm: ScriptedLLM) -> None:
    llm.script(failure(503, "Model is loading"))
    answer = await make(routed=False).ask(OVERDUE)
    assert answer.error == f"the model server at {llm.url} answered HTTP 503: Model is loading"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    answer = await make(routed=False, base_url=f"http://127.0.0.1:{port}/v1").ask(OVERDUE)
    assert answer.error is not None
    assert answer.error.startswith(f"cannot reach the model server at http://127.0.0.1:{port}")


async def test_a_write_is_refused_without_confirmation(
        make: Make, llm: ScriptedLLM, synced: tuple[Simulator, str]) -> None:
    sim = synced[0]
    names = [lst.name for lst in sim.workspace.lists.values()]
    list_name = next(lst.name for lst in sim.workspace.lists.values()
                     if not lst.archived and names.count(lst.name) == 1)
    create = ("create_task", {"list": list_name, "name": "Write the Q3 plan"})
    llm.script(calls(create))
    answer = await make().ask(
        f"Create a task 'Write the Q3 plan' in {list_name}")
    assert "create_task" in offered_tools(llm.requests[0])
    assert answer.calls == [] and len(llm.requests) == 1
    assert answer.text.startswith("I did not run create_task") and "not confirmed" in answer.text
    assert not _tasks_named(sim, "Write the Q3 plan")

    asked: list[tuple[str, dict[str, Any]]] = []
    llm.script(calls(create), lambda r: text(
        "Created." if "Write the Q3 plan" in last_user_text(r).split("}:\n")[-1] else "?"))
    answer = await make(
        confirm=lambda n, a: asked.append((n, a)) or True).ask(
        f"Create a task 'Write the Q3 plan' in {list_name}")
    assert asked == [create] and answer.error is None, answer.error
    assert [c.name for c in answer.calls] == ["create_task"] and not answer.calls[0].output.is_error
    assert len(_tasks_named(sim, "Write the Q3 plan")) == 1
    assert answer.text == "Created."


def _tasks_named(sim: Simulator, name: str) -> list[Any]:
    return [t for t in sim.workspace.tasks.values() if t.name == name]


async def test_streaming_emits_tokens_and_calls(
        make: Make, llm: ScriptedLLM) -> None:
    llm.script(calls(("get_overdue_tasks", {})), echo_number("overdue"))
    events: list[tuple[str, Any]] = []
    answer = await make().ask(
        OVERDUE, on_event=lambda kind, payload: events.append((kind, payload)))
    kinds = [k for k, _ in events]
    assert kinds[0] == "offered" and "call" in kinds and kinds.count("token") > 2
    assert llm.requests[1]["stream"] is True
    assert "".join(p for k, p in events if k == "token") == answer.text
    assert json.dumps(answer.calls[0].arguments) == "{}"
