"""Tool declarations, free of any MCP framework: a function, its name and its hints.

Each tool module fills a `Toolbox`; `server` turns the declarations into MCP tools. A tool
function is ``async def tool(rt: Runtime, <flat, annotated arguments>) -> Result``; the first
line of its docstring is the question it answers and becomes the tool's description.

Most questions can be asked of the whole Workspace or of one Space, Folder, List or project.
Such a tool takes one parameter ``where: Where``; the declaration turns it into the four flat
arguments a model sees (``space``, ``folder``, ``list``, ``project``, each optional, in its
place) and hands the function the `Where` they make, so no tool repeats them.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from .args import FolderRef, ListRef, ProjectRef, SpaceRef, Where

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
            fn = _flat_scope(fn)
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


SCOPE_ARGUMENTS = {"space": SpaceRef, "folder": FolderRef, "list": ListRef,
                   "project": ProjectRef}
"""The flat arguments a ``where: Where`` parameter stands for, in the order models see."""


def _flat_scope(fn: ToolFn) -> ToolFn:
    """``fn`` itself, or, when it takes a ``Where``, a tool taking the four scope arguments
    in its place (its signature and hints say so, for the schema) that calls ``fn``."""
    hints = typing.get_type_hints(fn, include_extras=True)
    wheres = [name for name, hint in hints.items() if hint is Where]
    if not wheres:
        return fn
    (where,) = wheres
    params: list[inspect.Parameter] = []
    for p in inspect.signature(fn).parameters.values():
        if p.name != where:
            params.append(p.replace(annotation=hints.get(p.name, p.annotation)))
            continue
        params += [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None,
                                     annotation=hint) for n, hint in SCOPE_ARGUMENTS.items()]

    @functools.wraps(fn)
    async def tool(rt: Any, **arguments: Any) -> Any:
        refs = [arguments.pop(n, None) for n in SCOPE_ARGUMENTS]
        return await fn(rt, **{where: Where(*refs)}, **arguments)

    del tool.__wrapped__  # type: ignore[attr-defined]  # the schema comes from `tool` itself
    tool.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        params, return_annotation=hints.get("return", inspect.Signature.empty))
    tool.__annotations__ = {p.name: p.annotation for p in params[1:]}
    return tool
