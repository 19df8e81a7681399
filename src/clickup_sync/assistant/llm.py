"""The model server, reached over the OpenAI-compatible HTTP API with the openai client.

LM Studio, Ollama, llama.cpp's server and vLLM all speak it, so one client serves them all;
only the base URL and the model name differ (``LM_STUDIO_BASE_URL``, ``LM_STUDIO_MODEL``).
"""

from __future__ import annotations

from openai import AsyncOpenAI

from clickup_sync.config import Settings

DEFAULT_TIMEOUT = 120.0
"""Seconds one model request may take: a 4B model on a laptop CPU is slow, not absent."""


def open_client(settings: Settings, *, timeout: float = DEFAULT_TIMEOUT,
                base_url: str | None = None) -> AsyncOpenAI:
    """An async client for the configured server (local servers ignore the API key)."""
    return AsyncOpenAI(base_url=base_url or settings.lm_studio_base_url, api_key="local",
                       timeout=timeout, max_retries=0)
