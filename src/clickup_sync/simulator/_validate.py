"""Errors, id lookups and body parsing that every mutation shares.

Bodies are validated here because the same rules hold whoever calls. Unknown ids answer as
ClickUp does (401 OAUTH_027); the other validation errors use our own wording and INPUT_002
(ClickUp's are undocumented).
"""

from __future__ import annotations

from typing import Any

from . import serialize
from .model import Status, Task, TaskList
from .state import SimState


class MutationError(Exception):
    """A request ClickUp refuses: HTTP status plus ClickUp's ``err`` text and ``ECODE``."""

    def __init__(self, status: int, err: str, ecode: str) -> None:
        super().__init__(f"{status} {ecode}: {err}")
        self.status, self.err, self.ecode = status, err, ecode


class NotFoundError(MutationError):
    """An unknown or deleted id. ClickUp answers 401 OAUTH_027; ``kind`` lets a caller map it
    to its own not-found answer instead."""

    def __init__(self, kind: str) -> None:
        super().__init__(401, "Team not authorized", "OAUTH_027")
        self.kind = kind


def bad(err: str) -> MutationError:
    """A 400 INPUT_002 refusal with our own wording."""
    return MutationError(400, err, "INPUT_002")


def lookup_task(state: SimState, task_id: str) -> Task:
    """The task with this id, or NotFoundError."""
    if (t := state.ws.tasks.get(task_id)) is None:
        raise NotFoundError("task")
    return t


def lookup_list(state: SimState, list_id: str) -> TaskList:
    """The List with this id, or NotFoundError."""
    if (lst := state.ws.lists.get(str(list_id))) is None:
        raise NotFoundError("list")
    return lst


def parse_int(value: Any, what: str) -> int | None:
    """An integer from JSON, where ClickUp clients send ints or digit strings."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    raise bad(f"{what} invalid")


def parse_members(state: SimState, values: Any) -> list[int]:
    """Workspace member ids from a JSON list, deduplicated in order."""
    if not isinstance(values, list):
        raise bad("Assignees invalid")
    ids = [parse_int(v, "User id") for v in values]
    if any(u not in state.ws.members for u in ids):
        raise bad("User not found in team")
    return list(dict.fromkeys(u for u in ids if u is not None))


def parse_priority(value: Any) -> int | None:
    p = parse_int(value, "Priority")
    if p is not None and p not in serialize.PRIORITIES:
        raise bad("Priority invalid")
    return p


def parse_points(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise bad("Points invalid")
    return float(value)


def parse_flag(value: Any) -> bool:
    if value not in (True, False, "true", "false"):
        raise bad("Boolean invalid")
    return value in (True, "true")


def find_status(statuses: list[Status], name: Any) -> Status:
    for st in statuses:
        if isinstance(name, str) and st.status.lower() == name.strip().lower():
            return st
    raise MutationError(400, "Status does not exist", "ITEM_114")
