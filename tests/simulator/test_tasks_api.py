"""Task listings over HTTP: paging, filters and order, checked against the simulator's state."""

from __future__ import annotations

import httpx
import pytest

from clickup_sync.simulator import Simulator


def _all_pages(api: httpx.Client, path: str, params: dict) -> list[dict]:
    tasks, page = [], 0
    while True:
        body = api.get(path, params={**params, "page": page}).json()
        assert len(body["tasks"]) <= 100
        tasks += body["tasks"]
        if body["last_page"]:
            return tasks
        assert len(body["tasks"]) == 100
        page += 1


def _visible(sim: Simulator, list_id: str) -> bool:
    ws = sim.workspace
    lst = ws.lists[list_id]
    folder_archived = lst.folder_id is not None and ws.folders[lst.folder_id].archived
    return not (lst.archived or folder_archived or ws.spaces[lst.space_id].archived)


def _status_type(sim: Simulator, task) -> str:
    return sim.state.task_status(task).type


def test_team_tasks_full_listing_matches_state(sim: Simulator, api: httpx.Client) -> None:
    team = sim.workspace.id
    got = set()
    for archived in ("false", "true"):
        got |= {t["id"] for t in _all_pages(api, f"/team/{team}/task", {
            "include_closed": "true", "subtasks": "true", "archived": archived})}
    expected = {t.id for t in sim.workspace.tasks.values() if _visible(sim, t.list_id)}
    assert got == expected
    # Tasks of archived Lists are left out of the team endpoint, as ClickUp does.
    hidden = {t.id for t in sim.workspace.tasks.values() if not _visible(sim, t.list_id)}
    assert hidden, "the workspace should have tasks in archived lists"
    assert not got & hidden


def test_defaults_exclude_closed_subtasks_and_archived(sim: Simulator,
                                                       api: httpx.Client) -> None:
    tasks = _all_pages(api, f"/team/{sim.workspace.id}/task", {})
    ws = sim.workspace
    assert tasks
    for t in tasks:
        rec = ws.tasks[t["id"]]
        assert rec.parent is None and not rec.archived
        assert t["status"]["type"] != "closed"
    expected = {t.id for t in ws.tasks.values() if _visible(sim, t.list_id) and not t.parent
                and not t.archived and _status_type(sim, t) != "closed"}
    assert {t["id"] for t in tasks} == expected


def test_default_order_is_newest_first_and_reverse_flips(sim: Simulator,
                                                         api: httpx.Client) -> None:
    path = f"/team/{sim.workspace.id}/task"
    newest = api.get(path, params={"subtasks": "true"}).json()["tasks"]
    created = [int(t["date_created"]) for t in newest]
    assert created == sorted(created, reverse=True)
    oldest = api.get(path, params={"subtasks": "true", "reverse": "true",
                                   "order_by": "updated"}).json()["tasks"]
    updated = [int(t["date_updated"]) for t in oldest]
    assert updated == sorted(updated)


def test_page_past_the_end_is_empty_and_last(sim: Simulator, api: httpx.Client) -> None:
    body = api.get(f"/team/{sim.workspace.id}/task", params={"page": 9999}).json()
    assert body == {"tasks": [], "last_page": True}


