"""Employees: the Workspace's members as the original tool served them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from clickup_sync import analytics

from ..deps import Conn
from ..errors import INVALID
from ..models import Employees

router = APIRouter(prefix="/employees", tags=["employees"], responses=INVALID)


@router.get("", response_model=Employees, summary="List employees")
def list_employees(conn: Conn, include_inactive: Annotated[bool, Query(description=(
        "Include members who left the Workspace (their time still counts)"))] = True
                   ) -> Employees:
    """Every member the sync has seen, by name: the original `{"count", "employees"}`."""
    rows = analytics.employee_rows(conn, include_inactive=include_inactive)
    for row in rows:
        row["clickup_user_id"] = str(row["clickup_user_id"])
    return Employees(count=len(rows), employees=rows)  # type: ignore[arg-type]
