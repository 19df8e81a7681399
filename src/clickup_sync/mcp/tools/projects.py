"""The one project registry: names for Spaces, Folders or Lists, kept in the database.

The original had two registries (one in memory, lost on restart; one in a JSON file);
`map_project`, `list_mapped_projects`, `get_mapped_project` and `unmap_project` now use
the same registry as `add_project` and friends.
"""

from __future__ import annotations

from typing import Annotated, Any

import psycopg
from pydantic import Field

from clickup_sync import analytics
from clickup_sync.analytics import Result

from ..args import NAME_MAX, FolderRef, Limit, ListRef, ProjectName, SpaceRef, Where
from ..registry import Toolbox
from ..results import noted
from ..runtime import Runtime, ToolFailure

box = Toolbox()

NewName = Annotated[str | None, Field(description="Project name (default: the target's name)",
                                      max_length=NAME_MAX)]
Registered = Annotated[str, Field(description="Registered project name", min_length=1,
                                  max_length=NAME_MAX)]


@box.tool()
async def discover_projects(rt: Runtime, limit: Limit = 50) -> Result:
    """Which Spaces, Folders or Lists look like projects worth registering?"""
    return await rt.read(lambda c: analytics.discover_projects(c, limit=limit))


@box.tool(read_only=False, idempotent=False)
async def add_project(rt: Runtime, name: NewName = None, space: SpaceRef = None,
                      folder: FolderRef = None, list: ListRef = None) -> Result:
    """Register a project: a name for a Space, Folder or List (give one of them)."""
    if not (space or folder or list):
        raise ToolFailure("say which Space, Folder or List the project is (space, folder or "
                          "list: a name or id)")

    def add(c: psycopg.Connection[Any]) -> Result:
        scope = Where(space, folder, list).scope(c)
        return analytics.add_project(c, name or scope.label.removeprefix(f"{scope.kind} "),
                                     scope)

    return await rt.read(add)


box.alias("map_project", add_project,
          "Register a project for a Space, Folder or List (same as add_project).")


@box.tool()
async def list_projects(rt: Runtime) -> Result:
    """Which projects are registered, and what does each point at?"""
    return await rt.read(analytics.list_projects)


box.alias("list_mapped_projects", list_projects,
          "Which projects are registered? (same as list_projects)")


@box.tool(read_only=False, destructive=True)
async def remove_project(rt: Runtime, name: Registered) -> Result:
    """Unregister a project (its Space, Folder or List and tasks stay as they are)."""
    return await rt.read(lambda c: analytics.remove_project(c, name))


box.alias("unmap_project", remove_project,
          "Unregister a project (same as remove_project).")


@box.tool()
async def refresh_projects(rt: Runtime, limit: Limit = 50) -> Result:
    """Which Spaces, Folders or Lists could be projects now? (re-discovers candidates)"""
    result = await rt.read(lambda c: analytics.discover_projects(c, limit=limit))
    return noted(result, "nothing to refresh: registered projects point at ids kept current "
                         "by the sync, and names resolve on every question; these are the "
                         "current candidates")


@box.tool()
async def get_project_status(rt: Runtime, project: ProjectName) -> Result:
    """Where does one project stand: progress, overdue, recent work, tasks per status?"""
    return await rt.read(lambda c: analytics.project_status(c, project))


box.alias("get_mapped_project", get_project_status,
          "What is a registered project and how is it doing? (same as get_project_status)")


@box.tool()
async def get_all_projects_status(rt: Runtime) -> Result:
    """How is every registered project doing, side by side?"""
    return await rt.read(analytics.all_projects_status)
