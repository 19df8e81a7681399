"""Every change to the simulated Workspace, and the webhook events each change sends.

The HTTP layer, the change engine and tests all write through these functions, so a change
always stamps ``date_updated``, bumps ``state.version`` and emits the companion events ClickUp
documents (``examples/webhooks/INDEX.md``: a status change sends taskStatusUpdated + taskUpdated
sharing one history item, and so on). Bodies are validated here because the same rules hold
whoever calls. Each function holds ``state.lock`` and emits while holding it, so listeners see
the Workspace exactly as the change left it.

Error texts and codes known from ClickUp: "Task name invalid"/INPUT_005, "Status does not
exist"/ITEM_114, "Parent not child of list"/ITEM_137, and 401 OAUTH_027 for unknown ids.
The other validation errors use our own wording and INPUT_002 (ClickUp's are undocumented).

Decisions where ClickUp's behaviour is not documented: a comment or tracked time on a task
bumps its ``date_updated`` (ClickUp sends taskUpdated for both); deleting a task deletes its
subtasks and comments but keeps its time entries, which lose their task (``task_id = None``);
moving a task moves its subtasks and sends taskMoved + taskUpdated for each (plus the status
pair when its status had to be remapped), then one spaceUpdated; a running timer sends
nothing until it stops.
"""

from __future__ import annotations

import json
from typing import Any

from . import serialize
from .model import Comment, Status, Tag, Task, TaskList, TimeEntry
from .state import Event, SimState

_REMOVED = {"status": None, "color": "#000000", "type": "removed", "orderindex": -1}
_OMIT = object()  # history items without a "before" key (assignee_add, as ClickUp sends it)


class MutationError(Exception):
    """A request ClickUp refuses: HTTP status plus ClickUp's ``err`` text and ``ECODE``."""

    def __init__(self, status: int, err: str, ecode: str) -> None:
        super().__init__(f"{status} {ecode}: {err}")
        self.status, self.err, self.ecode = status, err, ecode


class NotFoundError(MutationError):
    """An unknown or deleted id. ClickUp answers 401 OAUTH_027; ``kind`` lets a caller map it
    to its own not-found answer instead."""

    def __init__(self, kind: str) -> None:
        super().__init__(401, "Team not authorized", "OAUTH_027")
        self.kind = kind


def _bad(err: str) -> MutationError:
    return MutationError(400, err, "INPUT_002")


# -- lookups and body parsing ---------------------------------------------------------------
def _task(state: SimState, task_id: str) -> Task:
    if (t := state.ws.tasks.get(task_id)) is None:
        raise NotFoundError("task")
    return t


def _list(state: SimState, list_id: str) -> TaskList:
    if (lst := state.ws.lists.get(str(list_id))) is None:
        raise NotFoundError("list")
    return lst


def _int(value: Any, what: str) -> int | None:
    """An integer from JSON, where ClickUp clients send ints or digit strings."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    raise _bad(f"{what} invalid")


def _priority(value: Any) -> int | None:
    p = _int(value, "Priority")
    if p is not None and p not in serialize.PRIORITIES:
        raise _bad("Priority invalid")
    return p


def _points(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _bad("Points invalid")
    return float(value)


def _flag(value: Any) -> bool:
    if value not in (True, False, "true", "false"):
        raise _bad("Boolean invalid")
    return value in (True, "true")


def _members(state: SimState, values: Any) -> list[int]:
    if not isinstance(values, list):
        raise _bad("Assignees invalid")
    ids = [_int(v, "User id") for v in values]
    if any(u not in state.ws.members for u in ids):
        raise _bad("User not found in team")
    return list(dict.fromkeys(u for u in ids if u is not None))


def _find_status(statuses: list[Status], name: Any) -> Status:
    for st in statuses:
        if isinstance(name, str) and st.status.lower() == name.strip().lower():
            return st
    raise MutationError(400, "Status does not exist", "ITEM_114")


def _descendants(state: SimState, task_id: str) -> list[Task]:
    children, out, todo = state.subtask_ids(), [], [task_id]
    while todo:
        for cid in children.get(todo.pop(), ()):
            if cid in state.ws.tasks:
                out.append(state.ws.tasks[cid])
                todo.append(cid)
    return out


# -- wire shapes ----------------------------------------------------------------------------
def _status_json(st: Status) -> dict[str, Any]:
    return {"status": st.status, "color": st.color, "orderindex": st.orderindex, "type": st.type}


def _list_ref(state: SimState, lst: TaskList) -> dict[str, Any]:
    """A List as taskMoved's before/after show it (folder as "category", space as "project")."""
    folder = state.ws.folders.get(lst.folder_id) if lst.folder_id else None
    category = ({"id": folder.id, "name": folder.name, "hidden": folder.hidden} if folder else
                {"id": lst.hidden_folder_id, "name": "hidden", "hidden": True})
    space = state.ws.spaces[lst.space_id]
    return {"id": lst.id, "name": lst.name, "category": category,
            "project": {"id": space.id, "name": space.name}}


