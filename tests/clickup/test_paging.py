"""Paginators: they read everything there is, in ClickUp's two paging styles, and stop with an
error instead of looping when a server keeps answering the same page."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from clickup_sync.clickup import ClickUpClient, RepeatedPageError, comment_pages, task_pages
from clickup_sync.clickup.paging import encode_params
from clickup_sync.simulator import Simulator
from clickup_sync.simulator.mutations import add_comment

from .conftest import MakeClient


def _hidden_by_archive(sim: Simulator, list_id: str) -> bool:
    ws = sim.workspace
    lst = ws.lists[list_id]
    folder = ws.folders.get(lst.folder_id or "")
    return lst.archived or ws.spaces[lst.space_id].archived or bool(folder and folder.archived)


async def _all(pages: Any) -> list[dict[str, Any]]:
    return [item async for page in pages for item in page]


async def test_team_tasks_read_every_visible_task(client: ClickUpClient,
                                                  read_sim: Simulator) -> None:
    ws = read_sim.workspace
    seen: list[str] = []
    requests = 0
    for archived in (False, True):
        tasks = await _all(client.iter_team_tasks(ws.id, include_closed=True, subtasks=True,
                                                  archived=archived))
        assert all(t["archived"] is archived for t in tasks)
        seen += [t["id"] for t in tasks]
        requests += max(1, -(-len(tasks) // 100))  # pages of 100; one page says it is empty
    expected = {t.id for t in ws.tasks.values() if not _hidden_by_archive(read_sim, t.list_id)}
    assert len(seen) == len(set(seen)) and set(seen) == expected
    assert len(expected) > 200  # more than two pages
    assert client.calls_by_endpoint["GET /team/{team_id}/task"] == requests == client.calls


async def test_list_tasks_and_filters(client: ClickUpClient, read_sim: Simulator) -> None:
    ws = read_sim.workspace
    # The archived List's tasks are only reachable through the List endpoint.
    for lst in ws.lists.values():
        got = set()
        for archived in (False, True):
            got |= {t["id"] for t in await _all(client.iter_list_tasks(
                lst.id, include_closed=True, subtasks=True, archived=archived))}
        assert got == {t.id for t in ws.tasks.values() if t.list_id == lst.id}
    # Filters: arrays repeat as name[], order and date bounds apply.
    some = next(t for t in ws.tasks.values() if t.assignees and not t.archived)
    since = sorted(t.date_updated for t in ws.tasks.values())[len(ws.tasks) // 2]
    tasks = await _all(client.iter_team_tasks(
        ws.id, include_closed=True, subtasks=True, assignees=[some.assignees[0]],
        order_by="updated", reverse=True, date_updated_gt=since))
    updated = [int(t["date_updated"]) for t in tasks]
    assert tasks and updated == sorted(updated) and min(updated) >= since
    assert all(some.assignees[0] in [a["id"] for a in t["assignees"]] for t in tasks)


async def test_all_comments_of_a_busy_task(write_sim: Simulator,
                                           make_client: MakeClient) -> None:
    ws = write_sim.workspace
    task_id = next(iter(ws.tasks))
    while len(own := [c for c in ws.comments.values()
                      if c.task_id == task_id and not c.parent_id]) < 87:
        add_comment(write_sim.state, ws.owner_id, f"comment {len(own)}", task_id=task_id)
    client = make_client(write_sim)
    pages = [page async for page in client.iter_task_comments(task_id)]
    comments = [c for page in pages for c in page]
    assert [len(p) for p in pages] == [25, 25, 25, 12]
    assert len({c["id"] for c in comments}) == len(comments) == 87
    assert {c["id"] for c in comments} == {c.id for c in own}
    dates = [int(c["date"]) for c in comments]
    assert dates == sorted(dates, reverse=True)  # newest first, across pages

    list_id = next(iter(ws.lists))
    for n in range(30):
        add_comment(write_sim.state, ws.owner_id, f"list comment {n}", list_id=list_id)
    listed = await _all(client.iter_list_comments(list_id))
    assert {c["id"] for c in listed} == {c.id for c in ws.comments.values()
                                         if c.list_id == list_id and not c.parent_id}


def _forever(body: Callable[[httpx.Request], dict[str, Any]]) -> httpx.MockTransport:
    """A server that ignores paging parameters and answers the same page every time."""
    return httpx.MockTransport(lambda request: httpx.Response(200, json=body(request)))


def _tasks(n: int) -> list[dict[str, Any]]:
    return [{"id": f"t{i}", "name": "x"} for i in range(n)]


def _comments(n: int) -> list[dict[str, Any]]:
    return [{"id": str(100 - i), "date": str(1_700_000_000_000 - i)} for i in range(n)]


@pytest.mark.parametrize("last_page", [False, None])
async def test_task_pages_stop_on_a_repeated_page(make_client: MakeClient,
                                                  last_page: bool | None) -> None:
    body = {"tasks": _tasks(100)} | ({} if last_page is None else {"last_page": last_page})
    client = make_client(transport=_forever(lambda _: body))
    pages = task_pages(client, "/list/1/task", {"include_closed": True})
    assert len(await anext(pages)) == 100
    with pytest.raises(RepeatedPageError, match="repeats"):
        await anext(pages)
    assert client.calls == 2


async def test_comment_pages_stop_on_a_repeated_page(make_client: MakeClient) -> None:
    client = make_client(transport=_forever(lambda _: {"comments": _comments(25)}))
    with pytest.raises(RepeatedPageError):
        await _all(comment_pages(client, "/task/abc/comment"))
    assert client.calls == 2


async def test_paging_parameters_on_the_wire(make_client: MakeClient) -> None:
    seen: list[httpx.URL] = []

    def answer(request: httpx.Request) -> dict[str, Any]:
        seen.append(request.url)
        if request.url.path.endswith("/comment"):
            return {"comments": _comments(25) if "start" not in request.url.params else []}
        page = int(request.url.params["page"])
        return {"tasks": _tasks(100) if page == 0 else _tasks(3), "last_page": page == 1}

    client = make_client(transport=_forever(answer))
    tasks = await _all(client.iter_team_tasks("9", statuses=["to do", "done"], subtasks=True,
                                              custom_fields=[{"field_id": "f", "value": 1}]))
    assert len(tasks) == 103
    first = seen[0].params
    assert first.get_list("statuses[]") == ["to do", "done"]
    assert first["subtasks"] == "true" and first["page"] == "0"
    assert json.loads(first["custom_fields"]) == [{"field_id": "f", "value": 1}]
    assert seen[1].params["page"] == "1"
    assert await _all(client.iter_task_comments("abc")) == _comments(25)
    assert seen[-1].params["start"] == str(1_700_000_000_000 - 24)
    assert seen[-1].params["start_id"] == "76"


def test_encode_params() -> None:
    assert encode_params({"a": True, "b": None, "c[]": [1, 2], "d": 5}) == [
        ("a", "true"), ("c[]", "1"), ("c[]", "2"), ("d", "5")]
