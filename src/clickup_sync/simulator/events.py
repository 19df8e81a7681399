"""The webhook events a change sends, and the history items inside them.

ClickUp documents companion events (``examples/webhooks/INDEX.md``): a status change sends
taskStatusUpdated + taskUpdated sharing one history item, and so on. Mutations build their
events here and `commit` them while holding ``state.lock``, so listeners see the Workspace
exactly as the change left it.
"""

from __future__ import annotations

from typing import Any

from . import serialize
from .model import Status, Task, TaskList
from .state import Event, SimState

_REMOVED = {"status": None, "color": "#000000", "type": "removed", "orderindex": -1}
OMIT = object()  # history items without a "before" key (assignee_add, as ClickUp sends it)


# -- wire shapes ----------------------------------------------------------------------------
def status_json(st: Status) -> dict[str, Any]:
    return {"status": st.status, "color": st.color, "orderindex": st.orderindex, "type": st.type}


def list_ref(state: SimState, lst: TaskList) -> dict[str, Any]:
    """A List as taskMoved's before/after show it (folder as "category", space as "project")."""
    folder = state.ws.folders.get(lst.folder_id) if lst.folder_id else None
    category = ({"id": folder.id, "name": folder.name, "hidden": folder.hidden} if folder else
                {"id": lst.hidden_folder_id, "name": "hidden", "hidden": True})
    space = state.ws.spaces[lst.space_id]
    return {"id": lst.id, "name": lst.name, "category": category,
            "project": {"id": space.id, "name": space.name}}


def duration_words(ms: int | None) -> str | None:
    """ClickUp's ``time_estimate_string``: "1 hour 30 minutes"."""
    if ms is None:
        return None
    hours, minutes = divmod(ms // 60_000, 60)
    words = [f"{n} {unit}{'s' * (n != 1)}" for n, unit in ((hours, "hour"), (minutes, "minute"))
             if n]
    return " ".join(words) or "0 minutes"


# -- history items and events ---------------------------------------------------------------
def history_item(state: SimState, user_id: int, field: str, parent_id: str, date: int, *,
                 before: Any = None, after: Any = None, data: dict[str, Any] | None = None,
                 kind: int = 1, **extra: Any) -> dict[str, Any]:
    """One webhook history item in ClickUp's wire shape (type 1 for tasks, 6 for Lists)."""
    item: dict[str, Any] = {
        "id": state.ids.history_item() if kind == 1 else state.ids.uuid(), "type": kind,
        "date": str(date), "field": field, "parent_id": parent_id, "data": data or {},
        "source": None, "user": serialize.user_by_id(state, user_id)}
    if before is not OMIT:
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


def task_events(state: SimState, task: Task, item: dict[str, Any], specific: str | None,
                data: dict[str, Any] | None = None) -> list[Event]:
    """The specific event plus its taskUpdated companion, sharing one history item."""
    ids = task_location(state, task)
    return [Event(name, dict(ids), [item], data)
            for name in ((specific, "taskUpdated") if specific else ("taskUpdated",))]


def status_events(state: SimState, task: Task, user_id: int, old: Status | None, new: Status,
                  now: int) -> list[Event]:
    """taskStatusUpdated + taskUpdated for a status change (``old`` None: a new task)."""
    item = history_item(state, user_id, "status", task.list_id, now,
                        before=status_json(old) if old else _REMOVED, after=status_json(new),
                        data={"status_type": new.type})
    return task_events(state, task, item, "taskStatusUpdated")


def commit(state: SimState, events: list[Event]) -> None:
    """Bump ``state.version`` and send the events (call while holding ``state.lock``)."""
    state.changed()
    state.emit(events)
