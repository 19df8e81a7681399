"""The Workspace's structure: Spaces, Folders, Lists and their statuses, from the mirror.

The original tools (`workspace_structure`, part of `sync_mapping`) read ClickUp live, with
full-workspace scans on every miss; these read the database and accept names or ids.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from clickup_sync import analytics
from clickup_sync.analytics import Result

from ..args import NAME_MAX, Archived, FolderRef, Limit, SpaceRef, Where
from ..registry import Toolbox
from ..runtime import Runtime

box = Toolbox()

SpaceName = Annotated[str, Field(description="Space name or id", min_length=1,
                                 max_length=NAME_MAX)]
FolderName = Annotated[str, Field(description="Folder name or id", min_length=1,
                                  max_length=NAME_MAX)]
ListName = Annotated[str, Field(description="List name or id", min_length=1,
                                max_length=NAME_MAX)]


@box.tool()
async def get_workspaces(rt: Runtime) -> Result:
    """Which Workspace is mirrored here, and how big is it?"""
    return await rt.read(analytics.workspaces)


@box.tool()
async def get_spaces(rt: Runtime, include_archived: Archived = False,
                     limit: Limit = 50) -> Result:
    """Which Spaces are there, with their Folders, Lists and task progress?"""
    return await rt.read(lambda c: analytics.spaces(
        c, include_archived=include_archived, limit=limit))


box.alias("list_spaces", get_spaces, "Which Spaces are there? (same as get_spaces)")


@box.tool()
async def get_space(rt: Runtime, space: SpaceName) -> Result:
    """What is in one Space: its Folders and folderless Lists, with task progress?"""
    return await rt.read(lambda c: analytics.space_detail(c, Where(space=space).scope(c)))


@box.tool()
async def get_folders(rt: Runtime, space: SpaceRef = None, include_archived: Archived = False,
                      limit: Limit = 50) -> Result:
    """Which Folders are there (in a Space, or everywhere), with their Lists?"""
    return await rt.read(lambda c: analytics.folders(
        c, Where(space=space).scope(c), include_archived=include_archived, limit=limit))


@box.tool()
async def get_folder(rt: Runtime, folder: FolderName) -> Result:
    """What is in one Folder: its Lists, with task progress and totals?"""
    return await rt.read(lambda c: analytics.folder_detail(c, Where(folder=folder).scope(c)))


@box.tool()
async def get_lists(rt: Runtime, space: SpaceRef = None, folder: FolderRef = None,
                    include_archived: Archived = False, limit: Limit = 50) -> Result:
    """Which Lists are there (in a Folder or Space, or everywhere), with task counts?"""
    return await rt.read(lambda c: analytics.lists(
        c, Where(space=space, folder=folder).scope(c), include_archived=include_archived,
        folderless_only=False, limit=limit))


@box.tool()
async def get_folderless_lists(rt: Runtime, space: SpaceRef = None,
                               include_archived: Archived = False, limit: Limit = 50) -> Result:
    """Which Lists sit directly in a Space, outside any Folder?"""
    return await rt.read(lambda c: analytics.lists(
        c, Where(space=space).scope(c), include_archived=include_archived,
        folderless_only=True, limit=limit))


box.alias("get_workspace_folderless_lists", get_folderless_lists,
          "Which Lists sit outside any Folder, in every Space? (same as get_folderless_lists)")


@box.tool()
async def get_list(rt: Runtime, list: ListName) -> Result:
    """Where does one List stand: its workflow, tasks in each status, totals?"""
    return await rt.read(lambda c: analytics.list_detail(c, Where(list=list).scope(c)))


@box.tool()
async def get_list_defined_statuses(rt: Runtime, list: ListName) -> Result:
    """Which statuses does a List use, in order, with their type (open, active, done)?"""
    return await rt.read(lambda c: analytics.list_statuses(c, Where(list=list).scope(c)))


@box.tool()
async def discover_hierarchy(rt: Runtime, include_archived: Archived = False,
                             limit: Annotated[int, Field(description="Most rows to return",
                                                         ge=1, le=500)] = 200) -> Result:
    """How is the Workspace organised: every Space, Folder and List, with ids?"""
    return await rt.read(lambda c: analytics.hierarchy(
        c, include_archived=include_archived, limit=limit))
