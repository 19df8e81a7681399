"""Tasks: find them, read one, and the two writes (create, update) the product makes.

Reads come from the mirror. Writes go to ClickUp, and the task is re-synced at once, so
the answer (read back from the database) already shows the change.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import Field

from clickup_sync import analytics
from clickup_sync.analytics import Result
from clickup_sync.analytics.tasks import OrderBy, StatusType
from clickup_sync.sync import writeback

from ..args import (
    EVERYWHERE,
    NAME_MAX,
    Archived,
    Limit,
    PersonRef,
    ProjectName,
    TaskId,
    Where,
    person_of,
)
from ..registry import Toolbox
from ..results import noted
from ..runtime import Runtime
from .workspace import ListName

box = Toolbox()

Priority = Annotated[Literal["urgent", "high", "normal", "low"] | None,
                     Field(description="Priority")]
StatusArg = Annotated[str | None, Field(description="Status name", max_length=NAME_MAX)]
StatusTypeArg = Annotated[StatusType, Field(
    description="Status group (ignored when status is given): open (not started), active, "
                "done, closed, not_done (open or active), any")]
People = Annotated[list[Annotated[str, Field(max_length=NAME_MAX)]] | None, Field(
    description="Assignees: names, emails or user ids (the full new list)", max_length=20)]
Text = Annotated[str | None, Field(description="Description (Markdown)", max_length=20_000)]
Minutes = Annotated[int | None, Field(description="Time estimate in minutes", ge=0,
                                      le=1_000_000)]
Day = Annotated[date | None, Field(description="YYYY-MM-DD")]


@box.tool()
async def get_tasks(rt: Runtime, where: Where = EVERYWHERE,
                    status: StatusArg = None, status_type: StatusTypeArg = "not_done",
                    assignee: PersonRef = None,
                    tag: Annotated[str | None, Field(description="Tag name",
                                                     max_length=NAME_MAX)] = None,
                    due_before: Day = None, due_after: Day = None, updated_since: Day = None,
                    include_archived: Archived = False,
                    include_subtasks: Annotated[bool, Field(description="Include subtasks")
                                                ] = True,
                    order_by: Annotated[OrderBy, Field(description="Sort by")] = "updated",
                    limit: Limit = 50) -> Result:
    """Which tasks match these filters (scope, status, assignee, tag, dates)?"""
    return await rt.read(lambda c: analytics.get_tasks(
        c, where.scope(c), status=status, status_type=status_type,
        assignee=person_of(c, assignee), tag=tag, due_before=due_before, due_after=due_after,
        updated_since=updated_since, include_archived=include_archived,
        include_subtasks=include_subtasks, order_by=order_by, limit=limit))


@box.tool()
async def get_project_tasks(rt: Runtime, project: ProjectName, status: StatusArg = None,
                            status_type: StatusTypeArg = "not_done", assignee: PersonRef = None,
                            limit: Limit = 50) -> Result:
    """Which tasks does a project (or Space, Folder, List) hold?"""
    return await get_tasks(rt, project=project, status=status, status_type=status_type,
                           assignee=assignee, limit=limit)


@box.tool()
async def get_task(rt: Runtime, task_id: TaskId) -> Result:
    """What is one task's full state: status, people, dates, time, subtasks, links?"""
    return await rt.read(lambda c: analytics.get_task(c, task_id))


@box.tool()
async def search_tasks(rt: Runtime,
                       query: Annotated[str, Field(description="Words to find in task names "
                                                   "and descriptions", min_length=1,
                                                   max_length=NAME_MAX)],
                       where: Where = EVERYWHERE,
                       include_closed: Annotated[bool, Field(
                           description="Include done and closed tasks")] = False,
                       limit: Limit = 20) -> Result:
    """Which tasks mention these words, best matches first?"""
    return await rt.read(lambda c: analytics.search_tasks(
        c, query, where.scope(c), include_closed=include_closed, limit=limit))


@box.tool()
async def get_list_progress(rt: Runtime, list: ListName, limit: Limit = 50) -> Result:
    """How far along is a List: tasks per status and the share done?"""
    return await rt.read(lambda c: analytics.status_summary(
        c, Where(list=list).scope(c), limit=limit))


@box.tool()
async def get_workload(rt: Runtime, where: Where = EVERYWHERE,
                       limit: Limit = 50) -> Result:
    """Who has how much open work: open, in progress, overdue, estimate left, hours?"""
    return await rt.read(lambda c: analytics.workload(c, where.scope(c), limit=limit))


@box.tool()
async def get_overdue_tasks(rt: Runtime, where: Where = EVERYWHERE,
                            person: PersonRef = None, limit: Limit = 50) -> Result:
    """Which open tasks are past their due date, and whose are they?"""
    return await rt.read(lambda c: analytics.overdue_tasks(
        c, where.scope(c), person=person_of(c, person), limit=limit))


def _assignee_ids(conn: Any, refs: list[str] | None) -> list[int] | None:
    return None if refs is None else [analytics.resolve_person(conn, r).user_id for r in refs]


@box.tool(read_only=False, destructive=True, idempotent=False, open_world=True)
async def create_task(rt: Runtime, list: ListName,
                      name: Annotated[str, Field(description="Task name", min_length=1,
                                                 max_length=1000)],
                      description: Text = None, status: StatusArg = None,
                      priority: Priority = None, due_date: Day = None,
                      start_date: Day = None, assignees: People = None,
                      time_estimate_minutes: Minutes = None,
                      tags: Annotated[list[Annotated[str, Field(max_length=NAME_MAX)]] | None,
                                      Field(description="Tag names", max_length=20)] = None
                      ) -> Result:
    """Create a task in ClickUp in a List (by name or id); returns the task as stored."""

    def target(c: Any) -> tuple[str, list[int] | None]:
        return str(Where(list=list).scope(c).id), _assignee_ids(c, assignees)

    list_id, people = await rt.read(target)
    body = writeback.task_body(
        name=name, description=description, status=status, priority=priority,
        due_date=_iso(due_date), start_date=_iso(start_date), assignees=people,
        time_estimate_minutes=time_estimate_minutes, tags=tags)
    raw = await rt.clickup(lambda client: writeback.create_task(client, rt.dsn, list_id, body))
    task_id = str(raw["id"])
    result = await rt.read(lambda c: analytics.get_task(c, task_id))
    return noted(result, f"created task {task_id} in ClickUp; the database already has it")


@box.tool(read_only=False, destructive=True, idempotent=True, open_world=True)
async def update_task(rt: Runtime, task_id: TaskId,
                      name: Annotated[str | None, Field(description="New name",
                                                        max_length=1000)] = None,
                      description: Text = None, status: StatusArg = None,
                      priority: Priority = None, due_date: Day = None,
                      start_date: Day = None, assignees: People = None,
                      time_estimate_minutes: Minutes = None) -> Result:
    """Change a task in ClickUp (only the fields given); returns the task as stored."""

    def target(c: Any) -> tuple[str, list[int] | None]:  # a custom id or URL → the task id
        found = analytics.get_task(c, task_id).summary["task_id"]
        return str(found), _assignee_ids(c, assignees)

    key, people = await rt.read(target)
    body = writeback.task_body(
        name=name, description=description, status=status, priority=priority,
        due_date=_iso(due_date), start_date=_iso(start_date), assignees=people,
        time_estimate_minutes=time_estimate_minutes)
    await rt.clickup(lambda client: writeback.update_task(client, rt.dsn, key, body))
    result = await rt.read(lambda c: analytics.get_task(c, key))
    return noted(result, f"updated task {key} in ClickUp; the database already has it")


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
