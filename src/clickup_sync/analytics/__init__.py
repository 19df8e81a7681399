"""Analytics: every metric one function over PostgreSQL, shared by REST, MCP and reports,
so their numbers never disagree. Definitions are in docs/metrics.md."""

from .result import Result
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
from .status import status_summary

__all__ = [
    "WORKSPACE",
    "AnalyticsError",
    "Person",
    "Result",
    "Scope",
    "UnknownName",
    "resolve_person",
    "resolve_project",
    "resolve_scope",
    "status_summary",
]
