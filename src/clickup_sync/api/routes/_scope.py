"""What the analytics routes share: the scope a question is about, a person, a row limit.

Every route returns the analytics layer's `Result` (the MCP tools serve the same
functions, so both give the same numbers). Spaces, Folders, Lists, projects and people
are named by id or by name (matched forgivingly); an unknown or unclear name is 422 with
the closest candidates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import psycopg
from fastapi import Depends, Query

from clickup_sync import analytics
from clickup_sync.analytics import Person, Scope

from ..params import Day, Name

NameRef = Annotated[Name | None, Query()]


@dataclass(frozen=True, slots=True)
class Where:
    """The scope as given: the most specific reference wins; none: the whole Workspace."""

    space: str | None = None
    folder: str | None = None
    list: str | None = None
    project: str | None = None

    def scope(self, conn: psycopg.Connection[Any]) -> Scope:
        return analytics.resolve_scope(conn, space=self.space, folder=self.folder,
                                       list_=self.list, project=self.project)


async def where(  # async: resolving parameters needs no worker thread
    space: Annotated[Name | None, Query(description="Space name or id")] = None,
    folder: Annotated[Name | None, Query(description="Folder name or id")] = None,
    list_: Annotated[Name | None, Query(alias="list", description="List name or id")] = None,
    project: Annotated[Name | None, Query(description=(
        "Registered project name, or any Space, Folder or List name or id"))] = None,
) -> Where:
    return Where(space, folder, list_, project)


def person_of(conn: psycopg.Connection[Any], ref: str | None) -> Person | None:
    return analytics.resolve_person(conn, ref) if ref else None


InScope = Annotated[Where, Depends(where)]
PersonRef = Annotated[Name | None, Query(description="Person: name, email or ClickUp user id")]
Rows = Annotated[int, Query(ge=1, le=1_000_000,
                            description="Most rows in the table (above 500: 500)")]
Since = Annotated[Day | None, Query(description="From this day, YYYY-MM-DD")]
Until = Annotated[Day | None, Query(description="Up to this day, YYYY-MM-DD")]


def days(description: str, most: int = 365) -> Any:
    return Query(ge=1, le=most, description=description)
