"""What a question is about: a Space, Folder, List, project or person, by id or by name.

Names are matched forgivingly (case, spacing, small typos, with rapidfuzz), because people and
small models rarely type a List's exact name. An unclear or unknown name is an error that
lists the closest candidates, so the caller can ask again with one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import psycopg
from rapidfuzz import fuzz, process

Kind = Literal["workspace", "space", "folder", "list"]
ACCEPT = 85.0  # a spelling this close, clearly ahead of the next, is taken as meant
LEAD = 6.0


class AnalyticsError(ValueError):
    """A question that cannot be answered as asked; the message says what to change."""


class UnknownName(AnalyticsError):
    def __init__(self, what: str, name: str, candidates: list[str]) -> None:
        hint = f"; did you mean {', '.join(repr(c) for c in candidates)}?" if candidates else \
            f"; there is no {what} with a similar name"
        super().__init__(f"no {what} named {name!r}{hint}")
        self.candidates = candidates


@dataclass(frozen=True, slots=True)
class Scope:
    """A set of tasks: the whole Workspace, or one Space, Folder or List."""

    kind: Kind
    id: str | None
    label: str

    def condition(self, alias: str = "t") -> str:
        """A SQL condition on task alias ``alias`` (parameter ``%(scope_id)s``).

        A List also holds the tasks that live in it as a second List (Tasks in Multiple
        Lists); a Folder or Space holds the tasks whose home List is inside it.
        """
        if self.kind == "workspace":
            return "true"
        if self.kind == "list":
            return (f"({alias}.list_id = %(scope_id)s OR {alias}.id IN (SELECT x.task_id "
                    "FROM task_locations x WHERE x.list_id = %(scope_id)s))")
        return f"{alias}.{self.kind}_id = %(scope_id)s"

    @property
    def params(self) -> dict[str, str | None]:
        return {"scope_id": self.id}


WORKSPACE = Scope("workspace", None, "the whole Workspace")


def best_match(name: str, choices: dict[str, str], what: str) -> str:
    """The key of ``choices`` (key → display name) that ``name`` means, or `UnknownName`."""
    wanted = name.strip().casefold()
    exact = [k for k, v in choices.items() if v.strip().casefold() == wanted]
    if len(exact) == 1:
        return exact[0]
    if not exact:
        # Taking a name needs a close spelling (edit distance: typos, case, spacing);
        # suggesting one may be looser (partial and reordered words).
        exactish = process.extract(name, choices, scorer=fuzz.ratio, limit=2,
                                   processor=lambda s: s.casefold())
        if exactish and exactish[0][1] >= ACCEPT and (
                len(exactish) == 1 or exactish[0][1] - exactish[1][1] >= LEAD):
            return str(exactish[0][2])
        found = process.extract(name, choices, scorer=fuzz.WRatio, limit=5,
                                processor=lambda s: s.casefold())
        close = [str(f[0]) for f in found if f[1] >= 50]
        raise UnknownName(what, name, close)
    raise UnknownName(what, name, sorted({choices[k] + f" (id {k})" for k in exact}))


def _named(conn: psycopg.Connection, table: str) -> dict[str, str]:
    return {r[0]: r[1] for r in conn.execute(
        f"SELECT id, name FROM {table} WHERE NOT is_deleted")}


def _one(conn: psycopg.Connection, kind: Kind, ref: str) -> Scope:
    table = {"space": "spaces", "folder": "folders", "list": "lists"}[kind]
    names = _named(conn, table)
    key = ref.strip() if ref.strip() in names else best_match(ref, names, kind)
    return Scope(kind, key, f"{kind} {names[key]}")


def resolve_scope(conn: psycopg.Connection, *, space: str | None = None,
                  folder: str | None = None, list_: str | None = None,
                  project: str | None = None) -> Scope:
    """The most specific of the given references, by id or name; none: the Workspace."""
    if list_:
        return _one(conn, "list", list_)
    if folder:
        return _one(conn, "folder", folder)
    if space:
        return _one(conn, "space", space)
    if project:
        return resolve_project(conn, project)
    return WORKSPACE


def resolve_project(conn: psycopg.Connection, ref: str) -> Scope:
    """A registered project by name, else any Space, Folder or List by name or id."""
    registered = {r[0]: (r[1], r[2]) for r in conn.execute(
        "SELECT name, kind, target_id FROM projects")}
    for name, (kind, target) in registered.items():
        if name.casefold() == ref.strip().casefold():
            return _one(conn, kind, target)
    candidates: dict[str, str] = {}
    for kind, table in (("list", "lists"), ("folder", "folders"), ("space", "spaces")):
        for key, name in _named(conn, table).items():
            if key == ref.strip():
                return Scope(kind, key, f"{kind} {name}")  # type: ignore[arg-type]
            candidates[f"{kind}:{key}"] = name
    for name, (kind, target) in registered.items():
        candidates[f"{kind}:{target}"] = name
    key = best_match(ref, candidates, "project, Space, Folder or List")
    kind, _, target = key.partition(":")
    return _one(conn, kind, target)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Person:
    user_id: int
    name: str


def resolve_person(conn: psycopg.Connection, ref: str) -> Person:
    """A member by ClickUp user id, email or name."""
    people = {str(r[0]): (r[1] or r[2] or str(r[0]), r[2]) for r in conn.execute(
        "SELECT clickup_user_id, name, email FROM employees")}
    text = ref.strip()
    if text in people:
        return Person(int(text), people[text][0])
    for key, (name, email) in people.items():
        if email and email.casefold() == text.casefold():
            return Person(int(key), name)
    key = best_match(text, {k: v[0] for k, v in people.items()}, "person")
    return Person(int(key), people[key][0])
