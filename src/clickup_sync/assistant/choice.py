"""Read the model's choice from its reply, whatever shape it came in, and check it.

Servers and small models answer in several shapes: native tool calls, the structured JSON
the loop asked for, or a JSON call written into plain text (fenced or not). Each becomes a
`Choice`: the calls proposed, or words instead of a call, or the reason it cannot be read.
`check` then holds a call to the tool's own argument schema before anything runs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator
from openai.types.chat import ChatCompletionMessage

from .catalog import ToolInfo
from .prompts import NO_TOOL

_FENCE = re.compile(r"```[a-zA-Z_]*\s*(.*?)```", re.DOTALL)
_NAME_KEYS = ("tool", "name", "function", "tool_name")
_ARG_KEYS = ("arguments", "parameters", "args", "input")


@dataclass
class Proposed:
    """A call as the model wrote it: a name and its arguments, raw (text or an object)."""

    name: str
    raw: Any


@dataclass
class Choice:
    """What one reply chose: calls, or ``text`` instead, or a ``problem`` reading it."""

    calls: list[Proposed] = field(default_factory=list)
    text: str = ""
    explicit: bool = False  # the model chose "no tool" on purpose (JSON ``none`` branch)
    problem: str = ""
    said: str = ""  # the reply as text, to show the model when asking it again


class Malformed(ValueError):
    """A proposed call that cannot run as written; the message tells the model why."""


def from_native(message: ChatCompletionMessage) -> Choice:
    """A native tool-call reply; a call written as text in ``content`` counts too."""
    if message.tool_calls:
        proposed = [Proposed(c.function.name, c.function.arguments)
                    for c in message.tool_calls if getattr(c, "function", None)]
        said = "; ".join(f"{p.name} {p.raw}" for p in proposed)
        return Choice(calls=proposed, said=said)
    content = (message.content or "").strip()
    found = _embedded_call(content)
    if found is not None:
        return found
    return Choice(text=content, said=content)


def from_json(content: str | None) -> Choice:
    """A structured-output reply: ``{"tool": …, "arguments": {…}}`` or the ``none`` branch."""
    content = (content or "").strip()
    found = _embedded_call(content)
    if found is not None:
        return found
    if not content:
        return Choice(problem="Your reply was empty; reply with the JSON object asked for.")
    return Choice(problem="Your reply was not the JSON object asked for "
                          '({"tool": ..., "arguments": {...}}).', said=content[:500])


def _embedded_call(content: str) -> Choice | None:
    """The first JSON object in ``content`` that names a tool, read as a choice."""
    for candidate in [*_FENCE.findall(content), content]:
        obj = _first_object(candidate)
        if obj is None:
            continue
        name = next((obj[k] for k in _NAME_KEYS if isinstance(obj.get(k), str)), None)
        if name is None:
            continue
        said = content[:500]
        if name == NO_TOOL:
            return Choice(text=str(obj.get("answer") or "").strip(), explicit=True, said=said)
        raw = next((obj[k] for k in _ARG_KEYS if k in obj), {})
        return Choice(calls=[Proposed(name, raw)], said=said)
    return None


def _first_object(text: str) -> dict[str, Any] | None:
    decoder = json.JSONDecoder()
    for match in re.finditer(r"\{", text):
        try:
            obj, _ = decoder.raw_decode(text, match.start())
        except json.JSONDecodeError:
            continue
        if isinstance(obj, dict):
            return obj
    return None


def check(proposed: Proposed, tools: Mapping[str, ToolInfo]) -> dict[str, Any]:
    """The call's arguments as an object fitting its tool's schema, or `Malformed`.

    Empty values (``null``, ``""``) are dropped first: small models fill every optional
    argument with one, and the tool reads a missing argument as "not given".
    """
    tool = tools.get(proposed.name)
    if tool is None:
        raise Malformed(f"There is no tool named {proposed.name!r}.")
    raw = proposed.raw
    if isinstance(raw, str):
        try:
            raw = json.loads(raw) if raw.strip() else {}
        except json.JSONDecodeError as exc:
            raise Malformed(f"The arguments of {tool.name} are not valid JSON ({exc.msg} at "
                            f"character {exc.pos}): {proposed.raw[:200]}") from exc
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise Malformed(f"The arguments of {tool.name} must be a JSON object, not "
                        f"{type(raw).__name__}.")
    arguments = {k: v for k, v in raw.items() if v is not None and v != ""}
    errors = sorted(Draft202012Validator(tool.input_schema or {}).iter_errors(arguments),
                    key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        where = ".".join(str(p) for p in first.path) or "arguments"
        raise Malformed(f"The arguments of {tool.name} do not fit its schema: "
                        f"{where}: {first.message}.")
    return arguments
