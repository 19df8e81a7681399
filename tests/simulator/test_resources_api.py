"""Hierarchy, comments, time entries, members, fields and tags over HTTP, against the state."""

from __future__ import annotations

import time

import httpx
import pytest

from clickup_sync.simulator import Simulator

DAY = 24 * 3600 * 1000


def test_team_lists_every_member_with_role(sim: Simulator, api: httpx.Client) -> None:
    teams = api.get("/team").json()["teams"]
    assert [t["id"] for t in teams] == [sim.workspace.id]
    members = {m["user"]["id"]: m["user"] for m in teams[0]["members"]}
    assert set(members) == set(sim.workspace.members)
    assert {u["role_key"] for u in members.values()} == {"owner", "admin", "member", "guest"}


def test_hierarchy_walk_finds_every_list_archived_included(sim: Simulator,
                                                           api: httpx.Client) -> None:
    ws = sim.workspace
    found = set()
    spaces = [s for a in ("false", "true")
              for s in api.get(f"/team/{ws.id}/space", params={"archived": a}).json()["spaces"]]
    assert {s["id"] for s in spaces} == set(ws.spaces)
    for sp in spaces:
        for a in ("false", "true"):
            for f in api.get(f"/space/{sp['id']}/folder",
                             params={"archived": a}).json()["folders"]:
                assert isinstance(f["task_count"], str)
                for b in ("false", "true"):
                    found |= {lst["id"] for lst in api.get(
                        f"/folder/{f['id']}/list", params={"archived": b}).json()["lists"]}
            for lst in api.get(f"/space/{sp['id']}/list", params={"archived": a}).json()["lists"]:
                assert lst["folder"]["hidden"] is True and lst["folder"]["name"] == "hidden"
                assert isinstance(lst["task_count"], int)
                found.add(lst["id"])
    assert found == set(ws.lists)


def test_list_detail_has_its_workflow(sim: Simulator, api: httpx.Client) -> None:
    lst = next(lst for lst in sim.workspace.lists.values() if lst.override_statuses)
    body = api.get(f"/list/{lst.id}").json()
    assert [s["status"] for s in body["statuses"]] == [s.status for s in lst.statuses]
    assert all(s["status_group"] == f"subcat_{lst.id}" for s in body["statuses"])


def test_task_comments_page_25_newest_first_to_the_end(sim: Simulator,
                                                       api: httpx.Client) -> None:
    ws = sim.workspace
    counts: dict[str, int] = {}
    for c in ws.comments.values():
        if c.task_id and not c.parent_id:
            counts[c.task_id] = counts.get(c.task_id, 0) + 1
    task_id = max(counts, key=counts.get)
    assert counts[task_id] > 50
    seen: list[dict] = []
    params: dict = {}
    while True:
        page = api.get(f"/task/{task_id}/comment", params=params).json()["comments"]
        assert len(page) <= 25
        seen += page
        if len(page) < 25:
            break
        params = {"start": page[-1]["date"], "start_id": page[-1]["id"]}
    dates = [int(c["date"]) for c in seen]
    assert dates == sorted(dates, reverse=True)
    assert len(seen) == len({c["id"] for c in seen}) == counts[task_id]


def test_threaded_replies_and_assigned_comments(sim: Simulator, api: httpx.Client) -> None:
    ws = sim.workspace
    reply = next(c for c in ws.comments.values() if c.parent_id)
    parent = ws.comments[reply.parent_id]
    body = api.get(f"/comment/{parent.id}/reply").json()
    assert reply.id in {c["id"] for c in body["comments"]}
    assigned = next(c for c in ws.comments.values() if c.assignee and not c.resolved
                    and c.task_id and not c.parent_id)
    comments = api.get(f"/task/{assigned.task_id}/comment").json()["comments"]
    mine = [c for c in comments if c["id"] == assigned.id]
    if mine:  # within the newest 25
        assert mine[0]["assignee"]["id"] == assigned.assignee and not mine[0]["resolved"]


def test_list_comments(sim: Simulator, api: httpx.Client) -> None:
    c = next(c for c in sim.workspace.comments.values() if c.list_id and not c.task_id)
    ids = {x["id"] for x in api.get(f"/list/{c.list_id}/comment").json()["comments"]}
    assert c.id in ids