def _duration_words(ms: int | None) -> str | None:
    """ClickUp's ``time_estimate_string``: "1 hour 30 minutes"."""
    if ms is None:
        return None
    hours, minutes = divmod(ms // 60_000, 60)
    words = [f"{n} {unit}{'s' * (n != 1)}" for n, unit in ((hours, "hour"), (minutes, "minute"))
             if n]
    return " ".join(words) or "0 minutes"


def history_item(state: SimState, user_id: int, field: str, parent_id: str, date: int, *,
                 before: Any = None, after: Any = None, data: dict[str, Any] | None = None,
                 kind: int = 1, **extra: Any) -> dict[str, Any]:
    """One webhook history item in ClickUp's wire shape (type 1 for tasks, 6 for Lists)."""
    item: dict[str, Any] = {
        "id": state.ids.history_item() if kind == 1 else state.ids.uuid(), "type": kind,
        "date": str(date), "field": field, "parent_id": parent_id, "data": data or {},
        "source": None, "user": serialize.user_by_id(state, user_id)}
    if before is not _OMIT:
        item["before"] = before
    item["after"] = after
    item.update(extra)
    return item


def task_location(state: SimState, task: Task) -> dict[str, str]:
    """The ids an event about ``task`` names: its own and its List's, Folder's and Space's
    (the webhook dispatcher filters on them; only ``task_id`` goes into the payload)."""
    ids = {"task_id": task.id, "list_id": task.list_id}
    if (lst := state.ws.lists.get(task.list_id)) is not None:
        ids["space_id"] = lst.space_id
        if lst.folder_id:
            ids["folder_id"] = lst.folder_id
    return ids


def _task_events(state: SimState, task: Task, item: dict[str, Any], specific: str | None,
                 data: dict[str, Any] | None = None) -> list[Event]:
    """The specific event plus its taskUpdated companion, sharing one history item."""
    ids = task_location(state, task)
    return [Event(name, dict(ids), [item], data)
            for name in ((specific, "taskUpdated") if specific else ("taskUpdated",))]


def _commit(state: SimState, events: list[Event]) -> None:
    state.changed()
    state.emit(events)


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


def _status_events(state: SimState, task: Task, user_id: int, old: Status | None, new: Status,
                   now: int) -> list[Event]:
    item = history_item(state, user_id, "status", task.list_id, now,
                        before=_status_json(old) if old else _REMOVED, after=_status_json(new),
                        data={"status_type": new.type})
    return _task_events(state, task, item, "taskStatusUpdated")


def _tag_names(names: Any) -> list[str]:
    if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
        raise _bad("Tags invalid")
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
        raise _bad("Custom field not found for this List")
    value = spec.get("value")
    if cf.type == "drop_down":
        match = [o["orderindex"] for o in cf.type_config.get("options", [])
                 if value in (o.get("id"), o["orderindex"])]
        if not match:
            raise _bad("Value is not a valid option")
        return cf.id, match[0]
    if cf.type in ("number", "currency"):
        return cf.id, str(value)
    if cf.type == "date":
        return cf.id, _int(value, "Date")
    return cf.id, value


def create_task(state: SimState, list_id: str, user_id: int, body: dict[str, Any]) -> Task:
    """POST /list/{list_id}/task: a new task (or subtask) in its List's first status unless
    told otherwise; sends taskCreated (status + task_creation items) and taskStatusUpdated."""
    with state.lock:
        lst = _list(state, list_id)
        name = body.get("name")
        if not isinstance(name, str) or not name.strip():
            raise MutationError(400, "Task name invalid", "INPUT_005")
        statuses = state.list_statuses(lst)
        st = _find_status(statuses, body["status"]) if body.get("status") else statuses[0]
        parent = None
        if body.get("parent"):
            parent = state.ws.tasks.get(str(body["parent"]))
            if parent is None or parent.list_id != lst.id:
                raise MutationError(400, "Parent not child of list", "ITEM_137")
        assignees = _members(state, body.get("assignees") or [])
        tags = _tag_names(body.get("tags") or [])
        values = dict(_field_value(state, lst.id, cf) for cf in body.get("custom_fields") or [])
        fields = {"priority": _priority(body.get("priority")),
                  "due_date": _int(body.get("due_date"), "Due date"),
                  "start_date": _int(body.get("start_date"), "Start date"),
                  "time_estimate": _int(body.get("time_estimate"), "Time estimate"),
                  "points": _points(body.get("points")),
                  "custom_item_id": _int(body.get("custom_item_id"), "Custom item id") or 0}
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
        status_event = _status_events(state, task, user_id, None, st, now)[0]
        creation = history_item(state, user_id, "task_creation", lst.id, now)
        _commit(state, [Event("taskCreated", task_location(state, task),
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
    parsers = {"priority": _priority, "points": _points, "archived": _flag,
               **{k: lambda v, k=k: _int(v, k) for k in ("due_date", "start_date",
                                                          "time_estimate")}}
    new.update({k: parse(body[k]) for k, parse in parsers.items() if k in body})
    text = body.get("markdown_content", body.get("description"))
    if text is not None:
        new["description"] = "" if str(text) == " " else str(text)
    if body.get("status"):
        new["status"] = _find_status(state.list_statuses(state.task_list(task)), body["status"])
    for key in ("assignees", "watchers"):
        change = body.get(key) or {}
        if not isinstance(change, dict):
            raise _bad(f"{key} must be an object with add and rem")
        new[key] = (_members(state, change.get("add") or []),
                    _members(state, change.get("rem") or []))
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
        return {"time_estimate_string": _duration_words(new),
                "old_time_estimate_string": _duration_words(old),
                "rolled_up_time_estimate": new, "time_estimate": new}
    return None


def update_task(state: SimState, task_id: str, user_id: int, body: dict[str, Any]) -> Task:
    """PUT /task/{task_id}: change fields, sending one history item (and its event pair) per
    changed field. Everything is validated before anything changes."""
    with state.lock:
        task = _task(state, task_id)
        new = _parse_update(state, task, body)
        now = state.now()
        events: list[Event] = []

        def record(field: str, before: Any, after: Any, specific: str | None = None,
                   data: dict[str, Any] | None = None) -> None:
            item = history_item(state, user_id, field, task.list_id, now, before=before,
                                after=after, data=data)
            events.extend(_task_events(state, task, item, specific))

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
            events.extend(_status_events(state, task, user_id, old_status, new["status"], now))
        for key in ("assignees", "watchers"):
            add, rem = new[key]
            current: list[int] = getattr(task, key)
            kind, specific = ("assignee", "taskAssigneeUpdated") if key == "assignees" else (
                "watcher", None)
            for u in (u for u in add if u not in current):
                current.append(u)
                record(f"{kind}_add", _OMIT, serialize.user_by_id(state, u), specific)
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
        _commit(state, events)
        return task


def archive_task(state: SimState, task_id: str, user_id: int, archived: bool = True) -> Task:
    """Archive (or unarchive) a task, as PUT /task/{id} ``{"archived": true}`` does."""
    return update_task(state, task_id, user_id, {"archived": archived})


def set_tag(state: SimState, task_id: str, tag: str, user_id: int, present: bool = True) -> Task:
    """POST/DELETE /task/{id}/tag/{name}: sends taskTagUpdated + taskUpdated (field ``tag``,
    or ``tag_removed`` on removal: our guess, ClickUp documents only the addition)."""
    with state.lock:
        task = _task(state, task_id)
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
        _commit(state, _task_events(state, task, item, "taskTagUpdated"))
        return task


def move_task(state: SimState, task_id: str, list_id: str, user_id: int) -> Task:
    """Give a top-level task a new home List; its subtasks follow. Statuses map by name, else
    to the new List's first status. Sends taskMoved + taskUpdated per task, then spaceUpdated."""
    with state.lock:
        task, dest = _task(state, task_id), _list(state, list_id)
        if task.parent:
            raise MutationError(400, "Parent not child of list", "ITEM_137")
        if task.list_id == dest.id:
            return task
        src_ref, dest_ref = _list_ref(state, state.task_list(task)), _list_ref(state, dest)
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
            events += _task_events(state, t, item, "taskMoved")
            if new.status != t.status or new.type != old.type:
                _apply_status(t, old, new, now)
                events += _status_events(state, t, user_id, old, new, now)
        events.append(Event("spaceUpdated", {"space_id": dest.space_id}))
        _commit(state, events)
        return task


def delete_task(state: SimState, task_id: str, user_id: int) -> list[str]:
    """DELETE /task/{id}: the task and all its subtasks, with their comments. Time entries stay
    but lose their task. Returns the deleted ids; sends taskDeleted (no history) for each."""
    with state.lock:
        task = _task(state, task_id)
        doomed = [task, *_descendants(state, task.id)]
        gone = {t.id for t in doomed}
        events = [Event("taskDeleted", task_location(state, t)) for t in doomed]
        for t in doomed:
            del state.ws.tasks[t.id]
            state.ws.deleted_task_ids.add(t.id)
            for cid in list(state.comments_by_task.get(t.id, ())):
                _remove_comment_tree(state, cid)
        for te in state.ws.time_entries.values():
            if te.task_id in gone:
                te.task_id = None
        for t in state.ws.tasks.values():
            if gone.intersection(t.depends_on) or gone.intersection(t.linked):
                t.depends_on = [d for d in t.depends_on if d not in gone]
                t.linked = [d for d in t.linked if d not in gone]
        _commit(state, events)
        return [t.id for t in doomed]


# -- comments -------------------------------------------------------------------------------
def _remove_comment_tree(state: SimState, comment_id: str) -> None:
    for rid in list(state.replies.get(comment_id, ())):
        state.remove_comment_record(rid)
    state.remove_comment_record(comment_id)


def _comment_task(state: SimState, c: Comment) -> Task | None:
    """The task a comment (or a reply in its thread) belongs to, if any."""
    root = state.ws.comments.get(c.parent_id) if c.parent_id else c
    return state.ws.tasks.get(root.task_id) if root and root.task_id else None


def _comment_events(state: SimState, c: Comment, user_id: int, now: int,
                    specific: str) -> list[Event]:
    task = _comment_task(state, c)
    if task is None:  # List comments send no task events (no List comment event documented)
        return []
    task.date_updated = now
    author = serialize.user_by_id(state, c.user_id)
    body = {"id": c.id, "date": str(c.date), "parent": task.id, "type": 1,
            "comment": [{"text": c.text, "attributes": {}}, {"text": "\n", "attributes": {}}],
            "text_content": c.text + "\n", "user": author, "resolved": c.resolved,
            "assignee": serialize.user_by_id(state, c.assignee),
            "threaded_replies": len(state.replies.get(c.id, ())), "thread_followers": [author],
            "reactions": [], "emails": [], "email_attachments": []}
    item = history_item(state, user_id, "comment", task.list_id, now, after=c.id, comment=body)
    return _task_events(state, task, item, specific)


def add_comment(state: SimState, user_id: int, text: str, task_id: str | None = None,
                list_id: str | None = None, parent_id: str | None = None,
                assignee: int | None = None) -> Comment:
    """POST a comment on a task or List, or a threaded reply (exactly one target). Task
    comments (and replies in their threads) send taskCommentPosted + taskUpdated."""
    with state.lock:
        if sum(x is not None for x in (task_id, list_id, parent_id)) != 1:
            raise _bad("A comment needs exactly one of task, list or parent comment")
        if task_id is not None:
            _task(state, task_id)
        if list_id is not None:
            _list(state, list_id)
        if parent_id is not None and parent_id not in state.ws.comments:
            raise NotFoundError("comment")
        if not isinstance(text, str) or not text.strip():
            raise _bad("Comment text required")
        if assignee is not None:
            _members(state, [assignee])
        now = state.now()
        c = Comment(id=state.ids.comment(), user_id=user_id, text=text, date=now,
                    task_id=task_id, list_id=list_id, parent_id=parent_id, assignee=assignee,
                    assigned_by=user_id if assignee is not None else None)
        state.add_comment_record(c)
        _commit(state, _comment_events(state, c, user_id, now, "taskCommentPosted"))
        return c


def update_comment(state: SimState, comment_id: str, user_id: int, *, text: str | None = None,
                   resolved: bool | None = None, assignee: Any = _OMIT) -> Comment:
    """PUT /comment/{id}: new text, resolved flag or assignee; sends taskCommentUpdated +
    taskUpdated for task comments."""
    with state.lock:
        if (c := state.ws.comments.get(comment_id)) is None:
            raise NotFoundError("comment")
        if text is not None and not text.strip():
            raise _bad("Comment text required")
        if assignee is not _OMIT and assignee is not None:
            _members(state, [assignee])
        now = state.now()
        c.text = c.text if text is None else text
        c.resolved = c.resolved if resolved is None else bool(resolved)
        if assignee is not _OMIT:
            c.assignee, c.assigned_by = assignee, user_id if assignee is not None else None
        _commit(state, _comment_events(state, c, user_id, now, "taskCommentUpdated"))
        return c


def resolve_comment(state: SimState, comment_id: str, user_id: int,
                    resolved: bool = True) -> Comment:
    """Mark an (assigned) comment resolved, as PUT /comment/{id} ``{"resolved": true}`` does."""
    return update_comment(state, comment_id, user_id, resolved=resolved)


def delete_comment(state: SimState, comment_id: str, user_id: int) -> None:
    """DELETE /comment/{id}, with its replies. ClickUp documents no event for it."""
    with state.lock:
        if comment_id not in state.ws.comments:
            raise NotFoundError("comment")
        _remove_comment_tree(state, comment_id)
        state.changed()


# -- time tracking --------------------------------------------------------------------------
def _time_events(state: SimState, te: TimeEntry, user_id: int, now: int, what: str,
                 deleted: bool = False) -> list[Event]:
    """taskTimeTrackedUpdated + taskUpdated (field ``time_spent``) with ClickUp's top-level
    ``data: {description, interval_id}``; entries without a task send nothing."""
    task = state.ws.tasks.get(te.task_id) if te.task_id else None
    if task is None or te.end is None:
        return []
    task.date_updated = now
    state.changed()  # so time_spent() below counts this entry
    total = str(state.time_spent().get(task.id, 0))
    interval = {"id": te.id, "start": str(te.start), "end": str(te.end),
                "time": str(te.end - te.start), "source": te.source, "date_added": str(te.at)}
    item = history_item(state, user_id, "time_spent", task.list_id, now,
                        before=interval if deleted else None, after=None if deleted else interval,
                        data={"total_time": total, "rollup_time": total})
    data = {"description": f"Time Tracking {what}", "interval_id": te.id}
    return _task_events(state, task, item, "taskTimeTrackedUpdated", data)


def add_time_entry(state: SimState, user_id: int, task_id: str | None, start: int, end: int,
                   description: str = "", billable: bool = False,
                   tags: list[str] | None = None) -> TimeEntry:
    """POST /team/{id}/time_entries: a finished interval, on a task or on none."""
    with state.lock:
        if task_id is not None:
            _task(state, task_id)
        start, end = _int(start, "Start"), _int(end, "End")
        if start is None or end is None or end < start:
            raise _bad("End must not be before start")
        now = state.now()
        te = TimeEntry(id=state.ids.time_entry(), user_id=user_id, start=start, end=end,
                       task_id=task_id, billable=billable, description=description,
                       tags=list(tags or []), at=now)
        state.ws.time_entries[te.id] = te
        _commit(state, _time_events(state, te, user_id, now, "Created"))
        return te


def running_timer(state: SimState, user_id: int) -> TimeEntry | None:
    with state.lock:
        return next((te for te in state.ws.time_entries.values()
                     if te.end is None and te.user_id == user_id), None)


def start_timer(state: SimState, user_id: int, task_id: str | None = None,
                description: str = "", billable: bool = False) -> TimeEntry:
    """POST .../time_entries/start: stops the user's running timer first (one per user)."""
    with state.lock:
        if task_id is not None:
            _task(state, task_id)
        stop_timer(state, user_id)
        now = state.now()
        te = TimeEntry(id=state.ids.time_entry(), user_id=user_id, start=now, end=None,
                       task_id=task_id, billable=billable, description=description, at=now)
        state.ws.time_entries[te.id] = te
        state.changed()
        return te


def stop_timer(state: SimState, user_id: int) -> TimeEntry | None:
    """POST .../time_entries/stop: the stopped entry, or None when no timer runs."""
    with state.lock:
        if (te := running_timer(state, user_id)) is None:
            return None
        now = state.now()
        te.end, te.at = now, now
        _commit(state, _time_events(state, te, user_id, now, "Created"))
        return te


def delete_time_entry(state: SimState, entry_id: str, user_id: int) -> None:
    """DELETE /team/{id}/time_entries/{timer_id}."""
    with state.lock:
        if (te := state.ws.time_entries.pop(entry_id, None)) is None:
            raise NotFoundError("time_entry")
        _commit(state, _time_events(state, te, user_id, state.now(), "Deleted", deleted=True))


# -- Lists ----------------------------------------------------------------------------------
def create_list(state: SimState, user_id: int, name: str, *, folder_id: str | None = None,
                space_id: str | None = None, content: str = "") -> TaskList:
    """POST /folder/{id}/list or /space/{id}/list; sends listCreated + spaceUpdated."""
    with state.lock:
        if folder_id is not None:
            if (folder := state.ws.folders.get(folder_id)) is None:
                raise NotFoundError("folder")
            space_id = folder.space_id
        if space_id not in state.ws.spaces:
            raise NotFoundError("space")
        if not isinstance(name, str) or not name.strip():
            raise _bad("List name invalid")
        siblings = [lst.orderindex for lst in state.ws.lists.values()
                    if lst.space_id == space_id and lst.folder_id == folder_id]
        lst = TaskList(id=state.ids.list(), name=name.strip(), space_id=space_id,
                       folder_id=folder_id, orderindex=max(siblings, default=-1) + 1,
                       content=content,
                       hidden_folder_id=None if folder_id else state.ids.hidden_folder())
        state.ws.lists[lst.id] = lst
        _commit(state, [Event("listCreated", {"list_id": lst.id, "space_id": space_id}),
                        Event("spaceUpdated", {"space_id": space_id})])
        return lst


def update_list(state: SimState, list_id: str, user_id: int, body: dict[str, Any]) -> TaskList:
    """PUT /list/{id} (name, content, archived); sends listUpdated with type-6 history items."""
    with state.lock:
        lst = _list(state, list_id)
        if "name" in body and (not isinstance(body["name"], str) or not body["name"].strip()):
            raise _bad("List name invalid")
        now, items = state.now(), []
        for key, cast in (("name", str.strip), ("content", str), ("archived", bool)):
            if key in body and cast(body[key]) != getattr(lst, key):
                items.append(history_item(state, user_id, key, lst.id, now, kind=6,
                                          before=getattr(lst, key), after=cast(body[key])))
                setattr(lst, key, cast(body[key]))
        ids = {"list_id": lst.id, "space_id": lst.space_id}
        if lst.folder_id:
            ids["folder_id"] = lst.folder_id
        _commit(state, [Event("listUpdated", ids, items)] if items else [])
        return lst


def archive_list(state: SimState, list_id: str, user_id: int, archived: bool = True) -> TaskList:
    """Archive a List (its tasks stay as they are, hidden with it)."""
    return update_list(state, list_id, user_id, {"archived": archived})
