"""Freshness and syncing, under the original `sync_mapping` and cache names.

The original kept caches (an `lru_cache`, a JSON file) these tools cleared or pruned. Here
the database is the mirror and there is no cache: each tool does the nearest useful thing
(sync now when ClickUp is configured, otherwise report how fresh the data is) and says so.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from clickup_sync import analytics
from clickup_sync.analytics import Result

from ..args import Limit, ProjectRef, Where
from ..registry import Toolbox
from ..results import from_run, noted
from ..runtime import Runtime

box = Toolbox()

NO_CACHE = "there is no cache: the database is the mirror, kept current by the sync"
NOT_CONFIGURED = ("ClickUp is not configured for this server (no CLICKUP_API_TOKEN), so "
                  "nothing was synced; this is how fresh the data is")


@box.tool()
async def get_sync_status(rt: Runtime, limit: Limit = 10) -> Result:
    """How fresh is the data: last syncs, their results, and the lag?"""
    return await rt.read(lambda c: analytics.sync_status(c, limit=limit))


async def _sync_or_status(rt: Runtime, *, full: bool, why: str, done: str) -> Result:
    """Sync now when ClickUp is configured (note ``why`` and ``done``), else report status."""
    if not rt.clickup_configured:
        return noted(await get_sync_status(rt), why, NOT_CONFIGURED)
    return from_run(await rt.sync_now(full=full), f"{why}; {done}")


@box.tool(read_only=False, open_world=True)
async def invalidate_cache(rt: Runtime) -> Result:
    """Bring the data up to date now (runs an incremental sync when ClickUp is set up)."""
    return await _sync_or_status(rt, full=False, why=NO_CACHE,
                                 done="ran an incremental sync instead")


@box.tool(read_only=False, open_world=True)
async def refresh_project(rt: Runtime, project: ProjectRef = None) -> Result:
    """Bring a project's data up to date now (an incremental sync of the Workspace)."""
    if project:  # an unknown name fails here, with candidates
        await rt.read(lambda c: Where(project=project).scope(c))
    return await _sync_or_status(rt, full=False, why="projects are read from the mirror",
                                 done="ran an incremental sync, which covers every project")


@box.tool(read_only=False, open_world=True)
async def clear_sync(rt: Runtime,
                     confirm: Annotated[bool, Field(
                         description="true: re-read everything from ClickUp now (a full "
                                     "sync; nothing is deleted)")] = False) -> Result:
    """Re-read the whole Workspace from ClickUp (a full sync); nothing is wiped."""
    why = (NO_CACHE + "; nothing is wiped. To re-read everything, a full sync re-reads "
           "every task and marks the deleted ones")
    if not confirm:
        return noted(await get_sync_status(rt), why, "call again with confirm=true to run it")
    return await _sync_or_status(rt, full=True, why=why, done="ran a full sync")


@box.tool()
async def prune_cache(rt: Runtime) -> Result:
    """How fresh is the data? (there is no cache to prune)"""
    return noted(await get_sync_status(rt), NO_CACHE + "; nothing to prune. Data freshness:")
