"""Every change to a task in the simulated Workspace, and the webhook events each change sends.

The HTTP layer, the change engine and tests all write through these functions (and those of
`activity` for comments, time entries and Lists), so a change always stamps ``date_updated``,
bumps ``state.version`` and emits the companion events ClickUp documents (built in `events`).
Bodies are validated here because the same rules hold whoever calls. Each function holds
``state.lock`` and emits while holding it, so listeners see the Workspace exactly as the
change left it.

Error texts and codes known from ClickUp: "Task name invalid"/INPUT_005, "Status does not
exist"/ITEM_114, "Parent not child of list"/ITEM_137, and 401 OAUTH_027 for unknown ids.
The other validation errors use our own wording and INPUT_002 (ClickUp's are undocumented).

Decisions where ClickUp's behaviour is not documented: deleting a task deletes its subtasks
and comments but keeps its time entries, which lose their task (``task_id = None``); moving a
task moves its subtasks and sends taskMoved + taskUpdated for each (plus the status pair when
its status had to be remapped), then one spaceUpdated.
"""

from __future__ import annotations

import json
from typing import Any

from . import serialize
from ._validate import (
    MutationError,
    NotFoundError,
    bad,
    find_status,
    lookup_list,
    lookup_task,
    parse_flag,
    parse_int,
    parse_members,
    parse_points,
    parse_priority,
)
from .activity import (
    add_comment,
    add_time_entry,
    archive_list,
    create_list,
    delete_comment,
    delete_time_entry,
    remove_comment_tree,
    resolve_comment,
    running_timer,
    start_timer,
    stop_timer,
    update_comment,
    update_list,
)
from .events import (
    OMIT,
    commit,
    duration_words,
    history_item,
    list_ref,
    status_events,
    task_events,
    task_location,
)
from .model import Status, Tag, Task
from .state import Event, SimState

# The names callers imported from here before comments, time entries, Lists, errors and
# events got modules of their own; they stay importable from here.
__all__ = [
    "MutationError", "NotFoundError", "add_comment", "add_time_entry", "archive_list",
    "archive_task", "create_list", "create_task", "delete_comment", "delete_task",
    "delete_time_entry", "history_item", "move_task", "resolve_comment", "running_timer",
    "set_tag", "start_timer", "stop_timer", "task_location", "update_comment", "update_list",
    "update_task",
]


# -- task tree ------------------------------------------------------------------------------
def _descendants(state: SimState, task_id: str) -> list[Task]:
    children, out, todo = state.subtask_ids(), [], [task_id]
    while todo:
        for cid in children.get(todo.pop(), ()):
            if cid in state.ws.tasks:
                out.append(state.ws.tasks[cid])
                todo.append(cid)
    return out


# -- tasks ----------------------------------------------------------------------------------
def _apply_status(task: Task, old: Status, new: Status, now: int) -> None:
    """Set the status and the done/closed dates: entering Done stamps ``date_done``, entering
    Closed stamps ``date_closed`` (and ``date_done`` if not done yet), reopening clears both."""
    task.status = new.status
    was_done = old.type in ("done", "closed")
    if new.type in ("done", "closed"):
        task.date_done = task.date_done if was_done and task.date_done else now
        task.date_closed = now if new.type == "closed" else None
    else:
        task.date_done = task.date_closed = None


def _tag_names(names: Any) -> list[str]:
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        raise bad("Tags invalid")
    return list(dict.fromkeys(n.strip().lower() for n in names))


def _ensure_tags(state: SimState, space_id: str, names: list[str], user_id: int) -> None:
    """Unknown tag names become new Space tags, as ClickUp does when a task uses them."""
    space = state.ws.spaces[space_id]
    known = {t.name for t in space.tags}
    space.tags.extend(Tag(n, "#ffffff", "#7c4dff", user_id) for n in names if n not in known)


def _tag_json(state: SimState, task: Task, name: str) -> dict[str, Any]:
    tags = {t.name: t for t in state.ws.spaces[state.task_list(task).space_id].tags}
    tag = tags.get(name) or Tag(name, "#ffffff", "#7c4dff", state.ws.owner_id)
    return {"name": tag.name, "tag_fg": tag.tag_fg, "tag_bg": tag.tag_bg, "creator": tag.creator}