def test_date_updated_gt_is_inclusive(sim: Simulator, api: httpx.Client) -> None:
    ws = sim.workspace
    pivot = sorted(t.date_updated for t in ws.tasks.values() if _visible(sim, t.list_id)
                   and not t.archived)[len(ws.tasks) // 2]
    tasks = _all_pages(api, f"/team/{ws.id}/task", {
        "include_closed": "true", "subtasks": "true", "date_updated_gt": pivot})
    assert tasks and all(int(t["date_updated"]) >= pivot for t in tasks)
    assert any(int(t["date_updated"]) == pivot for t in tasks)
    expected = {t.id for t in ws.tasks.values() if _visible(sim, t.list_id)
                and not t.archived and t.date_updated >= pivot}
    assert {t["id"] for t in tasks} == expected


@pytest.mark.parametrize("spelling", ["statuses[]", "statuses"])
def test_status_filter_is_case_insensitive(sim: Simulator, api: httpx.Client,
                                           spelling: str) -> None:
    ws = sim.workspace
    everything = _all_pages(api, f"/team/{ws.id}/task", {"subtasks": "true"})
    name = everything[len(everything) // 2]["status"]["status"]
    tasks = _all_pages(api, f"/team/{ws.id}/task", {spelling: name.upper(),
                                                    "subtasks": "true"})
    assert tasks and all(t["status"]["status"] == name for t in tasks)
    assert len(tasks) == sum(t["status"]["status"] == name for t in everything)


def test_assignee_and_space_filters(sim: Simulator, api: httpx.Client) -> None:
    ws = sim.workspace
    busiest = max(ws.members, key=lambda u: sum(u in t.assignees for t in ws.tasks.values()))
    space_id = next(iter(ws.spaces))
    tasks = _all_pages(api, f"/team/{ws.id}/task", {
        "assignees[]": busiest, "space_ids[]": space_id, "include_closed": "true",
        "subtasks": "true"})
    expected = {t.id for t in ws.tasks.values() if busiest in t.assignees and not t.archived
                and ws.lists[t.list_id].space_id == space_id and _visible(sim, t.list_id)}
    assert expected and {t["id"] for t in tasks} == expected


def test_list_tasks_include_timl_adds_tasks_homed_elsewhere(sim: Simulator,
                                                            api: httpx.Client) -> None:
    ws = sim.workspace
    extra = next(t for t in ws.tasks.values() if t.locations and not t.archived
                 and not t.parent and _status_type(sim, t) != "closed")
    other = extra.locations[0]
    plain = {t["id"] for t in _all_pages(api, f"/list/{other}/task", {})}
    timl = {t["id"] for t in _all_pages(api, f"/list/{other}/task", {"include_timl": "true"})}
    assert extra.id not in plain and extra.id in timl


def test_list_tasks_of_an_archived_list_are_served(sim: Simulator, api: httpx.Client) -> None:
    ws = sim.workspace
    lst = next(lst for lst in ws.lists.values() if lst.archived
               and any(t.list_id == lst.id for t in ws.tasks.values()))
    got = set()
    for archived in ("false", "true"):
        got |= {t["id"] for t in _all_pages(api, f"/list/{lst.id}/task", {
            "include_closed": "true", "subtasks": "true", "archived": archived})}
    assert got == {t.id for t in ws.tasks.values() if t.list_id == lst.id}


def test_task_shape_uses_live_value_forms(sim: Simulator, api: httpx.Client) -> None:
    ws = sim.workspace
    rec = next(t for t in ws.tasks.values() if t.priority and t.time_estimate and t.due_date)
    t = api.get(f"/task/{rec.id}").json()
    assert t["date_created"] == str(rec.date_created)
    assert isinstance(t["due_date"], str) and t["time_estimate"] == rec.time_estimate
    assert set(t["priority"]) == {"id", "priority", "color", "orderindex"}
    assert t["priority"]["id"] == str(rec.priority)
    assert t["status"]["type"] in {"open", "custom", "done", "closed"}
    assert all(isinstance(a["id"], int) for a in t["assignees"])
    assert t["space"] == {"id": ws.lists[rec.list_id].space_id}


def test_subtasks_of_a_parent(sim: Simulator, api: httpx.Client) -> None:
    ws = sim.workspace
    parent = next(t.parent for t in ws.tasks.values() if t.parent)
    tasks = _all_pages(api, f"/team/{ws.id}/task", {"parent": parent, "include_closed": "true"})
    expected = {t.id for t in ws.tasks.values() if t.parent == parent and not t.archived}
    assert {t["id"] for t in tasks} == expected
    body = api.get(f"/task/{parent}", params={"include_subtasks": "true"}).json()
    assert {s["id"] for s in body["subtasks"]} == {t.id for t in ws.tasks.values()
                                                   if t.parent == parent}


def test_time_spent_only_on_tracked_tasks(sim: Simulator, api: httpx.Client) -> None:
    ws = sim.workspace
    tracked = {te.task_id for te in ws.time_entries.values() if te.task_id and te.end}
    untracked = next(t for t in ws.tasks.values() if t.id not in tracked)
    assert "time_spent" not in api.get(f"/task/{untracked.id}").json()
    tid = next(iter(tracked))
    expected = sum(te.end - te.start for te in ws.time_entries.values()
                   if te.task_id == tid and te.end)
    assert api.get(f"/task/{tid}").json()["time_spent"] == expected


def test_bad_page_parameter_is_a_clickup_error(sim: Simulator, api: httpx.Client) -> None:
    r = api.get(f"/team/{sim.workspace.id}/task", params={"page": "abc"})
    assert r.status_code == 400 and set(r.json()) == {"err", "ECODE"}
