"""Writes through MCP reach ClickUp (the simulator) and the next read already sees them;
the project registry round-trips; without a ClickUp token a write says what is missing."""

from __future__ import annotations

from datetime import date, timedelta

from mcp.client.client import Client
from pydantic import SecretStr

from clickup_sync.config import Settings
from clickup_sync.mcp import build_server
from tests.mcp.conftest import call, fail, http_client, table


def _target(sim):
    ws = sim.workspace
    lst = next(x for x in ws.lists.values()
               if not x.archived and sum(x.name == y.name for y in ws.lists.values()) == 1)
    a, b = list(ws.members.values())[:2]
    return lst, a, b


async def test_create_then_update_a_task_is_seen_at_once(synced, mcp_url) -> None:
    sim, _ = synced
    lst, alice, bob = _target(sim)
    due = date.today() + timedelta(days=10)
    async with http_client(mcp_url) as mcp:
        created = await call(mcp, "create_task", {
            "list": lst.name.upper(), "name": "Write the MCP guide", "priority": "high",
            "due_date": due.isoformat(), "assignees": [alice.email],
            "time_estimate_minutes": 90, "description": "Tools, transports, errors."})
        task_id = created["summary"]["task_id"]
        assert "created task" in created["notes"][0]
        task = sim.workspace.tasks[task_id]  # ClickUp (the simulator) has it
        assert (task.name, task.list_id, task.assignees, task.priority, task.time_estimate) == (
            "Write the MCP guide", lst.id, [alice.id], 2, 90 * 60_000)
        seen = (await call(mcp, "get_task", {"task_id": task_id}))["summary"]
        assert (seen["name"], seen["list_id"], seen["assignees"], seen["priority"]) == (
            "Write the MCP guide", lst.id, [alice.username], "high")

        done = next(s.status for s in sim.state.list_statuses(lst) if s.type == "done")
        await call(mcp, "update_task", {"task_id": task_id, "name": "Write the MCP docs",
                                        "status": done, "assignees": [str(bob.id)]})
        task = sim.workspace.tasks[task_id]
        assert (task.name, task.status, task.assignees) == ("Write the MCP docs", done, [bob.id])
        seen = (await call(mcp, "get_task", {"task_id": task_id}))["summary"]
        assert (seen["name"], seen["status"], seen["assignees"]) == (
            "Write the MCP docs", done, [bob.username])
        found = await call(mcp, "search_tasks", {"query": "MCP docs", "include_closed": True})
        assert task_id in {r["task_id"] for r in table(found)}


async def test_writes_that_cannot_be_sent_say_why(synced, mcp_url) -> None:
    sim, _ = synced
    lst, _, _ = _target(sim)
    async with http_client(mcp_url) as mcp:
        assert "no list named" in await fail(mcp, "create_task", {"list": "Nowhere Qz",
                                                                  "name": "x"})
        assert "name" in await fail(mcp, "create_task", {"list": lst.id, "name": " "})
        assert "no person named" in await fail(mcp, "create_task", {
            "list": lst.id, "name": "x", "assignees": ["Nobody Atall"]})
        assert "nothing to change" in await fail(mcp, "update_task", {"task_id": "861000001"})
        await fail(mcp, "update_task", {"task_id": "does-not-exist", "name": "y"})


async def test_without_a_clickup_token_writes_are_refused(synced) -> None:
    settings = Settings(_env_file=None, clickup_api_token=None,  # type: ignore[call-arg]
                        database_url=SecretStr(synced[1]))
    server = build_server(settings, synced[1])
    async with Client(server.sdk) as mcp:  # in process: the same tools, no socket
        message = await fail(mcp, "create_task", {"list": _target(synced[0])[0].id,
                                                  "name": "x"})
        assert "CLICKUP_API_TOKEN is not set" in message
        status = await call(mcp, "invalidate_cache")
        assert any("not configured" in n for n in status["notes"])


async def test_project_registry_round_trip(synced, mcp_url) -> None:
    sim, _ = synced
    ws = sim.workspace
    folder = next(f for f in ws.folders.values() if not f.archived)
    tasks = [t for t in ws.tasks.values()
             if ws.lists[t.list_id].folder_id == folder.id and not t.archived]
    async with http_client(mcp_url) as mcp:
        added = await call(mcp, "add_project", {"name": "Growth", "folder": folder.name})
        assert "Growth" in {r[0] for r in added["rows"]}
        assert "already" in await fail(mcp, "map_project", {"name": "growth", "list": "Ideas"})
        listed = await call(mcp, "list_mapped_projects")
        assert "Growth" in {r[0] for r in listed["rows"]}
        status = await call(mcp, "get_project_status", {"project": "growth"})
        assert status["summary"]["project"] == "Growth"
        assert status["summary"]["tasks"] == len(tasks)
        statuses = await call(mcp, "get_project_statuses", {"project": "Growth"})
        assert statuses["summary"]["total_tasks"] == len(tasks)
        every = await call(mcp, "get_all_projects_status")
        assert "Growth" in str(every["rows"])
        await call(mcp, "unmap_project", {"name": "Growth"})
        listed = await call(mcp, "list_projects")
        assert "Growth" not in {r[0] for r in listed["rows"]}
        assert "no project named" in await fail(mcp, "remove_project", {"name": "Growth"})
