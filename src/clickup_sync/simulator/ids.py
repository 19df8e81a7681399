"""Id allocation in ClickUp's formats, deterministic for a seed.

Numeric ids (Workspace, Space, Folder, List, comment, time entry) are numeric strings of the
lengths seen live; task ids are short lowercase base-36 strings; custom fields, checklists and
webhooks use UUIDs. Every id comes from a counter or the seeded generator, so the same seed
yields the same ids, and ids allocated after generation (new tasks, comments) never collide.
"""

from __future__ import annotations

import random
import string
import uuid

_B36 = string.digits + string.ascii_lowercase
_ALNUM = string.ascii_letters + string.digits


def _base36(n: int) -> str:
    out = []
    while True:
        n, r = divmod(n, 36)
        out.append(_B36[r])
        if n == 0:
            return "".join(reversed(out))


class IdFactory:
    """Hands out fresh ids; one instance per simulated Workspace."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(f"ids-{seed}")
        self._counters: dict[str, int] = {}
        self.team_id = str(9_006_000_000 + seed % 1_000_000)

    def _next(self, kind: str, start: int) -> int:
        value = self._counters.get(kind, start) + 1
        self._counters[kind] = value
        return value

    def space(self) -> str:
        return str(self._next("space", 90_170_000_000))

    def folder(self) -> str:
        return str(self._next("folder", 90_180_000_000))

    def list(self) -> str:
        return str(self._next("list", 901_700_000_000))

    def hidden_folder(self) -> str:
        return str(self._next("hidden_folder", 90_190_000_000))

    def task(self) -> str:
        # "86" prefix plus base-36 counter: 86d20qjkb-like, always 9 characters.
        return "86" + _base36(self._next("task", 36**6)).rjust(7, "0")

    def comment(self) -> str:
        return str(self._next("comment", 90_170_000_000_000))

    def time_entry(self) -> str:
        return str(self._next("time_entry", 4_000_000_000_000_000_000))

    def user(self) -> int:
        return self._next("user", 81_000_000)

    def uuid(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def status(self, owner: str) -> str:
        """A status id: ``p<space id>_xxxxxxxx`` or ``sc<list id>_xxxxxxxx``."""
        return owner + "_" + "".join(self._rng.choices(_ALNUM, k=8))

    def secret(self) -> str:
        """A webhook secret: 64 uppercase alphanumerics, as ClickUp returns."""
        return "".join(self._rng.choices(string.ascii_uppercase + string.digits, k=64))

    def history_item(self) -> str:
        return str(self._next("history", 2_800_000_000_000_000_000))
