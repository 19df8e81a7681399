"""Parameters the routes share, annotated once: ids, names, paging, and the next link.

Every text parameter is bounded and refuses control characters, and every number has a
range, so a malformed request gets 422 from validation and never reaches the database.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Path, Query, Request
from pydantic import BeforeValidator, StringConstraints

from clickup_sync.analytics import MAX_PAGE

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
"""ClickUp ids: task ids (``86c0a1b2c``), custom ids (``DEV-42``), numeric ids."""
TEXT_PATTERN = r"^[^\x00-\x1f\x7f]*$"
NAME_MAX = 200
BIGINT_MAX = 2**63 - 1

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
                          r"([Zz]|[+-]\d{2}:?\d{2})?")


def _iso(pattern: re.Pattern[str], example: str) -> Any:
    """Accept only ISO 8601 text (pydantic alone would also read numbers as Unix times)."""

    def check(value: Any) -> Any:
        if isinstance(value, str) and not pattern.fullmatch(value.strip()):
            raise ValueError(f"use ISO 8601, such as {example}")
        return value

    return BeforeValidator(check)


Day = Annotated[date, _iso(_ISO_DAY, "2026-03-31")]
"""A calendar day, YYYY-MM-DD."""
Instant = Annotated[datetime, _iso(_ISO_INSTANT, "2026-03-31T09:30:00+05:30")]
"""An instant, ISO 8601; without an offset it is read in the configured timezone."""

TaskIdPath = Annotated[str, Path(
    description="ClickUp task id", pattern=ID_PATTERN, examples=["86c0a1b2c"])]
IdText = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX,
                                        pattern=TEXT_PATTERN)]
UserId = Annotated[int, Query(ge=0, le=BIGINT_MAX, description="ClickUp user id",
                              examples=[81234567])]

Limit = Annotated[int, Query(
    ge=1, le=1_000_000, description=f"Rows per page, default 100; above {MAX_PAGE} the page "
                                    f"holds {MAX_PAGE} (the response says which `limit` "
                                    "applied).")]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000,
                              description="Rows to skip (follow `next` to page).")]


def page_fields(request: Request, *, total: int, count: int, limit: int,
                offset: int) -> dict[str, Any]:
    """``count``, ``limit`` (as applied), ``offset``, ``total`` and the ``next`` link."""
    limit = min(limit, MAX_PAGE)
    following = offset + limit
    nxt = None
    if following < total:
        query = request.url.include_query_params(offset=following, limit=limit).query
        nxt = f"{request.url.path}?{query}"
    return {"count": count, "limit": limit, "offset": offset, "total": total, "next": nxt}
