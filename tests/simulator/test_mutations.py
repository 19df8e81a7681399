"""Mutations and the change engine: what each write changes, and the webhook events it sends."""

from __future__ import annotations

import dataclasses
import random

import pytest

from clickup_sync.simulator import activity, changes, mutations
from clickup_sync.simulator.ids import IdFactory
from clickup_sync.simulator.model import (
    Comment,
    Folder,
    Member,
    Space,
    Status,
    Tag,
    Task,
    TaskList,
    TimeEntry,
    Workspace,
)
from clickup_sync.simulator.mutations import MutationError, NotFoundError
from clickup_sync.simulator.state import Event, SimState

NOW = 1_750_000_000_000
HOUR = 3_600_000
OWNER, DEV, QA = 81_000_001, 81_000_002, 81_000_003


def _statuses(owner: str, ids: IdFactory, spec: str) -> list[Status]:
    """Statuses from ``"name:type,..."`` in workflow order."""
    pairs = [item.split(":") for item in spec.split(",")]
    return [Status(ids.status(owner), name, kind, "#87909e", i)  # type: ignore[arg-type]
            for i, (name, kind) in enumerate(pairs)]


def build_workspace(seed: int = 1, tasks: int = 200) -> tuple[Workspace, IdFactory]:
    """A small deterministic Workspace: two Spaces with different workflows, a Folder, a
    folderless List, ``tasks`` tasks (some subtasks), a few comments and time entries."""
    ids = IdFactory(seed)
    rng = random.Random(seed)
    ws = Workspace(id=ids.team_id, name="Sim Co", color="#7b68ee", owner_id=OWNER)
    for uid, name, role in ((OWNER, "Olga", 1), (DEV, "Dev", 3), (QA, "Quinn", 3)):
        ws.members[uid] = Member(uid, name, f"{name.lower()}@example.com", "#7b68ee", name[0],
                                 role, NOW - 90 * 24 * HOUR, NOW - 91 * 24 * HOUR, NOW)
    eng, ops = ids.space(), ids.space()
    ws.spaces[eng] = Space(eng, "Engineering", "#4169e1", False, False, _statuses(
        f"p{eng}", ids, "to do:open,in progress:custom,in review:custom,done:done,closed:closed"),
        tags=[Tag(name, "#ffffff", "#4169e1", OWNER) for name in ("bug", "infra")])
    ws.spaces[ops] = Space(ops, "Ops", "#202020", False, False, _statuses(
        f"p{ops}", ids, "planned:open,in progress:custom,complete:closed"))
    backend = ids.folder()
    ws.folders[backend] = Folder(backend, "Backend", eng, 0)
    for name, space, folder in (("Sprint 1", eng, backend), ("Bugs", eng, None),
                                ("Runbooks", ops, None)):
        lid = ids.list()
        ws.lists[lid] = TaskList(lid, name, space, folder, len(ws.lists),
                                 hidden_folder_id=None if folder else ids.hidden_folder())
    lists = list(ws.lists.values())
    for i in range(tasks):
        lst = lists[i % len(lists)]
        statuses = ws.spaces[lst.space_id].statuses
        st = statuses[rng.randrange(len(statuses))]
        created = NOW - rng.randint(2, 60) * 24 * HOUR
        tid = ids.task()
        parents = [t for t in ws.tasks.values() if t.list_id == lst.id and t.parent is None]
        parent = rng.choice(parents) if parents and rng.random() < 0.2 else None
        ws.tasks[tid] = Task(
            tid, f"Task {i}", "", st.status, lst.id, float(i), created, created + HOUR, OWNER,
            date_done=created + 2 * HOUR if st.type in ("done", "closed") else None,
            date_closed=created + 2 * HOUR if st.type == "closed" else None,
            assignees=[rng.choice((DEV, QA))] if rng.random() < 0.8 else [],
            parent=parent.id if parent else None, top_level_parent=parent.id if parent else None)
    for t in list(ws.tasks.values())[:20]:
        cid = ids.comment()
        ws.comments[cid] = Comment(cid, DEV, "First!", t.date_created + HOUR, task_id=t.id)
        eid = ids.time_entry()
        ws.time_entries[eid] = TimeEntry(eid, DEV, t.date_created, t.date_created + HOUR, t.id,
                                         at=t.date_created + HOUR)
    return ws, ids


