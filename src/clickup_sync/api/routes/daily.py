"""The daily snapshot, as the original tool's `daily_syncs` table."""

from __future__ import annotations

from fastapi import APIRouter, Request

from clickup_sync import analytics

from ..deps import Conn
from ..errors import INVALID
from ..models import DailyPage
from ..params import Limit, Offset, page_fields

router = APIRouter(prefix="/daily-sync", tags=["tasks"], responses=INVALID)


@router.get("", response_model=DailyPage, summary="List today's snapshot")
def daily_sync(request: Request, conn: Conn, limit: Limit = 100,
               offset: Offset = 0) -> DailyPage:
    """Today's snapshot of every live task (`daily_syncs`), latest status change first.

    Empty until today's snapshot is taken (daily by `clickup-sync run`, or now by
    `POST /sync/daily`).
    """
    page = analytics.daily_sync_page(conn, limit=limit, offset=offset)
    return DailyPage(tasks=page.rows, **page_fields(  # type: ignore[arg-type]
        request, total=page.total, count=len(page.rows), limit=limit, offset=offset))
