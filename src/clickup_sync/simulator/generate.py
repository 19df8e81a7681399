"""Build a deterministic, realistic ClickUp Workspace for the simulator.

The Workspace looks like an engineering org after ~120 days of work, with patterns analytics
should find: overloaded people, people who under-estimate, members gone inactive with open
tasks, stale and overdue tasks, blocked chains, busy comment threads. Everything comes from
one `random.Random(seed)` plus the seeded `IdFactory`, and all times are relative to `now_ms`,
so the same arguments always give the same Workspace.
"""

from __future__ import annotations

import copy
import math
import random
import time
from itertools import accumulate
from typing import Any

from . import _names as N
from .ids import IdFactory
from .model import (
    Checklist,
    ChecklistItem,
    Comment,
    CustomField,
    Folder,
    Member,
    Space,
    Status,
    Tag,
    Task,
    TaskList,
    TimeEntry,
    Workspace,
)

_MIN = 60_000
_HOUR = 60 * _MIN
_DAY = 24 * _HOUR
_HISTORY = 120 * _DAY
_EST_HOURS = (0.5, 1, 2, 3, 4, 6, 8, 16)
_EST_CW = tuple(accumulate((10, 15, 20, 15, 15, 10, 10, 5)))
_COMMENT_COUNTS = (0, 1, 2, 3, 4, 5, 8, 12)
_COMMENT_CW = tuple(accumulate((48, 19, 12, 8, 5, 3, 3, 2)))


def generate_workspace(seed: int, tasks: int,
                       now_ms: int | None = None) -> tuple[Workspace, IdFactory]:
    """Build a deterministic Workspace of about `tasks` tasks (subtasks included in the count)."""
    now = int(time.time() * 1000) if now_ms is None else now_ms
    return _Gen(seed, max(0, tasks), now).build()


def _dedupe(items: list[int]) -> list[int]:
    return list(dict.fromkeys(items))


