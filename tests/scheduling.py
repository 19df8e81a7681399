"""How pytest-xdist shares the suite among its workers (``--dist loadscope``, our scopes).

xdist's own loadscope sends a module (a class) to one worker at a time. Ours sends a whole
room where the room's session fixtures sync a workspace and serve it (tens of seconds each):
one worker builds them once, instead of every worker that gets one of the room's modules.
Elsewhere the unit is a module, so module fixtures are built once too. Node ids are left
as they are (``--lf`` and ``-k`` work as without workers).
"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling

ROOMS_AS_ONE = frozenset({"analytics", "api", "assistant", "mcp"})


def scope_of(nodeid: str) -> str:
    """The unit of work ``nodeid`` belongs to: ``tests/<room>`` or its module's path."""
    module = nodeid.split("::", 1)[0]
    parts = module.split("/")
    if len(parts) > 2 and parts[0] == "tests" and parts[1] in ROOMS_AS_ONE:
        return f"tests/{parts[1]}"
    return module


class RoomScheduling(LoadScopeScheduling):
    """xdist's loadscope scheduling with `scope_of` as the scope (largest scopes first)."""

    def _split_scope(self, nodeid: str) -> str:
        return scope_of(nodeid)
