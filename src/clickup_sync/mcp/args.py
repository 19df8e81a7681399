"""The arguments tools share, annotated once: short descriptions, bounds, names or ids.

Every reference to a Space, Folder, List, project or person takes a name (matched
forgivingly) or an id. Text is bounded, so a hostile or runaway argument is refused by
validation before it reaches the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

import psycopg
from pydantic import Field

from clickup_sync import analytics
from clickup_sync.analytics import Person, Scope

NAME_MAX = 200

SpaceRef = Annotated[str | None, Field(description="Space name or id", max_length=NAME_MAX)]
FolderRef = Annotated[str | None, Field(description="Folder name or id", max_length=NAME_MAX)]
ListRef = Annotated[str | None, Field(description="List name or id", max_length=NAME_MAX)]
ProjectRef = Annotated[str | None, Field(
    description="Project name, or any Space, Folder or List name or id", max_length=NAME_MAX)]
ProjectName = Annotated[str, Field(
    description="Project name, or any Space, Folder or List name or id", min_length=1,
    max_length=NAME_MAX)]
PersonRef = Annotated[str | None, Field(description="Person: name, email or user id",
                                        max_length=NAME_MAX)]
TaskId = Annotated[str, Field(description="Task id (or custom id, or task URL)", min_length=1,
                              max_length=300)]
Limit = Annotated[int, Field(description="Most rows to return", ge=1, le=500)]
Since = Annotated[date | None, Field(description="From this date, YYYY-MM-DD")]
Until = Annotated[date | None, Field(description="Up to this date, YYYY-MM-DD")]
Archived = Annotated[bool, Field(description="Include archived items")]


def day_count(description: str, *, most: int = 365) -> Any:
    """A whole number of days, 1 to ``most``."""
    return Field(description=description, ge=1, le=most)


@dataclass(frozen=True, slots=True)
class Where:
    """The scope a question is about, as given: the most specific reference wins."""

    space: str | None = None
    folder: str | None = None
    list: str | None = None
    project: str | None = None

    def scope(self, conn: psycopg.Connection[Any]) -> Scope:
        """Resolve to a `Scope` (no reference: the whole Workspace); unknown names raise."""
        return analytics.resolve_scope(conn, space=self.space, folder=self.folder,
                                       list_=self.list, project=self.project)


EVERYWHERE = Where()
"""No scope given: the whole Workspace (the default of every ``where: Where`` argument)."""


def person_of(conn: psycopg.Connection[Any], ref: str | None) -> Person | None:
    """The member ``ref`` names, or None when no one is named."""
    return analytics.resolve_person(conn, ref) if ref else None
