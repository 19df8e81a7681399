"""Response models of the record routes: the original tool's shapes, plus paging.

A task row is a row of the ``tasks`` view, which keeps the original tool's column names
and meanings (``title``, ``assignee_name``, ``tracked_minutes``, ``dependencies``…). Times
are ISO 8601 with the offset of the configured timezone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

EXAMPLE_TASK: dict[str, Any] = {
    "clickup_task_id": "86c0a1b2c", "title": "Ship the billing export", "description": None,
    "type": "task", "status": "in progress", "status_type": "custom", "priority": "high",
    "tags": "backend, billing", "assignee_name": ["Asha Rao"], "assignee_ids": "81234567",
    "employee_ids": ["0b9b4a52-5f4e-4a47-9d0c-2b8f1f0c3d11"],
    "employee_id": "0b9b4a52-5f4e-4a47-9d0c-2b8f1f0c3d11", "assigned_by": "Ben Ortiz",
    "followers": "Asha Rao, Ben Ortiz", "space_id": "90170000001", "space_name": "Product",
    "folder_id": "90180000002", "folder_name": "Billing", "list_id": "901700000003",
    "list_name": "Sprint 14", "date_created": "2026-03-02T09:15:00+05:30",
    "date_updated": "2026-03-09T17:40:12+05:30", "date_done": None, "date_closed": None,
    "start_date": "2026-03-03T00:00:00+05:30", "due_date": "2026-03-13T00:00:00+05:30",
    "time_estimate_minutes": 480, "sprint_points": 3.0,
    "start_times": ["2026-03-09T14:00:00+05:30"], "end_times": ["2026-03-09T16:30:00+05:30"],
    "tracked_minutes": 150, "assigned_comment": "please add the VAT column",
    "dependencies": ["waiting on 'Define the export format'"],
    "last_status_change": "2026-03-04T10:00:00+05:30", "archived": False,
    "is_deleted": False, "parent_id": None, "updated_at": "2026-03-09T17:40:12+05:30"}


class TaskRow(BaseModel):
    """A task as the original tool's ``tasks`` table had it (our ``tasks`` view)."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_TASK]})

    clickup_task_id: str = Field(description="ClickUp task id")
    title: str
    description: str | None = None
    type: str | None = Field(None, description="task or milestone")
    status: str
    status_type: str | None = Field(None, description="open, custom, done or closed")
    priority: str | None = Field(None, description="urgent, high, normal or low")
    tags: str | None = Field(None, description="Tag names, comma-separated")
    assignee_name: list[str] | None = None
    assignee_ids: str | None = Field(None, description="ClickUp user ids, comma-separated")
    employee_ids: list[UUID] | None = Field(None, description="`employees.id` of each assignee")
    employee_id: UUID | None = Field(None, description="The first assignee's `employees.id`")
    assigned_by: str | None = Field(None, description="Who created the task")
    followers: str | None = Field(None, description="Watchers' names, comma-separated")
    space_id: str | None = None
    space_name: str | None = None
    folder_id: str | None = None
    folder_name: str | None = None
    list_id: str
    list_name: str | None = None
    date_created: datetime | None = None
    date_updated: datetime | None = None
    date_done: datetime | None = None
    date_closed: datetime | None = None
    start_date: datetime | None = None
    due_date: datetime | None = None
    time_estimate_minutes: int | None = None
    sprint_points: float | None = None
    start_times: list[str | None] | None = Field(
        None, description="Start of each tracked interval, latest first")
    end_times: list[str | None] | None = Field(
        None, description="End of each interval (null while a timer runs)")
    tracked_minutes: int = Field(description="Tracked time on the task itself, all users")
    assigned_comment: str | None = Field(
        None, description="Unresolved assigned comments, newest first, joined with ' | '")
    dependencies: list[str] | None = Field(
        None, description="\"waiting on 'X'\" / \"blocking 'Y'\" labels")
    last_status_change: datetime | None = None
    archived: bool
    is_deleted: bool
    parent_id: str | None = Field(None, description="Parent task id, for a subtask")
    updated_at: datetime | None = None


class DailyRow(TaskRow):
    """A row of today's snapshot (``daily_syncs``): the task as it was when it was taken."""

    title: str | None = None  # type: ignore[assignment]
    status: str | None = None  # type: ignore[assignment]
    list_id: str | None = None  # type: ignore[assignment]
    tracked_minutes: int | None = None  # type: ignore[assignment]
    archived: bool | None = None  # type: ignore[assignment]
    is_deleted: bool | None = None  # type: ignore[assignment]


class Paged(BaseModel):
    """Paging fields every listing carries."""

    count: int = Field(description="Rows in this page", examples=[100])
    limit: int = Field(description="Page size applied (at most 500)", examples=[100])
    offset: int = Field(description="Rows skipped", examples=[0])
    total: int = Field(description="Rows matching, in all pages", examples=[2345])
    next: str | None = Field(description="Path and query of the next page; null on the last",
                             examples=["/tasks?limit=100&offset=100"])


class TaskPage(Paged):
    tasks: list[TaskRow]


class EmployeeTaskPage(Paged):
    employee_id: UUID
    tasks: list[TaskRow]


class TimeTaskRow(BaseModel):
    clickup_task_id: str
    title: str
    status: str
    assignee_name: list[str] | None = None
    start_times: list[str | None] | None = None
    end_times: list[str | None] | None = None
    tracked_minutes: int
    assigned_comment: str | None = None


class TimeTaskPage(Paged):
    tasks: list[TimeTaskRow]


class CommentTaskRow(BaseModel):
    clickup_task_id: str
    title: str
    status: str
    assignee_name: list[str] | None = None
    assigned_comment: str


class CommentTaskPage(Paged):
    tasks: list[CommentTaskRow]


class DailyPage(Paged):
    tasks: list[DailyRow]


class Employee(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "0b9b4a52-5f4e-4a47-9d0c-2b8f1f0c3d11", "name": "Asha Rao",
        "email": "asha@example.com", "role": "member", "clickup_user_id": "81234567",
        "is_active": True}]})

    id: UUID
    name: str | None
    email: str | None
    role: str | None = Field(description="owner, admin, member or guest")
    clickup_user_id: str = Field(description="ClickUp user id (text, as the original served it)")
    is_active: bool = Field(description="False once the member left the Workspace")


class Employees(BaseModel):
    count: int
    employees: list[Employee]


class Edge(BaseModel):
    task_id: str
    title: str | None = Field(description="Null when the other task is not stored")
    status: str | None
    is_deleted: bool


class Dependencies(BaseModel):
    task_id: str
    dependencies: str | None = Field(
        description="The labels as a JSON text, as the original served them",
        examples=["[\"waiting on 'Define the export format'\"]"])
    waiting_on: list[Edge] = Field(description="Tasks this one waits on")
    blocking: list[Edge] = Field(description="Tasks waiting on this one")
