"""What the model reads and what it may answer: prompts, tool specs and the choice schema.

A small model gets two small jobs, each with its own short prompt: choose one tool and its
arguments among the few offered, then answer from that tool's compact result, taking every
number from it. Tools go to the server either natively (``tools=``) or as a JSON schema the
server constrains the reply to: one branch per offered tool (its name as a constant, its
own argument schema), plus a ``none`` branch carrying a direct answer.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from .catalog import Entity, ToolInfo

NO_TOOL = "none"
RESULT_CHARS = 6000
"""Most characters of one tool result put before the model (results are ~1,000 typically)."""

CHOOSE = """\
You answer questions about a team's ClickUp workspace (tasks, people, time tracked, projects).
Today is {today}. Choose the ONE tool below that answers the question and fill in its
arguments. Give only the arguments the question needs; leave the others out. A question about
the whole workspace ("across all spaces") needs no space, folder, list or project argument.
Write names exactly as listed under "Names in the question". If the question needs no
workspace data (a greeting, thanks), answer it yourself in a sentence."""

CHOOSE_JSON = """
Reply with JSON only: {{"tool": "<tool name>", "arguments": {{...}}}}{none}.

Tools:
{catalogue}"""
CHOOSE_JSON_NONE = ', or\n{"tool": "none", "answer": "<your answer>"} when no tool is needed'

ANSWER = """\
You answer questions about a team's ClickUp workspace from the tool result you are given.
Take every number, name and date from that result; never invent, estimate or recompute one.
If the result does not answer the question, say what it does show. Be brief: a few sentences
or a short list, most important first."""

NUDGE = ("Answer by choosing one of the tools. If none of them fits, answer in plain words "
         "instead.")


def choose_system(tools: Sequence[ToolInfo], entities: Sequence[Entity], *, json_mode: bool,
                  allow_none: bool = True, today: date | None = None) -> str:
    """The system prompt of the choosing step (the catalogue inline in JSON mode)."""
    text = CHOOSE.format(today=(today or date.today()).isoformat())
    if entities:
        text += "\n\nNames in the question: " + "; ".join(
            f"{e.kind} {json.dumps(e.name, ensure_ascii=False)}" for e in entities) + "."
    if json_mode:
        text += CHOOSE_JSON.format(catalogue="\n".join(_catalogue_line(t) for t in tools),
                                   none=CHOOSE_JSON_NONE if allow_none else "")
    return text


def _catalogue_line(tool: ToolInfo) -> str:
    """``- name: question. Arguments: a (string: Space name), b (one of x|y)…``"""
    first = tool.description.split("\n", 1)[0]
    args = []
    for name, schema in tool.input_schema.get("properties", {}).items():
        kind = ("one of " + "|".join(map(str, schema["enum"])) if "enum" in schema
                else schema.get("type", "any"))
        desc = schema.get("description", "")
        args.append(f"{name} ({kind}{': ' + desc if desc else ''})")
    return f"- {tool.name}: {first}" + (f" Arguments: {', '.join(args)}." if args else "")


def native_tools(tools: Sequence[ToolInfo]) -> list[dict[str, Any]]:
    """The offered tools in the OpenAI ``tools=`` shape."""
    return [{"type": "function",
             "function": {"name": t.name, "description": t.description.split("\n", 1)[0],
                          "parameters": t.input_schema or {"type": "object", "properties": {}}}}
            for t in tools]


def choice_schema(tools: Sequence[ToolInfo], *, allow_none: bool = True) -> dict[str, Any]:
    """A JSON schema any valid choice fits: one ``anyOf`` branch per tool, and ``none``."""
    branches: list[dict[str, Any]] = [
        {"type": "object",
         "properties": {"tool": {"const": t.name},
                        "arguments": t.input_schema or {"type": "object", "properties": {}}},
         "required": ["tool", "arguments"], "additionalProperties": False}
        for t in tools]
    if allow_none:
        branches.append({"type": "object",
                         "properties": {"tool": {"const": NO_TOOL},
                                        "answer": {"type": "string", "maxLength": 2000}},
                         "required": ["tool", "answer"], "additionalProperties": False})
    return {"anyOf": branches}


def response_format(tools: Sequence[ToolInfo], *, dialect: str = "json_schema",
                    allow_none: bool = True) -> dict[str, Any]:
    """The ``response_format`` of a structured-output request for this choice.

    ``json_schema`` is OpenAI's form (LM Studio, Ollama, vLLM, llama.cpp's server);
    ``json_object`` with a ``schema`` is the older one llama-cpp-python's server takes.
    """
    schema = choice_schema(tools, allow_none=allow_none)
    if dialect == "json_object":
        return {"type": "json_object", "schema": schema}
    return {"type": "json_schema",
            "json_schema": {"name": "tool_choice", "strict": True, "schema": schema}}


def call_text(name: str, arguments: dict[str, Any]) -> str:
    """``name {"a": 1}``: a call as people and models read it."""
    return f"{name} {json.dumps(arguments, ensure_ascii=False)}"


def answer_user(question: str, results: Sequence[tuple[str, dict[str, Any], str]],
                limit: int = RESULT_CHARS) -> str:
    """The answering step's question: the question, then each (tool, arguments, result)."""
    parts = [f"Question: {question}"]
    for name, arguments, text in results:
        if len(text) > limit:
            text = text[:limit] + "\n(result cut here)"
        parts.append(f"Result of {call_text(name, arguments)}:\n{text}")
    parts.append("Answer the question from the result above.")
    return "\n\n".join(parts)


def retry_note(problem: str, offered: Sequence[str]) -> str:
    """What the model is told after a failed or malformed call, to choose again once."""
    return (f"{problem}\nChoose again: correct the arguments (use a suggested name if one is "
            f"given) or pick another tool among: {', '.join(offered)}.")
