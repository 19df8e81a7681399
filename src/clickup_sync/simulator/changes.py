"""The change engine: the Workspace changes as if a team worked in it for a while.

`advance` makes a number of changes proportional to the time worked and to the number of open
tasks (``rate`` of them touched per 30 minutes), each drawn by weight from the kinds a team
really makes: status moves along the workflow, comments, tracked time, reassignments, new
tasks and subtasks, moves, archives, deletions. Every change goes through `mutations` or
`activity`, so timestamps come from the state's clock and webhooks fire exactly as for an API
write. Given the same Workspace, clock and ``rng``, the same changes happen.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from . import _names, activity, mutations
from .model import Task
from .queries import hidden_by_archive
from .state import SimState

DAY_MS = 86_400_000
# Relative weight of each kind of change (how often a team does it).
WEIGHTS: dict[str, float] = {
    "status": 30, "comment": 20, "time_entry": 15, "assignee": 8, "due_date": 6,
    "priority": 5, "create": 6, "subtask": 3, "timer": 3, "tag": 2, "move": 2, "archive": 1.5,
    "delete": 1, "list": 0.2,
}


@dataclass(slots=True)
class ChangeSummary:
    """What one `advance` did: counts per kind and the ids it touched (for tests and logs)."""

    minutes: float
    counts: dict[str, int] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)  # task ids
    updated: list[str] = field(default_factory=list)  # task ids, first touch first
    deleted: list[str] = field(default_factory=list)  # task ids, subtasks included
    comments: list[str] = field(default_factory=list)
    time_entries: list[str] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)


class _Team:
    """One advance's view of the Workspace: who works, and which tasks are in play."""

    def __init__(self, state: SimState, rng: random.Random, summary: ChangeSummary) -> None:
        self.state, self.rng, self.summary = state, rng, summary
        ws = state.ws
        members = [m.id for m in ws.members.values() if m.date_joined is not None]
        workers = [m for m in members if ws.members[m].role != 4]
        self.people = workers or members or [ws.owner_id]
        live = [t for t in ws.tasks.values()
                if not t.archived and not hidden_by_archive(state, t.list_id)]
        done = {t.id for t in live if state.task_status(t).type in ("done", "closed")}
        self.open = [t.id for t in live if t.id not in done]
        self.finished = [t.id for t in live if t.id in done]
        self.lists = [i for i in ws.lists if not hidden_by_archive(state, i)]

    # -- choosing -----------------------------------------------------------------------------
    def pick(self, ids: list[str], test: Callable[[Task], bool] = lambda t: True) -> Task | None:
        """A random live task from ``ids`` passing ``test`` (a few tries, then give up)."""
        for _ in range(8 if ids else 0):
            t = self.state.ws.tasks.get(self.rng.choice(ids))
            if t is not None and not t.archived and test(t):
                return t
        return None

    def actor(self, task: Task | None = None) -> int:
        """Who makes a change: mostly one of the task's assignees, else anyone working."""
        pool = [u for u in task.assignees if u in self.people] if task else []
        return self.rng.choice(pool if pool and self.rng.random() < 0.8 else self.people)

    def touched(self, task_id: str) -> None:
        if task_id not in self.summary.updated:
            self.summary.updated.append(task_id)

    def task_name(self) -> str:
        r = self.rng
        words = [r.choice(_names.TASK_VERBS), r.choice(_names.TASK_OBJECTS),
                 r.choice(_names.TASK_AREAS)]
        return " ".join(w for w in words if w)

    # -- kinds of change ------------------------------------------------------------------------
    def status(self) -> bool:
        task = self.pick(self.open)
        if task is None:
            return False
        statuses = self.state.list_statuses(self.state.task_list(task))
        names = [s.status for s in statuses]
        here = names.index(task.status) if task.status in names else 0
        step = -1 if here > 0 and self.rng.random() < 0.1 else 1  # now and then sent back
        if not 0 <= here + step < len(statuses):
            return False
        new = statuses[here + step]
        mutations.update_task(self.state, task.id, self.actor(task), {"status": new.status})
        if new.type in ("done", "closed"):
            self.finished.append(task.id)
        self.touched(task.id)
        return True

    def comment(self) -> bool:
        task = self.pick(self.open)
        if task is None:
            return False
        user, r, s = self.actor(task), self.rng, self.state
        thread = s.comments_by_task.get(task.id, [])
        assigned = [c for c in thread if s.ws.comments[c].assignee and not
                    s.ws.comments[c].resolved]
        if assigned and r.random() < 0.3:
            c = activity.resolve_comment(s, r.choice(assigned), user)
        elif thread and r.random() < 0.2:
            c = activity.add_comment(s, user, r.choice(_names.COMMENTS),
                                     parent_id=r.choice(thread))
        elif r.random() < 0.25:
            c = activity.add_comment(s, user, r.choice(_names.ASSIGNED_COMMENTS),
                                     task_id=task.id, assignee=r.choice(self.people))
        else:
            c = activity.add_comment(s, user, r.choice(_names.COMMENTS), task_id=task.id)
        self.summary.comments.append(c.id)
        self.touched(task.id)
        return True

    def time_entry(self, minutes: float) -> bool:
        task = self.pick(self.open, lambda t: bool(t.assignees))
        if task is None:
            return False
        worked = self.rng.randint(10, max(10, min(240, int(minutes))))  # minutes of work
        end = self.state.peek_now()
        te = activity.add_time_entry(self.state, self.actor(task), task.id,
                                     end - worked * 60_000, end,
                                     description=self.rng.choice(_names.ENTRY_NOTES),
                                     billable=self.rng.random() < 0.2)
        self.summary.time_entries.append(te.id)
        self.touched(task.id)
        return True

    def timer(self) -> bool:
        user = self.rng.choice(self.people)
        if activity.running_timer(self.state, user) is not None:
            te = activity.stop_timer(self.state, user)
        else:
            task = self.pick(self.open, lambda t: user in t.assignees) or self.pick(self.open)
            te = activity.start_timer(self.state, user, task.id if task else None)
        if te is not None:
            self.summary.time_entries.append(te.id)
            if te.task_id and te.end is not None:  # a started timer changes no task yet
                self.touched(te.task_id)
        return te is not None

    def assignee(self) -> bool:
        task = self.pick(self.open)
        if task is None:
            return False
        new = self.rng.choice(self.people)
        rem = [self.rng.choice(task.assignees)] if task.assignees and self.rng.random() < 0.6 \
            else []
        if new in task.assignees and not rem:
            return False
        mutations.update_task(self.state, task.id, self.actor(task),
                              {"assignees": {"add": [new], "rem": rem}})
        self.touched(task.id)
        return True

    def due_date(self) -> bool:
        task = self.pick(self.open)
        if task is None:
            return False
        base = task.due_date or self.state.peek_now() // DAY_MS * DAY_MS + 4 * 3_600_000
        due = None if self.rng.random() < 0.05 else base + self.rng.randint(1, 14) * DAY_MS
        mutations.update_task(self.state, task.id, self.actor(task), {"due_date": due})
        self.touched(task.id)
        return True

    def priority(self) -> bool:
        task = self.pick(self.open)
        if task is None:
            return False
        choices = [p for p in (1, 2, 3, 4, None) if p != task.priority]
        mutations.update_task(self.state, task.id, self.actor(task),
                              {"priority": self.rng.choice(choices)})
        self.touched(task.id)
        return True

    def tag(self) -> bool:
        task = self.pick(self.open)
        if task is None:
            return False
        space = self.state.ws.spaces[self.state.task_list(task).space_id]
        unused = [t.name for t in space.tags if t.name not in task.tags]
        if task.tags and (not unused or self.rng.random() < 0.3):
            name, present = self.rng.choice(task.tags), False
        elif unused:
            name, present = self.rng.choice(unused), True
        else:
            return False
        mutations.set_tag(self.state, task.id, name, self.actor(task), present)
        self.touched(task.id)
        return True

    def create(self, parent: Task | None = None) -> bool:
        r = self.rng
        if parent is not None:
            list_id = parent.list_id
        elif (near := self.pick(self.open)) is not None:  # new work lands where work is
            list_id = near.list_id
        elif self.lists:
            list_id = r.choice(self.lists)
        else:
            return False
        body: dict[str, object] = {
            "name": self.task_name(), "description": r.choice(_names.DESCRIPTIONS),
            "assignees": [r.choice(self.people)] if r.random() < 0.7 else [],
            "priority": r.choice((1, 2, 3, 3, 4, None)),
        }
        if r.random() < 0.5:
            today = self.state.peek_now() // DAY_MS * DAY_MS
            body["due_date"] = today + r.randint(2, 30) * DAY_MS
        if r.random() < 0.3:
            body["time_estimate"] = r.choice((1, 2, 4, 8, 16)) * 3_600_000
        if parent is not None:
            body["parent"] = parent.id
        task = mutations.create_task(self.state, list_id, self.actor(parent), body)
        self.open.append(task.id)
        self.summary.created.append(task.id)
        return True

    def subtask(self) -> bool:
        parent = self.pick(self.open)
        return parent is not None and self.create(parent)

    def move(self) -> bool:
        task = self.pick(self.open, lambda t: t.parent is None)
        if task is None:
            return False
        space = self.state.task_list(task).space_id
        same = [i for i in self.lists if i != task.list_id
                and self.state.ws.lists[i].space_id == space]
        others = [i for i in self.lists if i != task.list_id]
        targets = same if same and self.rng.random() < 0.7 else others
        if not targets:
            return False
        mutations.move_task(self.state, task.id, self.rng.choice(targets), self.actor(task))
        self.touched(task.id)
        return True

    def archive(self) -> bool:
        task = self.pick(self.finished) or self.pick(self.open)
        if task is None:
            return False
        mutations.archive_task(self.state, task.id, self.actor(task))
        self.touched(task.id)
        return True

    def delete(self) -> bool:
        task = self.pick(self.open)
        if task is None:
            return False
        gone = mutations.delete_task(self.state, task.id, self.actor(task))
        self.summary.deleted.extend(gone)
        return True

    def new_list(self) -> bool:
        ws = self.state.ws
        spaces = [s.id for s in ws.spaces.values() if not s.archived]
        if not spaces:
            return False
        space = self.rng.choice(spaces)
        folders = [f.id for f in ws.folders.values() if f.space_id == space and not f.archived]
        folder = self.rng.choice(folders) if folders and self.rng.random() < 0.7 else None
        name = f"{self.rng.choice(_names.LISTS)} {self.rng.randint(2, 99)}"
        lst = activity.create_list(self.state, self.rng.choice(self.people), name,
                                   folder_id=folder, space_id=None if folder else space)
        self.lists.append(lst.id)
        self.summary.lists.append(lst.id)
        return True


