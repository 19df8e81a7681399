"""Per-project answers under the original `project_intelligence` names.

Each takes one ``project``: a registered project, or any Space, Folder or List by name or
id (the original resolved only registered projects or exact List names).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

from clickup_sync import analytics
from clickup_sync.analytics import Result

from ..args import Limit, PersonRef, ProjectName, Until, Where, day_count, person_of
from ..args import Since as SinceArg
from ..registry import Toolbox
from ..runtime import Runtime
from .metrics import GroupByArg

box = Toolbox()
Week = Annotated[date | None, Field(description="Any day of the ISO week, YYYY-MM-DD "
                                                "(default: the last full week)")]


@box.tool()
async def get_project_statuses(rt: Runtime, project: ProjectName, limit: Limit = 50) -> Result:
    """How many of a project's tasks are in each status?"""
    return await rt.read(lambda c: analytics.status_summary(
        c, Where(project=project).scope(c), limit=limit))


@box.tool()
async def get_project_health_score(rt: Runtime, project: ProjectName) -> Result:
    """How healthy is a project, 0-100 with a grade, and what drives the score?"""
    return await rt.read(lambda c: analytics.health_score(c, Where(project=project).scope(c)))


@box.tool()
async def get_project_daily_standup(rt: Runtime, project: ProjectName,
                                    day: Annotated[date | None, Field(
                                        description="Day whose work to report, "
                                                    "YYYY-MM-DD (default: yesterday)")] = None,
                                    limit: Limit = 50) -> Result:
    """Per person: what got done yesterday, what is in progress, what is stuck?"""
    return await rt.read(lambda c: analytics.daily_standup(
        c, Where(project=project).scope(c), day=day, limit=limit))


@box.tool()
async def get_project_time_tracking(rt: Runtime, project: ProjectName,
                                    group_by: GroupByArg = "person", since: SinceArg = None,
                                    until: Until = None, person: PersonRef = None,
                                    limit: Limit = 50) -> Result:
    """How many hours were tracked on a project, per person, task, List or period?"""
    return await rt.read(lambda c: analytics.time_tracked(
        c, Where(project=project).scope(c), group_by=group_by, since=since, until=until,
        person=person_of(c, person), limit=limit))


@box.tool()
async def get_project_blockers(rt: Runtime, project: ProjectName, limit: Limit = 50) -> Result:
    """What is blocked in a project, why, and what blocks the most?"""
    return await rt.read(lambda c: analytics.blockers(
        c, Where(project=project).scope(c), limit=limit))


@box.tool()
async def get_project_at_risk(rt: Runtime, project: ProjectName,
                              days: Annotated[int, day_count("Due within this many days")] = 3,
                              limit: Limit = 50) -> Result:
    """Which of a project's open tasks are due soon and may slip?"""
    return await rt.read(lambda c: analytics.at_risk_tasks(
        c, Where(project=project).scope(c), days=days, limit=limit))


@box.tool()
async def get_project_weekly_digest(rt: Runtime, project: ProjectName, week: Week = None,
                                    limit: Limit = 50) -> Result:
    """What happened in a project in a week: created, done, hours, who, overdue, blocked?"""
    return await rt.read(lambda c: analytics.weekly_digest(
        c, Where(project=project).scope(c), week=week, limit=limit))


@box.tool()
async def get_project_team_workload(rt: Runtime, project: ProjectName,
                                    limit: Limit = 50) -> Result:
    """Who carries how much of a project's open work, and who is overloaded?"""
    return await rt.read(lambda c: analytics.workload(
        c, Where(project=project).scope(c), limit=limit))