def test_time_entries_default_to_callers_last_30_days(sim: Simulator,
                                                      api: httpx.Client) -> None:
    ws = sim.workspace
    now = int(time.time() * 1000)
    data = api.get(f"/team/{ws.id}/time_entries").json()["data"]
    expected = {te.id for te in ws.time_entries.values() if te.user_id == ws.owner_id
                and now - 30 * DAY - 60_000 <= te.start <= now}
    assert {d["id"] for d in data} == expected
    assert all(d["user"]["id"] == ws.owner_id for d in data)


def test_time_entries_of_all_members_in_a_window(sim: Simulator, api: httpx.Client) -> None:
    ws = sim.workspace
    start, end = 0, int(time.time() * 1000) + DAY
    data = api.get(f"/team/{ws.id}/time_entries", params={
        "start_date": start, "end_date": end,
        "assignee": ",".join(str(u) for u in ws.members)}).json()["data"]
    assert {d["id"] for d in data} == set(ws.time_entries)
    running = [d for d in data if int(d["duration"]) < 0]
    assert len(running) == 1 and "end" not in running[0]
    finished = next(d for d in data if int(d["duration"]) > 0)
    assert int(finished["end"]) - int(finished["start"]) == int(finished["duration"])


def test_time_entries_one_location_filter(sim: Simulator, api: httpx.Client) -> None:
    ws = sim.workspace
    te = next(te for te in ws.time_entries.values() if te.task_id)
    everyone = ",".join(str(u) for u in ws.members)
    data = api.get(f"/team/{ws.id}/time_entries", params={
        "start_date": 0, "assignee": everyone, "task_id": te.task_id}).json()["data"]
    assert te.id in {d["id"] for d in data}
    assert all(d["task"]["id"] == te.task_id for d in data)
    r = api.get(f"/team/{ws.id}/time_entries", params={
        "task_id": te.task_id, "list_id": ws.tasks[te.task_id].list_id})
    assert r.status_code == 400


def test_members_cannot_read_others_time(sim: Simulator, base_url: str) -> None:
    ws = sim.workspace
    member = next(m for m in ws.members.values() if m.role == 3)
    sim.add_token("pk_member", member.id)
    r = httpx.get(f"{base_url}/team/{ws.id}/time_entries",
                  params={"assignee": str(ws.owner_id)}, headers={"Authorization": "pk_member"})
    assert r.status_code == 401


def test_legacy_task_time_groups_intervals_per_user(sim: Simulator, api: httpx.Client) -> None:
    ws = sim.workspace
    te = next(te for te in ws.time_entries.values() if te.task_id and te.end)
    body = api.get(f"/task/{te.task_id}/time").json()["data"]
    total = sum(u["time"] for u in body)
    assert total == sum(e.end - e.start for e in ws.time_entries.values()
                        if e.task_id == te.task_id and e.end)


@pytest.mark.parametrize("kind", ["list", "task"])
def test_members_with_explicit_access(sim: Simulator, api: httpx.Client, kind: str) -> None:
    ws = sim.workspace
    if kind == "list":
        lst = next(lst for lst in ws.lists.values() if lst.member_ids)
        got = {m["id"] for m in api.get(f"/list/{lst.id}/member").json()["members"]}
        assert got == set(lst.member_ids)
    else:
        t = next(t for t in ws.tasks.values() if t.assignees)
        got = {m["id"] for m in api.get(f"/task/{t.id}/member").json()["members"]}
        assert set(t.assignees) <= got


def test_fields_cover_every_type_and_tags(sim: Simulator, api: httpx.Client) -> None:
    ws = sim.workspace
    types = set()
    for lst in ws.lists:
        types |= {f["type"] for f in api.get(f"/list/{lst}/field").json()["fields"]}
    assert {"drop_down", "labels", "users", "number", "currency", "date", "checkbox",
            "short_text", "text", "url", "email", "phone", "tasks", "emoji", "progress",
            "location"} <= types
    sp = next(s for s in ws.spaces.values() if s.tags)
    assert {t["name"] for t in api.get(f"/space/{sp.id}/tag").json()["tags"]} == \
        {t.name for t in sp.tags}
