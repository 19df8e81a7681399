"""The generator's activity: tracked time, the one running timer, comments."""

from __future__ import annotations

import math
from itertools import accumulate

from . import _names as N
from ._gen_base import DAY, EST_HOURS, HOUR, MIN, GenRun, dedupe
from .model import Comment, TimeEntry

_COMMENT_COUNTS = (0, 1, 2, 3, 4, 5, 8, 12)
_COMMENT_CW = tuple(accumulate((48, 19, 12, 8, 5, 3, 3, 2)))


class ActivityGen(GenRun):
    """Time entries, the running timer and comments, drawn once all tasks exist."""

    def _entry(self, uid: int, start: int, end: int | None, task_id: str | None,
               billable: bool, note: str, tags: list[str]) -> None:
        eid = self.ids.time_entry()
        self.ws.time_entries[eid] = TimeEntry(
            eid, uid, start, end, task_id, billable, note, tags,
            "clickup" if self.rng.random() < 0.85 else "chrome", end or start)

    def _time_entries(self) -> None:
        """Intervals over each worked task's active life; the primary assignee's estimate
        bias decides how far tracked time overshoots the estimate."""
        rng = self.rng
        for t in self.all_tasks:
            kind = self.kind[t.id]
            if kind == "open" or t.custom_item_id == 1 or rng.random() < 0.2:
                continue
            end = t.date_done or t.date_updated
            begin = t.start_date if t.start_date and t.start_date < end - HOUR else t.date_created
            if end - begin < 20 * MIN:
                continue
            sid = self.ws.lists[t.list_id].space_id
            primary = t.assignees[0] if t.assignees else t.creator
            estimate = t.time_estimate or rng.choice(EST_HOURS) * HOUR
            total = estimate * self.bias[primary] * rng.lognormvariate(0, 0.3)
            if kind == "custom":
                total *= rng.uniform(0.1, 0.9)
            people, tracked, i = t.assignees[:2] or [primary], 0, 0
            while tracked < total and i < 10:
                dur = int(rng.lognormvariate(math.log(120 * MIN), 0.5))
                dur = min(end - begin, max(15 * MIN, min(4 * HOUR, dur, int(total - tracked))))
                uid = people[i % len(people)] if rng.random() < 0.85 else self._pick(sid, 1)[0]
                at = self._office(uid, begin + rng.randint(0, end - begin - dur), begin,
                                  end - dur)
                self._entry(self._who(uid, at + dur), at, at + dur, t.id,
                            rng.random() < self.billable[sid], rng.choice(N.ENTRY_NOTES),
                            [rng.choice(N.ENTRY_TAGS)] if rng.random() < 0.2 else [])
                tracked, i = tracked + dur, i + 1
        for _ in range(max(2, len(self.ws.time_entries) // 25)):  # meetings: no task
            uid = rng.choice(self.active)
            dur = rng.choice((15, 30, 30, 45, 60)) * MIN
            at = self._office(uid, rng.randint(self.start, self.now - HOUR), self.start,
                              self.now - HOUR)
            self._entry(uid, at, at + dur, None, False, rng.choice(N.MEETINGS), ["meeting"])

    def _running_timer(self) -> None:
        """Exactly one timer runs, started within the last two hours on an active task."""
        rng = self.rng
        busy = [t for t in self.all_tasks if self.kind[t.id] == "custom" and not t.archived
                and t.assignees and t.assignees[0] not in self.inactive]
        task = rng.choice(busy) if busy else None
        uid = task.assignees[0] if task else rng.choice(self.active)
        start = self.now - rng.randint(5 * MIN, 115 * MIN)
        for eid in [e.id for e in self.ws.time_entries.values()
                    if e.user_id == uid and (e.end or 0) > start]:
            del self.ws.time_entries[eid]  # one person cannot track two things at once
        if task:
            task.date_updated = max(task.date_updated, start)
        self._entry(uid, start, None, task.id if task else None, False, "", [])
        member = self.ws.members[uid]
        member.last_active = max(member.last_active or 0, start)

    def _comments(self) -> None:
        """~1.5 comments per task, a few very long threads, replies, assigned comments,
        and some List comments."""
        rng, tasks = self.rng, self.all_tasks
        long_lived = [t for t in tasks if t.date_updated - t.date_created > 2 * DAY]
        n_hot = max(2, self.n // 2000) if self.n >= 200 else 0  # to exercise comment paging
        hot = {t.id for t in rng.sample(long_lived, min(len(long_lived), n_hot))}
        keep = max(0.2, 1 - 85 * len(hot) / (1.5 * len(tasks) or 1))  # long threads use budget
        for t in tasks:
            k = (rng.randint(61, 110) if t.id in hot
                 else rng.choices(_COMMENT_COUNTS, cum_weights=_COMMENT_CW)[0]
                 if rng.random() < keep else 0)
            if not k:
                continue
            lo = t.date_created + MIN
            dates = sorted(rng.randint(lo, max(lo, t.date_updated)) for _ in range(k))
            people = dedupe([t.creator, *t.assignees, *t.watchers])
            sid = self.ws.lists[t.list_id].space_id
            done = self.kind[t.id] in ("done", "closed")
            threads: list[Comment] = []
            for when in dates:
                uid = rng.choice(people) if rng.random() < 0.8 else self._pick(sid, 1)[0]
                c = Comment(self.ids.comment(), self._who(uid, when), rng.choice(N.COMMENTS),
                            when, task_id=t.id)
                if threads and rng.random() < 0.25:
                    c.parent_id = rng.choice(threads).id
                else:
                    threads.append(c)
                    if rng.random() < 0.06:
                        c.text = rng.choice(N.ASSIGNED_COMMENTS)
                        c.assignee = self._who(rng.choice(people), when)
                        c.assigned_by = c.user_id
                        c.resolved = rng.random() < (0.6 if done else 0.3)
                self.ws.comments[c.id] = c
        for _ in range(max(3, self.n // 1000)):
            lid = rng.choice(self.live_lists)
            when = rng.randint(self.start, self.now - MIN)
            uid = self._who(self._pick(self.ws.lists[lid].space_id, 1)[0], when)
            c = Comment(self.ids.comment(), uid, rng.choice(N.COMMENTS), when, list_id=lid)
            self.ws.comments[c.id] = c
