"""The simulator's live state: the Workspace, its tokens, its clock, indexes and event hooks.

Every reader and writer goes through `SimState`, holding `lock` while it touches the
Workspace, so the HTTP server thread, the change engine and tests see consistent data.
`version` grows with every change; query results are cached per version.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .ids import IdFactory
from .model import Comment, Status, Task, TaskList, TimeEntry, Workspace

PLAN_LIMITS = {"free": 100, "unlimited": 100, "business": 100, "business_plus": 1_000,
               "enterprise": 10_000}


@dataclass(slots=True)
class Token:
    """An API token: whose it is, and the plan (hence rate limit) of its Workspace."""

    token: str
    user_id: int
    plan: str = "business"


@dataclass(slots=True)
class Event:
    """A webhook event produced by a change: ``name`` (e.g. taskStatusUpdated), the resource
    ids it names, and its history items (already in ClickUp's wire shape)."""

    name: str
    ids: dict[str, str]
    history_items: list[dict[str, Any]] = field(default_factory=list)
    data: dict[str, Any] | None = None


class SimState:
    """The Workspace plus everything needed to serve and change it."""

    def __init__(self, workspace: Workspace, ids: IdFactory,
                 clock: Callable[[], int] | None = None) -> None:
        self.ws = workspace
        self.ids = ids
        self.lock = threading.RLock()
        self.version = 0
        self.tokens: dict[str, Token] = {}
        self.listeners: list[Callable[[list[Event]], None]] = []
        self._clock = clock or (lambda: int(time.time() * 1000))
        self._last_now = 0
        self._cache: dict[tuple, Any] = {}
        self._cache_version = -1
        self.comments_by_task: dict[str, list[str]] = defaultdict(list)
        self.comments_by_list: dict[str, list[str]] = defaultdict(list)
        self.replies: dict[str, list[str]] = defaultdict(list)
        self.reindex()

    # -- time ---------------------------------------------------------------------------
    def now(self) -> int:
        """Current time in ms, strictly increasing so every change gets its own timestamp."""
        with self.lock:
            self._last_now = max(self._clock(), self._last_now + 1)
            return self._last_now

    def peek_now(self) -> int:
        """Current time in ms without reserving it (for reads such as a timer's duration)."""
        return max(self._clock(), self._last_now)

    # -- indexes and caches ---------------------------------------------------------------
    def reindex(self) -> None:
        """Rebuild comment indexes (oldest first) from the Workspace."""
        with self.lock:
            self.comments_by_task.clear()
            self.comments_by_list.clear()
            self.replies.clear()
            for c in sorted(self.ws.comments.values(), key=lambda c: (c.date, c.id)):
                self._index_comment(c)
            self.changed()

    def _index_comment(self, c: Comment) -> None:
        if c.parent_id:
            self.replies[c.parent_id].append(c.id)
        elif c.task_id:
            self.comments_by_task[c.task_id].append(c.id)
        elif c.list_id:
            self.comments_by_list[c.list_id].append(c.id)

    def add_comment_record(self, c: Comment) -> None:
        """Store a new comment and index it (callers hold the lock)."""
        self.ws.comments[c.id] = c
        self._index_comment(c)
        self.changed()

    def remove_comment_record(self, comment_id: str) -> None:
        c = self.ws.comments.pop(comment_id, None)
        if c is None:
            return
        for index, key in ((self.replies, c.parent_id), (self.comments_by_task, c.task_id),
                           (self.comments_by_list, c.list_id)):
            if key and comment_id in index.get(key, ()):
                index[key].remove(comment_id)
        self.changed()

    def changed(self) -> None:
        """Mark the state as changed: cached query results are dropped."""
        self.version += 1

    def cached(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """Return ``compute()`` cached for the current version (used for paged queries)."""
        with self.lock:
            if self._cache_version != self.version:
                self._cache.clear()
                self._cache_version = self.version
            if key not in self._cache:
                if len(self._cache) > 256:
                    self._cache.clear()
                self._cache[key] = compute()
            return self._cache[key]

    # -- events ---------------------------------------------------------------------------
    def emit(self, events: list[Event]) -> None:
        """Hand events to listeners (the webhook dispatcher)."""
        if not events:
            return
        for listener in list(self.listeners):
            listener(events)

    # -- lookups --------------------------------------------------------------------------
    def list_statuses(self, lst: TaskList) -> list[Status]:
        """The workflow a List uses: its own, its Folder's, or its Space's."""
        if lst.override_statuses and lst.statuses:
            return lst.statuses
        if lst.folder_id:
            folder = self.ws.folders.get(lst.folder_id)
            if folder and folder.override_statuses and folder.statuses:
                return folder.statuses
        return self.ws.spaces[lst.space_id].statuses

    def task_status(self, task: Task) -> Status:
        statuses = self.list_statuses(self.ws.lists[task.list_id])
        for st in statuses:
            if st.status == task.status:
                return st
        return statuses[0]

    def task_list(self, task: Task) -> TaskList:
        return self.ws.lists[task.list_id]

    def time_spent(self) -> dict[str, int]:
        """Tracked ms per task id, over finished intervals (cached per version)."""

        def compute() -> dict[str, int]:
            spent: dict[str, int] = defaultdict(int)
            for te in self.ws.time_entries.values():
                if te.task_id and te.end is not None:
                    spent[te.task_id] += te.end - te.start
            return dict(spent)

        return self.cached(("time_spent",), compute)

    def subtask_ids(self) -> dict[str, list[str]]:
        """Direct subtask ids per parent task id (cached per version)."""

        def compute() -> dict[str, list[str]]:
            out: dict[str, list[str]] = defaultdict(list)
            for t in self.ws.tasks.values():
                if t.parent:
                    out[t.parent].append(t.id)
            return dict(out)

        return self.cached(("subtasks",), compute)

    def blocking(self) -> dict[str, list[str]]:
        """For each task id, the tasks that wait on it (reverse of ``depends_on``)."""

        def compute() -> dict[str, list[str]]:
            out: dict[str, list[str]] = defaultdict(list)
            for t in self.ws.tasks.values():
                for dep in t.depends_on:
                    out[dep].append(t.id)
            return dict(out)

        return self.cached(("blocking",), compute)

    def entries_sorted_by_start(self) -> list[TimeEntry]:
        return self.cached(("entries_by_start",),
                           lambda: sorted(self.ws.time_entries.values(), key=lambda e: e.start))
