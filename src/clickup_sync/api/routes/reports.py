"""Analytics of risk, people and projects: overdue, at risk, stale, blocked, workload,
reports (standup, weekly), project registry answers and sync freshness.

Like `analytics`, each route serves one `clickup_sync.analytics` function and returns its
`Result`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from clickup_sync import analytics
from clickup_sync.analytics import Result

from ..deps import Conn
from ..errors import INVALID
from ..params import Day, Name
from ._scope import InScope, PersonRef, Rows, days, person_of

router = APIRouter(prefix="/analytics", tags=["analytics"], responses=INVALID)
Week = Annotated[Day | None, Query(description="Any day of the ISO week, YYYY-MM-DD "
                                                "(default: the last full week)")]


@router.get("/overdue", summary="Overdue tasks")
def overdue(conn: Conn, where: InScope, person: PersonRef = None, limit: Rows = 50) -> Result:
    """Which open tasks are past their due date, and by how much?"""
    return analytics.overdue_tasks(conn, where.scope(conn), person=person_of(conn, person),
                                   limit=limit)


@router.get("/at-risk", summary="Tasks at risk")
def at_risk(conn: Conn, where: InScope,
            days: Annotated[int, days("Due within this many days")] = 3,
            limit: Rows = 50) -> Result:
    """Which open tasks are due soon and may slip, and why?"""
    return analytics.at_risk_tasks(conn, where.scope(conn), days=days, limit=limit)


@router.get("/stale", summary="Stale tasks")
def stale(conn: Conn, where: InScope,
          days: Annotated[int, days("Untouched for this many days")] = 14,
          limit: Rows = 50) -> Result:
    """Which open or active tasks has nobody touched for a while?"""
    return analytics.stale_tasks(conn, where.scope(conn), days=days, limit=limit)


@router.get("/blockers", summary="Blocked tasks")
def blockers(conn: Conn, where: InScope, limit: Rows = 50) -> Result:
    """What is blocked, why, and what blocks the most?"""
    return analytics.blockers(conn, where.scope(conn), limit=limit)


@router.get("/untracked", summary="Tasks without tracked time")
def untracked(conn: Conn, where: InScope,
              status: Annotated[Literal["active", "done", "any"], Query(description=(
                  "Which tasks: active (in progress), done, or any"))] = "active",
              limit: Rows = 50) -> Result:
    """Which tasks have no time tracked at all, on them or their subtasks?"""
    return analytics.untracked_tasks(conn, where.scope(conn), status=status, limit=limit)


@router.get("/inactive-assignees", summary="Inactive assignees")
def inactive_assignees(conn: Conn, where: InScope,
                       days: Annotated[int, days("Inactive this many days")] = 14,
                       limit: Rows = 50) -> Result:
    """Who holds open tasks but tracked no time, commented or created nothing lately?"""
    return analytics.inactive_assignees(conn, where.scope(conn), days=days, limit=limit)


@router.get("/workload", summary="Workload per person")
def workload(conn: Conn, where: InScope, limit: Rows = 50) -> Result:
    """Who carries how much open work, and who is overloaded?"""
    return analytics.workload(conn, where.scope(conn), limit=limit)


@router.get("/assigned-comments", summary="Assigned comments")
def assigned_comments(conn: Conn, where: InScope, person: PersonRef = None,
                      limit: Rows = 50) -> Result:
    """How many unresolved comments await each person (or list one person's)?"""
    return analytics.assigned_comments(conn, where.scope(conn),
                                       person=person_of(conn, person), limit=limit)


@router.get("/health-score", summary="Health score")
def health_score(conn: Conn, where: InScope) -> Result:
    """How healthy is the work, 0-100 with a grade, and what drives the score?"""
    return analytics.health_score(conn, where.scope(conn))


@router.get("/daily-standup", summary="Daily standup")
def daily_standup(conn: Conn, where: InScope,
                  day: Annotated[Day | None, Query(description=(
                      "Day whose work to report, YYYY-MM-DD (default: yesterday)"))] = None,
                  limit: Rows = 50) -> Result:
    """Per person: what got done yesterday, what is in progress, what is stuck?"""
    return analytics.daily_standup(conn, where.scope(conn), day=day, limit=limit)


@router.get("/weekly-digest", summary="Weekly digest")
def weekly_digest(conn: Conn, where: InScope, week: Week = None, limit: Rows = 50) -> Result:
    """What happened in a week: created, done, hours, who, overdue, blocked?"""
    return analytics.weekly_digest(conn, where.scope(conn), week=week, limit=limit)


@router.get("/weekly-report", summary="Weekly report")
def weekly_report(conn: Conn, where: InScope, week: Week = None, limit: Rows = 20) -> Result:
    """How did a week go, against the week before: done, hours, flow, risks, workload?"""
    return analytics.weekly_report(conn, where.scope(conn), week=week, limit=limit)


@router.get("/project-summary", summary="Project summary")
def project_summary(conn: Conn, where: InScope, limit: Rows = 20) -> Result:
    """Where does a project stand: status mix, overdue, blockers, health, hours?"""
    return analytics.project_summary(conn, where.scope(conn), limit=limit)


@router.get("/person-summary", summary="Person summary")
def person_summary(conn: Conn, person: Annotated[Name, Query(description=(
        "Person: name, email or ClickUp user id"))], limit: Rows = 20) -> Result:
    """What is on one person's plate: open, overdue, blocked work, hours, comments?"""
    return analytics.person_summary(conn, analytics.resolve_person(conn, person), limit=limit)


@router.get("/projects", summary="Registered projects")
def projects(conn: Conn) -> Result:
    """Which projects are registered, and what does each point at?"""
    return analytics.list_projects(conn)


@router.get("/projects/status", summary="Every project's status")
def projects_status(conn: Conn) -> Result:
    """How is every registered project doing, side by side?"""
    return analytics.all_projects_status(conn)


@router.get("/projects/candidates", summary="Project candidates")
def project_candidates(conn: Conn, limit: Rows = 50) -> Result:
    """Which Spaces, Folders or Lists look like projects worth registering?"""
    return analytics.discover_projects(conn, limit=limit)


@router.get("/project-status", summary="One project's status")
def project_status(conn: Conn, project: Annotated[Name, Query(description=(
        "Registered project name, or any Space, Folder or List name or id"))]) -> Result:
    """Where does one project stand: progress, overdue, recent work, tasks per status?"""
    return analytics.project_status(conn, project)


@router.get("/sync-status", summary="Sync status")
def sync_status(conn: Conn, limit: Annotated[int, Query(ge=1, le=100, description=(
        "Most runs to list"))] = 10) -> Result:
    """How current is the database: the last sync runs, lag, API calls and stored counts?"""
    return analytics.sync_status(conn, limit=limit)