def _field_value(state: SimState, list_id: str, spec: Any) -> tuple[str, Any]:
    """Validate one ``{id, value}`` of a create body and return it in the form
    `Task.custom_values` keeps (drop_down: option orderindex; number: string)."""
    field_id = spec.get("id") if isinstance(spec, dict) else None
    cf = next((f for f in serialize.fields_for_list(state, list_id) if f.id == field_id), None)
    if cf is None:
        raise bad("Custom field not found for this List")
    value = spec.get("value")
    if cf.type == "drop_down":
        match = [o["orderindex"] for o in cf.type_config.get("options", [])
                 if value in (o.get("id"), o["orderindex"])]
        if not match:
            raise bad("Value is not a valid option")
        return cf.id, match[0]
    if cf.type in ("number", "currency"):
        return cf.id, str(value)
    if cf.type == "date":
        return cf.id, parse_int(value, "Date")
    return cf.id, value


def create_task(state: SimState, list_id: str, user_id: int, body: dict[str, Any]) -> Task:
    """POST /list/{list_id}/task: a new task (or subtask) in its List's first status unless
    told otherwise; sends taskCreated (status + task_creation items) and taskStatusUpdated."""
    with state.lock:
        lst = lookup_list(state, list_id)
        name = body.get("name")
        if not isinstance(name, str) or not name.strip():
            raise MutationError(400, "Task name invalid", "INPUT_005")
        statuses = state.list_statuses(lst)
        st = find_status(statuses, body["status"]) if body.get("status") else statuses[0]
        parent = None
        if body.get("parent"):
            parent = state.ws.tasks.get(str(body["parent"]))
            if parent is None or parent.list_id != lst.id:
                raise MutationError(400, "Parent not child of list", "ITEM_137")
        assignees = parse_members(state, body.get("assignees") or [])
        tags = _tag_names(body.get("tags") or [])
        values = dict(_field_value(state, lst.id, cf) for cf in body.get("custom_fields") or [])
        fields = {"priority": parse_priority(body.get("priority")),
                  "due_date": parse_int(body.get("due_date"), "Due date"),
                  "start_date": parse_int(body.get("start_date"), "Start date"),
                  "time_estimate": parse_int(body.get("time_estimate"), "Time estimate"),
                  "points": parse_points(body.get("points")),
                  "custom_item_id": parse_int(body.get("custom_item_id"), "Custom item id") or 0}
        description = body.get("markdown_content") or body.get("description") or ""
        siblings = [t.orderindex for t in state.ws.tasks.values() if t.list_id == lst.id]
        now = state.now()
        _ensure_tags(state, lst.space_id, tags, user_id)
        task = Task(id=state.ids.task(), name=name.strip(), description=str(description),
                    status=st.status, list_id=lst.id, orderindex=max(siblings, default=0) + 1,
                    date_created=now, date_updated=now, creator=user_id, assignees=assignees,
                    watchers=list(dict.fromkeys([user_id, *assignees])), tags=tags,
                    parent=parent.id if parent else None,
                    top_level_parent=(parent.top_level_parent or parent.id) if parent else None,
                    custom_values=values, **fields)
        _apply_status(task, statuses[0], st, now)
        state.ws.tasks[task.id] = task
        status_event = status_events(state, task, user_id, None, st, now)[0]
        creation = history_item(state, user_id, "task_creation", lst.id, now)
        commit(state, [Event("taskCreated", task_location(state, task),
                              [*status_event.history_items, creation]), status_event])
        return task


_SCALARS: dict[str, tuple[str | None, Any]] = {  # field -> (specific event, wire form)
    "name": (None, str), "priority": ("taskPriorityUpdated", serialize.priority),
    "due_date": ("taskDueDateUpdated", serialize.ms), "start_date": (None, serialize.ms),
    "time_estimate": ("taskTimeEstimateUpdated", serialize.ms),
    "points": (None, lambda v: v), "archived": (None, bool),
}


