"""The original tool's four example questions, carried through the loop.

The model is scripted to pick what a good model picks (its choice is measured elsewhere, by
the evaluation); these tests hold the rest of the chain to account: the router offers that
tool, the call runs on the synced workspace, the result reaches the model, and the numbers
in the answer are the result's own, checked against the structured data the tool returned.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from clickup_sync.assistant.llm import open_client
from clickup_sync.assistant.loop import Assistant
from clickup_sync.assistant.names import load_entities
from clickup_sync.assistant.router import ToolRouter
from clickup_sync.assistant.toolbelt import ToolBelt
from clickup_sync.config import Settings
from clickup_sync.simulator import Simulator
from tests.assistant.llm_server import (
    Reply,
    ScriptedLLM,
    last_user_text,
    offered_tools,
    structured,
    text,
)


def reads(*labels: str) -> Callable[[dict[str, Any]], Reply]:
    """A model that quotes the numbers after ``label:`` in the result it was given."""

    def reply(request: dict[str, Any]) -> Reply:
        result = last_user_text(request).split("}:\n", 1)[1]
        found = {label: re.search(rf"\b{label}: ([\d.]+)", result) for label in labels}
        return text("; ".join(f"{label} {m.group(1) if m else '?'}"
                              for label, m in found.items()))

    return reply


def most_overdue(request: dict[str, Any]) -> Reply:
    result = last_user_text(request).split("}:\n", 1)[1]
    person, count = re.search(r"most overdue people: \{'([^']+)': (\d+)", result).groups()  # type: ignore[union-attr]
    return text(f"{person} has the most overdue tasks ({count}).")


@pytest.fixture()
async def assistant(belt: ToolBelt, llm: ScriptedLLM,
                    settings: Settings) -> AsyncIterator[Assistant]:
    router = ToolRouter(await belt.list_tools(), await load_entities(belt.call))
    client = open_client(settings, timeout=30, base_url=llm.url)
    yield Assistant(belt, client, "scripted-model", router=router, mode="auto")
    await client.close()


def a_space(sim: Simulator) -> str:
    """The Space with the most time entries on its tasks, by the simulator's own records."""
    spaces = {s.id: s.name for s in sim.workspace.spaces.values() if not s.archived}
    lists = {lst.id: lst.space_id for lst in sim.workspace.lists.values()}
    hours: dict[str, float] = {}
    for entry in sim.workspace.time_entries.values():
        task = sim.workspace.tasks.get(entry.task_id or "")
        space = lists.get(task.list_id) if task else None
        if space in spaces:
            hours[space] = hours.get(space, 0) + 1
    return spaces[max(hours, key=hours.__getitem__)]


@pytest.mark.parametrize(("question", "call", "model"), [
    ("Show me all tasks in progress across all spaces",
     ("get_tasks", {"status_type": "active", "limit": 500}), reads("tasks", "overdue")),
    ("Generate a weekly report for the CTO showing task distribution, time spent, "
     "bottlenecks, and team performance",
     ("get_weekly_report", {}), reads("completed", "hours tracked", "open tasks")),
    ("Which employee has the most overdue tasks and why?",
     ("get_overdue_tasks", {}), most_overdue),
])
async def test_an_example_question_is_answered_from_its_tool(
        assistant: Assistant, llm: ScriptedLLM, question: str,
        call: tuple[str, dict[str, Any]], model: Any) -> None:
    name, arguments = call
    llm.script(structured({"tool": name, "arguments": arguments}), model)
    answer = await assistant.ask(question)

    assert answer.error is None, answer.error
    assert name in offered_tools(llm.requests[0]) and len(answer.offered) <= 8
    (ran,) = answer.calls
    assert (ran.name, ran.arguments, ran.output.is_error) == (name, arguments, False)
    summary = ran.output.data["summary"]  # type: ignore[index]
    if name == "get_overdue_tasks":
        person, count = next(iter(summary["most_overdue_people"].items()))
        assert count == max(summary["most_overdue_people"].values())
        assert answer.text == f"{person} has the most overdue tasks ({count})."
    else:
        for part in answer.text.split("; "):
            label, value = part.rsplit(" ", 1)
            assert float(value) == summary[label.replace(" ", "_")], part


async def test_time_tracking_for_a_project_grouped_by_assignee(
        assistant: Assistant, llm: ScriptedLLM, synced: tuple[Simulator, str]) -> None:
    space = a_space(synced[0])
    question = f"Get time tracking report for {space} grouped by assignee"
    arguments = {"project": space, "group_by": "person"}
    llm.script(structured({"tool": "get_time_tracking_report", "arguments": arguments}),
               reads("total hours", "people"))
    answer = await assistant.ask(question)

    assert answer.error is None, answer.error
    offered = offered_tools(llm.requests[0])
    assert "get_time_tracking_report" in offered
    assert f'Names in the question: space "{space}"' in llm.requests[0]["messages"][0]["content"]
    (ran,) = answer.calls
    data = ran.output.data
    assert not ran.output.is_error and data is not None and space in data["title"]
    assert data["columns"][0] == "person" and data["summary"]["total_hours"] > 0
    assert answer.text == (f"total hours {data['summary']['total_hours']}; "
                           f"people {data['summary']['people']}")