def make_state(seed: int = 1, tasks: int = 200) -> SimState:
    """A state on a fixed clock, so every run stamps the same times."""
    ws, ids = build_workspace(seed, tasks)
    return SimState(ws, ids, clock=lambda: NOW)


@pytest.fixture()
def state() -> SimState:
    return make_state()


@pytest.fixture()
def events(state: SimState) -> list[Event]:
    got: list[Event] = []
    state.listeners.append(got.extend)
    return got


def _list(state: SimState, name: str) -> TaskList:
    return next(lst for lst in state.ws.lists.values() if lst.name == name)


def _names(events: list[Event]) -> list[str]:
    return [e.name for e in events]


# -- tasks ----------------------------------------------------------------------------------
def test_create_task_defaults_and_events(state: SimState, events: list[Event]) -> None:
    lst = _list(state, "Sprint 1")
    version = state.version
    t = mutations.create_task(state, lst.id, DEV, {"name": " Write docs ", "assignees": [QA],
                                                   "priority": 2, "tags": ["Docs"]})
    assert (t.name, t.status, t.list_id, t.priority, t.tags) == (
        "Write docs", "to do", lst.id, 2, ["docs"])
    assert t.date_created == t.date_updated >= NOW and t.creator == DEV
    assert t.watchers == [DEV, QA] and state.version > version
    assert "docs" in {tag.name for tag in state.ws.spaces[lst.space_id].tags}
    assert _names(events) == ["taskCreated", "taskStatusUpdated"]
    status_item, creation = events[0].history_items
    assert events[1].history_items == [status_item]
    assert status_item["before"] == {"status": None, "color": "#000000", "type": "removed",
                                     "orderindex": -1}
    assert status_item["after"]["status"] == "to do" and status_item["data"] == {
        "status_type": "open"}
    assert creation["field"] == "task_creation" and creation["parent_id"] == lst.id
    assert status_item["date"] == str(t.date_created) and status_item["type"] == 1
    assert status_item["user"]["id"] == DEV and status_item["source"] is None
    assert events[0].ids == {"task_id": t.id, "list_id": lst.id, "space_id": lst.space_id,
                             "folder_id": lst.folder_id}


def test_create_subtask_and_nested_subtask(state: SimState) -> None:
    lst = _list(state, "Bugs")
    root = mutations.create_task(state, lst.id, DEV, {"name": "Root", "status": "IN PROGRESS"})
    child = mutations.create_task(state, lst.id, DEV, {"name": "Child", "parent": root.id})
    grandchild = mutations.create_task(state, lst.id, DEV, {"name": "GC", "parent": child.id})
    assert root.status == "in progress"
    assert (child.parent, child.top_level_parent) == (root.id, root.id)
    assert (grandchild.parent, grandchild.top_level_parent) == (child.id, root.id)


@pytest.mark.parametrize(("body", "status", "ecode"), [
    ({}, 400, "INPUT_005"),
    ({"name": "  "}, 400, "INPUT_005"),
    ({"name": "x", "status": "nope"}, 400, "ITEM_114"),
    ({"name": "x", "priority": 7}, 400, "INPUT_002"),
    ({"name": "x", "assignees": [42]}, 400, "INPUT_002"),
    ({"name": "x", "due_date": "tomorrow"}, 400, "INPUT_002"),
])
def test_create_task_rejects_bad_bodies(state: SimState, events: list[Event], body: dict,
                                        status: int, ecode: str) -> None:
    before = (len(state.ws.tasks), state.version)
    with pytest.raises(MutationError) as err:
        mutations.create_task(state, _list(state, "Bugs").id, DEV, body)
    assert (err.value.status, err.value.ecode) == (status, ecode)
    assert (len(state.ws.tasks), state.version) == before and events == []


def test_create_task_parent_in_other_list_and_unknown_list(state: SimState) -> None:
    other = next(t for t in state.ws.tasks.values() if t.list_id != _list(state, "Bugs").id)
    with pytest.raises(MutationError) as err:
        mutations.create_task(state, _list(state, "Bugs").id, DEV,
                              {"name": "x", "parent": other.id})
    assert (err.value.err, err.value.ecode) == ("Parent not child of list", "ITEM_137")
    with pytest.raises(NotFoundError) as missing:
        mutations.create_task(state, "999", DEV, {"name": "x"})
    assert (missing.value.status, missing.value.ecode) == (401, "OAUTH_027")


