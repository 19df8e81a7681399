"""The generated Workspace: deterministic per seed, the requested size, and internally
consistent in every way a ClickUp client (and later analytics) relies on."""

from __future__ import annotations

import dataclasses
import re
import time
from collections import Counter

import pytest

from clickup_sync.simulator.generate import generate_workspace
from clickup_sync.simulator.model import Status, TaskList, Workspace

NOW = 1_760_000_000_000
DAY = 86_400_000
FIELD_TYPES = {"url", "drop_down", "labels", "email", "phone", "date", "short_text", "text",
               "checkbox", "number", "currency", "tasks", "users", "emoji", "progress",
               "location"}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
FINISHED = ("done", "closed")


@pytest.fixture(scope="module")
def ws() -> Workspace:
    return generate_workspace(7, 2000, NOW)[0]


def statuses(ws: Workspace, lst: TaskList) -> list[Status]:
    """The workflow a List uses: its own, else its Folder's, else its Space's."""
    if lst.override_statuses:
        return lst.statuses
    folder = ws.folders.get(lst.folder_id or "")
    if folder and folder.override_statuses:
        return folder.statuses
    return ws.spaces[lst.space_id].statuses


def status_type(ws: Workspace, task_id: str) -> str:
    t = ws.tasks[task_id]
    by_name = {s.status: s.type for s in statuses(ws, ws.lists[t.list_id])}
    return by_name[t.status]


# -- determinism and size -------------------------------------------------------------------
def test_same_seed_gives_identical_workspace_and_id_factory() -> None:
    ws1, ids1 = generate_workspace(3, 1500, NOW)
    ws2, ids2 = generate_workspace(3, 1500, NOW)
    assert dataclasses.asdict(ws1) == dataclasses.asdict(ws2)
    assert [ids1.task(), ids1.comment(), ids1.uuid()] == [ids2.task(), ids2.comment(),
                                                           ids2.uuid()]


def test_different_seed_gives_different_workspace() -> None:
    a, b = generate_workspace(1, 300, NOW)[0], generate_workspace(2, 300, NOW)[0]
    assert dataclasses.asdict(a) != dataclasses.asdict(b)
    assert [t.name for t in a.tasks.values()] != [t.name for t in b.tasks.values()]


def test_default_now_is_the_current_time() -> None:
    before = int(time.time() * 1000)
    ws, _ = generate_workspace(5, 200)
    latest = max(t.date_updated for t in ws.tasks.values())
    assert before - 3 * DAY < latest <= int(time.time() * 1000)