def _parse_update(state: SimState, task: Task, body: dict[str, Any]) -> dict[str, Any]:
    """Validate a PUT /task body into ``{field: new value}`` before anything changes."""
    new: dict[str, Any] = {}
    if "name" in body:
        if not isinstance(body["name"], str) or not body["name"].strip():
            raise MutationError(400, "Task name invalid", "INPUT_005")
        new["name"] = body["name"].strip()
    parsers = {"priority": parse_priority, "points": parse_points, "archived": parse_flag,
               **{k: lambda v, k=k: parse_int(v, k) for k in ("due_date", "start_date",
                                                          "time_estimate")}}
    new.update({k: parse(body[k]) for k, parse in parsers.items() if k in body})
    text = body.get("markdown_content", body.get("description"))
    if text is not None:
        new["description"] = "" if str(text) == " " else str(text)
    if body.get("status"):
        new["status"] = find_status(state.list_statuses(state.task_list(task)), body["status"])
    for key in ("assignees", "watchers"):
        change = body.get(key) or {}
        if not isinstance(change, dict):
            raise bad(f"{key} must be an object with add and rem")
        new[key] = (parse_members(state, change.get("add") or []),
                    parse_members(state, change.get("rem") or []))
    if body.get("parent"):
        parent = state.ws.tasks.get(str(body["parent"]))
        own = {task.id, *(t.id for t in _descendants(state, task.id))}
        if parent is None or parent.list_id != task.list_id or parent.id in own:
            raise MutationError(400, "Parent not child of list", "ITEM_137")
        new["parent"] = parent
    return new


def _field_data(key: str, old: Any, new: Any, body: dict[str, Any]) -> dict[str, Any] | None:
    """The ``data`` ClickUp puts on due-date and time-estimate history items."""
    if key == "due_date":
        return {"due_date_time": bool(body.get("due_date_time")), "old_due_date_time": False}
    if key == "time_estimate":
        return {"time_estimate_string": duration_words(new),
                "old_time_estimate_string": duration_words(old),
                "rolled_up_time_estimate": new, "time_estimate": new}
    return None


def update_task(state: SimState, task_id: str, user_id: int, body: dict[str, Any]) -> Task:
    """PUT /task/{task_id}: change fields, sending one history item (and its event pair) per
    changed field. Everything is validated before anything changes."""
    with state.lock:
        task = lookup_task(state, task_id)
        new = _parse_update(state, task, body)
        now = state.now()
        events: list[Event] = []

        def record(field: str, before: Any, after: Any, specific: str | None = None,
                   data: dict[str, Any] | None = None) -> None:
            item = history_item(state, user_id, field, task.list_id, now, before=before,
                                after=after, data=data)
            events.extend(task_events(state, task, item, specific))

        for key, (specific, wire) in _SCALARS.items():
            old = getattr(task, key)
            if key in new and new[key] != old:
                record(key, wire(old), wire(new[key]), specific,
                       _field_data(key, old, new[key], body))
                setattr(task, key, new[key])
        if "description" in new and new["description"] != task.description:
            task.description = new["description"]
            ops = {"ops": [{"insert": task.description}, {"insert": "\n"}]}
            record("content", None, json.dumps(ops, separators=(",", ":")))
        if "status" in new and new["status"].status != task.status:
            old_status = state.task_status(task)
            _apply_status(task, old_status, new["status"], now)
            events.extend(status_events(state, task, user_id, old_status, new["status"], now))
        for key in ("assignees", "watchers"):
            add, rem = new[key]
            current: list[int] = getattr(task, key)
            kind, specific = ("assignee", "taskAssigneeUpdated") if key == "assignees" else (
                "watcher", None)
            for u in (u for u in add if u not in current):
                current.append(u)
                record(f"{kind}_add", OMIT, serialize.user_by_id(state, u), specific)
            for u in (u for u in rem if u in current):
                current.remove(u)
                record(f"{kind}_rem", serialize.user_by_id(state, u), None, specific)
        if (parent := new.get("parent")) is not None and parent.id != task.parent:
            record("parent", task.parent, parent.id)
            task.parent, root = parent.id, parent.top_level_parent or parent.id
            for t in [task, *_descendants(state, task.id)]:
                t.top_level_parent = root
        if events:
            task.date_updated = now
        commit(state, events)
        return task


