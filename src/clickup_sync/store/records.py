"""Records the store writes: one dataclass per table row, in the table's column order.

The sync maps ClickUp's wire objects to these; the store knows nothing of ClickUp's JSON.
Field order is column order (`columns()` reads it), so a record becomes a COPY row with
`astuple`-like speed and no per-table mapping code.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import cache
from typing import Any

import orjson


@cache
def _all_fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


@cache
def columns(cls: type) -> tuple[str, ...]:
    """Column names of a record type: its fields, minus child collections (``_`` prefix)."""
    return tuple(name for name in _all_fields(cls) if not name.startswith("_"))


def row(record: Any) -> tuple[Any, ...]:
    return tuple(getattr(record, name) for name in columns(type(record)))


def digest(record: Any) -> bytes:
    """16 bytes that change whenever anything the record would write does: its columns and
    its child collections (``_`` fields, which orjson leaves out of a dataclass, so they
    are listed here), JSON keys sorted."""
    values = [getattr(record, name) for name in _all_fields(type(record))]
    return hashlib.blake2b(orjson.dumps(values, option=orjson.OPT_SORT_KEYS),
                           digest_size=16).digest()


@dataclass(slots=True)
class EmployeeRecord:
    clickup_user_id: int
    name: str | None
    email: str | None
    role: str | None
    role_id: int | None
    initials: str | None
    color: str | None
    timezone: str | None
    last_active: datetime | None
    date_joined: datetime | None
    is_active: bool
    raw: dict[str, Any]


@dataclass(slots=True)
class SpaceRecord:
    id: str
    workspace_id: str
    name: str
    color: str | None
    private: bool
    archived: bool
    raw: dict[str, Any]


@dataclass(slots=True)
class FolderRecord:
    id: str
    space_id: str
    name: str
    orderindex: int | None
    hidden: bool
    archived: bool
    override_statuses: bool
    raw: dict[str, Any]


@dataclass(slots=True)
class ListRecord:
    id: str
    space_id: str
    folder_id: str | None
    name: str
    orderindex: int | None
    content: str | None
    archived: bool
    override_statuses: bool
    priority: int | None
    assignee_id: int | None
    start_date: datetime | None
    due_date: datetime | None
    task_count: int | None
    raw: dict[str, Any]


@dataclass(slots=True)
class StatusRecord:
    list_id: str
    status: str
    type: str
    color: str | None
    orderindex: int
    status_id: str | None


@dataclass(slots=True)
class CustomFieldRecord:
    id: str
    name: str
    type: str
    type_config: dict[str, Any]
    hide_from_guests: bool | None
    required: bool | None
    date_created: datetime | None


@dataclass(slots=True)
class CustomValueRecord:
    task_id: str
    field_id: str
    value: Any
    value_text: str | None
    value_number: float | None
    value_date: datetime | None
    value_bool: bool | None


@dataclass(slots=True)
class ChecklistItemRecord:
    id: str
    checklist_id: str
    task_id: str
    name: str
    orderindex: int | None
    resolved: bool
    assignee_id: int | None
    parent_id: str | None
    date_created: datetime | None


@dataclass(slots=True)
class ChecklistRecord:
    id: str
    task_id: str
    name: str
    orderindex: int | None
    resolved: int | None
    unresolved: int | None


@dataclass(slots=True)
class TaskRecord:
    """A task row plus its child rows (``_``-prefixed fields are not columns)."""

    id: str
    custom_id: str | None
    custom_item_id: int | None
    name: str
    description: str | None
    status: str
    status_type: str | None
    status_color: str | None
    status_orderindex: int | None
    orderindex: float | None
    list_id: str
    folder_id: str | None
    space_id: str | None
    parent_id: str | None
    top_level_parent_id: str | None
    creator_id: int | None
    priority: int | None
    date_created: datetime | None
    date_updated: datetime | None
    date_closed: datetime | None
    date_done: datetime | None
    start_date: datetime | None
    due_date: datetime | None
    time_estimate_ms: int | None
    time_spent_ms: int | None
    points: float | None
    archived: bool
    url: str | None
    raw: dict[str, Any]
    is_deleted: bool = False  # a task seen again is live again
    deleted_at: datetime | None = None
    _assignees: list[int] = field(default_factory=list)
    _watchers: list[int] = field(default_factory=list)
    _tags: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    _locations: list[str] = field(default_factory=list)
    _custom_values: list[CustomValueRecord] = field(default_factory=list)
    _custom_fields: list[CustomFieldRecord] = field(default_factory=list)
    _dependencies: list[tuple[str, str]] = field(default_factory=list)  # (waiting, on)
    _links: list[str] = field(default_factory=list)
    _checklists: list[ChecklistRecord] = field(default_factory=list)
    _checklist_items: list[ChecklistItemRecord] = field(default_factory=list)


@dataclass(slots=True)
class TimeEntryRecord:
    id: str
    task_id: str | None
    user_id: int
    start_at: datetime
    end_at: datetime | None
    duration_ms: int | None
    is_running: bool
    billable: bool
    description: str | None
    tags: list[str]
    source: str | None
    at: datetime | None
    raw: dict[str, Any]


@dataclass(slots=True)
class CommentRecord:
    id: str
    task_id: str | None
    list_id: str | None
    parent_comment_id: str | None
    user_id: int | None
    text: str
    date: datetime
    resolved: bool
    assignee_id: int | None
    assigned_by_id: int | None
    reply_count: int
    raw: dict[str, Any]
