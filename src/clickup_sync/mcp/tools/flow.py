"""Flow metrics the original tool never had: cycle time, time in status, throughput, aging,
bottlenecks, cumulative flow, burndown, and comments assigned to people."""

from __future__ import annotations

from typing import Annotated

from clickup_sync import analytics
from clickup_sync.analytics import Result

from ..args import (
    EVERYWHERE,
    Limit,
    PersonRef,
    Where,
    day_count,
    person_of,
)
from ..args import Since as SinceArg
from ..registry import Toolbox
from ..runtime import Runtime

box = Toolbox()

Window = Annotated[int, day_count("Days back from today", most=366)]


@box.tool()
async def get_lead_cycle_time(rt: Runtime, since: SinceArg = None, where: Where = EVERYWHERE,
                              limit: Limit = 50) -> Result:
    """How long do tasks take from creation (lead) and from start (cycle) to done?"""
    return await rt.read(lambda c: analytics.lead_cycle_time(
        c, where.scope(c), since=since, limit=limit))


@box.tool()
async def get_time_in_status(rt: Runtime, since: SinceArg = None, where: Where = EVERYWHERE,
                             limit: Limit = 50) -> Result:
    """How many days do tasks spend in each status?"""
    return await rt.read(lambda c: analytics.time_in_status(
        c, where.scope(c), since=since, limit=limit))


@box.tool()
async def get_cumulative_flow(rt: Runtime, days: Window = 30, where: Where = EVERYWHERE,
                              limit: Limit = 50) -> Result:
    """How many tasks were in each status on each day (cumulative flow)?"""
    return await rt.read(lambda c: analytics.cumulative_flow(
        c, where.scope(c), days=days, limit=limit))


@box.tool()
async def get_burndown(rt: Runtime, days: Window = 14, where: Where = EVERYWHERE,
                       limit: Limit = 50) -> Result:
    """How much work remained each day (tasks and estimate), against the total?"""
    return await rt.read(lambda c: analytics.burndown(
        c, where.scope(c), days=days, limit=limit))


@box.tool()
async def get_throughput(rt: Runtime,
                         weeks: Annotated[int, day_count("ISO weeks back, this one included",
                                                         most=104)] = 8,
                         where: Where = EVERYWHERE,
                         limit: Limit = 50) -> Result:
    """How many tasks were completed each week, and is it trending up or down?"""
    return await rt.read(lambda c: analytics.throughput(
        c, where.scope(c), weeks=weeks, limit=limit))


@box.tool()
async def get_aging(rt: Runtime, where: Where = EVERYWHERE,
                    limit: Limit = 50) -> Result:
    """Which open tasks have sat longest in their current status?"""
    return await rt.read(lambda c: analytics.aging(c, where.scope(c), limit=limit))


@box.tool()
async def get_bottlenecks(rt: Runtime, where: Where = EVERYWHERE,
                          limit: Limit = 50) -> Result:
    """In which statuses does work wait longest?"""
    return await rt.read(lambda c: analytics.bottlenecks(c, where.scope(c), limit=limit))


@box.tool()
async def get_assigned_comments(rt: Runtime, person: PersonRef = None, where: Where = EVERYWHERE,
                                limit: Limit = 50) -> Result:
    """How many unresolved comments await each person (or list one person's)?"""
    return await rt.read(lambda c: analytics.assigned_comments(
        c, where.scope(c), person=person_of(c, person), limit=limit))
