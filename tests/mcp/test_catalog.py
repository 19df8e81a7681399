"""What tools/list shows: all 54 original names plus the new ones, each with a one-line
question, described and bounded arguments, and read-only/destructive hints."""

from __future__ import annotations

import json
from pathlib import Path

from tests.mcp.conftest import http_client

ROOT = Path(__file__).resolve().parents[2]

ORIGINAL = {
    "workspace_structure": ["get_workspaces", "get_spaces", "get_space", "get_folders",
                            "get_folder", "get_lists", "get_folderless_lists", "get_list",
                            "invalidate_cache"],
    "task_management": ["get_tasks", "get_task", "create_task", "update_task", "search_tasks",
                        "get_project_tasks", "get_list_progress", "get_workload",
                        "get_overdue_tasks"],
    "pm_analytics": ["get_progress_since", "get_time_tracking_report",
                     "get_task_time_breakdown", "get_estimation_accuracy", "get_at_risk_tasks",
                     "get_stale_tasks", "get_untracked_tasks", "get_inactive_assignees",
                     "get_status_summary"],
    "project_configuration": ["discover_projects", "add_project", "list_projects",
                              "remove_project", "refresh_projects", "get_project_status",
                              "get_all_projects_status"],
    "project_intelligence": ["get_workspace_folderless_lists", "get_list_defined_statuses",
                             "get_project_statuses", "get_project_health_score",
                             "get_project_daily_standup", "get_project_time_tracking",
                             "get_project_blockers", "get_project_at_risk",
                             "get_project_weekly_digest", "get_project_team_workload"],
    "sync_mapping": ["discover_hierarchy", "map_project", "list_mapped_projects",
                     "get_mapped_project", "refresh_project", "unmap_project",
                     "get_sync_status", "list_spaces", "clear_sync", "prune_cache"],
}
NEW = ["get_lead_cycle_time", "get_time_in_status", "get_cumulative_flow", "get_burndown",
       "get_throughput", "get_aging", "get_bottlenecks", "get_assigned_comments", "run_sql",
       "get_weekly_report", "get_person_summary", "get_project_summary", "list_names"]
ALL = [n for names in ORIGINAL.values() for n in names] + NEW
WRITES_CLICKUP = {"create_task", "update_task"}
CHANGES_REGISTRY = {"add_project", "map_project", "remove_project", "unmap_project"}
SYNCS = {"invalidate_cache", "refresh_project", "clear_sync"}


async def _tools(url: str) -> list[dict]:
    async with http_client(url) as mcp:
        listed = await mcp.list_tools()
    return [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in listed.tools]


async def test_every_original_and_new_tool_is_listed(mcp_url) -> None:
    assert len(ALL) == 54 + 13 == len(set(ALL))
    names = [t["name"] for t in await _tools(mcp_url)]
    assert sorted(names) == sorted(ALL)


async def test_descriptions_arguments_and_hints(mcp_url) -> None:
    for tool in await _tools(mcp_url):
        name, first = tool["name"], tool["description"].splitlines()[0]
        assert 15 < len(first) <= 100, f"{name}: first line should name the question"
        schema = tool["inputSchema"]
        assert schema.get("additionalProperties") is False, name
        for arg, spec in schema.get("properties", {}).items():
            assert spec.get("description"), f"{name}.{arg} has no description"
            assert "title" not in spec and "anyOf" not in spec, f"{name}.{arg} not compact"
            if spec.get("type") == "string" and "enum" not in spec and "format" not in spec:
                assert spec.get("maxLength"), f"{name}.{arg} is an unbounded string"
        hints = tool["annotations"]
        read_only = name not in WRITES_CLICKUP | CHANGES_REGISTRY | SYNCS
        assert hints["readOnlyHint"] is read_only, name
        destructive = name in WRITES_CLICKUP | {"remove_project", "unmap_project"}
        assert hints["destructiveHint"] is destructive, name
        assert hints["openWorldHint"] is (name in WRITES_CLICKUP | SYNCS), name


async def test_every_tool_is_documented(mcp_url) -> None:
    docs = (ROOT / "docs" / "mcp.md").read_text()
    for tool in await _tools(mcp_url):
        assert f"`{tool['name']}`" in docs, f"{tool['name']} is missing from docs/mcp.md"


async def test_tools_list_size(mcp_url) -> None:
    """Measure what a client loads (printed with -s): about 4 characters a token."""
    tools = await _tools(mcp_url)
    size = len(json.dumps({"tools": tools}, separators=(",", ":")))
    print(f"\ntools/list: {len(tools)} tools, {size:,} characters, ~{size // 4:,} tokens "
          f"(~{size // 4 // len(tools)} a tool)")
    assert size // 4 < 12_000, "tools/list grew past 12k tokens; shorten descriptions"