def test_status_moves_set_and_clear_done_and_closed_dates(state: SimState,
                                                          events: list[Event]) -> None:
    t = mutations.create_task(state, _list(state, "Bugs").id, DEV, {"name": "Flow"})
    mutations.update_task(state, t.id, DEV, {"status": "done"})
    done_at = t.date_done
    assert done_at == t.date_updated and t.date_closed is None
    mutations.update_task(state, t.id, QA, {"status": "closed"})
    assert t.date_done == done_at and t.date_closed == t.date_updated > done_at
    mutations.update_task(state, t.id, QA, {"status": "in progress"})
    assert t.date_done is None and t.date_closed is None
    pair = events[-2:]
    assert _names(pair) == ["taskStatusUpdated", "taskUpdated"]
    assert pair[0].history_items == pair[1].history_items
    item = pair[0].history_items[0]
    assert (item["before"]["status"], item["after"]["status"]) == ("closed", "in progress")
    assert item["data"] == {"status_type": "custom"} and item["user"]["id"] == QA


def test_update_fields_send_their_event_pairs(state: SimState, events: list[Event]) -> None:
    t = mutations.create_task(state, _list(state, "Bugs").id, DEV, {"name": "Edit me"})
    events.clear()
    mutations.update_task(state, t.id, DEV, {
        "name": "Edited", "priority": 1, "due_date": NOW + 24 * HOUR, "time_estimate": 5_400_000,
        "assignees": {"add": [QA], "rem": []}, "description": "Now with text"})
    assert (t.name, t.priority, t.due_date, t.time_estimate, t.assignees, t.description) == (
        "Edited", 1, NOW + 24 * HOUR, 5_400_000, [QA], "Now with text")
    by_field = {e.history_items[0]["field"]: e for e in events if e.name != "taskUpdated"}
    assert {e.name for e in by_field.values()} == {
        "taskPriorityUpdated", "taskDueDateUpdated", "taskTimeEstimateUpdated",
        "taskAssigneeUpdated"}
    assert _names(events).count("taskUpdated") == 6  # name, content + one per specific event
    assert by_field["priority"].history_items[0]["after"] == {
        "color": "#f50000", "id": "1", "orderindex": "1", "priority": "urgent"}
    assert by_field["due_date"].history_items[0]["after"] == str(NOW + 24 * HOUR)
    estimate = by_field["time_estimate"].history_items[0]["data"]
    assert estimate["time_estimate_string"] == "1 hour 30 minutes"
    assignee = by_field["assignee_add"].history_items[0]
    assert "before" not in assignee and assignee["after"]["id"] == QA
    stamp = t.date_updated
    events.clear()
    mutations.update_task(state, t.id, QA, {"name": "Edited", "priority": 1})  # no change
    assert events == [] and t.date_updated == stamp
    mutations.update_task(state, t.id, QA, {"assignees": {"rem": [QA]}})
    assert t.assignees == [] and events[0].history_items[0]["field"] == "assignee_rem"


def test_update_rejects_cycles_and_keeps_task_unchanged(state: SimState) -> None:
    lst = _list(state, "Bugs")
    root = mutations.create_task(state, lst.id, DEV, {"name": "Root"})
    child = mutations.create_task(state, lst.id, DEV, {"name": "Child", "parent": root.id})
    with pytest.raises(MutationError):
        mutations.update_task(state, root.id, DEV, {"parent": child.id, "name": "Renamed"})
    with pytest.raises(MutationError):
        mutations.update_task(state, root.id, DEV, {"status": "bogus", "name": "Renamed"})
    assert root.name == "Root" and root.parent is None


def test_move_task_takes_subtasks_and_remaps_statuses(state: SimState,
                                                      events: list[Event]) -> None:
    src, dest = _list(state, "Bugs"), _list(state, "Runbooks")
    root = mutations.create_task(state, src.id, DEV, {"name": "Root", "status": "in progress"})
    child = mutations.create_task(state, src.id, DEV, {"name": "Kid", "parent": root.id,
                                                       "status": "done"})
    events.clear()
    mutations.move_task(state, root.id, dest.id, QA)
    assert root.list_id == child.list_id == dest.id
    assert root.status == "in progress"  # same name in the new workflow
    assert child.status == "planned" and child.date_done is None  # no "done": first status
    assert _names(events) == ["taskMoved", "taskUpdated", "taskMoved", "taskUpdated",
                              "taskStatusUpdated", "taskUpdated", "spaceUpdated"]
    item = events[0].history_items[0]
    assert item["field"] == "section_moved" and item["parent_id"] == dest.id
    assert item["before"]["id"] == src.id and item["after"]["category"]["hidden"] is True
    assert item["after"]["project"] == {"id": dest.space_id, "name": "Ops"}
    assert events[-1].ids == {"space_id": dest.space_id}
    with pytest.raises(MutationError):
        mutations.move_task(state, child.id, src.id, QA)


