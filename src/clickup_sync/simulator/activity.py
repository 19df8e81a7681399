"""Comments, time tracking and Lists: the changes around tasks, and the events they send.

Like the task mutations, each function holds ``state.lock`` and emits while holding it.
Decisions where ClickUp's behaviour is not documented: a comment or tracked time on a task
bumps its ``date_updated`` (ClickUp sends taskUpdated for both); List comments and deleted
comments send nothing; a running timer sends nothing until it stops.
"""

from __future__ import annotations

from typing import Any

from . import serialize
from ._validate import NotFoundError, bad, lookup_list, lookup_task, parse_int, parse_members
from .events import OMIT, commit, history_item, task_events
from .model import Comment, Task, TaskList, TimeEntry
from .state import Event, SimState


# -- comments -------------------------------------------------------------------------------
def remove_comment_tree(state: SimState, comment_id: str) -> None:
    """Delete a comment and its threaded replies (no event: ClickUp documents none)."""
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
    return task_events(state, task, item, specific)


def add_comment(state: SimState, user_id: int, text: str, task_id: str | None = None,
                list_id: str | None = None, parent_id: str | None = None,
                assignee: int | None = None) -> Comment:
    """POST a comment on a task or List, or a threaded reply (exactly one target). Task
    comments (and replies in their threads) send taskCommentPosted + taskUpdated."""
    with state.lock:
        if sum(x is not None for x in (task_id, list_id, parent_id)) != 1:
            raise bad("A comment needs exactly one of task, list or parent comment")
        if task_id is not None:
            lookup_task(state, task_id)
        if list_id is not None:
            lookup_list(state, list_id)
        if parent_id is not None and parent_id not in state.ws.comments:
            raise NotFoundError("comment")
        if not isinstance(text, str) or not text.strip():
            raise bad("Comment text required")
        if assignee is not None:
            parse_members(state, [assignee])
        if parent_id is not None:  # a reply belongs to its thread's task or List
            parent = state.ws.comments[parent_id]
            task_id, list_id = parent.task_id, parent.list_id
        now = state.now()
        c = Comment(id=state.ids.comment(), user_id=user_id, text=text, date=now,
                    task_id=task_id, list_id=list_id, parent_id=parent_id, assignee=assignee,
                    assigned_by=user_id if assignee is not None else None)
        state.add_comment_record(c)
        commit(state, _comment_events(state, c, user_id, now, "taskCommentPosted"))
        return c


def update_comment(state: SimState, comment_id: str, user_id: int, *, text: str | None = None,
                   resolved: bool | None = None, assignee: Any = OMIT) -> Comment:
    """PUT /comment/{id}: new text, resolved flag or assignee; sends taskCommentUpdated +
    taskUpdated for task comments."""
    with state.lock:
        if (c := state.ws.comments.get(comment_id)) is None:
            raise NotFoundError("comment")
        if text is not None and not text.strip():
            raise bad("Comment text required")
        if assignee is not OMIT and assignee is not None:
            parse_members(state, [assignee])
        now = state.now()
        c.text = c.text if text is None else text
        c.resolved = c.resolved if resolved is None else bool(resolved)
        if assignee is not OMIT:
            c.assignee, c.assigned_by = assignee, user_id if assignee is not None else None
        commit(state, _comment_events(state, c, user_id, now, "taskCommentUpdated"))
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
        remove_comment_tree(state, comment_id)
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
    return task_events(state, task, item, "taskTimeTrackedUpdated", data)


def add_time_entry(state: SimState, user_id: int, task_id: str | None, start: int, end: int,
                   description: str = "", billable: bool = False,
                   tags: list[str] | None = None) -> TimeEntry:
    """POST /team/{id}/time_entries: a finished interval, on a task or on none."""
    with state.lock:
        if task_id is not None:
            lookup_task(state, task_id)
        start, end = parse_int(start, "Start"), parse_int(end, "End")
        if start is None or end is None or end < start:
            raise bad("End must not be before start")
        now = state.now()
        te = TimeEntry(id=state.ids.time_entry(), user_id=user_id, start=start, end=end,
                       task_id=task_id, billable=billable, description=description,
                       tags=list(tags or []), at=now)
        state.ws.time_entries[te.id] = te
        commit(state, _time_events(state, te, user_id, now, "Created"))
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
            lookup_task(state, task_id)
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
        commit(state, _time_events(state, te, user_id, now, "Created"))
        return te


def delete_time_entry(state: SimState, entry_id: str, user_id: int) -> None:
    """DELETE /team/{id}/time_entries/{timer_id}."""
    with state.lock:
        if (te := state.ws.time_entries.pop(entry_id, None)) is None:
            raise NotFoundError("time_entry")
        commit(state, _time_events(state, te, user_id, state.now(), "Deleted", deleted=True))


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
            raise bad("List name invalid")
        siblings = [lst.orderindex for lst in state.ws.lists.values()
                    if lst.space_id == space_id and lst.folder_id == folder_id]
        lst = TaskList(id=state.ids.list(), name=name.strip(), space_id=space_id,
                       folder_id=folder_id, orderindex=max(siblings, default=-1) + 1,
                       content=content,
                       hidden_folder_id=None if folder_id else state.ids.hidden_folder())
        state.ws.lists[lst.id] = lst
        commit(state, [Event("listCreated", {"list_id": lst.id, "space_id": space_id}),
                        Event("spaceUpdated", {"space_id": space_id})])
        return lst


def update_list(state: SimState, list_id: str, user_id: int, body: dict[str, Any]) -> TaskList:
    """PUT /list/{id} (name, content, archived); sends listUpdated with type-6 history items."""
    with state.lock:
        lst = lookup_list(state, list_id)
        if "name" in body and (not isinstance(body["name"], str) or not body["name"].strip()):
            raise bad("List name invalid")
        now, items = state.now(), []
        for key, cast in (("name", str.strip), ("content", str), ("archived", bool)):
            if key in body and cast(body[key]) != getattr(lst, key):
                items.append(history_item(state, user_id, key, lst.id, now, kind=6,
                                          before=getattr(lst, key), after=cast(body[key])))
                setattr(lst, key, cast(body[key]))
        ids = {"list_id": lst.id, "space_id": lst.space_id}
        if lst.folder_id:
            ids["folder_id"] = lst.folder_id
        commit(state, [Event("listUpdated", ids, items)] if items else [])
        return lst


def archive_list(state: SimState, list_id: str, user_id: int, archived: bool = True) -> TaskList:
    """Archive a List (its tasks stay as they are, hidden with it)."""
    return update_list(state, list_id, user_id, {"archived": archived})
