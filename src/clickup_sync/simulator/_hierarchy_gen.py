"""The generator's Workspace skeleton: Spaces with their workflows, Folders, Lists, fields."""

from __future__ import annotations

import copy
from itertools import accumulate
from typing import Any

from . import _names as N
from ._gen_base import DAY, GenRun, dedupe
from .model import CustomField, Folder, Space, Status, Tag, TaskList


class HierarchyGen(GenRun):
    """Spaces, Folders, Lists and custom fields, before any task exists."""

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
                members = dedupe([self.ws.owner_id] + [u for u in self.workers if
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
            lst.start_date = self.now - rng.randint(-1, 8) * 14 * DAY
            lst.due_date = lst.start_date + 14 * DAY
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
                    date_created=self.start - rng.randint(DAY, 300 * DAY),
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
