"""What the assistant knows of the tools and of the workspace's names, as plain data.

The router, the loop and the evaluation share these shapes; they are filled from the MCP
server (``tools/list`` and the names it knows), never from the database directly, so the
assistant works the same against an in-process server or a remote ``--mcp-url``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

EntityKind = Literal["person", "space", "folder", "list", "project", "status"]


@dataclass(frozen=True, slots=True)
class ToolInfo:
    """One MCP tool as listed by the server: name, one-line description, argument schema."""

    name: str
    description: str
    input_schema: dict[str, Any] = field(default_factory=dict)
    read_only: bool = True


@dataclass(frozen=True, slots=True)
class Entity:
    """A name the workspace knows (a person, a Space, a project, a status…) and its id."""

    kind: EntityKind
    name: str
    id: str = ""


@dataclass(frozen=True, slots=True)
class ToolOutput:
    """What one tool call returned: its text (what the model reads) and structured data."""

    text: str
    data: dict[str, Any] | None = None
    is_error: bool = False
