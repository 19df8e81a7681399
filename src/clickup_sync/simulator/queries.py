"""The filters, orders and pages ClickUp applies to task, comment and time-entry listings.

Rules follow REFERENCE.md §4.6, §4.7, §4.9, §4.10 and its simulator checklist (§10): 100 tasks
a page with ``last_page``; default order ``created`` newest first, ``reverse=true`` oldest
first; closed tasks, subtasks and archived tasks excluded by default; ``archived=true`` returns
only archived tasks; ``date_*_gt`` inclusive (configurable); comments 25 a page, newest first;
time entries unpaged, the caller's last 30 days by default.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from .model import Comment, Task, TimeEntry
from .state import SimState

TASK_PAGE_SIZE = 100
COMMENT_PAGE_SIZE = 25
THIRTY_DAYS_MS = 30 * 24 * 3600 * 1000
_ORDERS = {"id", "created", "updated", "due_date"}


class QueryError(ValueError):
    """A query parameter ClickUp would reject; carries the error body to send."""

    def __init__(self, err: str, ecode: str, status: int = 400) -> None:
        super().__init__(err)
        self.err, self.ecode, self.status = err, ecode, status


class Params(Protocol):
    def get(self, key: str, default: str | None = None) -> str | None: ...
    def getlist(self, key: str) -> list[str]: ...


def flag(params: Params, name: str, default: bool = False) -> bool:
    value = params.get(name)
    if value is None:
        return default
    return value.strip().lower() == "true"


def many(params: Params, name: str) -> list[str]:
    """An array parameter, accepting ``name[]`` and ``name`` (both spellings are live)."""
    return params.getlist(name + "[]") + params.getlist(name)


def integer(params: Params, name: str) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    try:
        return int(float(value))
    except ValueError as exc:
        raise QueryError(f"Invalid {name}", "INPUT_005") from exc


@dataclass(frozen=True, slots=True)
class TaskQuery:
    """Parsed task-listing parameters (the page number is kept apart so pages share a cache)."""

    order_by: str
    reverse: bool
    subtasks: bool
    include_closed: bool
    archived: bool
    statuses: tuple[str, ...]
    assignees: tuple[int, ...]
    watchers: tuple[int, ...]
    tags: tuple[str, ...]
    space_ids: tuple[str, ...]
    folder_ids: tuple[str, ...]
    list_ids: tuple[str, ...]
    custom_items: tuple[int, ...]
    parent: str | None
    bounds: tuple[tuple[str, int | None, int | None], ...]

    @classmethod
    def parse(cls, params: Params) -> TaskQuery:
        order_by = params.get("order_by") or "created"
        if order_by not in _ORDERS:
            order_by = "created"  # ClickUp ignores what it does not know
        bounds = []
        for name in ("due_date", "date_created", "date_updated", "date_done"):
            gt, lt = integer(params, name + "_gt"), integer(params, name + "_lt")
            if gt is not None or lt is not None:
                bounds.append((name, gt, lt))
        try:
            assignees = tuple(int(a) for a in many(params, "assignees"))
            watchers = tuple(int(a) for a in many(params, "watchers"))
            custom_items = tuple(int(a) for a in many(params, "custom_items"))
        except ValueError as exc:
            raise QueryError("Invalid user id", "INPUT_005") from exc
        return cls(
            order_by=order_by, reverse=flag(params, "reverse"),
            subtasks=flag(params, "subtasks"), include_closed=flag(params, "include_closed"),
            archived=flag(params, "archived"),
            statuses=tuple(s.lower() for s in many(params, "statuses")),
            assignees=assignees, watchers=watchers, tags=tuple(many(params, "tags")),
            space_ids=tuple(many(params, "space_ids")),
            folder_ids=tuple(many(params, "project_ids") + many(params, "folder_ids")),
            list_ids=tuple(many(params, "list_ids")), custom_items=custom_items,
            parent=params.get("parent"), bounds=tuple(bounds),
        )


def _bound_ok(value: int | None, gt: int | None, lt: int | None, inclusive: bool) -> bool:
    if value is None:
        return False
    if gt is not None and (value < gt if inclusive else value <= gt):
        return False
    return not (lt is not None and value >= lt)


def _sort_key(order_by: str) -> Callable[[Task], tuple]:
    if order_by == "id":
        return lambda t: (t.id,)
    if order_by == "updated":
        return lambda t: (t.date_updated, t.id)
    if order_by == "due_date":
        # Tasks without a due date sort after those with one.
        return lambda t: (t.due_date is None, t.due_date or 0, t.id)
    return lambda t: (t.date_created, t.id)


_ORDER_FIELD = {"updated": "date_updated", "created": "date_created", "due_date": "due_date"}


def _matches(state: SimState, q: TaskQuery, t: Task, gt_inclusive: bool) -> bool:
    """Whether one task passes every filter of the query."""
    ws = state.ws
    if t.archived != q.archived:
        return False
    if q.parent is not None:
        if t.parent != q.parent:
            return False
    elif t.parent and not q.subtasks:
        return False
    st = state.task_status(t)
    if st.type == "closed" and not q.include_closed:
        return False
    if q.statuses and st.status.lower() not in q.statuses:
        return False
    if q.assignees and not any(a in t.assignees for a in q.assignees):
        return False
    if q.watchers and not any(w in t.watchers for w in q.watchers):
        return False
    if q.tags and not any(tag in t.tags for tag in q.tags):
        return False
    if q.custom_items and t.custom_item_id not in q.custom_items:
        return False
    lst = ws.lists[t.list_id]
    if q.list_ids and t.list_id not in q.list_ids and not set(t.locations) & set(q.list_ids):
        return False
    if q.folder_ids and lst.folder_id not in q.folder_ids:
        return False
    if q.space_ids and lst.space_id not in q.space_ids:
        return False
    return all(_bound_ok(getattr(t, name), gt, lt, gt_inclusive) for name, gt, lt in q.bounds)


def select_page(state: SimState, q: TaskQuery, key: tuple, candidates: Callable[[], list[Task]],
                page: int, size: int, *, gt_inclusive: bool = True) -> tuple[list[str], bool]:
    """One page of the tasks a query matches, in ClickUp's order, and whether it is the last.

    The candidates are kept sorted (per state version); a bound on the order field lets the
    scan start where the bound does, and the scan stops once the page is known to be full.
    So a sync paging by ``date_updated_gt`` costs a page's worth of work, not a full scan.
    """
    sort_key = _sort_key(q.order_by)
    ordered: list[Task] = state.cached(("ordered", key, q.order_by),
                                       lambda: sorted(candidates(), key=sort_key))
    keys: list[tuple] = state.cached(("keys", key, q.order_by),
                                     lambda: [sort_key(t) for t in ordered])
    field = _ORDER_FIELD.get(q.order_by)
    gt = lt = None
    for name, low, high in q.bounds:
        if name == field:
            gt, lt = low, high
    prefix: tuple = (False,) if q.order_by == "due_date" else ()
    need = (page + 1) * size + 1
    found: list[str] = []
    if q.reverse:  # ascending
        start = bisect.bisect_left(keys, (*prefix, gt)) if gt is not None else 0
        indexes: range = range(start, len(ordered))
    else:  # descending, newest / largest first
        stop = bisect.bisect_left(keys, (*prefix, lt)) if lt is not None else len(ordered)
        indexes = range(stop - 1, -1, -1)
    for i in indexes:
        t = ordered[i]
        if _matches(state, q, t, gt_inclusive):
            found.append(t.id)
            if len(found) == need:
                break
    return found[page * size:(page + 1) * size], len(found) < need


def hidden_by_archive(state: SimState, list_id: str) -> bool:
    """True when a List is archived or sits in an archived Folder or Space.

    GET /team/{id}/task leaves out tasks of such Lists even when the task itself is not
    archived (REFERENCE.md §4.7, tap-clickup issue #99).
    """
    ws = state.ws
    lst = ws.lists[list_id]
    if lst.archived or ws.spaces[lst.space_id].archived:
        return True
    return bool(lst.folder_id and ws.folders[lst.folder_id].archived)


def comments_page(state: SimState, ordered_ids: list[str], params: Params) -> list[Comment]:
    """Up to 25 comments, newest first, older than the (start, start_id) reference if given.

    ``ordered_ids`` is oldest first. With only one of ``start``/``start_id`` the reference is
    ignored (REFERENCE.md §10.5).
    """
    comments = state.ws.comments
    start, start_id = integer(params, "start"), params.get("start_id")
    ref = None
    if start is not None and start_id:
        ref = (start, int(start_id) if start_id.isdigit() else 0)
    picked: list[Comment] = []
    for cid in reversed(ordered_ids):
        c = comments[cid]
        if ref is not None and (c.date, int(c.id)) >= ref:
            continue
        picked.append(c)
        if len(picked) == COMMENT_PAGE_SIZE:
            break
    return picked


def select_time_entries(state: SimState, caller: int, params: Params,
                        now: int) -> list[TimeEntry]:
    """Time entries of the team endpoint: window, assignees, one location filter, billable."""
    ws = state.ws
    start = integer(params, "start_date")
    end = integer(params, "end_date")
    if start is None:
        start = now - THIRTY_DAYS_MS
    if end is None:
        end = now
    raw = params.get("assignee")
    try:
        users = {int(u) for u in raw.split(",") if u.strip()} if raw else {caller}
    except ValueError as exc:
        raise QueryError("Invalid assignee", "INPUT_005") from exc
    if users - {caller} and ws.members[caller].role not in (1, 2):
        raise QueryError("Only Workspace Owners and Admins can view others' time entries",
                         "TIMEENTRY_057", 401)
    locations = [k for k in ("space_id", "folder_id", "list_id", "task_id") if params.get(k)]
    if len(locations) > 1:
        raise QueryError("Only one location filter may be used", "TIMEENTRY_052")
    billable = params.get("is_billable")
    out = []
    for te in state.entries_sorted_by_start():
        if te.start < start:
            continue
        if te.start > end:
            break
        if te.user_id not in users:
            continue
        if billable is not None and te.billable != (billable.lower() == "true"):
            continue
        if locations and not _entry_at(state, te, locations[0], params.get(locations[0]) or ""):
            continue
        out.append(te)
    return out


def _entry_at(state: SimState, te: TimeEntry, kind: str, value: str) -> bool:
    if kind == "task_id":
        return te.task_id == value
    t = state.ws.tasks.get(te.task_id) if te.task_id else None
    if t is None:
        return False
    lst = state.ws.lists[t.list_id]
    return {"list_id": lst.id, "folder_id": lst.folder_id, "space_id": lst.space_id}[kind] == value
