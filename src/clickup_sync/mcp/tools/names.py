"""The names the Workspace knows, for clients that recognise them in a question."""

from __future__ import annotations

from clickup_sync import analytics
from clickup_sync.analytics import Result

from ..registry import Toolbox
from ..runtime import Runtime

box = Toolbox()


@box.tool()
async def list_names(rt: Runtime) -> Result:
    """Which people, Spaces, Folders, Lists, projects and statuses can a question name?"""
    return await rt.read(analytics.known_names)
