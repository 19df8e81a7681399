"""One generation run's state, and the helpers about people every stage of it uses.

`generate._Gen` runs the stages: the hierarchy (`_hierarchy_gen`), people and tasks (its own),
then activity (`_activity_gen`). Each stage is a mixin over `GenRun`, so all of them draw from
one `random.Random(seed)` in the order `_Gen.build` calls them.
"""

from __future__ import annotations

import random
from itertools import accumulate

from . import _names as N
from .ids import IdFactory
from .model import CustomField, Status, Task, Workspace

MIN = 60_000
HOUR = 60 * MIN
DAY = 24 * HOUR
HISTORY = 120 * DAY
EST_HOURS = (0.5, 1, 2, 3, 4, 6, 8, 16)
EST_CW = tuple(accumulate((10, 15, 20, 15, 15, 10, 10, 5)))


def dedupe(items: list[int]) -> list[int]:
    return list(dict.fromkeys(items))


class GenRun:
    """One generation run: the seeded generator, the Workspace so far, and lookup tables."""

    # Set by the stage that first knows them: `_Gen._members`, then `HierarchyGen._lists`.
    workers: list[int]
    inactive: list[int]
    active: list[int]
    weight: dict[int, float]
    guests: list[int]
    live_lists: list[str]
    archived_lists: list[str]
    list_ids: list[str]
    list_cw: list[float]

    def __init__(self, seed: int, tasks: int, now: int) -> None:
        self.rng = random.Random(seed)
        self.ids = IdFactory(seed)
        self.n, self.now, self.start = tasks, now, now - HISTORY
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

    def _who(self, uid: int, at: int) -> int:
        """`uid` if they were still around at `at`, else someone active who stood in."""
        return uid if self.active_until.get(uid, 0) >= at else self.rng.choice(self.active)

    def _pick(self, space_id: str, k: int) -> list[int]:
        uids, cum = self.pools[space_id]
        return dedupe(self.rng.choices(uids, cum_weights=cum, k=k)) if k else []

    def _office(self, uid: int, t: int, lo: int, hi: int) -> int:
        """Move `t` into the person's office hours (weekday, 8-17 local) if that stays in
        [lo, hi]; real tracked time clusters there."""
        off = self.tz_off.get(uid, 0) * HOUR
        day = (t + off) // DAY
        weekday = (day + 3) % 7  # 1970-01-01 was a Thursday
        if weekday >= 5:
            day -= weekday - 4
        cand = day * DAY - off + 8 * HOUR + self.rng.randrange(9 * HOUR)
        return cand if lo <= cand <= hi else t
