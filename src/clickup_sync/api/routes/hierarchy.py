"""The hierarchy: Spaces › Folders › Lists, with task counts and each List's statuses."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from clickup_sync import analytics

from ..deps import Conn
from ..errors import INVALID

router = APIRouter(prefix="/hierarchy", tags=["records"], responses=INVALID)


class ListStatus(BaseModel):
    status: str
    type: str = Field(description="open, custom, done or closed")
    color: str | None
    orderindex: int


class ListNode(BaseModel):
    id: str
    name: str
    archived: bool
    task_count: int = Field(description="Live tasks whose home is this List")
    statuses: list[ListStatus] = Field(description="The workflow the List uses")


class FolderNode(BaseModel):
    id: str
    name: str
    hidden: bool
    archived: bool
    lists: list[ListNode]


class SpaceNode(BaseModel):
    id: str
    name: str
    private: bool
    archived: bool
    folders: list[FolderNode]
    lists: list[ListNode] = Field(description="Lists outside any Folder")


class Hierarchy(BaseModel):
    spaces: list[SpaceNode]


@router.get("", response_model=Hierarchy, summary="Get the hierarchy")
def get_hierarchy(conn: Conn, include_archived: Annotated[bool, Query(description=(
        "Include archived Spaces, Folders, Lists and tasks"))] = False) -> Hierarchy:
    """The Workspace's Spaces, their Folders and Lists, with live task counts."""
    return Hierarchy(spaces=analytics.hierarchy_tree(  # type: ignore[arg-type]
        conn, include_archived=include_archived))
