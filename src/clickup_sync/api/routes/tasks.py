"""Tasks: the original tool's task routes (same paths and keys) with paging and filters.

The busiest routes of the API (BI tools page through ``/tasks``), so each is ``async`` and
does its database work in one worker-thread hop (`ApiRuntime.read`), and writes its rows
with `responses.json_response` rather than revalidating them against the model.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

import psycopg
from fastapi import APIRouter, Query, Request, Response

from clickup_sync import analytics
from clickup_sync.analytics import JsonPage, Page

from ..deps import LoopRuntime, Runtime
from ..errors import INVALID, NOT_FOUND, NotFound
from ..models import (
    CommentTaskPage,
    EmployeeTaskPage,
    TaskPage,
    TaskRow,
    TimeTaskPage,
)
from ..page_cache import page_key
from ..params import (
    BIGINT_MAX,
    IdText,
    Instant,
    Limit,
    Name,
    Offset,
    TaskIdPath,
    page_fields,
)
from ..params import Day as DayParam
from ..responses import json_body, json_response, with_rows

router = APIRouter(prefix="/tasks", tags=["tasks"], responses=INVALID)

Day = Annotated[DayParam | None, Query(description="A day (YYYY-MM-DD) in the configured "
                                                   "timezone; both ends of a range are "
                                                   "included")]
MAX_VALUES = 50


def _page(request: Request, page: Page | JsonPage, limit: int, offset: int,
          **extra: Any) -> Response:
    """The page's body, keys in the response model's order."""
    if isinstance(page, JsonPage):
        return json_body(_json_page(request, page, limit, offset, **extra))
    return json_response({**page_fields(request, total=page.total, count=len(page.rows),
                                        limit=limit, offset=offset),
                          **extra, "tasks": page.rows})


def _json_page(request: Request, page: JsonPage, limit: int, offset: int,
               **extra: Any) -> bytes:
    fields = page_fields(request, total=page.total, count=page.count, limit=limit,
                         offset=offset)
    return with_rows({**fields, **extra}, "tasks", page.json)


@router.get("", response_model=TaskPage, summary="List tasks")
async def list_tasks(
    request: Request, runtime: LoopRuntime,
    status: Annotated[list[Name], Query(max_length=MAX_VALUES, description=(
        "Status name (case-insensitive); repeat for any of several"))] = [],  # noqa: B006
    status_type: Annotated[list[Literal["open", "custom", "done", "closed"]], Query(
        max_length=4, description="Status type: open (not started), custom (active), "
                                  "done, closed; repeat for several")] = [],  # noqa: B006
    assignee: Annotated[list[Annotated[int, Query(ge=0, le=BIGINT_MAX)]], Query(
        max_length=MAX_VALUES, description="ClickUp user id of an assignee; repeat for "
                                           "any of several")] = [],  # noqa: B006
    space: Annotated[IdText | None, Query(description="Space id")] = None,
    folder: Annotated[IdText | None, Query(description="Folder id")] = None,
    list_: Annotated[IdText | None, Query(alias="list", description=(
        "List id (tasks added to it from other Lists included)"))] = None,
    tag: Annotated[list[Name], Query(max_length=MAX_VALUES, description=(
        "Tag name (case-insensitive); repeat for any of several"))] = [],  # noqa: B006
    created_from: Day = None, created_to: Day = None,
    due_from: Day = None, due_to: Day = None,
    updated_since: Annotated[Instant | None, Query(description=(
        "Only tasks updated at or after this instant (ISO 8601; without an offset, in "
        "the configured timezone): for incremental extracts"))] = None,
    archived: Annotated[bool | None, Query(description=(
        "true: only archived tasks; false: only unarchived; unset: both"))] = None,
    include_deleted: Annotated[bool, Query(description=(
        "Include tasks deleted in ClickUp (kept with is_deleted=true)"))] = False,
    limit: Limit = 100, offset: Offset = 0,
) -> Response:
    """Tasks matching every given filter, most recently updated first.

    A page already written is served again while no task it could show has changed
    (a `list` filter aside, which is always read afresh).

    The original tool's `GET /tasks?limit&offset` keys (`count`, `limit`, `offset`,
    `tasks`) with `total` and `next` added. Without `include_deleted`, deleted tasks are
    left out, as in the original; archived tasks are included unless `archived=false`.
    """
    where = analytics.TaskFilter(
        statuses=tuple(status), status_types=tuple(status_type), assignees=tuple(assignee),
        space_id=space, folder_id=folder, list_id=list_, tags=tuple(tag),
        created_from=created_from, created_to=created_to, due_from=due_from, due_to=due_to,
        updated_since=updated_since, archived=archived, include_deleted=include_deleted)
    if list_ is not None:  # task_locations, which the listing version does not follow
        page = await runtime.aread(analytics.task_page_async, where, limit=limit,
                                   offset=offset)
        return _page(request, page, limit, offset)
    cache, key = runtime.task_pages, page_key(request.scope)

    async def kept_or_read(conn: psycopg.AsyncConnection[Any]) -> bytes:
        async def read() -> tuple[int, bytes]:
            if where == analytics.TaskFilter():  # from the bodies held where it can be
                page = await runtime.task_bodies.page(conn, limit=limit, offset=offset)
            else:
                page = await analytics.task_page_async(conn, where, limit=limit,
                                                       offset=offset)
            return page.version, _json_page(request, page, limit, offset)

        return await cache.kept_or_read(key, await analytics.task_listing_version(conn), read)

    return json_body(await runtime.aread(kept_or_read))


@router.get("/by-employee", response_model=EmployeeTaskPage, responses=NOT_FOUND,
            summary="List an employee's tasks")
async def tasks_by_employee(
    request: Request, runtime: Runtime,
    employee_id: Annotated[UUID, Query(description="`id` of an entry of `GET /employees`")],
    limit: Limit = 100, offset: Offset = 0,
) -> Response:
    """Live tasks assigned to one employee, most recently updated first.

    `employee_id` is the employee's UUID (`GET /employees`); a malformed one is 422, an
    unknown one 404.
    """

    def read(conn: psycopg.Connection[Any]) -> JsonPage | None:
        user_id = analytics.employee_user_id(conn, employee_id)
        if user_id is None:
            return None
        return analytics.task_page(conn, analytics.TaskFilter(assignees=(user_id,)),
                                   limit=limit, offset=offset)

    page = await runtime.read(read)
    if page is None:
        raise NotFound(f"no employee with id '{employee_id}'")
    return _page(request, page, limit, offset, employee_id=str(employee_id))


@router.get("/with-time", response_model=TimeTaskPage, summary="List tasks with tracked time")
async def tasks_with_time(request: Request, runtime: Runtime, limit: Limit = 100,
                          offset: Offset = 0) -> Response:
    """Live tasks with tracked time (`tracked_minutes` > 0), the most tracked first."""
    page = await runtime.read(analytics.tasks_with_time, limit=limit, offset=offset)
    return _page(request, page, limit, offset)


@router.get("/with-comments", response_model=CommentTaskPage,
            summary="List tasks with assigned comments")
async def tasks_with_comments(request: Request, runtime: Runtime, limit: Limit = 100,
                              offset: Offset = 0) -> Response:
    """Live tasks with unresolved comments assigned to someone, recently updated first."""
    page = await runtime.read(analytics.tasks_with_comments, limit=limit,
                                offset=offset)
    return _page(request, page, limit, offset)


@router.get("/{task_id}", response_model=TaskRow, responses=NOT_FOUND, summary="Get a task")
async def get_task(runtime: Runtime, task_id: TaskIdPath) -> Response:
    """One task's full row, deleted tasks included (see `is_deleted`); 404 when unknown."""
    row = await runtime.read(analytics.task_row, task_id)
    if row is None:
        raise NotFound(f"no task with id '{task_id}'")
    return json_body(row)
