"""The assistant at a terminal: one question (`ask`) or a conversation (`chat`).

`open_assistant` wires the pieces the CLI chooses: the MCP server (in-process over the
database, or ``--mcp-url``), the router with the Workspace's names, the model client. The
chat keeps its history, shows each call with its arguments, streams the answer, and keeps
the session when the model server is absent, slow or misbehaving: the failed question gets
one sentence, the next one starts afresh.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from rich.console import Console
from rich.markup import escape

from clickup_sync.config import Settings

from .llm import open_client
from .loop import Answer, Assistant, Confirm, Mode, ToolCall
from .names import load_entities
from .prompts import call_text
from .router import ToolRouter
from .toolbelt import ToolBelt

EXIT_WORDS = frozenset({"exit", "quit", "bye", ":q"})
HISTORY_TURNS = 3
"""Question-and-answer pairs the chat keeps for the model (a 4B model's context is small)."""


@asynccontextmanager
async def open_assistant(settings: Settings, *, dsn: str | None = None,
                         mcp_url: str | None = None, mcp_token: str | None = None,
                         model: str | None = None, base_url: str | None = None,
                         mode: Mode | None = None,
                         confirm: Confirm | None = None) -> AsyncIterator[Assistant]:
    """An `Assistant` on the configured servers; `ToolBeltError` when MCP is unreachable."""
    if mcp_url:
        belt = ToolBelt.remote(mcp_url, mcp_token)
    elif dsn:
        belt = ToolBelt.in_process(settings, dsn)
    else:
        raise ValueError("give the database (dsn) or an MCP server URL")
    async with belt:
        tools = await belt.list_tools()
        try:
            entities = await load_entities(belt.call)
        except RuntimeError:  # a server without the names tool: route by words alone
            entities = []
        client = open_client(settings, timeout=settings.assistant_timeout, base_url=base_url)
        try:
            yield Assistant(belt, client, model or settings.lm_studio_model,
                            router=ToolRouter(tools, entities),
                            mode=mode or settings.assistant_tool_mode,  # type: ignore[arg-type]
                            confirm=confirm)
        finally:
            await client.close()


def describe(call: ToolCall) -> str:
    """``→ tool {"a": 1}``, and the failure when the call failed."""
    line = f"→ {call_text(call.name, call.arguments)}"
    if call.output.is_error:
        line += f"  (failed: {call.output.text[:200]})"
    return line


def as_json(answer: Answer) -> str:
    """The answer for a program: text, calls with arguments, tools offered, error."""
    return json.dumps({
        "answer": answer.text, "error": answer.error, "mode": answer.mode,
        "offered": answer.offered, "notes": answer.notes,
        "calls": [{"tool": c.name, "arguments": c.arguments, "failed": c.output.is_error,
                   "result": c.output.data} for c in answer.calls]},
        ensure_ascii=False, indent=2)


def _progress(console: Console) -> Callable[[str, Any], None]:
    def show(kind: str, payload: Any) -> None:
        if kind == "call":
            console.print(f"[dim]{escape(describe(payload))}[/dim]")
        elif kind in ("retry", "mode"):
            console.print(f"[dim]… {escape(str(payload))}[/dim]")

    return show


async def ask_once(assistant: Assistant, question: str, console: Console) -> Answer:
    """Ask one question, showing each call on ``console`` as it runs."""
    return await assistant.ask(question, on_event=_progress(console))


async def run_chat(assistant: Assistant, console: Console, out: Console,
                   read: Callable[[str], str] = input) -> None:
    """Talk until EOF or an exit word; the answer streams to ``out``, the rest to ``console``."""
    history: list[dict[str, str]] = []
    show = _progress(console)
    console.print("[dim]Ask about your team's work; 'exit' or Ctrl+D ends.[/dim]")
    while True:
        try:
            # Read on the loop's own thread: nothing runs while the user types, and Ctrl+C
            # then interrupts input() itself (a worker thread would keep the process alive).
            question = read("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            break
        if question.lower() in EXIT_WORDS:
            break
        if not question:
            continue
        streamed = False

        def on_event(kind: str, payload: Any) -> None:
            nonlocal streamed
            if kind == "token":
                out.print(payload, end="", markup=False, highlight=False)
                streamed = True
            else:
                show(kind, payload)

        answer = await assistant.ask(question, history, on_event)
        if streamed:
            out.print()
        if answer.error:
            console.print(f"[red]error:[/red] {escape(answer.error)}")
            continue
        if not streamed:
            out.print(answer.text, markup=False, highlight=False)
        for note in answer.notes:
            if note not in answer.text:
                console.print(f"[dim]({escape(note)})[/dim]")
        history += [{"role": "user", "content": question},
                    {"role": "assistant", "content": answer.text or "(no answer)"}]
        history = history[-2 * HISTORY_TURNS:]


def ask_confirmation(read: Callable[[str], str] = input) -> Confirm:
    """A `Confirm` that asks at the terminal before a call that changes data."""

    async def confirm(name: str, arguments: dict[str, Any]) -> bool:
        try:
            reply = read(f"Run {call_text(name, arguments)}? [y/N] ")
        except (EOFError, KeyboardInterrupt):
            return False
        return reply.strip().lower() in ("y", "yes")

    return confirm
