"""`ClickUpClient`: ClickUp API v2 over httpx, paced, retried, counted and logged.

Every request goes the same way: wait for a concurrency slot and the pacer's go, send, turn
the answer into JSON or an error from `errors`, and let the retry policy decide what's next.
httpx exceptions are translated here and nowhere else. The token lives in one header and
never in a message, repr or log line.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import AsyncIterator, Mapping, Sequence
from types import TracebackType
from typing import Any
from urllib.parse import quote

import httpx

from . import errors
from .errors import ClickUpAPIError, PermanentError, RateLimited, TransientError
from .pacing import RateLimitPacer, reset_seconds
from .paging import Params, comment_pages, encode_params, task_pages
from .retry import RetryPolicy

log = logging.getLogger("clickup_sync.clickup")
DEFAULT_BASE_URL = "https://api.clickup.com/api/v2"
Json = dict[str, Any]
# Path words followed by an id; used to name endpoints in counters ("GET /task/{task_id}").
_ID_AFTER = frozenset({"team", "space", "folder", "list", "task", "comment", "webhook",
                       "view", "goal", "user", "tag", "field", "link", "group"})


def endpoint_of(method: str, path: str) -> str:
    """``"GET /task/{task_id}/comment"`` for ``("GET", "/task/86abc/comment")``."""
    parts = path.split("?", 1)[0].strip("/").split("/")
    named = [f"{{{parts[i - 1]}_id}}" if i % 2 and parts[i - 1] in _ID_AFTER else part
             for i, part in enumerate(parts)]
    return f"{method} /" + "/".join(named)


def _seg(value: str | int) -> str:
    return quote(str(value), safe="")


class ClickUpClient:
    """An async ClickUp API v2 client for one token; use it as ``async with``.

    ``token`` is sent as the ``Authorization`` header as given: a personal token (``pk_…``)
    or ``"Bearer <oauth token>"``. Share one ``pacer`` among clients of the same token.
    """

    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        max_concurrency: int = 4,
        timeout: float = 30.0,
        pacer: RateLimitPacer | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        if not token:
            raise ValueError("a ClickUp API token is required")
        self._token = token
        self.base_url = base_url.rstrip("/")
        self.pacer = pacer or RateLimitPacer()
        self.retry = retry or RetryPolicy()
        self.calls = 0
        self.calls_by_endpoint: Counter[str] = Counter()
        self._slots = asyncio.Semaphore(max_concurrency)
        self._http = httpx.AsyncClient(
            base_url=self.base_url + "/",
            headers={"Authorization": token, "Content-Type": "application/json"},
            transport=transport,
            timeout=timeout,
            limits=httpx.Limits(max_connections=max_concurrency),
        )

    def __repr__(self) -> str:
        return f"ClickUpClient(base_url={self.base_url!r}, calls={self.calls})"

    async def __aenter__(self) -> ClickUpClient:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # -- the one way out --------------------------------------------------------------------
    async def request(self, method: str, path: str, *, params: Params | Mapping[str, Any]
                      | None = None, json: Any = None, unwrap: str | None = None) -> Any:
        """Send one API call (retried as the policy says) and return its parsed JSON, or
        its ``unwrap`` member (a body without it counts as garbled, hence is retried)."""
        query = encode_params(params) if isinstance(params, Mapping) else params
        path = "/" + path.split("?", 1)[0].lstrip("/")
        return await self.retry.run(lambda: self._attempt(method, path, query, json, unwrap),
                                    idempotent=method != "POST")

    async def _attempt(self, method: str, path: str, params: Params | None, body: Any,
                       unwrap: str | None) -> Any:
        async with self._slots:
            await self.pacer.acquire()
            self.calls += 1
            self.calls_by_endpoint[endpoint_of(method, path)] += 1
            started = time.perf_counter()
            headers = None
            try:
                response = await self._http.request(method, path.lstrip("/"), params=params,
                                                    json=body)
                headers = response.headers
            except (httpx.HTTPError, ConnectionError) as exc:
                error = self._transport_error(method, path, exc)
                self._log(method, path, type(exc).__name__, started, error)
                raise error from exc
            finally:
                self.pacer.release(headers)
        try:
            result = self._result(method, path, response, unwrap)
        except ClickUpAPIError as error:
            self._log(method, path, response.status_code, started, error)
            raise
        self._log(method, path, response.status_code, started)
        return result

    def _log(self, method: str, path: str, status: int | str, started: float,
             error: ClickUpAPIError | None = None) -> None:
        ms = (time.perf_counter() - started) * 1000
        if error is None:
            log.debug("%s %s %s %.0f ms", method, path, status, ms)
        else:
            log.warning("%s %s %s %.0f ms %s", method, path, status, ms, type(error).__name__)

    def _redact(self, text: str) -> str:
        bare = self._token.removeprefix("Bearer ").strip()
        return text.replace(self._token, "[token]").replace(bare, "[token]")

    def _transport_error(self, method: str, path: str, exc: Exception) -> ClickUpAPIError:
        """Translate an httpx (or socket) failure into the client's error tree."""
        what = self._redact(str(exc)) or type(exc).__name__
        if isinstance(exc, (httpx.UnsupportedProtocol, httpx.LocalProtocolError,
                            httpx.InvalidURL, httpx.TooManyRedirects)):
            return PermanentError(f"request failed: {what}", method=method, path=path)
        error = TransientError(f"{type(exc).__name__}: {what}", method=method, path=path)
        error.request_sent = not isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout,
                                                  httpx.PoolTimeout))
        return error

    def _result(self, method: str, path: str, response: httpx.Response,
                unwrap: str | None) -> Any:
        """The JSON of a success, or the fitting error for everything else."""
        status = response.status_code
        try:
            body = response.json() if response.content.strip() else {}
            parsed = True
        except ValueError:
            body, parsed = None, False
        if status < 400:
            if not parsed:
                raise TransientError("response body is not valid JSON (cut short?)",
                                     method=method, path=path, status=status)
            if unwrap is None:
                return body
            if not isinstance(body, dict) or unwrap not in body:
                raise TransientError(f"response lacks {unwrap!r}", method=method, path=path,
                                     status=status)
            return body[unwrap]
        err = ecode = None
        if isinstance(body, dict):
            err = body.get("err") or body.get("error") or body.get("message")
            ecode = body.get("ECODE")
        cls = errors.error_class(status, ecode) or PermanentError
        message = self._redact(str(err)) if err else response.reason_phrase or "error"
        error = cls(message, method=method, path=path, status=status,
                    err=self._redact(str(err)) if err else None, ecode=ecode)
        if isinstance(error, RateLimited):
            error.reset = reset_seconds(response.headers.get("X-RateLimit-Reset"))
        raise error

    # -- user and hierarchy -----------------------------------------------------------------
    async def get_user(self) -> Json:
        """The token's own user."""
        return await self.request("GET", "/user", unwrap="user")

    async def get_teams(self) -> list[Json]:
        """Workspaces the token may see, each with its members."""
        return await self.request("GET", "/team", unwrap="teams")

    async def get_spaces(self, team_id: str, archived: bool = False) -> list[Json]:
        """Spaces of a Workspace: archived ones only, or unarchived ones only."""
        return await self.request("GET", f"/team/{_seg(team_id)}/space",
                                  params={"archived": archived}, unwrap="spaces")

    async def get_space(self, space_id: str) -> Json:
        return await self.request("GET", f"/space/{_seg(space_id)}")

    async def get_folders(self, space_id: str, archived: bool = False) -> list[Json]:
        return await self.request("GET", f"/space/{_seg(space_id)}/folder",
                                  params={"archived": archived}, unwrap="folders")

    async def get_folder(self, folder_id: str) -> Json:
        return await self.request("GET", f"/folder/{_seg(folder_id)}")

    async def get_folder_lists(self, folder_id: str, archived: bool = False) -> list[Json]:
        return await self.request("GET", f"/folder/{_seg(folder_id)}/list",
                                  params={"archived": archived}, unwrap="lists")

    async def get_folderless_lists(self, space_id: str, archived: bool = False) -> list[Json]:
        return await self.request("GET", f"/space/{_seg(space_id)}/list",
                                  params={"archived": archived}, unwrap="lists")

    async def get_list(self, list_id: str) -> Json:
        return await self.request("GET", f"/list/{_seg(list_id)}")

    async def get_list_fields(self, list_id: str) -> list[Json]:
        """Custom field definitions that apply to a List (its own and inherited ones)."""
        return await self.request("GET", f"/list/{_seg(list_id)}/field", unwrap="fields")

    async def get_space_tags(self, space_id: str) -> list[Json]:
        return await self.request("GET", f"/space/{_seg(space_id)}/tag", unwrap="tags")

    async def get_list_members(self, list_id: str) -> list[Json]:
        """People with explicit access to a List (not those who inherit it)."""
        return await self.request("GET", f"/list/{_seg(list_id)}/member", unwrap="members")

    # -- tasks ------------------------------------------------------------------------------
    async def get_task(self, task_id: str, include_subtasks: bool = False) -> Json:
        return await self.request("GET", f"/task/{_seg(task_id)}",
                                  params={"include_subtasks": include_subtasks})

    async def create_task(self, list_id: str, body: Mapping[str, Any]) -> Json:
        """Create a task; not retried once it may have reached ClickUp (no duplicates)."""
        return await self.request("POST", f"/list/{_seg(list_id)}/task", json=dict(body))

    async def update_task(self, task_id: str, body: Mapping[str, Any]) -> Json:
        return await self.request("PUT", f"/task/{_seg(task_id)}", json=dict(body))

    def iter_team_tasks(self, team_id: str, **filters: Any) -> AsyncIterator[list[Json]]:
        """Pages of a Workspace's tasks; ``filters`` as ClickUp names them (lists repeat)."""
        return task_pages(self, f"/team/{_seg(team_id)}/task", filters)

    def iter_list_tasks(self, list_id: str, **filters: Any) -> AsyncIterator[list[Json]]:
        """Pages of a List's tasks (its home tasks; ``include_timl=True`` adds the others)."""
        return task_pages(self, f"/list/{_seg(list_id)}/task", filters)

    # -- comments ---------------------------------------------------------------------------
    def iter_task_comments(self, task_id: str) -> AsyncIterator[list[Json]]:
        """Pages of a task's comments, newest first."""
        return comment_pages(self, f"/task/{_seg(task_id)}/comment")

    def iter_list_comments(self, list_id: str) -> AsyncIterator[list[Json]]:
        """Pages of a List's own comments, newest first."""
        return comment_pages(self, f"/list/{_seg(list_id)}/comment")

    async def get_replies(self, comment_id: str) -> list[Json]:
        """Threaded replies to a comment (not paged; the parent is not included)."""
        return await self.request("GET", f"/comment/{_seg(comment_id)}/reply",
                                  unwrap="comments")

    # -- time -------------------------------------------------------------------------------
    async def get_time_entries(self, team_id: str, start_ms: int, end_ms: int,
                               assignees: Sequence[int], **filters: Any) -> list[Json]:
        """Time entries that started in ``[start_ms, end_ms]`` for these users (unpaged)."""
        params: dict[str, Any] = {"start_date": start_ms, "end_date": end_ms,
                                  "include_location_names": True, **filters}
        if assignees:
            params["assignee"] = ",".join(str(a) for a in assignees)  # comma-separated here
        return await self.request("GET", f"/team/{_seg(team_id)}/time_entries",
                                  params=params, unwrap="data")

    async def get_running_timer(self, team_id: str, assignee: int | None = None) -> Json | None:
        """The user's running time entry (negative duration), or None."""
        return await self.request("GET", f"/team/{_seg(team_id)}/time_entries/current",
                                  params={"assignee": assignee}, unwrap="data")

    async def get_task_time(self, task_id: str) -> list[Json]:
        """Legacy tracked time of a task, per user with intervals."""
        return await self.request("GET", f"/task/{_seg(task_id)}/time", unwrap="data")

    # -- webhooks ---------------------------------------------------------------------------
    async def create_webhook(self, team_id: str, endpoint: str, events: Sequence[str],
                             **location: str | int) -> Json:
        """Register a webhook (location: one of space_id, folder_id, list_id, task_id);
        returns it with its signing ``secret``."""
        body = {"endpoint": endpoint, "events": list(events), **location}
        return await self.request("POST", f"/team/{_seg(team_id)}/webhook", json=body,
                                  unwrap="webhook")

    async def list_webhooks(self, team_id: str) -> list[Json]:
        """Webhooks of this Workspace created by the token's user."""
        return await self.request("GET", f"/team/{_seg(team_id)}/webhook", unwrap="webhooks")

    async def update_webhook(self, webhook_id: str, body: Mapping[str, Any]) -> Json:
        """Change a webhook; ``{"status": "active"}`` revives a suspended one."""
        return await self.request("PUT", f"/webhook/{_seg(webhook_id)}", json=dict(body),
                                  unwrap="webhook")

    async def delete_webhook(self, webhook_id: str) -> None:
        await self.request("DELETE", f"/webhook/{_seg(webhook_id)}")
