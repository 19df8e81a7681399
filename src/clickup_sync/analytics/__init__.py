"""Analytics: every metric one function over PostgreSQL, shared by REST, MCP and reports,
so their numbers never disagree. Definitions are in docs/metrics.md."""

from .composite import person_summary, project_summary, weekly_report
from .flow import burndown, cumulative_flow, progress_since, throughput
from .health import health_score
from .history import aging, bottlenecks, lead_cycle_time, time_in_status
from .projects import (
    add_project,
    all_projects_status,
    discover_projects,
    list_projects,
    project_status,
    remove_project,
)
from .reports import daily_standup, weekly_digest
from .result import Result
from .risk import at_risk_tasks, blockers, overdue_tasks, stale_tasks
from .scope import (
    WORKSPACE,
    AnalyticsError,
    Person,
    Scope,
    UnknownName,
    resolve_person,
    resolve_project,
    resolve_scope,
)
from .sql import run_sql
from .status import status_summary
from .syncinfo import sync_status
from .tasks import get_task, get_tasks, search_tasks
from .time import estimation_accuracy, task_time_breakdown, time_tracked
from .workload import assigned_comments, inactive_assignees, untracked_tasks, workload
from .workspace import (
    folder_detail,
    folders,
    hierarchy,
    list_detail,
    list_statuses,
    lists,
    space_detail,
    spaces,
    workspaces,
)

__all__ = [
    "WORKSPACE",
    "AnalyticsError",
    "Person",
    "Result",
    "Scope",
    "UnknownName",
    "add_project",
    "aging",
    "all_projects_status",
    "assigned_comments",
    "at_risk_tasks",
    "blockers",
    "bottlenecks",
    "burndown",
    "cumulative_flow",
    "daily_standup",
    "discover_projects",
    "estimation_accuracy",
    "folder_detail",
    "folders",
    "get_task",
    "get_tasks",
    "health_score",
    "hierarchy",
    "inactive_assignees",
    "lead_cycle_time",
    "list_detail",
    "list_projects",
    "list_statuses",
    "lists",
    "overdue_tasks",
    "person_summary",
    "progress_since",
    "project_status",
    "project_summary",
    "remove_project",
    "resolve_person",
    "resolve_project",
    "resolve_scope",
    "run_sql",
    "search_tasks",
    "space_detail",
    "spaces",
    "stale_tasks",
    "status_summary",
    "sync_status",
    "task_time_breakdown",
    "throughput",
    "time_in_status",
    "time_tracked",
    "untracked_tasks",
    "weekly_digest",
    "weekly_report",
    "workload",
    "workspaces",
]
