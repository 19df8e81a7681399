"""Typed views of the ClickUp wire objects the sync needs, as lenient as live ClickUp is.

Validate a raw dict with ``Model.model_validate(raw)``; unknown fields are ignored, so keep
the raw dict when every field matters. Nested references are flattened to ids
(``Task.list_id`` from ``task["list"]["id"]``); timestamps are Unix ms ``int`` or None.
"""

from __future__ import annotations

from typing import Any

from pydantic import AliasPath, Field, model_validator

from ._tasks import (
    Checklist,
    ChecklistItem,
    CustomFieldDef,
    CustomFieldValue,
    Dependency,
    LinkedTask,
    Location,
    Task,
    TaskLocation,
    TimeEntry,
    TimeEntryTask,
)
from ._wire import (
    AnyDict,
    Flag,
    Id,
    Many,
    Millis,
    OptId,
    OptInt,
    Priority,
    Status,
    Tag,
    User,
    UserRef,
    Wire,
)

__all__ = [
    "Checklist", "ChecklistItem", "Comment", "CustomFieldDef", "CustomFieldValue",
    "Dependency", "Folder", "LinkedTask", "Location", "Member", "Space", "Status", "Tag",
    "Task", "TaskList", "TaskLocation", "Team", "TimeEntry", "TimeEntryTask", "User",
    "Webhook", "WebhookHealth",
]


class Member(User):
    """A Workspace member from ``GET /team``: the user, their role, and who invited them."""

    role: OptInt = None  # 1 owner, 2 admin, 3 member, 4 guest
    role_key: str | None = None
    last_active: Millis = None
    date_joined: Millis = None
    date_invited: Millis = None
    invited_by: OptInt = None

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("user"), dict):
            inviter = data.get("invited_by")
            return {**data["user"],
                    "invited_by": inviter.get("id") if isinstance(inviter, dict) else None}
        return data


class Team(Wire):
    """A Workspace ("team" in API v2) with its members."""

    id: Id
    name: str
    color: str | None = None
    avatar: str | None = None
    members: Many[Member]


class Space(Wire):
    id: Id
    name: str
    color: str | None = None
    private: Flag = False
    archived: Flag = False
    statuses: Many[Status]
    multiple_assignees: bool | None = None
    features: AnyDict
    members: Many[User]  # only for private Spaces

    @model_validator(mode="before")
    @classmethod
    def _unwrap_members(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("members"), list):
            members = [m.get("user", m) if isinstance(m, dict) else m for m in data["members"]]
            return {**data, "members": members}
        return data


class TaskList(Wire):
    """A List; folderless Lists sit in a hidden Folder of their own (``folder_hidden``)."""

    id: Id
    name: str
    orderindex: OptInt = None
    content: str | None = None
    status: Status | None = None
    priority: Priority = None
    assignee: User | None = None
    task_count: OptInt = None
    due_date: Millis = None
    start_date: Millis = None
    folder_id: OptId = Field(None, validation_alias=AliasPath("folder", "id"))
    folder_hidden: Flag = Field(False, validation_alias=AliasPath("folder", "hidden"))
    space_id: OptId = Field(None, validation_alias=AliasPath("space", "id"))
    archived: Flag = False
    override_statuses: Flag = False
    statuses: Many[Status]  # GET /list/{id} only
    permission_level: str | None = None


class Folder(Wire):
    id: Id
    name: str
    orderindex: OptInt = None
    override_statuses: Flag = False
    hidden: Flag = False
    space_id: OptId = Field(None, validation_alias=AliasPath("space", "id"))
    task_count: OptInt = None
    archived: Flag = False
    statuses: Many[Status]
    lists: Many[TaskList]
    parent_folder: OptId = None


class Comment(Wire):
    """A comment or threaded reply; ``comment`` holds the rich-text blocks as sent."""

    id: Id
    comment: Many[dict[str, Any]]
    comment_text: str = ""
    user: User | None = None
    resolved: Flag = False
    assignee: UserRef = None
    assigned_by: UserRef = None
    reactions: Many[Any]
    date: Millis = None
    reply_count: OptInt = 0


class WebhookHealth(Wire):
    status: str | None = None
    fail_count: OptInt = 0


class Webhook(Wire):
    id: Id
    userid: OptInt = None
    team_id: OptId = None
    endpoint: str
    client_id: str | None = None
    events: Many[str]
    task_id: OptId = None
    list_id: OptId = None
    folder_id: OptId = None
    space_id: OptId = None
    health: WebhookHealth | None = None
    secret: str | None = None
