"""Wire models of tasks and what hangs on them: custom fields, checklists, dependencies,
links, extra Lists, and time entries."""

from __future__ import annotations

from typing import Any

from pydantic import AliasPath, Field, model_validator

from ._wire import (
    AnyDict,
    Duration,
    Flag,
    Id,
    Many,
    Millis,
    Number,
    OptId,
    OptInt,
    Priority,
    Status,
    Tag,
    User,
    UserRef,
    Wire,
)


class CustomFieldDef(Wire):
    """A custom field definition; ``type_config`` holds options, precision and the like."""

    id: Id
    name: str
    type: str
    type_config: AnyDict
    date_created: Millis = None
    hide_from_guests: bool | None = None
    required: bool | None = None


class CustomFieldValue(CustomFieldDef):
    """A field on a task; ``has_value`` tells "no value" from a null value."""

    value: Any = None
    value_richtext: Any = None
    has_value: bool = False

    @model_validator(mode="before")
    @classmethod
    def _note_value(cls, data: Any) -> Any:
        if isinstance(data, dict) and "has_value" not in data:
            return {**data, "has_value": "value" in data}
        return data


class ChecklistItem(Wire):
    id: Id
    name: str
    orderindex: Number = None
    assignee: UserRef = None  # the spec says a user id string; a user object is accepted
    resolved: Flag = False
    parent: OptId = None
    date_created: Millis = None
    children: Many[ChecklistItem]


class Checklist(Wire):
    id: Id
    name: str
    task_id: OptId = None
    date_created: Millis = None
    orderindex: Number = None
    creator: OptInt = None
    resolved: OptInt = None
    unresolved: OptInt = None
    items: Many[ChecklistItem]


class Dependency(Wire):
    """``task_id`` waits on ``depends_on``."""

    task_id: Id
    depends_on: Id
    type: OptInt = None
    date_created: Millis = None
    userid: OptInt = None
    workspace_id: OptId = None
    chain_id: OptId = None


class LinkedTask(Wire):
    task_id: Id
    link_id: Id
    date_created: Millis = None
    userid: OptInt = None
    workspace_id: OptId = None


class Location(Wire):
    """An extra List a task also lives in (Tasks in Multiple Lists)."""

    id: Id
    name: str | None = None


class Task(Wire):
    """A task or subtask (REFERENCE.md §5.1)."""

    id: Id
    custom_id: str | None = None
    custom_item_id: OptInt = None
    name: str
    text_content: str | None = None
    description: str | None = None
    markdown_description: str | None = None
    status: Status
    orderindex: Number = None
    date_created: Millis = None
    date_updated: Millis = None
    date_closed: Millis = None
    date_done: Millis = None
    archived: Flag = False
    creator: UserRef = None
    assignees: Many[User]
    group_assignees: Many[Any]
    watchers: Many[User]
    checklists: Many[Checklist]
    tags: Many[Tag]
    parent: OptId = None
    top_level_parent: OptId = None
    priority: Priority = None
    due_date: Millis = None
    start_date: Millis = None
    points: Number = None
    time_estimate: Duration = None
    time_spent: Duration = None
    custom_fields: Many[CustomFieldValue]
    dependencies: Many[Dependency]
    linked_tasks: Many[LinkedTask]
    locations: Many[Location]
    team_id: OptId = None
    url: str | None = None
    permission_level: str | None = None
    list_id: OptId = Field(None, validation_alias=AliasPath("list", "id"))
    folder_id: OptId = Field(None, validation_alias=AliasPath("folder", "id"))
    space_id: OptId = Field(None, validation_alias=AliasPath("space", "id"))
    subtasks: list[Task] | None = None  # only with include_subtasks
    attachments: Many[dict[str, Any]]


class TimeEntryTask(Wire):
    id: Id
    custom_id: str | None = None
    name: str | None = None
    status: Status | None = None


class TaskLocation(Wire):
    list_id: OptId = None
    folder_id: OptId = None
    space_id: OptId = None
    list_name: str | None = None
    folder_name: str | None = None
    space_name: str | None = None


class TimeEntry(Wire):
    """A tracked interval; a negative ``duration`` (and no ``end``) means it is running."""

    id: Id
    task: TimeEntryTask | None = None
    wid: OptId = None
    user: User | None = None
    billable: Flag = False
    start: Millis = None
    end: Millis = None
    duration: Duration = None
    description: str | None = None
    tags: Many[Tag]
    source: str | None = None
    at: Millis = None
    task_location: TaskLocation | None = None
    task_tags: Many[Tag]
    task_url: str | None = None

    @property
    def running(self) -> bool:
        return self.duration is not None and self.duration < 0

    @model_validator(mode="before")
    @classmethod
    def _drop_taskless(cls, data: Any) -> Any:
        if isinstance(data, dict) and not isinstance(data.get("task"), dict | None):
            return {**data, "task": None}  # some entries send "" or an id for no task
        return data