def test_delete_task_removes_subtasks_and_comments_keeps_time(state: SimState,
                                                              events: list[Event]) -> None:
    lst = _list(state, "Bugs")
    root = mutations.create_task(state, lst.id, DEV, {"name": "Root"})
    kid = mutations.create_task(state, lst.id, DEV, {"name": "Kid", "parent": root.id})
    c = activity.add_comment(state, DEV, "note", task_id=kid.id)
    reply = activity.add_comment(state, QA, "ack", parent_id=c.id)
    te = activity.add_time_entry(state, DEV, kid.id, NOW - HOUR, NOW)
    events.clear()
    assert mutations.delete_task(state, root.id, QA) == [root.id, kid.id]
    assert root.id not in state.ws.tasks and kid.id not in state.ws.tasks
    assert {root.id, kid.id} <= state.ws.deleted_task_ids
    assert c.id not in state.ws.comments and reply.id not in state.ws.comments
    assert state.ws.time_entries[te.id].task_id is None
    assert _names(events) == ["taskDeleted", "taskDeleted"]
    assert all(e.history_items == [] for e in events)
    with pytest.raises(NotFoundError):
        mutations.update_task(state, root.id, QA, {"name": "ghost"})


def test_archive_task(state: SimState, events: list[Event]) -> None:
    t = mutations.create_task(state, _list(state, "Bugs").id, DEV, {"name": "Old"})
    mutations.archive_task(state, t.id, DEV)
    assert t.archived and events[-1].history_items[0]["field"] == "archived"


def test_tags_add_and_remove(state: SimState, events: list[Event]) -> None:
    t = mutations.create_task(state, _list(state, "Bugs").id, DEV, {"name": "Tagged"})
    events.clear()
    mutations.set_tag(state, t.id, "Urgent-Fix", DEV)
    mutations.set_tag(state, t.id, "urgent-fix", DEV)  # already there: nothing happens
    assert t.tags == ["urgent-fix"]
    assert _names(events) == ["taskTagUpdated", "taskUpdated"]
    assert events[0].history_items[0]["after"][0]["name"] == "urgent-fix"
    mutations.set_tag(state, t.id, "urgent-fix", DEV, present=False)
    assert t.tags == [] and events[-1].history_items[0]["field"] == "tag_removed"
    with pytest.raises(MutationError):
        mutations.update_task(state, t.id, DEV, {"archived": "yes"})


# -- comments, time, lists --------------------------------------------------------------------
def test_comments_send_events_and_bump_task(state: SimState, events: list[Event]) -> None:
    t = mutations.create_task(state, _list(state, "Bugs").id, DEV, {"name": "Talk"})
    events.clear()
    c = activity.add_comment(state, DEV, "Please review", task_id=t.id, assignee=QA)
    assert state.comments_by_task[t.id] == [c.id] and c.assigned_by == DEV
    assert t.date_updated == c.date
    assert _names(events) == ["taskCommentPosted", "taskUpdated"]
    item = events[0].history_items[0]
    assert item["field"] == "comment" and item["after"] == c.id
    assert item["comment"]["text_content"] == "Please review\n"
    assert item["comment"]["parent"] == t.id
    reply = activity.add_comment(state, QA, "On it", parent_id=c.id)
    assert state.replies[c.id] == [reply.id] and reply.task_id == t.id
    activity.resolve_comment(state, c.id, QA)
    assert c.resolved and events[-2].name == "taskCommentUpdated"
    activity.update_comment(state, c.id, DEV, text="Please review today")
    assert events[-2].history_items[0]["comment"]["text_content"] == "Please review today\n"
    events.clear()
    note = activity.add_comment(state, DEV, "List note", list_id=t.list_id)
    assert events == [] and state.comments_by_list[t.list_id][-1] == note.id
    with pytest.raises(MutationError):
        activity.add_comment(state, DEV, "", task_id=t.id)
    activity.delete_comment(state, c.id, DEV)
    assert c.id not in state.ws.comments and reply.id not in state.ws.comments
    assert state.comments_by_task[t.id] == [] and events == []


