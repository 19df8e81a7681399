"""One question, one answer: route, let the model choose a call, run it, answer from it.

A small model does one small job per request: among at most eight tools it picks one call
(structured output or a native tool call), the MCP server runs it, and in a second request
the model answers from the compact result, told to take every number from it. Rounds are
few and counted: one nudge when the model talks instead of calling, one repair of a
malformed call, one retry after a tool error. Calls that change data run only when the
``confirm`` callback allows them. Failures of the model server or the MCP server end the
question with `Answer.error`, one sentence; `ask` never raises them.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import openai
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletionMessage

from . import choice, prompts
from .catalog import Entity, ToolInfo, ToolOutput
from .llm import ModelError, model_error
from .toolbelt import ToolBelt, ToolBeltError

Mode = Literal["auto", "tools", "json"]
Confirm = Callable[[str, dict[str, Any]], bool | Awaitable[bool]]
OnEvent = Callable[[str, Any], None]
"""Receives ("offered", [names]), ("mode", mode), ("retry", reason), ("call", ToolCall),
("token", text) as the question goes."""

MAX_PARALLEL = 3
"""Most calls run from one reply; a small model asking for more is guessing."""
HISTORY_MESSAGES = 6
REFUSED_STATUS = frozenset({400, 415, 422, 500, 501})
"""HTTP statuses with which a server refuses structured output (auto then uses tools)."""


class Routing(Protocol):
    def route(self, question: str, k: int = ...) -> Any: ...


@dataclass
class ToolCall:
    """One call the loop ran, with what it returned."""

    name: str
    arguments: dict[str, Any]
    output: ToolOutput


@dataclass
class Answer:
    """The answer to one question, the calls behind it, and what went wrong if anything."""

    text: str
    calls: list[ToolCall] = field(default_factory=list)
    offered: list[str] = field(default_factory=list)
    error: str | None = None
    mode: str = ""
    notes: list[str] = field(default_factory=list)


class Assistant:
    """Answers questions with one model server and one MCP server."""

    def __init__(self, belt: ToolBelt, llm_client: AsyncOpenAI, model: str, *,
                 router: Routing | None = None, max_tools: int = 8, mode: Mode = "auto",
                 confirm: Confirm | None = None, choose_tokens: int = 512,
                 answer_tokens: int = 700, allow_no_tool: bool = True,
                 result_chars: int = prompts.RESULT_CHARS) -> None:
        if mode not in ("auto", "tools", "json"):
            raise ValueError(f"unknown tool mode {mode!r}; choose auto, tools or json")
        self.belt, self.llm, self.model = belt, llm_client, model
        self.router, self.max_tools, self.mode, self.confirm = router, max_tools, mode, confirm
        self.choose_tokens, self.answer_tokens = choose_tokens, answer_tokens
        self.allow_no_tool, self.result_chars = allow_no_tool, result_chars
        self.current_mode: Literal["tools", "json"] = "tools" if mode == "tools" else "json"
        self.dialect = "json_schema"  # then "json_object" if the server refuses it

    async def ask(self, question: str, history: Sequence[dict[str, str]] | None = None,
                  on_event: OnEvent | None = None) -> Answer:
        """Answer ``question`` (after ``history``, alternating user/assistant messages)."""
        answer = Answer(text="")
        emit = on_event or (lambda kind, payload: None)
        kept = list(history or [])[-HISTORY_MESSAGES:]
        while kept and kept[0]["role"] != "user":  # a conversation opens with the user
            kept.pop(0)
        try:
            await self._ask(question, kept, emit, answer, stream=on_event is not None)
        except (ModelError, ToolBeltError) as exc:
            answer.error = str(exc)
        answer.mode = self.current_mode
        return answer

    async def _ask(self, question: str, history: list[dict[str, str]], emit: OnEvent,
                   answer: Answer, *, stream: bool) -> None:
        tools = await self.belt.list_tools()
        by_name = {t.name: t for t in tools}
        offered, entities = self._route(question, tools)
        answer.offered = [t.name for t in offered]
        emit("offered", answer.offered)
        messages = [*history, {"role": "user", "content": question}]
        nudged = repaired = retried = False
        while True:
            chosen = await self._choose(messages, offered, entities, emit)
            if chosen.problem:
                problem = chosen.problem
            elif not chosen.calls:
                if chosen.explicit or nudged:
                    answer.text = chosen.text
                    answer.notes.append("answered without a tool")
                    return
                nudged = True
                emit("retry", "the model answered in words; asking it to choose a tool")
                messages += [_said(chosen.said), {"role": "user", "content": prompts.NUDGE}]
                continue
            else:
                try:
                    planned = [(p.name, choice.check(p, by_name)) for p in chosen.calls]
                    problem = ""
                except choice.Malformed as exc:
                    problem = str(exc)
            if problem:
                if repaired:
                    answer.error = f"the model's tool call was malformed twice: {problem}"
                    return
                repaired = True
                messages += _retry(chosen.said, problem, answer.offered, emit)
                continue
            ran = await self._run(planned, by_name, emit, answer)
            if not ran:  # every call wanted a change nobody confirmed
                answer.text = " ".join(answer.notes)
                return
            failed = [c for c in ran if c.output.is_error]
            if len(failed) == len(ran):
                first = failed[0]
                problem = (f"The call {prompts.call_text(first.name, first.arguments)} failed: "
                           f"{first.output.text}")
                if retried:
                    answer.error = f"{first.name} failed: {first.output.text}"
                    return
                retried = True
                messages += _retry(chosen.said, problem, answer.offered, emit)
                continue
            break
        answer.text = await self._answer(question, history, ran, emit, stream=stream)

    def _route(self, question: str, tools: list[ToolInfo]) -> tuple[list[ToolInfo],
                                                                     list[Entity]]:
        by_name = {t.name: t for t in tools}
        if self.router is None:
            return tools[:self.max_tools], []
        route = self.router.route(question, k=self.max_tools)
        offered = [by_name[n] for n in route.tools if n in by_name][:self.max_tools]
        return offered, list(route.entities)

    async def _choose(self, messages: list[dict[str, str]], offered: list[ToolInfo],
                      entities: list[Entity], emit: OnEvent) -> choice.Choice:
        json_mode = self.current_mode == "json"
        system = prompts.choose_system(offered, entities, json_mode=json_mode,
                                       allow_none=self.allow_no_tool)
        full = _instructed(system, messages)
        try:
            if json_mode:
                reply = await self._complete(full, response_format=prompts.response_format(
                    offered, dialect=self.dialect, allow_none=self.allow_no_tool),
                    max_tokens=self.choose_tokens, temperature=0)
                return choice.from_json(reply.content)
            reply = await self._complete(full, tools=prompts.native_tools(offered),
                                         tool_choice="auto", max_tokens=self.choose_tokens,
                                         temperature=0)
            return choice.from_native(reply)
        except ModelError as exc:
            if not (json_mode and exc.status in REFUSED_STATUS):
                raise
            if self.dialect == "json_schema":  # for the rest of the session
                self.dialect = "json_object"
                emit("mode", f"json_schema refused ({exc}); trying json_object with a schema")
            elif self.mode == "auto":
                self.current_mode = "tools"
                emit("mode", f"structured output refused ({exc}); using native tool calls")
            else:
                raise
            return await self._choose(messages, offered, entities, emit)

    async def _run(self, planned: list[tuple[str, dict[str, Any]]],
                   tools: dict[str, ToolInfo], emit: OnEvent, answer: Answer) -> list[ToolCall]:
        if len(planned) > MAX_PARALLEL:
            answer.notes.append(f"the model asked for {len(planned)} calls; ran the first "
                                f"{MAX_PARALLEL}")
            planned = planned[:MAX_PARALLEL]
        ran = []
        for name, arguments in planned:
            if not tools[name].read_only and not await self._confirmed(name, arguments):
                answer.notes.append(f"I did not run {prompts.call_text(name, arguments)}: it "
                                    "changes data and was not confirmed.")
                continue
            call = ToolCall(name, arguments, await self.belt.call(name, arguments))
            answer.calls.append(call)
            emit("call", call)
            ran.append(call)
        return ran

    async def _confirmed(self, name: str, arguments: dict[str, Any]) -> bool:
        if self.confirm is None:
            return False
        allowed = self.confirm(name, arguments)
        return bool(await allowed if inspect.isawaitable(allowed) else allowed)

    async def _answer(self, question: str, history: list[dict[str, str]],
                      calls: list[ToolCall], emit: OnEvent, *, stream: bool) -> str:
        results = [(c.name, c.arguments, c.output.text) for c in calls]
        messages = _instructed(prompts.ANSWER, [
            *history, {"role": "user",
                       "content": prompts.answer_user(question, results, self.result_chars)}])
        options: dict[str, Any] = {"max_tokens": self.answer_tokens, "temperature": 0.2}
        if not stream:
            return ((await self._complete(messages, **options)).content or "").strip()
        parts: list[str] = []
        try:
            chunks = await self.llm.chat.completions.create(
                model=self.model, messages=messages, stream=True, **options)  # type: ignore[arg-type]
            async for chunk in chunks:
                delta = chunk.choices[0].delta.content if chunk.choices else None
                if delta:
                    parts.append(delta)
                    emit("token", delta)
        except openai.OpenAIError as exc:
            raise self._error(exc) from exc
        return "".join(parts).strip()

    async def _complete(self, messages: list[dict[str, str]],
                        **options: Any) -> ChatCompletionMessage:
        try:
            response = await self.llm.chat.completions.create(
                model=self.model, messages=messages, **options)  # type: ignore[arg-type]
        except (openai.OpenAIError, ValueError) as exc:
            raise self._error(exc) from exc
        if not getattr(response, "choices", None):
            raise ModelError(f"the model server at {self.llm.base_url} sent no answer "
                             "(an empty list of choices)")
        return response.choices[0].message

    def _error(self, exc: Exception) -> ModelError:
        timeout = self.llm.timeout if isinstance(self.llm.timeout, int | float) else None
        return model_error(exc, str(self.llm.base_url).rstrip("/"), timeout)


def _instructed(instructions: str, messages: list[dict[str, str]]) -> list[dict[str, str]]:
    """``messages`` with ``instructions`` opening the first user turn, not as a system turn.

    Gemma has no system role: its own template folds a system message into the first user
    turn, and some servers' Gemma templates (llama-cpp-python's) drop it instead. Folding
    it here gives every server and template the same prompt.
    """
    first, *rest = messages
    return [{"role": "user", "content": f"{instructions}\n\n{first['content']}"}, *rest]


def _said(text: str) -> dict[str, str]:
    """The model's previous reply, as an assistant turn (roles must alternate)."""
    return {"role": "assistant", "content": text or "(no reply)"}


def _retry(said: str, problem: str, offered: list[str], emit: OnEvent) -> list[dict[str, str]]:
    """The turns that show the model its failed reply and say what to fix."""
    emit("retry", problem)
    return [_said(said), {"role": "user", "content": prompts.retry_note(problem, offered)}]
