"""The router on the real catalogue (tools/list of our MCP server) and on names read through
the ``list_names`` tool from a synced workspace."""

from __future__ import annotations

import psycopg
import pytest

from clickup_sync.assistant.catalog import Entity, ToolInfo
from clickup_sync.assistant.names import NAMES_TOOL, NameIndex, load_entities
from clickup_sync.assistant.router import HIDDEN, ToolRouter
from clickup_sync.assistant.toolbelt import ToolBelt
from clickup_sync.store import connect

ORIGINAL_EXAMPLES = [
    ("Show me all tasks in progress across all spaces", {"get_tasks"}),
    ("Generate a weekly report for the CTO showing task distribution, time spent, "
     "bottlenecks, and team performance", {"get_weekly_report"}),
    ("Which employee has the most overdue tasks and why?", {"get_overdue_tasks"}),
    ("Get time tracking report for {folder} project grouped by assignee",
     {"get_project_time_tracking", "get_time_tracking_report"}),
]
READ_QUESTIONS = [q for q, _ in ORIGINAL_EXAMPLES] + [
    "Who is the busiest person?", "What is late?", "When did the last sync run?",
    "Which projects are registered?", "How many hours were logged last week?",
    "What changed since Monday?", "Which tasks were created yesterday?"]


@pytest.fixture()
async def catalogue(belt: ToolBelt) -> tuple[list[ToolInfo], list[Entity]]:
    return await belt.list_tools(), await load_entities(belt.call)


def _one(dsn: str, query: str) -> str:
    with connect(dsn, autocommit=True) as conn:
        row = conn.execute(query).fetchone()
    assert row is not None, query
    return str(row[0])


def _folder(dsn: str) -> str:
    return _one(dsn, "SELECT name FROM folders WHERE NOT is_deleted AND NOT archived "
                     "GROUP BY name HAVING count(*) = 1 ORDER BY name LIMIT 1")


async def test_names_come_through_mcp_and_match_the_database(catalogue, dsn: str) -> None:
    _, entities = catalogue
    with psycopg.connect(dsn) as conn:
        people = {r[0] for r in conn.execute(
            "SELECT name FROM employees WHERE is_active AND name <> ''")}
        spaces = {r[0] for r in conn.execute(
            "SELECT name FROM spaces WHERE NOT is_deleted AND NOT archived")}
        statuses = {r[0] for r in conn.execute(
            "SELECT DISTINCT ls.status FROM list_statuses ls JOIN lists l ON l.id = ls.list_id "
            "WHERE NOT l.is_deleted AND NOT l.archived")}
    assert {e.name for e in entities if e.kind == "person"} == people
    assert {e.name for e in entities if e.kind == "space"} == spaces
    assert {e.name for e in entities if e.kind == "status"} == statuses
    assert all(e.id for e in entities if e.kind != "status")


@pytest.mark.parametrize(("question", "expected"), ORIGINAL_EXAMPLES)
async def test_the_original_examples_route_to_their_tool(catalogue, dsn, question,
                                                         expected) -> None:
    router = ToolRouter(*catalogue)
    offered = router.route(question.format(folder=_folder(dsn))).tools
    assert expected & set(offered[:3]), offered


async def test_every_read_tool_is_found_by_its_own_question(catalogue) -> None:
    """A tool's description's first line (the question it answers) routes to it (or to
    the tool it is an alias of) within three."""
    tools, entities = catalogue
    router = ToolRouter(tools, entities)
    misses = []
    for tool in tools:
        if not tool.read_only or tool.name in HIDDEN:
            continue
        offered = router.route(tool.description.splitlines()[0], k=3).tools
        alias = tool.description.split("(same as ", 1)[-1].split(")")[0]
        if tool.name not in offered and alias not in offered:
            misses.append((tool.name, offered))
    assert not misses


async def test_names_in_questions_are_recognised_forgivingly(catalogue, dsn) -> None:
    tools, entities = catalogue
    router = ToolRouter(tools, entities)
    person = _one(dsn, "SELECT name FROM employees WHERE is_active AND name LIKE '% %' "
                       "ORDER BY name LIMIT 1")
    space = _one(dsn, "SELECT name FROM spaces WHERE NOT is_deleted AND NOT archived "
                      "ORDER BY length(name) DESC LIMIT 1")
    folder = _folder(dsn)
    typo = person[:-2] + person[-1] + person[-2]  # two letters swapped at the end
    route = router.route(f"what is {typo.lower()}'s load in {space.upper()}, in {folder}?")
    found = {(e.kind, e.name) for e in route.entities}
    assert {("person", person), ("space", space), ("folder", folder)} <= found, found
    assert route.tools[0] in ("get_person_summary", "get_workload",
                              "get_project_team_workload"), route.tools
    first = person.split()[0]
    if sum(e.name.split()[0] == first for e in entities if e.kind == "person") == 1:
        assert ("person", person) in {(e.kind, e.name)
                                      for e in router.route(f"Is {first} overloaded?").entities}
    assert router.route("How did the team do this week?").entities == []


async def test_person_names_pull_in_the_person_summary(catalogue, dsn) -> None:
    router = ToolRouter(*catalogue)
    person = _one(dsn, "SELECT name FROM employees WHERE is_active ORDER BY name LIMIT 1")
    assert "get_person_summary" in router.route(f"Tell me about {person}", k=3).tools
    assert "get_person_summary" not in router.route("Tell me about the week", k=3).tools


async def test_write_tools_only_when_a_change_is_asked(catalogue, dsn) -> None:
    tools, entities = catalogue
    router = ToolRouter(tools, entities)
    writes = {t.name for t in tools if not t.read_only}
    assert {"create_task", "update_task"} <= writes
    folder = _folder(dsn)
    for question in READ_QUESTIONS:
        offered = router.route(question.format(folder=folder), k=12).tools
        assert not writes & set(offered), (question, offered)
    task = _one(dsn, "SELECT id FROM clickup_tasks WHERE NOT is_deleted ORDER BY id LIMIT 1")
    assert "create_task" in router.route("Create a task 'Ship it' in the Backlog").tools[:3]
    assert "update_task" in router.route(f"Change the due date of {task} to Friday").tools[:3]


@pytest.mark.parametrize("k", [1, 3, 8, 20])
async def test_at_most_k_tools_never_the_names_tool_nor_an_alias_twice(catalogue, k) -> None:
    router = ToolRouter(*catalogue)
    for question in [*READ_QUESTIONS, "Which Spaces are there?", "list every name you know"]:
        offered = router.route(question, k=k).tools
        assert len(offered) == min(k, len(offered)) and 1 <= len(offered) <= k
        assert len(set(offered)) == len(offered)
        assert NAMES_TOOL not in offered
        assert not {"get_spaces", "list_spaces"} <= set(offered), offered


def test_names_are_unique_per_kind_and_ambiguous_ones_lose_their_id() -> None:
    index = NameIndex([Entity("list", "Backlog", "1"), Entity("list", "backlog", "2"),
                       Entity("list", "Sprint 41", "3"), Entity("status", "open")])
    found = index.find("what is in sprint 41 and the backlog list, which are open?")
    assert found == [Entity("list", "Sprint 41", "3"), Entity("list", "Backlog", "")]