def archive_task(state: SimState, task_id: str, user_id: int, archived: bool = True) -> Task:
    """Archive (or unarchive) a task, as PUT /task/{id} ``{"archived": true}`` does."""
    return update_task(state, task_id, user_id, {"archived": archived})


def set_tag(state: SimState, task_id: str, tag: str, user_id: int, present: bool = True) -> Task:
    """POST/DELETE /task/{id}/tag/{name}: sends taskTagUpdated + taskUpdated (field ``tag``,
    or ``tag_removed`` on removal: our guess, ClickUp documents only the addition)."""
    with state.lock:
        task = lookup_task(state, task_id)
        [name] = _tag_names([tag])
        if (name in task.tags) == present:
            return task
        now = state.now()
        _ensure_tags(state, state.task_list(task).space_id, [name], user_id)
        tags = [_tag_json(state, task, name)]
        if present:
            task.tags.append(name)
        else:
            task.tags.remove(name)
        item = history_item(state, user_id, "tag" if present else "tag_removed", task.list_id,
                            now, before=None if present else tags, after=tags if present else None)
        task.date_updated = now
        commit(state, task_events(state, task, item, "taskTagUpdated"))
        return task


def move_task(state: SimState, task_id: str, list_id: str, user_id: int) -> Task:
    """Give a top-level task a new home List; its subtasks follow. Statuses map by name, else
    to the new List's first status. Sends taskMoved + taskUpdated per task, then spaceUpdated."""
    with state.lock:
        task, dest = lookup_task(state, task_id), lookup_list(state, list_id)
        if task.parent:
            raise MutationError(400, "Parent not child of list", "ITEM_137")
        if task.list_id == dest.id:
            return task
        src_ref, dest_ref = list_ref(state, state.task_list(task)), list_ref(state, dest)
        statuses = state.list_statuses(dest)
        now = state.now()
        events: list[Event] = []
        for t in [task, *_descendants(state, task.id)]:
            old = state.task_status(t)
            new = next((s for s in statuses if s.status.lower() == old.status.lower()),
                       statuses[0])
            t.list_id, t.date_updated = dest.id, now
            if dest.id in t.locations:
                t.locations.remove(dest.id)
            item = history_item(state, user_id, "section_moved", dest.id, now, before=src_ref,
                                after=dest_ref, data={"mute_notifications": True})
            events += task_events(state, t, item, "taskMoved")
            if new.status != t.status or new.type != old.type:
                _apply_status(t, old, new, now)
                events += status_events(state, t, user_id, old, new, now)
        events.append(Event("spaceUpdated", {"space_id": dest.space_id}))
        commit(state, events)
        return task


def delete_task(state: SimState, task_id: str, user_id: int) -> list[str]:
    """DELETE /task/{id}: the task and all its subtasks, with their comments. Time entries stay
    but lose their task. Returns the deleted ids; sends taskDeleted (no history) for each."""
    with state.lock:
        task = lookup_task(state, task_id)
        doomed = [task, *_descendants(state, task.id)]
        gone = {t.id for t in doomed}
        events = [Event("taskDeleted", task_location(state, t)) for t in doomed]
        for t in doomed:
            del state.ws.tasks[t.id]
            state.ws.deleted_task_ids.add(t.id)
            for cid in list(state.comments_by_task.get(t.id, ())):
                remove_comment_tree(state, cid)
        for te in state.ws.time_entries.values():
            if te.task_id in gone:
                te.task_id = None
        for t in state.ws.tasks.values():
            if gone.intersection(t.depends_on) or gone.intersection(t.linked):
                t.depends_on = [d for d in t.depends_on if d not in gone]
                t.linked = [d for d in t.linked if d not in gone]
        commit(state, events)
        return [t.id for t in doomed]

