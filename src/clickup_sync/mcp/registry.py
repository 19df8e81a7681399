"""Tool declarations, free of any MCP framework: a function, its name and its hints.

Each tool module fills a `Toolbox`; `server` turns the declarations into MCP tools. A tool
function is ``async def tool(rt: Runtime, <flat, annotated arguments>) -> Result``; the first
line of its docstring is the question it answers and becomes the tool's description.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

ToolFn = Callable[..., Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class ToolSpec:
    """One tool: what it runs and how it touches the world (MCP's annotation hints)."""

    name: str
    fn: ToolFn
    read_only: bool = True
    destructive: bool = False
    idempotent: bool = True
    open_world: bool = False

    @property
    def description(self) -> str:
        return inspect.cleandoc(self.fn.__doc__ or "")


@dataclass
class Toolbox:
    """The tools one module declares, in declaration order."""

    specs: list[ToolSpec] = field(default_factory=list)

    def tool(self, name: str | None = None, *, read_only: bool = True,
             destructive: bool = False, idempotent: bool = True,
             open_world: bool = False) -> Callable[[ToolFn], ToolFn]:
        """Declare the decorated function as a tool (named after it unless ``name``)."""

        def declare(fn: ToolFn) -> ToolFn:
            self.specs.append(ToolSpec(name or fn.__name__, fn, read_only, destructive,
                                       idempotent, open_world))
            return fn

        return declare

    def alias(self, name: str, fn: ToolFn, doc: str) -> None:
        """Declare ``fn`` once more under another (original) name, with its own description."""
        original = next(s for s in self.specs if s.fn is fn)

        async def alias(*args: Any, **kwargs: Any) -> Any:
            return await fn(*args, **kwargs)

        alias.__doc__ = doc
        alias.__wrapped__ = fn  # type: ignore[attr-defined]  # signature and hints from fn
        self.specs.append(ToolSpec(name, alias, original.read_only, original.destructive,
                                   original.idempotent, original.open_world))