class _Gen:
    """One generation run: the seeded generator, the Workspace so far, and lookup tables."""

    def __init__(self, seed: int, tasks: int, now: int) -> None:
        self.rng = random.Random(seed)
        self.ids = IdFactory(seed)
        self.n, self.now, self.start = tasks, now, now - _HISTORY
        company = self.rng.choice(N.COMPANIES)
        self.domain = company.lower().replace(" ", "") + ".com"
        self.ws = Workspace(id=self.ids.team_id, name=company, color="#7b68ee", owner_id=0)
        self.active_until: dict[int, int] = {}  # last moment a member may act
        self.tz_off: dict[int, int] = {}
        self.bias: dict[int, float] = {}  # actual/estimated time ratio per person
        self.pools: dict[str, tuple[list[int], list[float]]] = {}
        self.space_kind: dict[str, str] = {}
        self.billable: dict[str, float] = {}
        self.dormant: dict[str, bool] = {}  # List whose work is over (archived somewhere)
        self.statuses: dict[str, list[Status]] = {}
        self.list_fields: dict[str, list[tuple[CustomField, float]]] = {}
        self.list_guests: dict[str, list[int]] = {}
        self.kind: dict[str, str] = {}  # task id -> status type
        self.by_list: dict[str, list[Task]] = {}
        self.all_tasks: list[Task] = []

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
            joined: int | None = self.start - rng.randint(5 * _DAY, 900 * _DAY)
            domain = self.domain if role != 4 else rng.choice(N.GUEST_DOMAINS)
            email = f"{first}.{last}@{domain}".lower().replace("'", "")
            picture = (f"https://attachments-public.clickup.com/profilePictures/{uid}_"
                       f"{rng.getrandbits(24):06x}.jpg") if rng.random() < 0.4 else None
            last_active: int | None = now - rng.randint(0, 3 * _DAY)
            pending = role == 4 and n_guest >= 2 and i == n - 1
            if pending:
                joined = last_active = None
            invited = (joined or now - 9 * _DAY) - rng.randint(_HOUR, 4 * _DAY)
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
            gone = now - rng.randint(55 * _DAY, 100 * _DAY)
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

    def _who(self, uid: int, at: int) -> int:
        """`uid` if they were still around at `at`, else someone active who stood in."""
        return uid if self.active_until.get(uid, 0) >= at else self.rng.choice(self.active)

    def _pick(self, space_id: str, k: int) -> list[int]:
        uids, cum = self.pools[space_id]
        return _dedupe(self.rng.choices(uids, cum_weights=cum, k=k)) if k else []

    def _office(self, uid: int, t: int, lo: int, hi: int) -> int:
        """Move `t` into the person's office hours (weekday, 8-17 local) if that stays in
        [lo, hi]; real tracked time clusters there."""
        off = self.tz_off.get(uid, 0) * _HOUR
        day = (t + off) // _DAY
        weekday = (day + 3) % 7  # 1970-01-01 was a Thursday
        if weekday >= 5:
            day -= weekday - 4
        cand = day * _DAY - off + 8 * _HOUR + self.rng.randrange(9 * _HOUR)
        return cand if lo <= cand <= hi else t

    # -- hierarchy ------------------------------------------------------------------------
    def _workflow(self, owner: str, name: str) -> list[Status]:
        return [Status(self.ids.status(owner), s, kind, color, i)  # type: ignore[arg-type]
                for i, (s, kind, color) in enumerate(N.WORKFLOWS[name])]

    def _spaces(self) -> None:
        """Public Spaces, one private and one archived, each with its own workflow."""
        rng = self.rng
        k = min(6, max(3, 3 + self.n // 10_000))
        specs = [(s, "public") for s in N.SPACES[:k - 2]]
        specs += [(N.PRIVATE_SPACE, "private"), (N.ARCHIVED_SPACE, "archived")]
        public = [s for s, kind in specs if kind == "public"]
        homes = {u: public[i % len(public)][0] for i, u in enumerate(rng.sample(
            self.workers, len(self.workers)))}
        for order, ((name, color, flow, tags, billable), kind) in enumerate(specs):
            sid = self.ids.space()
            members: list[int] = []
            if kind == "private":
                members = _dedupe([self.ws.owner_id] + [u for u in self.workers if
                                                        self.ws.members[u].role == 2])
                members += [u for u in self.workers if u not in members and rng.random() < 0.2]
            self.ws.spaces[sid] = Space(
                id=sid, name=name, color=color, private=kind == "private",
                archived=kind == "archived", statuses=self._workflow("p" + sid, flow),
                tags=[Tag(t, c, c, rng.choice(self.workers)) for t in tags
                      for c in [rng.choice(N.COLORS)]],
                member_ids=members, orderindex=order)
            self.space_kind[sid], self.billable[sid] = kind, billable
            uids = members or self.workers
            weights = [self.weight[u] * (1.0 if kind != "public" or homes[u] == name else 0.06)
                       for u in uids]
            self.pools[sid] = (uids, list(accumulate(weights)))

    def _lists(self) -> None:
        """Folders and Lists per Space, then the special cases: archived, overridden."""
        rng = self.rng
        n_lists = min(400, max(8, self.n // 200))
        share = {"public": 1.0, "private": 0.12, "archived": 0.1}
        total = sum(share[k] for k in self.space_kind.values())
        for sid, kind in self.space_kind.items():
            count = max(3, round(n_lists * share[kind] / total))
            folderless = 1 if count < 8 else 2
            left, names = count - folderless, rng.sample(N.FOLDERS, len(N.FOLDERS))
            while left > 0:
                size = min(left, rng.randint(2, 6))
                self._folder(sid, names, size)
                left -= size
            for j in range(folderless):
                self._new_list(sid, None, j)
        first = next(iter(self.ws.spaces))
        over = next(f for f in self.ws.folders.values() if f.space_id == first)
        over.override_statuses, over.statuses = True, self._workflow("p" + over.id, "product")
        gone = self._folder(first, ["Q2 Launch"], max(1, n_lists // 40))
        gone.archived = True  # finished project: archived with its Lists and tasks
        lists = list(self.ws.lists.values())
        special = next(x for x in lists if x.space_id == first and x.folder_id is None)
        special.override_statuses = True
        special.statuses = self._workflow("sc" + special.id, "bugs")
        live = [x for x in lists if x is not special and self.space_kind[x.space_id] != "archived"
                and x.folder_id != gone.id]
        for lst in rng.sample(live, max(1, round(len(live) * 0.04))):
            lst.archived = True
        for lst in lists:
            folder = self.ws.folders.get(lst.folder_id or "")
            self.dormant[lst.id] = (lst.archived or self.ws.spaces[lst.space_id].archived
                                    or bool(folder and folder.archived))
            self.statuses[lst.id] = (lst.statuses if lst.override_statuses else
                                     folder.statuses if folder and folder.override_statuses
                                     else self.ws.spaces[lst.space_id].statuses)
        self.live_lists = [x.id for x in lists if not self.dormant[x.id]]
        self.archived_lists = [x.id for x in lists if x.archived]
        for uid in self.guests:  # guests only see the Lists they were invited to
            for lid in rng.sample(self.live_lists, min(2, len(self.live_lists))):
                self.ws.lists[lid].member_ids.append(uid)
                self.list_guests.setdefault(lid, []).append(uid)
        weights = [rng.lognormvariate(0, 0.6) * (0.2 if self.dormant[x.id] else 1.0)
                   * (0.4 if self.space_kind[x.space_id] == "private" else 1.0) for x in lists]
        self.list_ids, self.list_cw = [x.id for x in lists], list(accumulate(weights))

    def _folder(self, sid: str, names: list[str], size: int) -> Folder:
        fid = self.ids.folder()
        order = sum(1 for f in self.ws.folders.values() if f.space_id == sid)
        name = names[order % len(names)] if len(names) > 1 else names[0]
        name += f" {order // len(names) + 1}" if order >= len(names) > 1 else ""
        folder = self.ws.folders[fid] = Folder(fid, name, sid, order)
        for j in range(size):
            self._new_list(sid, fid, j)
        return folder

    def _new_list(self, sid: str, fid: str | None, order: int) -> None:
        rng, lid = self.rng, self.ids.list()
        siblings = {x.name for x in self.ws.lists.values()
                    if x.space_id == sid and x.folder_id == fid}
        name = next(n for n in [*rng.sample(N.LISTS, len(N.LISTS)), f"List {lid[-4:]}"]
                    if n not in siblings)
        lst = TaskList(id=lid, name=name, space_id=sid, folder_id=fid, orderindex=order,
                       content=rng.choice(N.DESCRIPTIONS) if rng.random() < 0.3 else "",
                       hidden_folder_id=None if fid else self.ids.hidden_folder())
        if rng.random() < 0.4:  # a sprint-like List with dates
            lst.start_date = self.now - rng.randint(-1, 8) * 14 * _DAY
            lst.due_date = lst.start_date + 14 * _DAY
        lst.priority = rng.choice((1, 2, 3, 4)) if rng.random() < 0.25 else None
        lst.assignee = self._pick(sid, 1)[0] if rng.random() < 0.3 else None
        if rng.random() < 0.12:
            lst.member_ids = self._pick(sid, rng.randint(1, 3))
        self.ws.lists[lid] = lst

    def _fields(self) -> None:
        """Every field type at least once, defined at Workspace, Space, Folder and List."""
        ws, rng = self.ws, self.rng
        first_folders = {f.space_id: f.id for f in reversed(ws.folders.values())}
        targets = {"team": [ws.id], "space": list(ws.spaces),
                   "folder": list(first_folders.values()),
                   "list": [lid for i, lid in enumerate(ws.lists) if i % 4 == 0]}
        for name, ftype, scope, _rate in N.FIELDS:
            for target in targets[scope]:
                fid = self.ids.uuid()
                ws.fields[fid] = CustomField(
                    id=fid, name=name, type=ftype, type_config=self._type_config(name, ftype),
                    date_created=self.start - rng.randint(_DAY, 300 * _DAY),
                    scope=(scope, target), hide_from_guests=rng.random() < 0.1)
        by_scope: dict[tuple[str, str], list[tuple[CustomField, float]]] = {}
        rates = {name: rate for name, _t, _s, rate in N.FIELDS}
        for cf in ws.fields.values():
            by_scope.setdefault(cf.scope, []).append((cf, rates[cf.name]))
        for lst in ws.lists.values():
            scopes = [("team", ws.id), ("space", lst.space_id), ("folder", lst.folder_id or ""),
                      ("list", lst.id)]
            self.list_fields[lst.id] = [f for s in scopes for f in by_scope.get(s, [])]

    def _type_config(self, name: str, ftype: str) -> dict[str, Any]:
        """`type_config` in ClickUp's shape; option lists get fresh ids per field."""
        cfg = copy.deepcopy(N.TYPE_CONFIGS.get(name, N.TYPE_CONFIGS.get(ftype, {})))
        key = "label" if ftype == "labels" else "name"
        if ftype in N.OPTIONS:
            cfg["options"] = [{"id": self.ids.uuid(), key: n, "color": self.rng.choice(N.COLORS),
                               "orderindex": i} for i, n in enumerate(N.OPTIONS[ftype])]
        return cfg

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
        start_date = created + rng.randint(0, 4) * _DAY if rng.random() < 0.45 else None
        due = None
        if milestone or rng.random() < (0.3 if status.type == "open" else 0.6):
            due = (start_date or created) + rng.randint(1, 21) * _DAY
            if rng.random() < 0.7:  # a date without time: 4 am
                due = due - due % _DAY + 4 * _HOUR
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
            time_estimate=(int(rng.choices(_EST_HOURS, cum_weights=_EST_CW)[0] * _HOUR)
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
            hi = now - (45 * _DAY if dormant else 30 * _MIN)
            u = rng.random()  # half uniform, half skewed to recent: the team grew
            created = self.start + int((hi - self.start) * (u if rng.random() < 0.5
                                                            else math.sqrt(u)))
        else:
            created = min(parent.date_created + rng.randint(_MIN, 3 * _DAY), now - 10 * _MIN)
            created = max(created, parent.date_created)
        parent_done = parent is not None and self.kind[parent.id] in ("done", "closed")
        p_done = (0.9 if dormant or parent_done
                  else 0.15 + 0.6 * min(1.0, (now - created) / _HISTORY))
        status = self._status(lid, rng.random() < p_done)
        closed_at = None
        if status.type in ("done", "closed"):
            spent = int(rng.lognormvariate(math.log(4 * _DAY), 0.9))
            closed_at = created + max(_MIN, min(now - created - _MIN, spent))
            updated = min(now, closed_at + rng.randint(0, 2 * _DAY))
        elif status.type == "custom" and now - created > 40 * _DAY and rng.random() < 0.12:
            updated = created + rng.randint(_HOUR, 5 * _DAY)  # stale: nobody touched it
        elif status.type == "open" and rng.random() < 0.5:
            updated = min(now, created + rng.randint(_MIN, 2 * _DAY))
        else:
            updated = now - int(rng.expovariate(1 / (2 * _DAY)))
        return status, created, max(updated, created + _MIN), closed_at

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
        return creator, assignees, _dedupe(watchers)

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
            when = t.date_created + rng.randint(0, _HOUR)
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
            day = t.date_created + rng.randint(1, 60) * _DAY
            return day - day % _DAY + 4 * _HOUR
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
                t.watchers = _dedupe([*t.watchers, uid])

    # -- activity -------------------------------------------------------------------------
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
            begin = t.start_date if t.start_date and t.start_date < end - _HOUR else t.date_created
            if end - begin < 20 * _MIN:
                continue
            sid = self.ws.lists[t.list_id].space_id
            primary = t.assignees[0] if t.assignees else t.creator
            estimate = t.time_estimate or rng.choice(_EST_HOURS) * _HOUR
            total = estimate * self.bias[primary] * rng.lognormvariate(0, 0.3)
            if kind == "custom":
                total *= rng.uniform(0.1, 0.9)
            people, tracked, i = t.assignees[:2] or [primary], 0, 0
            while tracked < total and i < 10:
                dur = int(rng.lognormvariate(math.log(120 * _MIN), 0.5))
                dur = min(end - begin, max(15 * _MIN, min(4 * _HOUR, dur, int(total - tracked))))
                uid = people[i % len(people)] if rng.random() < 0.85 else self._pick(sid, 1)[0]
                at = self._office(uid, begin + rng.randint(0, end - begin - dur), begin,
                                  end - dur)
                self._entry(self._who(uid, at + dur), at, at + dur, t.id,
                            rng.random() < self.billable[sid], rng.choice(N.ENTRY_NOTES),
                            [rng.choice(N.ENTRY_TAGS)] if rng.random() < 0.2 else [])
                tracked, i = tracked + dur, i + 1
        for _ in range(max(2, len(self.ws.time_entries) // 25)):  # meetings: no task
            uid = rng.choice(self.active)
            dur = rng.choice((15, 30, 30, 45, 60)) * _MIN
            at = self._office(uid, rng.randint(self.start, self.now - _HOUR), self.start,
                              self.now - _HOUR)
            self._entry(uid, at, at + dur, None, False, rng.choice(N.MEETINGS), ["meeting"])

    def _running_timer(self) -> None:
        """Exactly one timer runs, started within the last two hours on an active task."""
        rng = self.rng
        busy = [t for t in self.all_tasks if self.kind[t.id] == "custom" and not t.archived
                and t.assignees and t.assignees[0] not in self.inactive]
        task = rng.choice(busy) if busy else None
        uid = task.assignees[0] if task else rng.choice(self.active)
        start = self.now - rng.randint(5 * _MIN, 115 * _MIN)
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
        long_lived = [t for t in tasks if t.date_updated - t.date_created > 2 * _DAY]
        n_hot = max(2, self.n // 2000) if self.n >= 200 else 0  # to exercise comment paging
        hot = {t.id for t in rng.sample(long_lived, min(len(long_lived), n_hot))}
        keep = max(0.2, 1 - 85 * len(hot) / (1.5 * len(tasks) or 1))  # long threads use budget
        for t in tasks:
            k = (rng.randint(61, 110) if t.id in hot
                 else rng.choices(_COMMENT_COUNTS, cum_weights=_COMMENT_CW)[0]
                 if rng.random() < keep else 0)
            if not k:
                continue
            lo = t.date_created + _MIN
            dates = sorted(rng.randint(lo, max(lo, t.date_updated)) for _ in range(k))
            people = _dedupe([t.creator, *t.assignees, *t.watchers])
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
            when = rng.randint(self.start, self.now - _MIN)
            uid = self._who(self._pick(self.ws.lists[lid].space_id, 1)[0], when)
            c = Comment(self.ids.comment(), uid, rng.choice(N.COMMENTS), when, list_id=lid)
            self.ws.comments[c.id] = c
