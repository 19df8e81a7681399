"""Time entries: each tracked interval, per user, as the sync stored it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from clickup_sync import analytics

from ..deps import Conn
from ..errors import INVALID
from ..models import Paged
from ..params import BIGINT_MAX, IdText, Instant, Limit, Offset, page_fields

router = APIRouter(prefix="/time-entries", tags=["records"], responses=INVALID)

When = Annotated[Instant | None, Query(description=(
    "ISO 8601 instant (without an offset: the configured timezone)"))]


class TimeEntry(BaseModel):
    id: str
    task_id: str | None = Field(description="Null for time tracked on no task")
    user_id: int = Field(description="ClickUp user id of who tracked it")
    user_name: str | None
    start_at: datetime
    end_at: datetime | None = Field(description="Null while the timer runs")
    duration_ms: int | None = Field(description="Null while the timer runs")
    is_running: bool
    billable: bool
    description: str | None
    tags: list[str]
    is_deleted: bool


class TimeEntryPage(Paged):
    time_entries: list[TimeEntry]


@router.get("", response_model=TimeEntryPage, summary="List time entries")
def list_time_entries(
    request: Request, conn: Conn,
    task: Annotated[IdText | None, Query(description="Task id")] = None,
    user: Annotated[int | None, Query(ge=0, le=BIGINT_MAX,
                                      description="ClickUp user id")] = None,
    since: When = None, until: When = None,
    include_deleted: Annotated[bool, Query(description="Include entries deleted in "
                                                       "ClickUp")] = False,
    limit: Limit = 100, offset: Offset = 0,
) -> TimeEntryPage:
    """Tracked intervals, one per user and interval (never merged), latest start first.

    `since`/`until` bound the start: `since` <= start < `until`.
    """
    where = analytics.EntryFilter(task_id=task, user_id=user, since=since, until=until,
                                include_deleted=include_deleted)
    page = analytics.time_entry_page(conn, where, limit=limit, offset=offset)
    return TimeEntryPage(time_entries=page.rows, **page_fields(  # type: ignore[arg-type]
        request, total=page.total, count=len(page.rows), limit=limit, offset=offset))
