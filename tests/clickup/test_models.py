"""Models accept every form live ClickUp and its spec send (REFERENCE.md §1.2, §9): the spec's
own examples, and the variants each lenient field exists for."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from clickup_sync.clickup import models

EXAMPLES = Path(__file__).parent.parent / "data" / "clickup" / "examples"


def _example(name: str) -> Any:
    text = (EXAMPLES / name).read_text()
    # A typo in ClickUp's own GetSpaces example: a member id of "12312312," (with a comma).
    return json.loads(text.replace('"12312312,"', "12312312"))


@pytest.mark.parametrize(("name", "key", "model"), [
    ("GET_GetAuthorizedUser.200.json", "user", models.User),
    ("GET_GetAuthorizedTeams.200.json", "teams", models.Team),
    ("GET_GetSpaces.200.json", "spaces", models.Space),
    ("GET_GetSpace.200.json", None, models.Space),
    ("GET_GetFolders.200.json", "folders", models.Folder),
    ("GET_GetFolder.200.json", None, models.Folder),
    ("GET_GetFolderlessLists.200.assembled.json", "lists", models.TaskList),
    ("GET_GetList.200.json", None, models.TaskList),
    ("GET_GetAccessibleCustomFields.200.assembled.json", "fields", models.CustomFieldDef),
    ("GET_GetListMembers.200.json", "members", models.User),
    ("GET_GetSpaceTags.200.json", "tags", models.Tag),
    ("GET_GetTask.200.json", None, models.Task),
    ("GET_GetTasks.200.json", "tasks", models.Task),
    ("GET_GetFilteredTeamTasks.200.json", "tasks", models.Task),
    ("POST_CreateTask.200.json", None, models.Task),
    ("PUT_UpdateTask.200.json", None, models.Task),
    ("GET_GetTaskComments.200.json", "comments", models.Comment),
    ("GET_GetListComments.200.json", "comments", models.Comment),
    ("GET_Gettimeentrieswithinadaterange.200.json", "data", models.TimeEntry),
    ("GET_GetWebhooks.200.json", "webhooks", models.Webhook),
    ("POST_CreateWebhook.200.json", "webhook", models.Webhook),
])
def test_spec_examples_parse(name: str, key: str | None, model: type[BaseModel]) -> None:
    raw = _example(name)
    items = raw if key is None else raw[key]
    for item in items if isinstance(items, list) else [items]:
        model.model_validate(item)


def test_the_spec_task_example_in_detail() -> None:
    task = models.Task.model_validate(_example("GET_GetTask.200.json"))
    assert task.id == "9hx" and isinstance(task.date_created, int)
    assert task.priority in (1, 2, 3, 4) and task.status.status
    assert task.list_id and task.space_id and task.folder_id
    assert all(isinstance(u.id, int) for u in task.assignees + task.watchers)
    # The filtered-team example sends priority as a bare integer and a fractional estimate.
    team = models.Task.model_validate(_example("GET_GetFilteredTeamTasks.200.json")["tasks"][0])
    assert team.priority == 1 and isinstance(team.time_estimate, int)


def _task(**fields: Any) -> models.Task:
    return models.Task.model_validate({"id": "abc", "name": "t", "status": {"status": "open"},
                                       **fields})


@pytest.mark.parametrize(("raw", "expected"), [
    ("1567780450202", 1567780450202), (1567780450202, 1567780450202), (None, None), ("", None),
])
def test_timestamps_as_str_int_or_null(raw: Any, expected: int | None) -> None:
    assert _task(date_created=raw, due_date=raw).due_date == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ({"id": "2", "priority": "high", "color": "#f8ae00", "orderindex": "2"}, 2),
    ({"priority": "low", "color": "#d8d8d8"}, 4), (3, 3), ("1", 1), ("urgent", 1), (None, None),
])
def test_priority_forms(raw: Any, expected: int | None) -> None:
    assert _task(priority=raw).priority == expected


def test_numbers_durations_and_ids_in_either_form() -> None:
    task = _task(time_estimate="3600000", time_spent=1800000, points="2.5",
                 orderindex="1.00000000000000000000000000000000", archived=None,
                 team_id=9006, list={"id": 901, "name": "L"}, parent=None)
    assert (task.time_estimate, task.time_spent, task.points) == (3_600_000, 1_800_000, 2.5)
    assert task.orderindex == 1 and task.archived is False
    assert (task.team_id, task.list_id, task.parent) == ("9006", "901", None)
    assert _task(time_estimate=None, points=3).points == 3
    nulls = _task(assignees=None, tags=None, custom_fields=None)
    assert nulls.assignees == nulls.tags == nulls.custom_fields == []


def test_task_parts() -> None:
    task = _task(
        custom_fields=[{"id": "f1", "name": "Est", "type": "number", "value": "8"},
                       {"id": "f2", "name": "Note", "type": "text"}],
        checklists=[{"id": "c", "name": "Do", "items": [
            {"id": "i", "name": "x", "assignee": "81000004", "resolved": True,
             "children": [{"id": "j", "name": "y", "assignee": {"id": 5}}]}]}],
        dependencies=[{"task_id": "abc", "depends_on": "def", "type": 1, "userid": "81"}],
        linked_tasks=[{"task_id": "abc", "link_id": "ghi", "date_created": "1"}],
        locations=[{"id": 901, "name": "Other"}],
        tags=[{"name": "bug", "tag_fg": "#fff", "tag_bg": "#000", "creator": 81}])
    first, second = task.custom_fields
    assert first.has_value and first.value == "8" and not second.has_value
    item = task.checklists[0].items[0]
    assert item.assignee and item.assignee.id == 81000004
    assert item.children[0].assignee and item.children[0].assignee.id == 5
    assert task.dependencies[0].userid == 81 and task.locations[0].id == "901"


def test_time_entries_running_and_taskless() -> None:
    running = models.TimeEntry.model_validate({
        "id": "1963465985517105840", "wid": 300702, "user": {"id": 1}, "start": 1700000000000,
        "duration": "-5000", "tags": ["meeting"], "task": "",
        "task_location": {"list_id": 901, "folder_id": "90", "space_id": 9}})
    assert running.running and running.end is None and running.task is None
    assert running.tags[0].name == "meeting" and running.wid == "300702"
    assert running.task_location and running.task_location.list_id == "901"
    done = models.TimeEntry.model_validate({"id": "1", "start": "1", "end": "5", "duration": 4})
    assert not done.running and done.end == 5


@pytest.mark.parametrize("count", ["3", 3, None])
def test_comment_reply_count(count: Any) -> None:
    comment = models.Comment.model_validate({"id": 458, "comment_text": "hi", "user": {"id": 1},
                                             "date": "1568036964079", "reply_count": count})
    assert comment.id == "458" and comment.reply_count == (None if count is None else 3)


def test_member_flattens_user_and_inviter() -> None:
    member = models.Member.model_validate(
        {"user": {"id": 2, "username": None, "email": "a@b", "role": 3, "role_key": "member",
                  "last_active": None, "date_joined": "1748556201744",
                  "date_invited": "1748235228664"},
         "invited_by": {"id": 1, "username": "Owner"}})
    assert (member.id, member.role, member.invited_by) == (2, 3, 1)
    assert member.date_joined == 1748556201744 and member.username is None
