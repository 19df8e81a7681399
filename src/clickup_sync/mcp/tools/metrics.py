"""Project-management analytics under the original `pm_analytics` names.

The originals recomputed everything from live ClickUp pages (and split time equally between
co-assignees); these read the mirror through `clickup_sync.analytics`, so REST, MCP and
reports give the same numbers.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from clickup_sync import analytics
from clickup_sync.analytics import Result
from clickup_sync.analytics.time import GroupBy

from ..args import (
    EVERYWHERE,
    Archived,
    Limit,
    PersonRef,
    TaskId,
    Until,
    Where,
    day_count,
    person_of,
)
from ..args import Since as SinceArg
from ..registry import Toolbox
from ..runtime import Runtime

box = Toolbox()

GroupByArg = Annotated[GroupBy, Field(description="Group hours by")]
AccuracyBy = Literal["person", "task"]
UntrackedStatus = Literal["active", "done", "any"]


@box.tool()
async def get_progress_since(rt: Runtime,
                             since: Annotated[date, Field(description="From this date, "
                                                          "YYYY-MM-DD")],
                             where: Where = EVERYWHERE,
                             limit: Limit = 50) -> Result:
    """What happened since a date: tasks created, completed, moved, reopened?"""
    return await rt.read(lambda c: analytics.progress_since(
        c, where.scope(c), since=since, limit=limit))


@box.tool()
async def get_time_tracking_report(rt: Runtime, group_by: GroupByArg = "person",
                                   since: SinceArg = None, until: Until = None,
                                   person: PersonRef = None, where: Where = EVERYWHERE,
                                   limit: Limit = 50) -> Result:
    """How many hours were tracked, per person, task, List, Folder, Space, day or week?"""
    return await rt.read(lambda c: analytics.time_tracked(
        c, where.scope(c), group_by=group_by, since=since, until=until,
        person=person_of(c, person), limit=limit))


@box.tool()
async def get_task_time_breakdown(rt: Runtime, task_id: TaskId, limit: Limit = 50) -> Result:
    """Who tracked how much time on a task and its subtasks, against the estimate?"""
    return await rt.read(lambda c: analytics.task_time_breakdown(c, task_id, limit=limit))


@box.tool()
async def get_estimation_accuracy(rt: Runtime,
                                  group_by: Annotated[AccuracyBy, Field(
                                      description="Compare per")] = "person",
                                  since: SinceArg = None, where: Where = EVERYWHERE,
                                  limit: Limit = 50) -> Result:
    """How close were time estimates to the time actually tracked?"""
    return await rt.read(lambda c: analytics.estimation_accuracy(
        c, where.scope(c), group_by=group_by, since=since, limit=limit))


@box.tool()
async def get_at_risk_tasks(rt: Runtime, days: Annotated[int, day_count("Due within this many "
                                                                   "days")] = 3,
                            where: Where = EVERYWHERE,
                            limit: Limit = 50) -> Result:
    """Which open tasks are due soon and may slip, and why?"""
    return await rt.read(lambda c: analytics.at_risk_tasks(
        c, where.scope(c), days=days, limit=limit))


@box.tool()
async def get_stale_tasks(rt: Runtime, days: Annotated[int, day_count("Untouched for this many "
                                                                 "days")] = 14,
                          where: Where = EVERYWHERE,
                          limit: Limit = 50) -> Result:
    """Which open or active tasks has nobody touched for a while?"""
    return await rt.read(lambda c: analytics.stale_tasks(
        c, where.scope(c), days=days, limit=limit))


@box.tool()
async def get_untracked_tasks(rt: Runtime,
                              status: Annotated[UntrackedStatus, Field(
                                  description="Which tasks: active (in progress), done, "
                                              "or any")] = "active",
                              where: Where = EVERYWHERE,
                              limit: Limit = 50) -> Result:
    """Which tasks have no time tracked at all, on them or their subtasks?"""
    return await rt.read(lambda c: analytics.untracked_tasks(
        c, where.scope(c), status=status, limit=limit))


@box.tool()
async def get_inactive_assignees(rt: Runtime,
                                 days: Annotated[int, day_count("Inactive this many days")
                                                 ] = 14,
                                 where: Where = EVERYWHERE,
                                 limit: Limit = 50) -> Result:
    """Who holds open tasks but tracked no time, commented or created nothing lately?"""
    return await rt.read(lambda c: analytics.inactive_assignees(
        c, where.scope(c), days=days, limit=limit))


@box.tool()
async def get_status_summary(rt: Runtime, where: Where = EVERYWHERE,
                             include_archived: Archived = False, limit: Limit = 50) -> Result:
    """How many tasks are in each status, and what share is done?"""
    return await rt.read(lambda c: analytics.status_summary(
        c, where.scope(c), include_archived=include_archived, limit=limit))
