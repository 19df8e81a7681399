"""Settings, from the environment and a ``.env`` file.

Names are the ones users of the original tool already have (``CLICKUP_API_TOKEN``,
``DATABASE_URL``, ``LM_STUDIO_*``). Secrets are `SecretStr`, so they never print in a repr or a
log line. Nothing is read at import time: call `get_settings()` (tests build `Settings(...)`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

CLICKUP_API_URL = "https://api.clickup.com/api/v2"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8",
                                      extra="ignore", case_sensitive=False)

    clickup_api_token: SecretStr | None = Field(
        None, description="ClickUp personal token (pk_…) or OAuth token.")
    clickup_team_id: str | None = Field(
        None, description="ClickUp Workspace (team) id to sync; the first authorized one "
                          "when unset.")
    clickup_api_url: str = Field(
        CLICKUP_API_URL, description="ClickUp API v2 base URL; point it at the simulator "
                                     "(http://127.0.0.1:8900/api/v2) to try without ClickUp.")
    database_url: SecretStr | None = Field(
        None, description="PostgreSQL URL; unset means an embedded PostgreSQL in the data "
                          "directory.")
    lm_studio_base_url: str = Field(
        "http://localhost:1234/v1", description="OpenAI-compatible LLM server (LM Studio, "
                                                "Ollama, llama.cpp, vLLM).")
    lm_studio_model: str = Field("gemma-3-4b", description="Model name on that server.")
    assistant_tool_mode: str = Field(
        "auto", pattern="^(auto|tools|json)$",
        description="How the assistant's model picks a tool: json (structured output "
                    "constrained to the offered tools' schemas), tools (native tool calls), "
                    "or auto (json, then tools if the server refuses structured output).")
    assistant_timeout: float = Field(
        120.0, gt=0, description="Seconds one model request may take before the assistant "
                                 "gives up (a 4B model on a laptop CPU is slow).")
    data_dir: Path | None = Field(
        None, description="Where the embedded PostgreSQL keeps its data; default: the user "
                          "data folder (root: /var/lib/clickup-sync).")
    sync_interval_seconds: float = Field(
        45.0, gt=0, description="Seconds between two scheduled syncs.")
    timezone: str = Field(
        "UTC", description="IANA timezone for daily snapshots, week boundaries and the "
                           "times shown in the `tasks` view (e.g. Asia/Kolkata).")
    snapshot_time: str = Field(
        "23:55", description="Local time (HH:MM, in TIMEZONE) of the daily snapshot.")
    comment_seconds: float = Field(
        20.0, ge=0, description="Seconds a scheduled sync may spend backfilling comments.")
    reconcile_hours: float = Field(
        6.0, gt=0, description="Hours between full re-reads that find deleted tasks.")
    sync_nice: int = Field(
        10, ge=0, le=19, description="CPU niceness syncs run at (0-19; 0: left as started), "
                                     "so readers of the REST API and MCP server on the same "
                                     "cores come first.")
    api_key: SecretStr | None = Field(
        None, description="Key the REST API requires on every route but /health (X-API-Key "
                          "header or Bearer); unset: no key is asked.")
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Browser origins allowed to call the REST API, "
                                          "comma-separated; unset: CORS stays off.")

    @field_validator("api_key", mode="before")
    @classmethod
    def _blank_key_is_none(cls, value: Any) -> Any:
        # API_KEY= (set but empty, as in .env.example) means no key, not an empty one.
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origin_list(cls, value: Any) -> Any:
        # NoDecode hands the environment's text over as is: "http://a,http://b" (spaces,
        # as the older --cors-origin envvar took them, work too; an origin holds neither).
        if isinstance(value, str):
            return [origin for origin in re.split(r"[,\s]+", value) if origin]
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {value!r}") from exc
        return value

    @field_validator("snapshot_time")
    @classmethod
    def _hh_mm(cls, value: str) -> str:
        hour, _, minute = value.partition(":")
        if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
            raise ValueError("snapshot_time must be HH:MM")
        return value


def get_settings() -> Settings:
    """Read settings from the environment and ``.env`` now."""
    return Settings()
