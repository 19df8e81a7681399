"""Reports (weekly, per person, per project) and read-only SQL for what no tool answers."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from clickup_sync import analytics
from clickup_sync.analytics import Result

from ..args import (
    EVERYWHERE,
    NAME_MAX,
    FolderRef,
    Limit,
    ListRef,
    ProjectRef,
    SpaceRef,
    Where,
)
from ..registry import Toolbox
from ..runtime import Runtime
from .intelligence import Week

box = Toolbox()


@box.tool()
async def run_sql(rt: Runtime,
                  query: Annotated[str, Field(description="One read-only SELECT over the "
                                              "mirror (tables clickup_tasks, time_entries, "
                                              "comments, employees...; view tasks)",
                                              min_length=1, max_length=10_000)],
                  limit: Limit = 100) -> Result:
    """What does this read-only SQL query return? (for questions no other tool answers)"""
    return await rt.read(lambda c: analytics.run_sql(c, query, limit=limit))


@box.tool()
async def get_weekly_report(rt: Runtime, week: Week = None, where: Where = EVERYWHERE,
                            limit: Limit = 20) -> Result:
    """How did a week go, against the week before: done, hours, flow, risks, workload?"""
    return await rt.read(lambda c: analytics.weekly_report(
        c, where.scope(c), week=week, limit=limit))


@box.tool()
async def get_person_summary(rt: Runtime,
                             person: Annotated[str, Field(
                                 description="Person: name, email or user id", min_length=1,
                                 max_length=NAME_MAX)],
                             limit: Limit = 20) -> Result:
    """What is on one person's plate: open, overdue, blocked work, hours, comments?"""
    return await rt.read(lambda c: analytics.person_summary(
        c, analytics.resolve_person(c, person), limit=limit))


@box.tool()
async def get_project_summary(rt: Runtime, project: ProjectRef = None, space: SpaceRef = None,
                              folder: FolderRef = None, list: ListRef = None,
                              limit: Limit = 20) -> Result:
    """Where does a project stand: status mix, overdue, blockers, health, hours?"""
    where = Where(space, folder, list, project)  # project first: the question names one
    return await rt.read(lambda c: analytics.project_summary(c, where.scope(c), limit=limit))
