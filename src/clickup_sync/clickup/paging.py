"""One paginator per ClickUp paging style, each refusing to loop on a repeated page.

Task listings (``/list/{id}/task``, ``/team/{id}/task``) count pages from 0, 100 tasks each,
and say ``last_page``. Comment listings return the 25 newest, then the 25 before a reference
comment given by ``start`` (its date) and ``start_id`` (its id). A server that answers the
same page again would keep either loop going forever, so both stop with `RepeatedPageError`.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .errors import RepeatedPageError

if TYPE_CHECKING:
    from .client import ClickUpClient

TASK_PAGE_SIZE = 100
COMMENT_PAGE_SIZE = 25
Params = list[tuple[str, str]]


def encode_params(values: Mapping[str, Any]) -> Params:
    """Query parameters as ClickUp reads them: ``true``/``false``, arrays as repeated
    ``name[]``, ``custom_fields`` as a JSON string; None values are left out."""
    out: Params = []
    for name, value in values.items():
        if value is None:
            continue
        if name == "custom_fields" and not isinstance(value, str):
            out.append((name, json.dumps(value, separators=(",", ":"))))
        elif isinstance(value, (list, tuple, set, frozenset)):
            key = name if name.endswith("[]") else name + "[]"
            out.extend((key, _scalar(v)) for v in value)
        else:
            out.append((name, _scalar(value)))
    return out


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _ids(items: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    return tuple(str(item.get("id")) for item in items)


async def task_pages(
    client: ClickUpClient, path: str, params: Params | Mapping[str, Any] | None = None
) -> AsyncIterator[list[dict[str, Any]]]:
    """Yield each page of tasks until ``last_page``, an empty page or a short page.

    ``date_updated_gt`` and friends are inclusive on ClickUp, and tasks can move between pages
    while they change, so callers dedupe by id.
    """
    base = encode_params(params) if isinstance(params, Mapping) else list(params or [])
    base = [(k, v) for k, v in base if k != "page"]
    seen: set[tuple[str, ...]] = set()
    page = 0
    while True:
        body = await client.request("GET", path, params=[*base, ("page", str(page))])
        tasks: list[dict[str, Any]] = body.get("tasks") or []
        if not tasks:
            return
        ids = _ids(tasks)
        if ids in seen:
            raise RepeatedPageError(f"GET {path} page {page} repeats an earlier page")
        seen.add(ids)
        yield tasks
        if body.get("last_page") is True or len(tasks) < TASK_PAGE_SIZE:
            return
        page += 1


async def comment_pages(client: ClickUpClient, path: str) -> AsyncIterator[list[dict[str, Any]]]:
    """Yield pages of comments, newest first, until a page holds fewer than 25."""
    seen: set[tuple[str, ...]] = set()
    params: Params = []
    while True:
        body = await client.request("GET", path, params=params)
        comments: list[dict[str, Any]] = body.get("comments") or []
        if not comments:
            return
        ids = _ids(comments)
        if ids in seen:
            raise RepeatedPageError(f"GET {path} repeats the comments before {params}")
        seen.add(ids)
        yield comments
        if len(comments) < COMMENT_PAGE_SIZE:
            return
        oldest = comments[-1]
        params = [("start", str(oldest["date"])), ("start_id", str(oldest["id"]))]
