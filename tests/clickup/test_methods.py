"""Every client method against the simulator: the call succeeds and its answer parses."""

from __future__ import annotations

import pytest

from clickup_sync.clickup import ClickUpClient, models
from clickup_sync.clickup.client import endpoint_of
from clickup_sync.simulator import Simulator

from .conftest import MakeClient

DAY_MS = 24 * 3600 * 1000


async def test_user_and_teams(client: ClickUpClient, read_sim: Simulator) -> None:
    user = models.User.model_validate(await client.get_user())
    assert user.id == read_sim.workspace.owner_id
    teams = [models.Team.model_validate(t) for t in await client.get_teams()]
    assert [t.id for t in teams] == [read_sim.workspace.id]
    members = {m.id: m for m in teams[0].members}
    assert set(members) == set(read_sim.workspace.members)
    for m in read_sim.workspace.members.values():
        assert members[m.id].role == m.role
        assert members[m.id].date_invited == m.date_invited


async def test_hierarchy_methods_parse_and_match(client: ClickUpClient,
                                                 read_sim: Simulator) -> None:
    ws = read_sim.workspace
    spaces = []
    for archived in (False, True):
        spaces += [models.Space.model_validate(s)
                   for s in await client.get_spaces(ws.id, archived=archived)]
    assert {s.id for s in spaces} == set(ws.spaces)
    folders: list[models.Folder] = []
    lists: list[models.TaskList] = []
    for space in spaces:
        assert models.Space.model_validate(await client.get_space(space.id)) == space
        assert all(t["name"] for t in await client.get_space_tags(space.id))
        for archived in (False, True):
            folders += [models.Folder.model_validate(f)
                        for f in await client.get_folders(space.id, archived=archived)]
            lists += [models.TaskList.model_validate(lst) for lst in
                      await client.get_folderless_lists(space.id, archived=archived)]
    assert {f.id for f in folders} == set(ws.folders)
    for folder in folders:
        assert models.Folder.model_validate(await client.get_folder(folder.id)).id == folder.id
        for archived in (False, True):
            lists += [models.TaskList.model_validate(lst) for lst in
                      await client.get_folder_lists(folder.id, archived=archived)]
    assert {lst.id for lst in lists} == set(ws.lists)
    for lst in lists:
        assert lst.space_id == ws.lists[lst.id].space_id
        assert lst.folder_hidden == (ws.lists[lst.id].folder_id is None)
    one = models.TaskList.model_validate(await client.get_list(lists[0].id))
    assert one.statuses and one.statuses[0].type == "open"
    fields = [models.CustomFieldDef.model_validate(f)
              for f in await client.get_list_fields(lists[0].id)]
    assert fields and all(f.type for f in fields)
    members = [models.User.model_validate(m) for m in await client.get_list_members(lists[0].id)]
    assert {m.id for m in members} <= set(ws.members)


async def test_task_with_subtasks(client: ClickUpClient, read_sim: Simulator) -> None:
    parent_id = next(t.parent for t in read_sim.workspace.tasks.values() if t.parent)
    assert parent_id is not None
    task = models.Task.model_validate(await client.get_task(parent_id, include_subtasks=True))
    truth = read_sim.workspace.tasks[parent_id]
    assert (task.id, task.name, task.list_id, task.priority) == (
        truth.id, truth.name, truth.list_id, truth.priority)
    assert task.date_updated == truth.date_updated
    assert task.subtasks and all(s.parent == parent_id for s in task.subtasks)


async def test_comments_replies_and_time(client: ClickUpClient, read_sim: Simulator) -> None:
    ws = read_sim.workspace
    with_replies = next(c for c in ws.comments.values() if c.parent_id)
    replies = [models.Comment.model_validate(r)
               for r in await client.get_replies(with_replies.parent_id or "")]
    assert with_replies.id in {r.id for r in replies}
    parent = next(c for c in ws.comments.values() if c.id == with_replies.parent_id)
    assert parent.task_id or parent.list_id

    owner = ws.owner_id
    starts = [te.start for te in ws.time_entries.values()]
    entries = [models.TimeEntry.model_validate(te) for te in await client.get_time_entries(
        ws.id, min(starts), max(starts), sorted(ws.members))]
    assert {e.id for e in entries} == set(ws.time_entries)
    with_task = next(e for e in entries if e.task_location is not None)
    assert with_task.task_location and with_task.task_location.list_name
    running = [e for e in entries if e.running]
    assert all(e.end is None for e in running)
    timer = await client.get_running_timer(ws.id, owner)
    if timer is not None:
        assert models.TimeEntry.model_validate(timer).running
    timed = next(te.task_id for te in ws.time_entries.values() if te.task_id and te.end)
    legacy = await client.get_task_time(timed or "")
    assert legacy and legacy[0]["intervals"]


async def test_writes(write_sim: Simulator, make_client: MakeClient) -> None:
    client = make_client(write_sim)
    ws = write_sim.workspace
    list_id = next(lst.id for lst in ws.lists.values() if not lst.archived)
    created = models.Task.model_validate(
        await client.create_task(list_id, {"name": "Write the client", "priority": 2,
                                           "time_estimate": 3_600_000}))
    assert created.list_id == list_id and created.priority == 2
    assert ws.tasks[created.id].time_estimate == 3_600_000
    updated = models.Task.model_validate(
        await client.update_task(created.id, {"name": "Client written", "priority": None}))
    assert updated.name == "Client written" and updated.priority is None

    hook = models.Webhook.model_validate(await client.create_webhook(
        ws.id, "http://127.0.0.1:9/hook", ["taskCreated"], list_id=list_id))
    assert hook.secret and hook.list_id == list_id and hook.team_id == ws.id
    listed = [models.Webhook.model_validate(w) for w in await client.list_webhooks(ws.id)]
    assert [w.id for w in listed] == [hook.id]
    changed = models.Webhook.model_validate(
        await client.update_webhook(hook.id, {"events": ["*"], "status": "active"}))
    assert changed.events == ["*"] and changed.health and changed.health.status == "active"
    await client.delete_webhook(hook.id)
    assert await client.list_webhooks(ws.id) == []
    assert client.calls_by_endpoint["POST /list/{list_id}/task"] == 1
    assert client.calls == sum(client.calls_by_endpoint.values()) == 7


@pytest.mark.parametrize(("path", "expected"), [
    ("/team/9/task", "GET /team/{team_id}/task"),
    ("/task/86abc/comment", "GET /task/{task_id}/comment"),
    ("/team/9/time_entries/current", "GET /team/{team_id}/time_entries/current"),
    ("/list/1/task/x?page=2", "GET /list/{list_id}/task/{task_id}"),
    ("/user", "GET /user"),
])
def test_endpoint_names(path: str, expected: str) -> None:
    assert endpoint_of("GET", path) == expected
