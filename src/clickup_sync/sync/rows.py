"""ClickUp wire objects → store records.

Validation happens here, through the client's lenient models; a payload that fails it raises
`BadPayload` naming the object, so one malformed task never poisons a batch silently (the
engine records it and moves on without writing it).
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from clickup_sync.clickup import models as m
from clickup_sync.store.records import (
    ChecklistItemRecord,
    ChecklistRecord,
    CommentRecord,
    CustomFieldRecord,
    CustomValueRecord,
    EmployeeRecord,
    FolderRecord,
    ListRecord,
    SpaceRecord,
    StatusRecord,
    TaskRecord,
    TimeEntryRecord,
)

ROLE_KEYS = {1: "owner", 2: "admin", 3: "member", 4: "guest"}


class BadPayload(ValueError):
    """A ClickUp object that does not have the shape ClickUp documents."""


def ts(ms: int | None) -> datetime | None:
    """Unix milliseconds → aware UTC datetime."""
    return None if ms is None else datetime.fromtimestamp(ms / 1000, UTC)


def parse(model: type[m.Wire], raw: Any, what: str) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        ident = raw.get("id") if isinstance(raw, dict) else None
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise BadPayload(f"{what} {ident or '?'}: {where}: {first['msg']}") from exc


def employee(raw: dict[str, Any]) -> EmployeeRecord:
    mem: m.Member = parse(m.Member, raw, "member")
    return EmployeeRecord(
        clickup_user_id=mem.id, name=mem.username or mem.email, email=mem.email,
        role=mem.role_key or ROLE_KEYS.get(mem.role or 0), role_id=mem.role,
        initials=mem.initials, color=mem.color, timezone=None,
        last_active=ts(mem.last_active), date_joined=ts(mem.date_joined), is_active=True,
        raw=raw)


def space(raw: dict[str, Any], team_id: str) -> tuple[SpaceRecord, m.Space]:
    sp: m.Space = parse(m.Space, raw, "space")
    return SpaceRecord(sp.id, team_id, sp.name, sp.color, sp.private, sp.archived, raw), sp


def folder(raw: dict[str, Any], space_id: str) -> tuple[FolderRecord, m.Folder]:
    f: m.Folder = parse(m.Folder, raw, "folder")
    rec = FolderRecord(f.id, f.space_id or space_id, f.name, f.orderindex, f.hidden,
                       f.archived, f.override_statuses,
                       {k: v for k, v in raw.items() if k != "lists"})
    return rec, f


def task_list(raw: dict[str, Any], space_id: str) -> tuple[ListRecord, m.TaskList]:
    lst: m.TaskList = parse(m.TaskList, raw, "list")
    folder_id = None if lst.folder_hidden else lst.folder_id
    rec = ListRecord(lst.id, lst.space_id or space_id, folder_id, lst.name, lst.orderindex,
                     lst.content, lst.archived, lst.override_statuses, lst.priority,
                     lst.assignee.id if lst.assignee else None, ts(lst.start_date),
                     ts(lst.due_date), lst.task_count, raw)
    return rec, lst


def statuses(list_id: str, items: list[m.Status]) -> list[StatusRecord]:
    return [StatusRecord(list_id, s.status, s.type or "custom", s.color,
                         s.orderindex if s.orderindex is not None else i, s.id)
            for i, s in enumerate(items)]


def _typed(value: Any, ftype: str) -> tuple[str | None, float | None, datetime | None,
                                              bool | None]:
    """Typed projections of a custom field value, for queries (text, number, date, bool)."""
    text = number = date = flag = None
    if value is None:
        return None, None, None, None
    if ftype in ("number", "currency", "emoji"):
        with contextlib.suppress(TypeError, ValueError):
            number = float(value)
    elif ftype == "date":
        with contextlib.suppress(TypeError, ValueError):
            date = ts(int(value))
    elif ftype == "checkbox":
        flag = value in (True, "true", 1, "1")
    elif ftype == "progress" and isinstance(value, dict):
        with contextlib.suppress(TypeError, ValueError):
            number = float(value.get("percent_complete"))
    if isinstance(value, str):
        text = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        text = str(value)
    return text, number, date, flag


def _custom(task_id: str, fields: list[m.CustomFieldValue]
            ) -> tuple[list[CustomValueRecord], list[CustomFieldRecord]]:
    values, defs = [], []
    for f in fields:
        defs.append(CustomFieldRecord(f.id, f.name, f.type, f.type_config, f.hide_from_guests,
                                      f.required, ts(f.date_created)))
        if f.has_value and f.value is not None:
            if f.type == "drop_down":  # the value is the option's orderindex
                opt = next((o for o in f.type_config.get("options", [])
                            if o.get("orderindex") == f.value), None)
                text = opt.get("name") if opt else None
                values.append(CustomValueRecord(task_id, f.id, f.value, text, None, None, None))
                continue
            values.append(CustomValueRecord(task_id, f.id, f.value, *_typed(f.value, f.type)))
    return values, defs


def task(raw: dict[str, Any]) -> TaskRecord:
    t: m.Task = parse(m.Task, raw, "task")
    if not t.list_id:
        raise BadPayload(f"task {t.id}: no list")
    values, defs = _custom(t.id, t.custom_fields)
    rec = TaskRecord(
        id=t.id, custom_id=t.custom_id, custom_item_id=t.custom_item_id, name=t.name,
        description=t.text_content if t.text_content is not None else t.description,
        status=t.status.status, status_type=t.status.type, status_color=t.status.color,
        status_orderindex=t.status.orderindex,
        orderindex=float(t.orderindex) if t.orderindex is not None else None,
        list_id=t.list_id, folder_id=t.folder_id, space_id=t.space_id, parent_id=t.parent,
        top_level_parent_id=t.top_level_parent,
        creator_id=t.creator.id if t.creator else None, priority=t.priority,
        date_created=ts(t.date_created), date_updated=ts(t.date_updated),
        date_closed=ts(t.date_closed), date_done=ts(t.date_done),
        start_date=ts(t.start_date), due_date=ts(t.due_date),
        time_estimate_ms=t.time_estimate, time_spent_ms=t.time_spent,
        points=float(t.points) if t.points is not None else None, archived=t.archived,
        url=t.url, raw=raw)
    folder_hidden = (raw.get("folder") or {}).get("hidden")
    if folder_hidden:
        rec.folder_id = None
    rec._assignees = [u.id for u in t.assignees]
    rec._watchers = [u.id for u in t.watchers]
    rec._tags = [(tg.name, tg.tag_fg, tg.tag_bg) for tg in t.tags]
    rec._locations = [loc.id for loc in t.locations if loc.id != t.list_id]
    rec._custom_values, rec._custom_fields = values, defs
    rec._dependencies = [(d.task_id, d.depends_on) for d in t.dependencies
                         if d.task_id != d.depends_on]
    rec._links = [lk.link_id if lk.task_id == t.id else lk.task_id for lk in t.linked_tasks]
    for cl in t.checklists:
        rec._checklists.append(ChecklistRecord(cl.id, t.id, cl.name,
                                               _int(cl.orderindex), cl.resolved,
                                               cl.unresolved))
        stack = list(cl.items)
        while stack:
            it = stack.pop()
            stack.extend(it.children)
            rec._checklist_items.append(ChecklistItemRecord(
                it.id, cl.id, t.id, it.name, _int(it.orderindex), it.resolved,
                it.assignee.id if it.assignee else None, it.parent, ts(it.date_created)))
    return rec


def _int(value: float | int | None) -> int | None:
    return None if value is None else int(value)


def time_entry(raw: dict[str, Any]) -> TimeEntryRecord:
    te: m.TimeEntry = parse(m.TimeEntry, raw, "time entry")
    if te.user is None or te.start is None:
        raise BadPayload(f"time entry {te.id}: no user or start")
    running = te.running or te.end is None
    end = None if running else te.end
    duration = None if running else (te.duration if te.duration is not None
                                     else (te.end or te.start) - te.start)
    return TimeEntryRecord(
        id=te.id, task_id=te.task.id if te.task else None, user_id=te.user.id,
        start_at=ts(te.start), end_at=ts(end), duration_ms=duration,  # type: ignore[arg-type]
        is_running=running, billable=te.billable, description=te.description,
        tags=[tg.name for tg in te.tags], source=te.source, at=ts(te.at), raw=raw)


def comment(raw: dict[str, Any], *, task_id: str | None = None, list_id: str | None = None,
            parent_id: str | None = None) -> CommentRecord:
    c: m.Comment = parse(m.Comment, raw, "comment")
    if c.date is None:
        raise BadPayload(f"comment {c.id}: no date")
    return CommentRecord(
        id=c.id, task_id=task_id, list_id=list_id, parent_comment_id=parent_id,
        user_id=c.user.id if c.user else None, text=c.comment_text,
        date=ts(c.date), resolved=c.resolved,  # type: ignore[arg-type]
        assignee_id=c.assignee.id if c.assignee else None,
        assigned_by_id=c.assigned_by.id if c.assigned_by else None,
        reply_count=c.reply_count or 0, raw=raw)