def test_time_entries_and_timers(state: SimState, events: list[Event]) -> None:
    t = mutations.create_task(state, _list(state, "Bugs").id, DEV, {"name": "Work"})
    events.clear()
    te = activity.add_time_entry(state, DEV, t.id, NOW - 2 * HOUR, NOW - HOUR, "coding")
    assert _names(events) == ["taskTimeTrackedUpdated", "taskUpdated"]
    assert events[0].data == events[1].data == {"description": "Time Tracking Created",
                                                "interval_id": te.id}
    item = events[0].history_items[0]
    assert item["field"] == "time_spent" and item["after"]["time"] == str(HOUR)
    assert item["data"]["total_time"] == str(HOUR)
    first = activity.start_timer(state, DEV, t.id)
    assert first.end is None and activity.running_timer(state, DEV) is first
    second = activity.start_timer(state, DEV, None)  # starting again stops the first
    assert first.end is not None and activity.running_timer(state, DEV) is second
    assert activity.stop_timer(state, DEV) is second and second.end is not None
    assert activity.stop_timer(state, DEV) is None
    events.clear()
    activity.delete_time_entry(state, te.id, DEV)
    assert te.id not in state.ws.time_entries
    assert events[0].data["description"] == "Time Tracking Deleted"
    gone = events[0].history_items[0]
    assert gone["after"] is None and gone["before"]["id"] == te.id
    with pytest.raises(MutationError):
        activity.add_time_entry(state, DEV, t.id, NOW, NOW - 1)


def test_create_and_archive_list(state: SimState, events: list[Event]) -> None:
    space = next(iter(state.ws.spaces))
    lst = activity.create_list(state, OWNER, "Sprint 2", space_id=space)
    assert lst.folder_id is None and lst.hidden_folder_id
    assert _names(events) == ["listCreated", "spaceUpdated"]
    activity.archive_list(state, lst.id, OWNER)
    assert lst.archived and events[-1].name == "listUpdated"
    assert events[-1].history_items[0]["type"] == 6


# -- the change engine ----------------------------------------------------------------------
def _run(seed: int, minutes: float, **kw: object) -> tuple[changes.ChangeSummary, SimState]:
    state = make_state()
    return changes.advance(state, minutes, random.Random(seed), **kw), state  # type: ignore


def test_advance_is_deterministic() -> None:
    (a, sa), (b, sb) = _run(5, 240), _run(5, 240)
    assert a == b and sum(a.counts.values()) > 0
    assert dataclasses.asdict(sa.ws) == dataclasses.asdict(sb.ws)
    assert _run(6, 240)[0] != a


def test_advance_changes_the_workspace_like_a_team() -> None:
    state = make_state()
    before = {t.id: (t.status, t.date_updated) for t in state.ws.tasks.values()}
    comments, entries = len(state.ws.comments), len(state.ws.time_entries)
    seen: list[Event] = []
    state.listeners.append(seen.extend)
    summary = changes.advance(state, 30, random.Random(3), rate=1.0)
    for kind in ("status", "comment", "time_entry", "create", "delete", "assignee", "tag"):
        assert summary.counts.get(kind, 0) > 0, kind
    assert set(summary.created) <= set(state.ws.tasks) | set(summary.deleted)
    assert all(d not in state.ws.tasks for d in summary.deleted)
    assert len(state.ws.comments) > comments and len(state.ws.time_entries) > entries
    moved = [tid for tid, (st, _) in before.items()
             if tid in state.ws.tasks and state.ws.tasks[tid].status != st]
    assert moved
    now = state.peek_now()
    for tid in summary.updated:
        if (t := state.ws.tasks.get(tid)) is not None:
            assert before.get(tid, (None, 0))[1] < t.date_updated <= now
    dates = [int(i["date"]) for e in seen for i in e.history_items]
    assert dates == sorted(dates) and dates[-1] <= now
    assert changes.advance(state, 0, random.Random(1)).counts == {}


def test_advance_on_generated_workspace() -> None:
    generate = pytest.importorskip("clickup_sync.simulator.generate")
    runs = []
    for _ in range(2):
        ws, ids = generate.generate_workspace(11, 200, NOW)
        state = SimState(ws, ids, clock=lambda: NOW + 1)
        runs.append(changes.advance(state, 600, random.Random(2)))
    assert runs[0] == runs[1] and sum(runs[0].counts.values()) > 0
