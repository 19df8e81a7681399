"""Comments: on tasks and Lists, threaded replies included."""

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

router = APIRouter(prefix="/comments", tags=["records"], responses=INVALID)

When = Annotated[Instant | None, Query(description=(
    "ISO 8601 instant (without an offset: the configured timezone)"))]
User = Annotated[int | None, Query(ge=0, le=BIGINT_MAX)]


class Comment(BaseModel):
    id: str
    task_id: str | None = Field(description="Null for a comment on a List")
    list_id: str | None
    parent_comment_id: str | None = Field(description="Set on a threaded reply")
    user_id: int | None = Field(description="ClickUp user id of the author")
    user_name: str | None
    text: str
    date: datetime
    resolved: bool
    assignee_id: int | None = Field(description="ClickUp user id it is assigned to")
    assigned_by_id: int | None
    reply_count: int
    is_deleted: bool


class CommentPage(Paged):
    comments: list[Comment]


@router.get("", response_model=CommentPage, summary="List comments")
def list_comments(
    request: Request, conn: Conn,
    task: Annotated[IdText | None, Query(description="Task id")] = None,
    user: Annotated[int | None, Query(ge=0, le=BIGINT_MAX,
                                      description="Author's ClickUp user id")] = None,
    assignee: Annotated[int | None, Query(ge=0, le=BIGINT_MAX, description=(
        "ClickUp user id the comment is assigned to"))] = None,
    resolved: Annotated[bool | None, Query(description="true or false; unset: both")] = None,
    since: When = None, until: When = None,
    include_deleted: Annotated[bool, Query(description="Include deleted comments")] = False,
    limit: Limit = 100, offset: Offset = 0,
) -> CommentPage:
    """Comments, newest first; `since` <= date < `until`."""
    where = analytics.EntryFilter(task_id=task, user_id=user, since=since, until=until,
                                include_deleted=include_deleted)
    page = analytics.comment_page(conn, where, assignee_id=assignee, resolved=resolved,
                                limit=limit, offset=offset)
    return CommentPage(comments=page.rows, **page_fields(  # type: ignore[arg-type]
        request, total=page.total, count=len(page.rows), limit=limit, offset=offset))
