"""The routers, one per resource; `DATA` need the API key once one is set, `OPEN` never."""

from . import (
    analytics,
    comments,
    daily,
    dependencies,
    employees,
    hierarchy,
    ops,
    reports,
    sync,
    tasks,
    time_entries,
)

DATA = [employees.router, tasks.router, dependencies.router, daily.router,
        time_entries.router, comments.router, hierarchy.router, sync.router,
        analytics.router, reports.router, ops.metrics_router]
OPEN = [ops.health_router]

__all__ = ["DATA", "OPEN"]