def advance(state: SimState, minutes: float, rng: random.Random, *, rate: float = 0.01,
            weights: dict[str, float] | None = None) -> ChangeSummary:
    """Make the Workspace change like a team working for ``minutes``.

    About ``rate`` × open tasks changes happen per 30 minutes (1% of 5,000 open tasks is 50
    per half hour); ``weights`` overrides the mix of `WEIGHTS`. Each change holds the state
    lock only for itself, so the API keeps answering meanwhile.
    """
    summary = ChangeSummary(minutes=minutes)
    if minutes <= 0:
        return summary
    with state.lock:
        team = _Team(state, rng, summary)
    expected = rate * max(len(team.open), 1) * minutes / 30
    count = int(expected) + (rng.random() < expected - int(expected))
    mix = {**WEIGHTS, **(weights or {})}
    kinds, odds = list(mix), list(mix.values())
    actions: dict[str, Callable[[], bool]] = {
        "status": team.status, "comment": team.comment, "assignee": team.assignee,
        "time_entry": lambda: team.time_entry(minutes), "timer": team.timer,
        "due_date": team.due_date, "priority": team.priority, "create": team.create,
        "subtask": team.subtask, "move": team.move, "archive": team.archive,
        "delete": team.delete, "list": team.new_list, "tag": team.tag,
    }
    counts: Counter[str] = Counter()
    for kind in rng.choices(kinds, odds, k=count):
        with state.lock:
            if actions[kind]():
                counts[kind] += 1
    summary.counts = dict(sorted(counts.items()))
    return summary
