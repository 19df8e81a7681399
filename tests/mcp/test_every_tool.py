"""Every tool answers a plausible call, and hostile arguments give tool errors, not crashes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from clickup_sync.simulator import Simulator
from tests.mcp.conftest import call, fail, http_client
from tests.mcp.test_catalog import ALL


def names(sim: Simulator) -> dict[str, str]:
    """A Space, one of its Folders, that Folder's fullest List, a task in it, a person."""
    ws = sim.workspace
    space = next(s for s in ws.spaces.values() if not s.archived)
    folder = next(f for f in ws.folders.values() if f.space_id == space.id and not f.archived)
    lists = [x for x in ws.lists.values() if x.folder_id == folder.id and not x.archived]
    lst = max(lists, key=lambda x: sum(t.list_id == x.id for t in ws.tasks.values()))
    task = next(t for t in ws.tasks.values() if t.list_id == lst.id and not t.archived)
    person = next(m for m in ws.members.values()
                  if any(m.id in t.assignees for t in ws.tasks.values()))
    return {"S": space.name, "F": folder.name, "L": lst.name, "T": task.id,
            "P": person.username or person.email}


WEEK_AGO = (date.today() - timedelta(days=7)).isoformat()
ARGS: dict[str, dict[str, Any]] = {
    "get_space": {"space": "S"}, "get_folders": {"space": "S"}, "get_folder": {"folder": "F"},
    "get_lists": {"folder": "F"}, "get_folderless_lists": {"space": "S"},
    "get_list": {"list": "L"}, "get_list_defined_statuses": {"list": "L"},
    "get_tasks": {"list": "L", "assignee": "P"}, "get_task": {"task_id": "T"},
    "create_task": {"list": "L", "name": "Plausible call from the MCP test"},
    "update_task": {"task_id": "T", "priority": "high"},
    "search_tasks": {"query": "api", "space": "S"}, "get_project_tasks": {"project": "F"},
    "get_list_progress": {"list": "L"}, "get_workload": {"space": "S"},
    "get_overdue_tasks": {"person": "P"}, "get_progress_since": {"since": WEEK_AGO},
    "get_time_tracking_report": {"group_by": "task", "folder": "F"},
    "get_task_time_breakdown": {"task_id": "T"}, "get_at_risk_tasks": {"days": 7},
    "get_stale_tasks": {"days": 3}, "get_untracked_tasks": {"status": "any"},
    "get_inactive_assignees": {"days": 2}, "get_status_summary": {"project": "F"},
    "add_project": {"name": "Plausible project", "folder": "F"},
    "remove_project": {"name": "Plausible project"},
    "map_project": {"list": "L", "name": "Plausible mapping"},
    "unmap_project": {"name": "Plausible mapping"},
    "get_project_status": {"project": "F"}, "get_mapped_project": {"project": "S"},
    "get_project_statuses": {"project": "L"}, "get_project_health_score": {"project": "F"},
    "get_project_daily_standup": {"project": "S"}, "get_project_time_tracking":
        {"project": "S", "group_by": "week"}, "get_project_blockers": {"project": "S"},
    "get_project_at_risk": {"project": "F"}, "get_project_weekly_digest": {"project": "S"},
    "get_project_team_workload": {"project": "F"}, "refresh_project": {"project": "F"},
    "get_burndown": {"list": "L"}, "get_assigned_comments": {"person": "P"},
    "run_sql": {"query": "SELECT status, count(*) FROM tasks GROUP BY 1"},
    "get_person_summary": {"person": "P"}, "get_project_summary": {"project": "F"},
    "get_weekly_report": {"space": "S"},
}
SETUP = {"remove_project": ("add_project", {"name": "Plausible project", "folder": "F"}),
         "unmap_project": ("map_project", {"name": "Plausible mapping", "list": "L"})}


def _fill(args: dict[str, Any], known: dict[str, str]) -> dict[str, Any]:
    return {k: known.get(v, v) if isinstance(v, str) else v for k, v in args.items()}


@pytest.mark.parametrize("tool", ALL)
async def test_tool_answers_a_plausible_call(tool: str, synced, mcp_url) -> None:
    known = names(synced[0])
    async with http_client(mcp_url) as mcp:
        if tool in SETUP:
            before, args = SETUP[tool]
            await mcp.call_tool(before, _fill(args, known))  # may exist already: fine
        answer = await call(mcp, tool, _fill(ARGS.get(tool, {}), known))
        if tool in ("add_project", "map_project"):  # leave the registry as it was
            await call(mcp, "remove_project", {"name": ARGS[tool]["name"]})
    assert answer["title"]


HOSTILE: list[tuple[str, dict[str, Any], str]] = [
    ("get_status_summary", {"list": "Sprint 41"}, "did you mean"),  # two Lists have it
    ("get_status_summary", {"space": "Engineerign Teams Platform Zq"}, "no space named"),
    ("get_status_summary", {"space": "'; DROP TABLE clickup_tasks; --"}, "no space named"),
    ("get_overdue_tasks", {"person": "' OR 1=1 --"}, "no person named"),
    ("get_project_health_score", {"project": "x') UNION SELECT 1 --"}, "no project"),
    ("get_task", {"task_id": "1 OR 1=1"}, "task"),
    ("get_task_time_breakdown", {"task_id": "'; DELETE FROM time_entries; --"}, "task"),
    ("get_status_summary", {"space": "x" * 10_000}, "at most 200 characters"),
    ("search_tasks", {"query": "y" * 100_000}, "at most 200 characters"),
    ("run_sql", {"query": "z" * 1_000_000}, "at most 10000 characters"),
    ("run_sql", {"query": "SELECT pg_sleep(0.1); DROP TABLE projects"}, ""),
    ("get_stale_tasks", {"days": -5}, "greater than or equal to 1"),
    ("get_status_summary", {"limit": 10**12}, "less than or equal to 500"),
    ("get_progress_since", {"since": "yesterday"}, "valid date"),
    ("get_progress_since", {"since": "2999-01-01"}, "future"),
    ("get_time_tracking_report", {"group_by": "salary"}, "person"),
    ("get_status_summary", {"list_id": "901700000001"}, "unknown argument list_id"),
    ("get_space", {}, "space"),
    ("remove_project", {"name": "No Such Project"}, "no project named"),
    ("add_project", {"name": "Whole workspace"}, "Space, Folder or List"),
]


@pytest.mark.parametrize(("tool", "args", "says"), HOSTILE)
async def test_hostile_arguments_give_tool_errors(tool: str, args: dict[str, Any], says: str,
                                                  synced, mcp_url) -> None:
    async with http_client(mcp_url) as mcp:
        message = await fail(mcp, tool, args)
        assert says.lower() in message.lower()
        assert len(message) < 2_000 and "Traceback" not in message
        assert (await call(mcp, "get_status_summary"))["summary"]["total_tasks"] > 0
