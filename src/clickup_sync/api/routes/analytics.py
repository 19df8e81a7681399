"""Analytics of work and time: status, flow, throughput, time tracked, estimates.

Each route serves one function of `clickup_sync.analytics` (the same as an MCP tool) and
returns its `Result`: ``summary`` totals first, then ``columns`` and ``rows``, with
``total_rows``/``truncated`` saying what the row limit left out and ``notes`` how the
numbers were computed. Definitions: docs/metrics/.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from clickup_sync import analytics
from clickup_sync.analytics import Result
from clickup_sync.analytics.time import GroupBy

from ..deps import Conn
from ..errors import INVALID
from ..params import Day, TaskIdPath
from ._scope import InScope, PersonRef, Rows, Since, Until, days, person_of

router = APIRouter(prefix="/analytics", tags=["analytics"], responses=INVALID)
Window = Annotated[int, days("Days back from today", most=366)]


@router.get("/status-summary", summary="Tasks by status")
def status_summary(conn: Conn, where: InScope,
                   include_archived: Annotated[bool, Query(description=(
                       "Count archived tasks too"))] = False,
                   limit: Rows = 50) -> Result:
    """How many tasks are in each status, and what share is done?"""
    return analytics.status_summary(conn, where.scope(conn), include_archived=include_archived,
                                    limit=limit)


@router.get("/progress-since", summary="Progress since a day")
def progress_since(conn: Conn, where: InScope,
                   since: Annotated[Day, Query(description="From this day, YYYY-MM-DD")],
                   limit: Rows = 50) -> Result:
    """What happened since a date: tasks created, completed, moved, reopened?"""
    return analytics.progress_since(conn, where.scope(conn), since=since, limit=limit)


@router.get("/throughput", summary="Throughput per week")
def throughput(conn: Conn, where: InScope,
               weeks: Annotated[int, days("ISO weeks back, this one included", most=104)] = 8,
               limit: Rows = 50) -> Result:
    """How many tasks were completed each week, and is it trending up or down?"""
    return analytics.throughput(conn, where.scope(conn), weeks=weeks, limit=limit)


@router.get("/cumulative-flow", summary="Cumulative flow")
def cumulative_flow(conn: Conn, where: InScope, days: Window = 30, limit: Rows = 50) -> Result:
    """How many tasks were in each status on each day (from the daily snapshots)?"""
    return analytics.cumulative_flow(conn, where.scope(conn), days=days, limit=limit)


@router.get("/burndown", summary="Burndown")
def burndown(conn: Conn, where: InScope, days: Window = 14, limit: Rows = 50) -> Result:
    """How much work remained each day (tasks and estimate), against the total?"""
    return analytics.burndown(conn, where.scope(conn), days=days, limit=limit)


@router.get("/lead-cycle-time", summary="Lead and cycle time")
def lead_cycle_time(conn: Conn, where: InScope, since: Since = None,
                    limit: Rows = 50) -> Result:
    """How long do tasks take from creation (lead) and from start (cycle) to done?"""
    return analytics.lead_cycle_time(conn, where.scope(conn), since=since, limit=limit)


@router.get("/time-in-status", summary="Time in status")
def time_in_status(conn: Conn, where: InScope, since: Since = None,
                   limit: Rows = 50) -> Result:
    """How many days do tasks spend in each status?"""
    return analytics.time_in_status(conn, where.scope(conn), since=since, limit=limit)


@router.get("/aging", summary="Aging work")
def aging(conn: Conn, where: InScope, limit: Rows = 50) -> Result:
    """Which open tasks have sat longest in their current status?"""
    return analytics.aging(conn, where.scope(conn), limit=limit)


@router.get("/bottlenecks", summary="Bottlenecks")
def bottlenecks(conn: Conn, where: InScope, limit: Rows = 50) -> Result:
    """In which statuses does work wait longest?"""
    return analytics.bottlenecks(conn, where.scope(conn), limit=limit)


@router.get("/time-tracked", summary="Time tracked")
def time_tracked(conn: Conn, where: InScope,
                 group_by: Annotated[GroupBy, Query(description="Group hours by")] = "person",
                 since: Since = None, until: Until = None, person: PersonRef = None,
                 limit: Rows = 50) -> Result:
    """How many hours were tracked, per person, task, List, Folder, Space, day or week?

    Each person's time comes from their own time entries (never split between
    co-assignees).
    """
    return analytics.time_tracked(conn, where.scope(conn), group_by=group_by, since=since,
                                  until=until, person=person_of(conn, person), limit=limit)


@router.get("/task-time/{task_id}", summary="Time on one task")
def task_time(conn: Conn, task_id: TaskIdPath, limit: Rows = 50) -> Result:
    """Who tracked how much time on a task and its subtasks, against the estimate?"""
    return analytics.task_time_breakdown(conn, task_id, limit=limit)


@router.get("/estimation-accuracy", summary="Estimation accuracy")
def estimation_accuracy(conn: Conn, where: InScope,
                        group_by: Annotated[Literal["person", "task"], Query(
                            description="Compare per person or per task")] = "person",
                        since: Since = None, limit: Rows = 50) -> Result:
    """How close were time estimates to the time actually tracked?"""
    return analytics.estimation_accuracy(conn, where.scope(conn), group_by=group_by,
                                         since=since, limit=limit)
