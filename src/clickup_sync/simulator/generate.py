"""Build a deterministic, realistic ClickUp Workspace for the simulator.

The Workspace looks like an engineering org after ~120 days of work, with patterns analytics
should find: overloaded people, people who under-estimate, members gone inactive with open
tasks, stale and overdue tasks, blocked chains, busy comment threads. Everything comes from
one `random.Random(seed)` plus the seeded `IdFactory`, and all times are relative to `now_ms`,
so the same arguments always give the same Workspace.
"""

from __future__ import annotations

import math
import time
from typing import Any

from . import _names as N
from ._activity_gen import ActivityGen
from ._gen_base import DAY, EST_CW, EST_HOURS, HISTORY, HOUR, MIN, dedupe
from ._hierarchy_gen import HierarchyGen
from .ids import IdFactory
from .model import Checklist, ChecklistItem, CustomField, Member, Status, Task, Workspace


def generate_workspace(seed: int, tasks: int,
                       now_ms: int | None = None) -> tuple[Workspace, IdFactory]:
    """Build a deterministic Workspace of about `tasks` tasks (subtasks included in the count)."""
    now = int(time.time() * 1000) if now_ms is None else now_ms
    return _Gen(seed, max(0, tasks), now).build()


class _Gen(HierarchyGen, ActivityGen):
    """One generation run: people and tasks are drawn here, Spaces, Lists and fields by
    `HierarchyGen`, tracked time and comments by `ActivityGen`."""

    def build(self) -> tuple[Workspace, IdFactory]:
        self._members()
        self._spaces()
        self._lists()
        self._fields()
        self._tasks()
        self._inactive_keep_tasks()
        self._time_entries()
        self._running_timer()
        self._comments()
        return self.ws, self.ids

    # -- people ---------------------------------------------------------------------------
    def _members(self) -> None:
        """Owner, a few admins, mostly members, a few guests (one still invited only)."""
        rng, now = self.rng, self.now
        n = min(250, max(8, self.n // 400))
        n_admin, n_guest = min(8, max(2, n // 30)), max(1, n // 12)
        nl = len(N.LAST_NAMES)
        for i, combo in enumerate(rng.sample(range(len(N.FIRST_NAMES) * nl), n)):
            first, last = N.FIRST_NAMES[combo // nl], N.LAST_NAMES[combo % nl]
            role = 1 if i == 0 else 2 if i <= n_admin else 4 if i >= n - n_guest else 3
            uid = self.ids.user()
            tz, off = rng.choice(N.TIMEZONES)
            joined: int | None = self.start - rng.randint(5 * DAY, 900 * DAY)
            domain = self.domain if role != 4 else rng.choice(N.GUEST_DOMAINS)
            email = f"{first}.{last}@{domain}".lower().replace("'", "")
            picture = (f"https://attachments-public.clickup.com/profilePictures/{uid}_"
                       f"{rng.getrandbits(24):06x}.jpg") if rng.random() < 0.4 else None
            last_active: int | None = now - rng.randint(0, 3 * DAY)
            pending = role == 4 and n_guest >= 2 and i == n - 1
            if pending:
                joined = last_active = None
            invited = (joined or now - 9 * DAY) - rng.randint(HOUR, 4 * DAY)
            self.ws.members[uid] = Member(
                id=uid, username=f"{first} {last}", email=email, color=rng.choice(N.COLORS),
                initials=(first[0] + last[0]).upper(), role=role, date_joined=joined,
                date_invited=invited, last_active=last_active, timezone=tz,
                invited_by=None if i == 0 else self.ws.owner_id, profile_picture=picture)
            if i == 0:
                self.ws.owner_id = uid
            if not pending:
                self.active_until[uid], self.tz_off[uid] = now, off
        self.workers = [m.id for m in self.ws.members.values() if m.role <= 3]
        regular = [u for u in self.workers if self.ws.members[u].role == 3]
        self.inactive = rng.sample(regular, min(2, len(regular)))
        for uid in self.inactive:  # left or went quiet, but still hold assigned work
            gone = now - rng.randint(55 * DAY, 100 * DAY)
            self.ws.members[uid].last_active = self.active_until[uid] = gone
        self.active = [u for u in self.workers if u not in self.inactive]
        under = set(rng.sample(self.workers, max(1, len(self.workers) // 7)))
        for uid in self.workers:
            self.bias[uid] = (rng.uniform(1.6, 2.4) if uid in under
                              else rng.lognormvariate(0, 0.15))
        busy = rng.sample(self.active[1:] or self.active, min(len(self.active), 2 + n // 100))
        self.weight = {u: 7.0 if u in busy else 1.0 for u in self.workers}
        self.weight[self.ws.owner_id] = 0.4
        self.guests = [m.id for m in self.ws.members.values()
                       if m.role == 4 and m.id in self.active_until]


    # -- tasks ----------------------------------------------------------------------------
    def _tasks(self) -> None:
        """~70% top-level tasks; the rest nest below them up to three levels deep."""
        rng = self.rng
        n_top = max(1, round(self.n * 0.7)) if self.n else 0
        subs, left = [0] * n_top, self.n - n_top
        while left > 0:
            k = min(left, rng.choice((1, 1, 2, 2, 3, 3, 4, 5, 6, 8)))
            subs[rng.randrange(n_top)] += k
            left -= k
        homes = rng.choices(self.list_ids, cum_weights=self.list_cw, k=n_top)
        for i, lid in enumerate(self.archived_lists[:n_top]):
            homes[i] = lid  # every archived List keeps some tasks
        plain = [i for i in range(n_top) if not subs[i]]
        milestones = set(rng.sample(plain, min(len(plain), max(2, self.n // 2000))))
        for i, lid in enumerate(homes):
            top = self._task(lid, None, i in milestones)
            family = [(top, 0)]
            for _ in range(subs[i]):
                shallow = [f for f in family if f[1] < 3]
                parent, depth = family[0] if rng.random() < 0.6 else rng.choice(shallow)
                family.append((self._task(lid, parent, False, top.id), depth + 1))

    def _task(self, lid: str, parent: Task | None, milestone: bool,
              top_id: str | None = None) -> Task:
        rng = self.rng
        sid = self.ws.lists[lid].space_id
        status, created, updated, closed_at = self._timeline(lid, parent)
        done = status.type in ("done", "closed")
        start_date = created + rng.randint(0, 4) * DAY if rng.random() < 0.45 else None
        due = None
        if milestone or rng.random() < (0.3 if status.type == "open" else 0.6):
            due = (start_date or created) + rng.randint(1, 21) * DAY
            if rng.random() < 0.7:  # a date without time: 4 am
                due = due - due % DAY + 4 * HOUR
        creator, assignees, watchers = self._people(lid, sid, parent, milestone, created)
        order = len(self.by_list.setdefault(lid, [])) + 1
        space_tags = self.ws.spaces[sid].tags
        name = (rng.choice(N.MILESTONES) if milestone else
                f"{rng.choice(N.TASK_VERBS)} {rng.choice(N.TASK_OBJECTS)} "
                f"{rng.choice(N.TASK_AREAS)}".strip())
        t = Task(
            id=self.ids.task(), name=name,
            description=rng.choice(N.DESCRIPTIONS) if rng.random() < 0.6 else "",
            status=status.status, list_id=lid, orderindex=float(order), date_created=created,
            date_updated=updated, creator=creator, date_closed=closed_at, date_done=closed_at,
            archived=parent.archived if parent else rng.random() < (0.06 if done else 0.01),
            assignees=assignees, watchers=watchers,
            tags=[tg.name for tg in rng.sample(space_tags, min(len(space_tags), rng.choices(
                (0, 1, 2, 3), (35, 40, 20, 5))[0]))],
            parent=parent.id if parent else None, top_level_parent=top_id,
            priority=(parent.priority if parent and rng.random() < 0.6 else
                      rng.choices((None, 1, 2, 3, 4), (30, 5, 20, 35, 10))[0]),
            due_date=due, start_date=start_date,
            points=float(rng.choice((1, 2, 3, 5, 8, 13))) if rng.random() < 0.3 else None,
            time_estimate=(int(rng.choices(EST_HOURS, cum_weights=EST_CW)[0] * HOUR)
                           if not milestone and rng.random() < 0.75 else None),
            custom_item_id=1 if milestone else 0)
        self.kind[t.id] = status.type
        if rng.random() < 0.15:
            self._checklists(t, done)
        for cf, rate in self.list_fields[lid]:
            if rng.random() < rate:
                value = self._value(cf, t, done, sid)
                if value is not None:
                    t.custom_values[cf.id] = value
        self._relations(t, status.status == "blocked", parent)
        self.by_list[lid].append(t)
        self.all_tasks.append(t)
        self.ws.tasks[t.id] = t
        return t

    def _timeline(self, lid: str, parent: Task | None) -> tuple[Status, int, int, int | None]:
        """Status, created, updated and closed times; older tasks are more often finished,
        a few active ones went stale (no update for weeks)."""
        rng, now, dormant = self.rng, self.now, self.dormant[lid]
        if parent is None:
            hi = now - (45 * DAY if dormant else 30 * MIN)
            u = rng.random()  # half uniform, half skewed to recent: the team grew
            created = self.start + int((hi - self.start) * (u if rng.random() < 0.5
                                                            else math.sqrt(u)))
        else:
            created = min(parent.date_created + rng.randint(MIN, 3 * DAY), now - 10 * MIN)
            created = max(created, parent.date_created)
        parent_done = parent is not None and self.kind[parent.id] in ("done", "closed")
        p_done = (0.9 if dormant or parent_done
                  else 0.15 + 0.6 * min(1.0, (now - created) / HISTORY))
        status = self._status(lid, rng.random() < p_done)
        closed_at = None
        if status.type in ("done", "closed"):
            spent = int(rng.lognormvariate(math.log(4 * DAY), 0.9))
            closed_at = created + max(MIN, min(now - created - MIN, spent))
            updated = _before(now, closed_at, closed_at + rng.randint(0, 2 * DAY))
        elif status.type == "custom" and now - created > 40 * DAY and rng.random() < 0.12:
            updated = created + rng.randint(HOUR, 5 * DAY)  # stale: nobody touched it
        elif status.type == "open" and rng.random() < 0.5:
            updated = _before(now, created, created + rng.randint(MIN, 2 * DAY))
        else:
            updated = now - int(rng.expovariate(1 / (2 * DAY)))
        return status, created, max(updated, created + MIN), closed_at

    def _people(self, lid: str, sid: str, parent: Task | None, milestone: bool,
                created: int) -> tuple[int, list[int], list[int]]:
        """Creator, assignees (weighted: some people get far more) and watchers."""
        rng = self.rng
        if parent is not None and rng.random() < 0.6:
            assignees = parent.assignees[:1]
        else:
            k = rng.choices((0, 1, 2, 3), (10, 65, 20, 5))[0]
            assignees = [u for u in self._pick(sid, min(k, 1) if milestone else k)
                         if self.active_until[u] >= created]  # nobody assigns to leavers
        creator = self._who(self._pick(sid, 1)[0], created)
        watchers = [creator, *assignees]
        if rng.random() < 0.3:
            watchers += self._pick(sid, 1)
        if lid in self.list_guests and rng.random() < 0.15:
            watchers.append(rng.choice(self.list_guests[lid]))
        return creator, assignees, dedupe(watchers)

    def _status(self, lid: str, finished: bool) -> Status:
        """A status of the List's workflow: done/closed when finished, else open or active
        (the first active status is the busiest, ``blocked`` the rarest)."""
        rng, flow = self.rng, self.statuses[lid]
        if finished:
            done = [s for s in flow if s.type == "done"]
            closed = [s for s in flow if s.type == "closed"]
            return rng.choice(done) if done and (rng.random() < 0.7 or not closed) else closed[0]
        if rng.random() < 0.4:
            return flow[0]
        active = [s for s in flow if s.type == "custom"]
        weights = [4.0 if i == 0 else 0.8 if s.status == "blocked" else 1.5
                   for i, s in enumerate(active)]
        return rng.choices(active, weights)[0]

    def _checklists(self, t: Task, done: bool) -> None:
        rng = self.rng
        for order in range(rng.choice((1, 1, 1, 2))):
            when = t.date_created + rng.randint(0, HOUR)
            cl = Checklist(self.ids.uuid(), t.id, rng.choice(N.CHECKLISTS), when, order,
                           t.creator)
            for j, item in enumerate(rng.sample(N.CHECK_ITEMS, rng.randint(2, 6))):
                cl.items.append(ChecklistItem(
                    self.ids.uuid(), item, j, rng.random() < (0.9 if done else 0.35), when,
                    rng.choice(t.assignees) if t.assignees and rng.random() < 0.3 else None))
            t.checklists.append(cl)

    def _value(self, cf: CustomField, t: Task, done: bool, sid: str) -> Any:
        """A custom field value in the form `model.Task` documents for the field's type."""
        rng, ty, cfg = self.rng, cf.type, cf.type_config
        if ty == "drop_down":
            return rng.choice(cfg["options"])["orderindex"]
        if ty == "labels":
            return [o["id"] for o in rng.sample(cfg["options"], rng.randint(1, 3))]
        if ty == "users":
            return self._pick(sid, 1)
        if ty == "url":
            return f"https://github.com/{self.domain[:-4]}/{rng.choice(N.REPOS)}/pull/" \
                   f"{rng.randint(10, 9999)}"
        if ty == "email":
            return f"{rng.choice(N.FIRST_NAMES).lower()}@{rng.choice(N.GUEST_DOMAINS)}"
        if ty == "phone":
            return f"+1 {rng.randint(201, 989)} 555 {rng.randint(0, 9999):04d}"
        if ty == "date":
            day = t.date_created + rng.randint(1, 60) * DAY
            return day - day % DAY + 4 * HOUR
        if ty in ("short_text", "text"):
            return rng.choice(N.TASK_OBJECTS if ty == "short_text" else N.DESCRIPTIONS)
        if ty == "checkbox":
            return done or rng.random() < 0.3
        if ty in ("number", "currency"):
            return str(rng.randint(1, 500) * (50 if ty == "currency" else 1))
        if ty == "tasks":
            pool = self.all_tasks
            return [pool[rng.randrange(len(pool))].id] if pool else None
        if ty == "emoji":
            return rng.randint(1, cfg["count"])
        if ty == "progress":
            return {"percent_complete": 100 if done else rng.randrange(0, 100, 5)}
        if ty == "location":
            address, lat, lng = rng.choice(N.CITIES)
            return {"location": {"lat": lat, "lng": lng}, "formatted_address": address}
        return None

    def _relations(self, t: Task, blocked: bool, parent: Task | None) -> None:
        """Dependencies on earlier tasks of the same List (so never a cycle), symmetric
        links, and a second List for a few tasks."""
        rng = self.rng
        recent = self.by_list[t.list_id][-40:]
        if recent and (rng.random() < 0.03 or (blocked and rng.random() < 0.7)):
            family = (parent.id if parent else None, t.top_level_parent)
            for _ in range(3):
                dep = rng.choice(recent)
                if dep.id not in family and dep.id not in t.depends_on:
                    t.depends_on.append(dep.id)
                    if not blocked or self.kind[dep.id] not in ("done", "closed"):
                        break
        if self.all_tasks and rng.random() < 0.02:
            other = self.all_tasks[rng.randrange(len(self.all_tasks))]
            if other.id not in t.linked:
                t.linked.append(other.id)
                other.linked.append(t.id)
        if rng.random() < 0.03:
            extra = rng.choice(self.live_lists)
            if extra != t.list_id:
                t.locations.append(extra)

    def _inactive_keep_tasks(self) -> None:
        """Make sure people who went quiet still hold a few open tasks (a finding to spot)."""
        rng = self.rng
        open_tasks = [t for t in self.all_tasks
                      if self.kind[t.id] not in ("done", "closed") and not t.archived
                      and self.space_kind[self.ws.lists[t.list_id].space_id] == "public"]
        for uid in self.inactive:
            free = [t for t in open_tasks if uid not in t.assignees]
            for t in rng.sample(free, min(len(free), max(0, 3 - len(open_tasks) + len(free)))):
                t.assignees.append(uid)
                t.watchers = dedupe([*t.watchers, uid])


def _before(now: int, low: int, when: int) -> int:
    """``when``, or, when it lies in the future, folded back into ``(low, now]``.

    Clamping to ``now`` would give thousands of tasks one identical update time, which no
    real workspace has and which makes every incremental sync re-read them all.
    """
    if when <= now:
        return when
    return now - (when - now) % max(1, now - low)
