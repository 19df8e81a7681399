"""A scripted OpenAI-compatible model server over a real socket, for the assistant's tests.

A test queues the replies it wants (`text`, `calls`, `structured`, `failure`, each with an
optional ``delay``) or a function that builds a reply from the request it answers; the
server answers ``POST /v1/chat/completions`` in that order, streaming (SSE chunks) when the
request asks for it, and records every request body in `ScriptedLLM.requests`. With its
queue empty it answers 500, so a test that asks more than it scripted fails loudly.

    with ScriptedLLM.serve() as llm:
        llm.script(calls(("get_overdue_tasks", {"limit": 5})), text("Ana has 3."))
        client = AsyncOpenAI(base_url=llm.url, api_key="x")
"""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

MODEL = "scripted-model"


@dataclass
class Reply:
    """One scripted answer: text, tool calls, or an HTTP error, after ``delay`` seconds."""

    content: str | None = None
    tool_calls: list[tuple[str, str]] = field(default_factory=list)  # (name, raw arguments)
    status: int = 200
    error: str = ""
    delay: float = 0.0


Responder = Reply | Callable[[dict[str, Any]], Reply]


def text(content: str, *, delay: float = 0.0) -> Reply:
    """The model answers in words."""
    return Reply(content=content, delay=delay)


def calls(*wanted: tuple[str, dict[str, Any] | str], delay: float = 0.0) -> Reply:
    """The model calls tools natively; a ``str`` argument is sent raw (for malformed JSON)."""
    raw = [(name, args if isinstance(args, str) else json.dumps(args)) for name, args in wanted]
    return Reply(tool_calls=raw, delay=delay)


def structured(body: dict[str, Any] | str, *, delay: float = 0.0) -> Reply:
    """The model answers a ``response_format`` request with this JSON (or raw text)."""
    return Reply(content=body if isinstance(body, str) else json.dumps(body), delay=delay)


def failure(status: int, message: str, *, delay: float = 0.0) -> Reply:
    """The server refuses the request with an OpenAI-style error body."""
    return Reply(status=status, error=message, delay=delay)


class ScriptedLLM:
    """The server's state: scripted replies still to give and requests received."""

    def __init__(self) -> None:
        self.replies: deque[Responder] = deque()
        self.requests: list[dict[str, Any]] = []
        self.url = ""
        self._ids = itertools.count(1)
        self.app = Starlette(routes=[
            Route("/v1/chat/completions", self._complete, methods=["POST"]),
            Route("/v1/models", self._models, methods=["GET"]),
        ])

    def script(self, *replies: Responder) -> None:
        """Queue replies, answered in order, one a request."""
        self.replies.extend(replies)

    def reset(self) -> None:
        self.replies.clear()
        self.requests.clear()

    @classmethod
    @contextmanager
    def serve(cls) -> Iterator[ScriptedLLM]:
        """Run a server on a free 127.0.0.1 port in a thread; ``url`` ends in ``/v1``."""
        llm = cls()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        server = uvicorn.Server(uvicorn.Config(llm.app, host="127.0.0.1", port=port,
                                               log_level="warning",
                                               timeout_graceful_shutdown=1))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 15
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the scripted model server did not start")
            time.sleep(0.02)
        llm.url = f"http://127.0.0.1:{port}/v1"
        try:
            yield llm
        finally:
            server.should_exit = True
            thread.join(timeout=10)

    async def _models(self, _: Request) -> Response:
        return JSONResponse({"object": "list", "data": [{"id": MODEL, "object": "model"}]})

    async def _complete(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append(body)
        if not self.replies:
            return _error(500, "the scripted server has no reply left for this request")
        responder = self.replies.popleft()
        reply = responder(body) if callable(responder) else responder
        if reply.delay:
            await asyncio.sleep(reply.delay)
        if reply.status != 200:
            return _error(reply.status, reply.error)
        ident = f"chatcmpl-{next(self._ids)}"
        if body.get("stream"):
            return StreamingResponse(self._chunks(ident, reply), media_type="text/event-stream")
        message: dict[str, Any] = {"role": "assistant", "content": reply.content}
        if reply.tool_calls:
            message["tool_calls"] = [
                {"id": f"call_{i}", "type": "function",
                 "function": {"name": name, "arguments": args}}
                for i, (name, args) in enumerate(reply.tool_calls)]
        return JSONResponse({
            "id": ident, "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", MODEL),
            "choices": [{"index": 0, "message": message,
                         "finish_reason": "tool_calls" if reply.tool_calls else "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})

    async def _chunks(self, ident: str, reply: Reply) -> AsyncIterator[str]:
        def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
            return "data: " + json.dumps({
                "id": ident, "object": "chat.completion.chunk", "created": int(time.time()),
                "model": MODEL,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}) + "\n\n"

        yield chunk({"role": "assistant", "content": ""})
        words = (reply.content or "").split(" ")
        for i, word in enumerate(words):
            yield chunk({"content": word if i == 0 else " " + word})
        for i, (name, args) in enumerate(reply.tool_calls):
            yield chunk({"tool_calls": [{"index": i, "id": f"call_{i}", "type": "function",
                                         "function": {"name": name, "arguments": args}}]})
        yield chunk({}, "tool_calls" if reply.tool_calls else "stop")
        yield "data: [DONE]\n\n"


def _error(status: int, message: str) -> Response:
    return JSONResponse({"error": {"message": message, "type": "invalid_request_error",
                                   "code": status}}, status_code=status)


def offered_tools(request: dict[str, Any]) -> list[str]:
    """The tool names a request offered: native ``tools`` or the JSON schema's branches."""
    if request.get("tools"):
        return [t["function"]["name"] for t in request["tools"]]
    schema = response_schema(request)
    if schema is None:
        return []
    return [b["properties"]["tool"]["const"] for b in schema["anyOf"]
            if b["properties"]["tool"]["const"] != "none"]


def response_schema(request: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON schema a request constrained its answer to, if any."""
    fmt = request.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return fmt["json_schema"]["schema"]
    return fmt.get("schema")


def last_user_text(request: dict[str, Any]) -> str:
    """What the latest user (or tool) message of a request said: the tool result, often."""
    for message in reversed(request["messages"]):
        if message["role"] in ("user", "tool"):
            return str(message.get("content") or "")
    return ""