@pytest.mark.parametrize("n", [0, 1, 10, 137, 500, 2000])
def test_requested_task_count_is_honoured(n: int) -> None:
    ws, _ = generate_workspace(11, n, NOW)
    assert abs(len(ws.tasks) - n) <= max(1, n // 100)


def test_ids_allocated_after_generation_never_collide(ws: Workspace) -> None:
    _, ids = generate_workspace(7, 2000, NOW)
    assert ids.task() not in ws.tasks
    assert ids.comment() not in ws.comments
    assert ids.time_entry() not in ws.time_entries
    assert ids.list() not in ws.lists and ids.folder() not in ws.folders
    assert ids.space() not in ws.spaces and ids.user() not in ws.members


# -- people ---------------------------------------------------------------------------------
def test_members_and_roles(ws: Workspace) -> None:
    roles = Counter(m.role for m in ws.members.values())
    assert roles[1] == 1 and ws.members[ws.owner_id].role == 1
    assert roles[2] >= 1 and roles[4] >= 1 and roles[3] > roles[2]
    assert len({m.email for m in ws.members.values()}) == len(ws.members)
    assert len({m.username for m in ws.members.values()}) == len(ws.members)
    for m in ws.members.values():
        assert m.initials == "".join(p[0] for p in m.username.split()).upper()
        assert m.color and m.timezone


def test_every_person_referenced_is_a_member(ws: Workspace) -> None:
    members = ws.members
    for t in ws.tasks.values():
        assert t.creator in members
        assert all(u in members for u in t.assignees + t.watchers)
        assert len(set(t.assignees)) == len(t.assignees)
    assert all(e.user_id in members for e in ws.time_entries.values())
    for c in ws.comments.values():
        assert c.user_id in members
        assert c.assignee is None or c.assignee in members
    for sp in ws.spaces.values():
        assert all(u in members for u in sp.member_ids)
    for lst in ws.lists.values():
        assert all(u in members for u in lst.member_ids)


def test_inactive_members_still_hold_open_tasks(ws: Workspace) -> None:
    gone = [m for m in ws.members.values()
            if m.last_active is not None and NOW - m.last_active > 45 * DAY]
    assert len(gone) >= 2
    for m in gone:
        assert any(m.id in t.assignees and status_type(ws, t.id) not in FINISHED
                   for t in ws.tasks.values())
        assert all(e.start <= m.last_active for e in ws.time_entries.values()
                   if e.user_id == m.id)
        assert all(c.date <= m.last_active for c in ws.comments.values() if c.user_id == m.id)


def test_workload_is_uneven(ws: Workspace) -> None:
    load = sorted(Counter(u for t in ws.tasks.values() for u in t.assignees).values())
    assert load[-1] > 2 * load[len(load) // 2]


# -- hierarchy ------------------------------------------------------------------------------
def test_spaces_folders_and_lists(ws: Workspace) -> None:
    spaces = list(ws.spaces.values())
    assert 3 <= len(spaces) <= 6
    assert sum(s.private for s in spaces) == 1 and sum(s.archived for s in spaces) == 1
    assert all(s.member_ids for s in spaces if s.private)
    for sp in spaces:
        types = [s.type for s in sp.statuses]
        assert types[0] == "open" and "closed" in types and "custom" in types
        assert all(s.id.startswith(f"p{sp.id}_") for s in sp.statuses)
        assert sp.tags and any(f.space_id == sp.id for f in ws.folders.values())
    assert len({tuple(s.status for s in sp.statuses) for sp in spaces}) > 1
    assert any(f.archived for f in ws.folders.values())
    over = [f for f in ws.folders.values() if f.override_statuses]
    assert over and all(f.statuses for f in over)
    for lst in ws.lists.values():
        assert lst.space_id in ws.spaces
        if lst.folder_id is None:
            assert lst.hidden_folder_id
        else:
            assert ws.folders[lst.folder_id].space_id == lst.space_id
            assert lst.hidden_folder_id is None
        if lst.override_statuses:
            assert all(s.id.startswith(f"sc{lst.id}_") for s in lst.statuses)
    assert any(lst.override_statuses for lst in ws.lists.values())
    assert any(lst.member_ids for lst in ws.lists.values())
    assert any(lst.due_date and lst.start_date for lst in ws.lists.values())


def test_archived_lists_exist_and_contain_tasks(ws: Workspace) -> None:
    archived = {lst.id for lst in ws.lists.values() if lst.archived}
    assert archived
    home = Counter(t.list_id for t in ws.tasks.values())
    assert all(home[lid] > 0 for lid in archived)


def test_custom_fields_cover_every_type_and_scope(ws: Workspace) -> None:
    fields = list(ws.fields.values())
    assert {f.type for f in fields} == FIELD_TYPES
    assert {f.scope[0] for f in fields} == {"team", "space", "folder", "list"}
    methods = {f.type_config.get("method") for f in fields if f.type == "progress"}
    assert methods == {"manual", "automatic"}
    for f in fields:
        assert UUID.match(f.id)
        if f.type in ("drop_down", "labels"):
            opts = f.type_config["options"]
            assert opts and all(UUID.match(o["id"]) for o in opts)
            assert [o["orderindex"] for o in opts] == list(range(len(opts)))
            assert all(o.get("name") or o.get("label") for o in opts)


def test_custom_values_have_documented_forms(ws: Workspace) -> None:
    seen: set[str] = set()
    for t in ws.tasks.values():
        lst = ws.lists[t.list_id]
        scopes = {("team", ws.id), ("space", lst.space_id), ("list", lst.id),
                  ("folder", lst.folder_id or "")}
        for fid, value in t.custom_values.items():
            f = ws.fields[fid]
            assert f.scope in scopes
            seen.add(f.type)
            if f.type in ("number", "currency"):
                float(value)
                assert isinstance(value, str)
            elif f.type == "drop_down":
                assert value in [o["orderindex"] for o in f.type_config["options"]]
            elif f.type == "labels":
                assert set(value) <= {o["id"] for o in f.type_config["options"]}
            elif f.type == "users":
                assert all(u in ws.members for u in value)
            elif f.type == "tasks":
                assert all(tid in ws.tasks for tid in value)
            elif f.type == "progress":
                assert 0 <= value["percent_complete"] <= 100
            elif f.type == "location":
                assert value["formatted_address"] and "lat" in value["location"]
            elif f.type == "checkbox":
                assert isinstance(value, bool)
            elif f.type in ("date", "emoji"):
                assert isinstance(value, int)
            else:
                assert isinstance(value, str) and value
    assert seen == FIELD_TYPES


# -- tasks ----------------------------------------------------------------------------------
def test_subtask_tree(ws: Workspace) -> None:
    tasks = ws.tasks
    for t in tasks.values():
        assert t.list_id in ws.lists
        if t.parent is None:
            assert t.top_level_parent is None
            continue
        parent = tasks[t.parent]
        assert parent.list_id == t.list_id
        assert parent.date_created <= t.date_created
        node, depth = t, 0
        while node.parent is not None:
            node, depth = tasks[node.parent], depth + 1
        assert depth <= 3 and t.top_level_parent == node.id
    subs = sum(1 for t in tasks.values() if t.parent)
    assert 0.25 < subs / len(tasks) < 0.35
    assert any(t.parent and tasks[t.parent].parent for t in tasks.values())


def test_dependencies_links_and_locations(ws: Workspace) -> None:
    tasks = ws.tasks
    with_deps = [t for t in tasks.values() if t.depends_on]
    assert 0.01 < len(with_deps) / len(tasks) < 0.15
    for t in with_deps:
        assert all(d in tasks and d != t.id for d in t.depends_on)
        assert len(set(t.depends_on)) == len(t.depends_on)
    linked = [t for t in tasks.values() if t.linked]
    assert linked
    for t in linked:
        assert all(o != t.id and t.id in tasks[o].linked for o in t.linked)
    multi = [t for t in tasks.values() if t.locations]
    assert 0.01 < len(multi) / len(tasks) < 0.06
    assert all(lid in ws.lists and lid != t.list_id for t in multi for lid in t.locations)


def test_dates_follow_the_status(ws: Workspace) -> None:
    kinds = Counter()
    for t in ws.tasks.values():
        kind = status_type(ws, t.id)
        kinds[kind] += 1
        assert t.date_created < t.date_updated <= NOW
        assert t.date_created >= NOW - 130 * DAY
        if kind in FINISHED:
            assert t.date_closed and t.date_done
            assert t.date_created < t.date_closed <= t.date_updated
        else:
            assert t.date_closed is None and t.date_done is None
    assert kinds["open"] and kinds["custom"] and kinds["done"] and kinds["closed"]
    assert 0.3 < (kinds["done"] + kinds["closed"]) / len(ws.tasks) < 0.8


def test_task_details_look_lived_in(ws: Workspace) -> None:
    tasks = list(ws.tasks.values())
    unfinished = [t for t in tasks if status_type(ws, t.id) not in FINISHED]
    assert any(t.due_date and t.due_date < NOW for t in unfinished)  # overdue
    assert any(t.due_date and t.due_date > NOW for t in tasks)
    assert any(NOW - t.date_updated > 30 * DAY for t in unfinished
               if status_type(ws, t.id) == "custom")  # stale
    assert 0.005 < sum(t.archived for t in tasks) / len(tasks) < 0.1
    assert {t.priority for t in tasks} == {None, 1, 2, 3, 4}
    assert sum(1 for t in tasks if t.time_estimate) / len(tasks) > 0.5
    assert any(t.points for t in tasks) and any(t.tags for t in tasks)
    assert any(len(t.assignees) >= 2 for t in tasks) and any(not t.assignees for t in tasks)
    assert any(t.custom_item_id == 1 for t in tasks)
    checklists = [c for t in tasks for c in t.checklists]
    assert checklists and all(c.task_id in ws.tasks for c in checklists)
    items = [i for c in checklists for i in c.items]
    assert any(i.resolved for i in items) and any(not i.resolved for i in items)
    for t in tasks:
        tags = {tg.name for tg in ws.spaces[ws.lists[t.list_id].space_id].tags}
        assert set(t.tags) <= tags
    order = [t.orderindex for t in tasks]
    assert all(isinstance(o, float) for o in order)


# -- activity -------------------------------------------------------------------------------
def test_time_entries(ws: Workspace) -> None:
    entries = list(ws.time_entries.values())
    running = [e for e in entries if e.end is None]
    assert len(running) == 1
    assert NOW - 2 * 3_600_000 <= running[0].start < NOW
    done = [e for e in entries if e.end is not None]
    assert 1.2 < len(entries) / len(ws.tasks) < 3.5
    for e in done:
        assert 15 * 60_000 <= e.end - e.start <= 4 * 3_600_000
        assert e.at == e.end and e.end <= NOW
        if e.task_id is not None:
            t = ws.tasks[e.task_id]
            assert t.date_created <= e.start and e.end <= t.date_updated
    assert any(e.task_id is None for e in entries)
    assert any(e.billable for e in entries) and any(not e.billable for e in entries)
    assert any(e.tags for e in entries) and any(e.description for e in entries)
    people = {}
    for e in done:
        if e.task_id:
            people.setdefault(e.task_id, set()).add(e.user_id)
    assert any(len(ws.tasks[tid].assignees) >= 2 and len(set(ws.tasks[tid].assignees) & who) >= 2
               for tid, who in people.items())
    mostly_assignees = sum(1 for e in done if e.task_id and e.user_id in
                           ws.tasks[e.task_id].assignees)
    assert mostly_assignees > 0.6 * sum(1 for e in done if e.task_id)


def test_comments(ws: Workspace) -> None:
    comments = ws.comments
    per_task = Counter(c.task_id for c in comments.values() if c.task_id)
    assert 1.0 < len(comments) / len(ws.tasks) < 2.2
    assert any(n > 60 for n in per_task.values())
    for c in comments.values():
        assert (c.task_id is None) != (c.list_id is None)
        assert c.date <= NOW
        if c.task_id:
            assert c.task_id in ws.tasks and c.date > ws.tasks[c.task_id].date_created
        else:
            assert c.list_id in ws.lists
        if c.parent_id:
            parent = comments[c.parent_id]
            assert parent.task_id == c.task_id and parent.parent_id is None
            assert parent.date <= c.date
        if c.assignee is not None:
            assert c.assigned_by in ws.members
    assert any(c.parent_id for c in comments.values())
    assert any(c.list_id for c in comments.values())
    assigned = [c for c in comments.values() if c.assignee]
    assert any(c.resolved for c in assigned) and any(not c.resolved for c in assigned)
