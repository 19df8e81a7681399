"""Argument checks shared by the metrics, so every tool words the same mistake the same way.

Metrics are called from MCP tools, REST routes and Python alike; each checks its own
arguments here and raises `AnalyticsError` with a sentence the caller can act on, instead of
letting a bad value reach SQL.
"""

from __future__ import annotations

from typing import Any

import psycopg

from .scope import AnalyticsError, Person, Scope, resolve_person

MAX_LIMIT = 500
"""The most rows a metric returns; a larger ``limit`` is capped, not refused."""
NAME_CHARS = 200


def check_limit(limit: Any) -> int:
    """``limit`` as a row count: a whole number from 1; above `MAX_LIMIT` it is capped."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise AnalyticsError(f"limit must be a whole number from 1 to {MAX_LIMIT}; "
                             f"got {limit!r}")
    return min(limit, MAX_LIMIT)


def check_int(value: Any, name: str, low: int, high: int) -> int:
    """``value`` when it is a whole number in [low, high] (a window in days or weeks)."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise AnalyticsError(f"{name} must be a whole number from {low} to {high}; "
                             f"got {value!r}")
    return value


def check_choice(value: Any, name: str, choices: tuple[str, ...]) -> str:
    """``value`` when it is one of ``choices`` (a ``Literal`` argument given as text)."""
    if not isinstance(value, str) or value not in choices:
        raise AnalyticsError(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return value


def check_scope(scope: Any) -> Scope:
    """``scope`` when it is a `Scope`; names are resolved before a metric is called."""
    if not isinstance(scope, Scope):
        raise AnalyticsError("scope must be a Scope; resolve a name with resolve_scope() "
                             "or resolve_project() first")
    return scope


def check_person(conn: psycopg.Connection, person: Any, *,
                 required: bool = False) -> Person | None:
    """A `Person`, or one named by user id, email or name (`UnknownName` when nobody
    matches); None when no person is given and none is ``required``."""
    if person is None and not required:
        return None
    if isinstance(person, Person):
        return person
    if isinstance(person, str) and person.strip() and len(person) <= NAME_CHARS:
        return resolve_person(conn, person)
    raise AnalyticsError("person must be a member's name, email or user id (or a Person "
                         f"from resolve_person); got {person!r}")
