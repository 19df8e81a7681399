"""The model server, reached over the OpenAI-compatible HTTP API with the openai client.

LM Studio, Ollama, llama.cpp's server and vLLM all speak it, so one client serves them all;
only the base URL and the model name differ (``LM_STUDIO_BASE_URL``, ``LM_STUDIO_MODEL``).
"""

from __future__ import annotations

import openai
from openai import AsyncOpenAI

from clickup_sync.config import Settings

DEFAULT_TIMEOUT = 120.0
"""Seconds one model request may take: a 4B model on a laptop CPU is slow, not absent."""


def open_client(settings: Settings, *, timeout: float = DEFAULT_TIMEOUT,
                base_url: str | None = None) -> AsyncOpenAI:
    """An async client for the configured server (local servers ignore the API key)."""
    return AsyncOpenAI(base_url=base_url or settings.lm_studio_base_url, api_key="local",
                       timeout=timeout, max_retries=0)


class ModelError(Exception):
    """The model server failed a request: absent, too slow, or answering with an error.

    ``status`` is the HTTP status when the server answered (a refusal), else None.
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def model_error(exc: Exception, where: str, timeout: float | None = None) -> ModelError:
    """One sentence for what went wrong talking to the server at ``where``."""
    if isinstance(exc, openai.APITimeoutError):
        after = f" within {timeout:g} s" if timeout else " in time"
        return ModelError(f"the model server at {where} did not answer{after}; it may still "
                          "be loading the model (raise ASSISTANT_TIMEOUT)")
    if isinstance(exc, openai.APIConnectionError):
        return ModelError(f"cannot reach the model server at {where} (is LM Studio's server, "
                          "or another OpenAI-compatible one, running there?)")
    if isinstance(exc, openai.APIStatusError):
        detail = _detail(exc)
        return ModelError(f"the model server at {where} answered HTTP {exc.status_code}"
                          f"{': ' + detail if detail else ''}", exc.status_code)
    if isinstance(exc, openai.APIResponseValidationError | ValueError):
        return ModelError(f"the model server at {where} sent a reply that is not an "
                          f"OpenAI-style chat completion ({exc})")
    return ModelError(f"the model server at {where} failed: {exc}")


def _detail(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else inner
        if message:
            return str(message).strip().split("\n", 1)[0][:300]
    return str(exc.message or "").strip().split("\n", 1)[0][:300]
