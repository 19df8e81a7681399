"""Validate API responses against ClickUp's published OpenAPI v2 schemas, relaxed exactly where
the live API is known to differ from them.

The spec (``tests/data/clickup/openapi-v2.json``, ClickUp's own file) is stricter than ClickUp:
live responses carry ``null`` in fields the spec types as plain strings, leave some required
keys out, and send some numbers as integers where the spec says string (REFERENCE.md §9). A
simulator that copies the live forms would fail the literal spec, so validation applies the
relaxation in `RULES`: an explicit, enumerated table, each rule naming the exact locations it
touches and the REFERENCE.md section that documents the difference. Everything else stays as
strict as the spec (including ``additionalProperties``, which the spec mostly leaves open).

A rule never narrows the spec except `oneof-always-true-branch`, which repairs a ``oneOf`` that
no meaningful value can satisfy (see its reason). ``docs/spec-relaxation.md`` lists the rules.

Locations are written ``<operationId>:<path>``, where ``<path>`` is the path of a value in the
response body: ``$`` is the body, ``.name`` a property, ``[]`` any array item. In a `Rule`
pattern ``*`` matches within one path step (no ``.``) and ``**`` matches anything.

Public API: `ENDPOINTS`, `response_validator`, `strict_validator`, `validate`, `SpecViolation`.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_FILE = Path(__file__).resolve().parents[1] / "data" / "clickup" / "openapi-v2.json"
SPEC_URI = "urn:clickup:openapi-v2.json"

# The endpoints whose responses we check: (HTTP method, path exactly as the spec spells it).
ENDPOINTS: tuple[tuple[str, str], ...] = (
    ("GET", "/v2/user"),
    ("GET", "/v2/team"),
    ("GET", "/v2/team/{team_id}/space"),
    ("GET", "/v2/space/{space_id}"),
    ("GET", "/v2/space/{space_id}/folder"),
    ("GET", "/v2/folder/{folder_id}"),
    ("GET", "/v2/folder/{folder_id}/list"),
    ("GET", "/v2/space/{space_id}/list"),
    ("GET", "/v2/list/{list_id}"),
    ("GET", "/v2/list/{list_id}/task"),
    ("GET", "/v2/team/{team_Id}/task"),
    ("GET", "/v2/task/{task_id}"),
    ("POST", "/v2/list/{list_id}/task"),
    ("PUT", "/v2/task/{task_id}"),
    ("GET", "/v2/task/{task_id}/comment"),
    ("GET", "/v2/list/{list_id}/comment"),
    ("GET", "/v2/team/{team_Id}/time_entries"),
    ("GET", "/v2/task/{task_id}/time"),
    ("GET", "/v2/list/{list_id}/field"),
    ("GET", "/v2/space/{space_id}/tag"),
    ("GET", "/v2/list/{list_id}/member"),
    ("GET", "/v2/task/{task_id}/member"),
    ("POST", "/v2/team/{team_id}/webhook"),
    ("GET", "/v2/team/{team_id}/webhook"),
    ("PUT", "/v2/webhook/{webhook_id}"),
    ("DELETE", "/v2/webhook/{webhook_id}"),
)


# -- the kinds of relaxation -------------------------------------------------------------
@dataclass(frozen=True)
class AlsoTypes:
    """The value may also be of these JSON types."""

    types: tuple[str, ...]

    def describe(self) -> str:
        return "also " + " or ".join(self.types)


@dataclass(frozen=True)
class MayBeAbsent:
    """The key, required by the spec, may be missing from its object."""

    def describe(self) -> str:
        return "may be absent"


@dataclass(frozen=True)
class AlsoSpecSchema:
    """The value may also match another schema of the same spec (a JSON pointer into it)."""

    pointer: str
    label: str

    def describe(self) -> str:
        return f"also {self.label}"


@dataclass(frozen=True)
class AlsoArrayOfItself:
    """The value may also be an array whose items match the spec's schema for the value."""

    def describe(self) -> str:
        return "also an array of the spec's object"


@dataclass(frozen=True)
class OneOfAsAnyOf:
    """A ``oneOf`` with an always-true ``{}`` branch is read as ``anyOf`` of its other
    branches (the literal ``oneOf`` rejects every value that one of those branches accepts)."""

    def describe(self) -> str:
        return "oneOf without its `{}` branch, read as anyOf"


Change = AlsoTypes | MayBeAbsent | AlsoSpecSchema | AlsoArrayOfItself | OneOfAsAnyOf


@dataclass(frozen=True)
class Rule:
    """One documented difference: what is allowed beyond the spec, where, and why."""

    id: str
    where: tuple[str, ...]
    change: Change
    reason: str
    _patterns: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_patterns", tuple(_glob(w) for w in self.where))

    def matches(self, location: str) -> bool:
        return any(p.fullmatch(location) for p in self._patterns)


def _glob(pattern: str) -> re.Pattern[str]:
    parts = re.split(r"(\*\*|\*)", pattern)
    regex = "".join(".*" if p == "**" else "[^.:]*" if p == "*" else re.escape(p)
                    for p in parts)
    return re.compile(regex)


def _at(objects: Iterable[str], *fields: str) -> tuple[str, ...]:
    """Locations of ``fields`` inside each of the object locations ``objects``."""
    return tuple(f"{o}.{f}" for o in objects for f in fields)


# -- where the objects live ----------------------------------------------------------------
_TASK_GET = "#/paths/~1v2~1task~1%7Btask_id%7D/get/responses/200/content/application~1json/schema"
_LIST_ITEM = ("#/paths/~1v2~1space~1%7Bspace_id%7D~1list/get/responses/200/content/"
              "application~1json/schema/properties/lists/items")

TASKS = ("GetTask:$", "GetTask:$.subtasks[]", "CreateTask:$", "UpdateTask:$",
         "GetTasks:$.tasks[]", "GetFilteredTeamTasks:$.tasks[]")
# Task schemas that type all of a task's object arrays as arrays of strings.
TASKS_WITH_STRING_ARRAYS = ("CreateTask:$", "UpdateTask:$", "GetTasks:$.tasks[]")
LISTS = ("GetList:$", "GetLists:$.lists[]", "GetFolderlessLists:$.lists[]",
         "GetFolder:$.lists[]", "GetFolders:$.folders[].lists[]")
FOLDERS = ("GetFolder:$", "GetFolders:$.folders[]")
SPACES = ("GetSpace:$", "GetSpaces:$.spaces[]")
# Every user object: the authorized user, Workspace members, task creators/assignees/watchers,
# comment authors and assignees, time-entry users, List/task members, a List's assignee.
USERS = ("*:**.user", "*:**.creator", "*:**.assignees[]", "*:**.watchers[]",
         "*:**.assignee", "*:**.assigned_by", "GetListMembers:$.members[]",
         "GetTaskMembers:$.members[]")
TIME_ENTRIES = ("Gettimeentrieswithinadaterange:$.data[]",)

# -- the relaxation --------------------------------------------------------------------------
RULES: tuple[Rule, ...] = (
    # Unset values are null.
    Rule("unset-dates-null",
         _at(TASKS, "date_closed", "date_done", "due_date", "start_date")
         + _at(LISTS, "due_date", "start_date"),
         AlsoTypes(("null",)),
         "§1.2 Timestamps: null when unset; §5.1 and §4.5 type these dates `ms string|null`."),
    Rule("parent-null", _at(TASKS, "parent", "top_level_parent"), AlsoTypes(("null",)),
         "§1.2 Subtasks and §5.1: `parent`/`top_level_parent` are the parent task id or null."),
    Rule("priority-null", (*_at(TASKS, "priority"), "GetList:$.priority"),
         AlsoTypes(("null",)),
         "§1.2 Priority: an object or null (§4.5 for Lists); the spec's own `nullable: true` "
         "is OpenAPI 3.0 syntax that a 3.1 validator ignores."),
    Rule("team-task-priority-object", ("GetFilteredTeamTasks:$.tasks[].priority",),
         AlsoSpecSchema(f"{_TASK_GET}/properties/priority", "GetTask's priority object"),
         "§9 and §4.7: the team-task schema says integer (its example `priority: 1` is "
         "unreliable); live tasks carry the priority object of §1.2."),
    Rule("list-status-null", ("GetList:$.status",), AlsoTypes(("null",)),
         "§4.5: a List's `status` is `{status,color,hide_label}|null`."),
    Rule("task-points-estimate-null", _at(TASKS, "points", "time_estimate"),
         AlsoTypes(("null",)),
         "§5.1: `points` is `number|null` and `time_estimate` `int|null`."),
    Rule("user-picture-null", _at(USERS, "profilePicture"), AlsoTypes(("null",)),
         "§4.1, §4.2, §9: `profilePicture` is null for users without a picture."),
    Rule("user-color-null", _at(USERS, "color"), AlsoTypes(("null",)),
         "§4.2 and §4.11: a user's `color` is `str|null`."),
    Rule("user-username-null", _at(USERS, "username"), AlsoTypes(("null",)),
         "§4.2 and §9: a member's `username` can be null."),
    Rule("user-week-start-null", ("GetAuthorizedUser:$.user.week_start_day",),
         AlsoTypes(("null",)), "§4.1: `week_start_day` is `int|null`."),
    Rule("team-space-appearance-null",
         ("GetAuthorizedTeams:$.teams[].avatar", *_at(SPACES, "avatar", "color")),
         AlsoTypes(("null",)),
         "§4.2 and §4.3: Workspace `avatar`, Space `color` and `avatar` are `str|null`."),
    Rule("space-admin-can-manage-null", _at(SPACES, "admin_can_manage"),
         AlsoTypes(("null",)), "§4.3: `admin_can_manage` is `bool|null`."),
    Rule("comment-assignee-null",
         _at(("GetTaskComments:$.comments[]", "GetListComments:$.comments[]"),
             "assignee", "assigned_by"),
         AlsoTypes(("null",)),
         "§4.9: a comment's `assignee` and `assigned_by` are `User|null` (unassigned)."),
    Rule("time-entry-task-custom-id-null", _at(TIME_ENTRIES, "task.custom_id"),
         AlsoTypes(("null",)),
         "§5.1: a task's `custom_id` is `string|null` (null without custom task ids)."),
    # Numbers as integers where the spec says string.
    Rule("list-task-count-integer", _at(LISTS, "task_count"), AlsoTypes(("integer",)),
         "§9 and §4.5: List `task_count` is an integer live (Folder `task_count` stays a "
         "string)."),
    Rule("task-durations-integer-or-string", _at(TASKS, "time_estimate", "time_spent"),
         AlsoTypes(("integer", "string")),
         "§9: `time_estimate`/`time_spent` are integer ms live, strings in several spec "
         "schemas; clients accept both forms."),
    Rule("comment-reply-count-integer",
         ("GetTaskComments:$.comments[].reply_count", "GetListComments:$.comments[].reply_count"),
         AlsoTypes(("integer",)),
         "§4.9 and §11: `reply_count` is a string in the spec, an integer in replies; live "
         "type unverified."),
    Rule("time-entry-start-end-integer", _at(TIME_ENTRIES, "start", "end"),
         AlsoTypes(("integer",)),
         "§9 and §4.10: `start`/`end` are strings in the schema, numbers in a spec example."),
    Rule("time-entry-location-ids-string",
         _at(TIME_ENTRIES, "task_location.list_id", "task_location.folder_id",
             "task_location.space_id"),
         AlsoTypes(("string",)),
         "§9 and §4.10: `task_location` ids are integers in the spec, strings in live-fitted "
         "schemas; accept both."),
    # Keys the live API leaves out.
    Rule("time-entry-task-optional", _at(TIME_ENTRIES, "task", "task_location", "task_url"),
         MayBeAbsent(),
         "§4.10: a time entry has `task` only when it is linked to a task, and with it the "
         "task's location and URL."),
    Rule("running-timer-no-end", _at(TIME_ENTRIES, "end"), MayBeAbsent(),
         "§4.10 and the spec's own running-timer example (GET …/time_entries/current): a "
         "running timer has a negative duration and no `end`."),
    Rule("time-entry-include-only",
         _at(TIME_ENTRIES, "task_tags", "task_location.list_name",
             "task_location.folder_name", "task_location.space_name"),
         MayBeAbsent(),
         "§4.10: `task_tags` only with include_task_tags, `*_name` only with "
         "include_location_names."),
    Rule("time-entry-task-custom-id-optional", _at(TIME_ENTRIES, "task.custom_id"),
         MayBeAbsent(), "§4.10: the entry's task has `custom_id` only with custom task ids."),
    Rule("space-features-vary", _at(_at(SPACES, "features"), "*"), MayBeAbsent(),
         "§4.3: the set of `features` keys varies per Space (live Spaces have no "
         "`checklists` feature)."),
    # Spec structure that contradicts ClickUp's own examples and the documented shapes.
    Rule("folders-array", ("GetFolders:$.folders",), AlsoArrayOfItself(),
         "§4.4: the response is `{\"folders\": [Folder]}` (as the spec's own example); the "
         "schema types `folders` as a single object."),
    Rule("folder-lists-objects", _at(FOLDERS, "lists[]"),
         AlsoSpecSchema(_LIST_ITEM, "a List object (GetFolderlessLists item)"),
         "§9 and §4.4: Folder `lists` holds List objects; the spec says strings."),
    Rule("list-assignee-user", _at(LISTS, "assignee"),
         AlsoSpecSchema(f"{_TASK_GET}/properties/assignees/items", "a user (GetTask assignee)"),
         "§4.5: a List's `assignee` is `user|null`; the spec says `string|null`."),
    Rule("task-arrays-objects",
         _at(TASKS_WITH_STRING_ARRAYS, "assignees[]", "group_assignees[]", "watchers[]",
             "checklists[]", "tags[]", "dependencies[]", "linked_tasks[]")
         + _at(("GetFilteredTeamTasks:$.tasks[]",), "dependencies[]", "linked_tasks[]"),
         AlsoSpecSchema("", "the GetTask item schema of the same array"),
         "§5.1: these task arrays hold objects (as GetTask's schema says); the list, team, "
         "create and update schemas type their items as strings."),
    Rule("oneof-always-true-branch",
         (*_at(LISTS[1:], "status", "priority"),
          "GetAccessibleCustomFields:$.fields[].type_config.default"),
         OneOfAsAnyOf(),
         "§4.5 and §4.12: a List's `status`/`priority` (object or null) and a field's "
         "`type_config.default` sit in a `oneOf` with an always-true `{}` branch, which "
         "rejects exactly the values its other branches allow."),
)

_TASK_ARRAY_ITEMS = {a: f"{_TASK_GET}/properties/{a}/items"
                     for a in ("assignees", "group_assignees", "watchers", "checklists", "tags",
                               "dependencies", "linked_tasks")}


# -- loading the spec ----------------------------------------------------------------------
@cache
def spec() -> dict[str, Any]:
    """The vendored OpenAPI document (do not mutate)."""
    with SPEC_FILE.open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@cache
def _registry() -> Registry:
    resource = Resource.from_contents(spec(), default_specification=DRAFT202012)
    return Registry().with_resource(SPEC_URI, resource)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _operation(method: str, spec_path: str) -> tuple[str, str, str]:
    """(operationId, status code, JSON pointer of the response schema)."""
    path = spec_path if spec_path.startswith("/v2/") else "/v2" + spec_path
    try:
        op = spec()["paths"][path][method.lower()]
    except KeyError:
        raise KeyError(f"{method.upper()} {path} is not in {SPEC_FILE.name}") from None
    for status in ("200", "204"):
        content = op["responses"].get(status, {}).get("content", {})
        if "schema" in content.get("application/json", {}):
            pointer = (f"#/paths/{_escape(path)}/{method.lower()}/responses/{status}"
                       "/content/application~1json/schema")
            return op["operationId"], status, pointer
    raise KeyError(f"{method.upper()} {path} has no 200/204 application/json schema")


def _lookup(pointer: str) -> Any:
    return _registry().resolver(SPEC_URI).lookup(pointer).contents


# -- building the relaxed schema -------------------------------------------------------------
_ANNOTATIONS = ("example", "examples", "description", "title")


class _Builder:
    """Inlines ``$ref``s and applies `RULES`, tracking the instance path of every subschema."""

    def __init__(self, operation_id: str, rules: tuple[Rule, ...]) -> None:
        self.op = operation_id
        self.rules = rules
        self.applied: list[tuple[str, str]] = []  # (rule id, location) where a rule changed it

    def deref(self, node: Any, seen: tuple[str, ...] = ()) -> Any:
        if not isinstance(node, dict) or "$ref" not in node:
            return node
        ref = node["$ref"]
        if ref in seen:
            raise ValueError(f"recursive $ref {ref}")
        target = self.deref(_lookup(ref), (*seen, ref))
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        if not siblings:
            return target
        if isinstance(target, dict) and not set(siblings) & set(target):
            return {**target, **siblings}
        return {**siblings, "allOf": [target]}

    def build(self, node: Any, path: str, here: bool = True) -> Any:
        node = self.deref(node)
        if not isinstance(node, dict):
            return node
        node = {k: v for k, v in node.items() if k not in _ANNOTATIONS}
        if here:
            node = self.apply(node, path)
        if isinstance(node.get("required"), list):
            node["required"] = [k for k in node["required"]
                                if not self.absent_ok(f"{path}.{k}")]
        if isinstance(node.get("properties"), dict):
            node["properties"] = {k: self.build(v, f"{path}.{k}")
                                  for k, v in node["properties"].items()}
        if isinstance(node.get("items"), dict):
            node["items"] = self.build(node["items"], f"{path}[]")
        for key in ("anyOf", "oneOf", "allOf"):
            if isinstance(node.get(key), list):
                node[key] = [self.build(b, path, here=False) for b in node[key]]
        if isinstance(node.get("additionalProperties"), dict):
            node["additionalProperties"] = self.build(node["additionalProperties"],
                                                      f"{path}.*")
        return node

    def absent_ok(self, path: str) -> bool:
        location = f"{self.op}:{path}"
        for rule in self.rules:
            if isinstance(rule.change, MayBeAbsent) and rule.matches(location):
                self.applied.append((rule.id, location))
                return True
        return False

    def apply(self, node: dict[str, Any], path: str) -> dict[str, Any]:
        """Apply the rules for this location: reshaping ones first, then extra types."""
        location = f"{self.op}:{path}"
        ordered = sorted(self.rules, key=lambda r: isinstance(r.change, AlsoTypes))
        for rule in ordered:
            if isinstance(rule.change, MayBeAbsent) or not rule.matches(location):
                continue
            changed = _change(node, rule.change, path)
            if changed is not None:
                node = changed
                self.applied.append((rule.id, location))
        return node


def _change(node: dict[str, Any], change: Change, path: str) -> dict[str, Any] | None:
    """``node`` with ``change`` applied, or None when the change adds nothing there."""
    if isinstance(change, AlsoTypes):
        declared = node.get("type")
        if isinstance(declared, str | list) and not {"enum", "const"} & node.keys():
            have = [declared] if isinstance(declared, str) else list(declared)
            extra = [t for t in change.types if t not in have
                     and not (t == "integer" and "number" in have)]
            return {**node, "type": have + extra} if extra else None
        return _also(node, {"type": list(change.types)})
    if isinstance(change, AlsoSpecSchema):
        pointer = change.pointer
        if not pointer:  # "the GetTask item schema of the same array"
            pointer = _TASK_ARRAY_ITEMS[path.rsplit(".", 1)[-1].removesuffix("[]")]
        return _also(node, copy.deepcopy(_lookup(pointer)))
    if isinstance(change, AlsoArrayOfItself):
        return _also(node, {"type": "array", "items": copy.deepcopy(node)})
    if isinstance(change, OneOfAsAnyOf):
        branches = node.get("oneOf")
        if not isinstance(branches, list) or {} not in branches:
            return None
        rest = {k: v for k, v in node.items() if k != "oneOf"}
        return {**rest, "anyOf": [b for b in branches if b != {}]}
    raise TypeError(change)


def _also(node: dict[str, Any], alternative: dict[str, Any]) -> dict[str, Any]:
    if set(node) == {"anyOf"}:
        return {"anyOf": [*node["anyOf"], alternative]}
    return {"anyOf": [node, alternative]}


@cache
def _relaxed(method: str, spec_path: str) -> tuple[dict[str, Any], tuple[tuple[str, str], ...]]:
    operation_id, _, pointer = _operation(method, spec_path)
    builder = _Builder(operation_id, RULES)
    schema = builder.build({"$ref": pointer}, "$")
    return schema, tuple(builder.applied)


def relaxed_schema(method: str, spec_path: str) -> dict[str, Any]:
    """The response schema with every ``$ref`` inlined and `RULES` applied (a copy)."""
    return copy.deepcopy(_relaxed(method.upper(), spec_path)[0])


def rule_applications() -> dict[str, list[str]]:
    """For every rule id, the locations (over `ENDPOINTS`) where it changed the schema."""
    out: dict[str, list[str]] = {rule.id: [] for rule in RULES}
    for method, path in ENDPOINTS:
        for rule_id, location in _relaxed(method, path)[1]:
            out[rule_id].append(location)
    return out


_KINDS = (
    ("Unset values are null", lambda c: isinstance(c, AlsoTypes) and c.types == ("null",)),
    ("Numbers in the other form", lambda c: isinstance(c, AlsoTypes) and c.types != ("null",)),
    ("Keys the live API leaves out", lambda c: isinstance(c, MayBeAbsent)),
    ("Spec structure contradicting ClickUp's own examples and documented shapes",
     lambda c: isinstance(c, AlsoSpecSchema | AlsoArrayOfItself | OneOfAsAnyOf)),
)


def rules_markdown() -> str:
    """The rule table and the exact locations, as ``docs/spec-relaxation.md`` embeds them."""
    applied = rule_applications()
    out = []
    for title, belongs in _KINDS:
        out += [f"### {title}", "", "| rule | allows | reason (REFERENCE.md) |", "|---|---|---|"]
        out += [f"| `{r.id}` | {r.change.describe()} | {r.reason.replace('|', '&#124;')} |"
                for r in RULES if belongs(r.change)]
        out.append("")
    out += ["### Exact locations", "",
            "Every schema location each rule changes, as `operationId:path` (`[]` = any "
            "array item).", ""]
    for r in RULES:
        out.append(f"- `{r.id}`: " + ", ".join(f"`{loc}`" for loc in applied[r.id]))
    return "\n".join(out) + "\n"


# -- validators ----------------------------------------------------------------------------
@cache
def strict_validator(method: str, spec_path: str) -> Draft202012Validator:
    """A validator for the response schema exactly as the spec states it."""
    _, _, pointer = _operation(method, spec_path)
    return Draft202012Validator({"$ref": SPEC_URI + pointer}, registry=_registry())


@cache
def _response_validator(method: str, spec_path: str) -> Draft202012Validator:
    schema, _ = _relaxed(method, spec_path)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def response_validator(method: str, spec_path: str) -> Draft202012Validator:
    """A validator for the response schema with the documented relaxation applied."""
    return _response_validator(method.upper(), spec_path)


class SpecViolation(AssertionError):
    """A response body that does not match the (relaxed) spec schema."""

    def __init__(self, endpoint: str, errors: list[ValidationError]) -> None:
        self.endpoint = endpoint
        self.errors = errors
        lines = [f"{endpoint}: {len(errors)} schema violation(s)"]
        lines += [f"  - {describe(e)}" for e in errors[:20]]
        if len(errors) > 20:
            lines.append(f"  ... and {len(errors) - 20} more")
        super().__init__("\n".join(lines))


def _short(value: Any, limit: int = 120) -> str:
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _leaves(error: ValidationError) -> Iterator[ValidationError]:
    """The failures inside the alternative of an anyOf/oneOf that got deepest into the value
    (the one the value was most likely meant to match), or the error itself."""
    if not error.context:
        yield error
        return
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    best = max(branches.values(), key=lambda errs: max(len(e.absolute_path) for e in errs))
    if max(len(e.absolute_path) for e in best) <= len(error.absolute_path):
        yield error
        return
    for sub in best:
        yield from _leaves(sub)


def location(error: ValidationError) -> str:
    """The JSON path an error is about; for a missing key, the path the key should have."""
    if error.validator == "required":
        missing = error.message.removesuffix(" is a required property").strip("'")
        return f"{error.json_path}.{missing}"
    return error.json_path


def describe(error: ValidationError) -> str:
    """One line: JSON path, offending value, and the schema rule it broke."""
    where = error.json_path
    if error.validator in ("anyOf", "oneOf") and error.context:
        leaves = [leaf for leaf in _leaves(error) if leaf is not error]
        if leaves:  # report the deepest failures inside the best-matching alternatives
            inner = sorted({describe(leaf) for leaf in leaves})
            return "; ".join(inner[:3]) + f" (no alternative of {error.validator} at {where})"
        alternatives = sorted({e.message[:100] for e in error.context})
        return (f"{where} = {_short(error.instance)} matches no alternative of "
                f"{error.validator}: " + "; ".join(alternatives[:4]))
    if error.validator == "required":
        return f"{location(error)}: required key is missing"
    rule = f"{error.validator}: {_short(error.validator_value, 80)}"
    return f"{where} = {_short(error.instance)} violates {rule}"


def violations(method: str, spec_path: str, body: Any) -> list[ValidationError]:
    """Every way ``body`` breaks the relaxed schema, in document order."""
    validator = response_validator(method, spec_path)
    return sorted(validator.iter_errors(body), key=lambda e: [str(p) for p in e.absolute_path])


def validate(method: str, spec_path: str, body: Any) -> None:
    """Raise `SpecViolation` unless ``body`` matches the relaxed response schema."""
    errors = violations(method, spec_path, body)
    if errors:
        raise SpecViolation(f"{method.upper()} {spec_path}", errors)


if __name__ == "__main__":  # regenerate the table embedded in docs/spec-relaxation.md
    print(rules_markdown(), end="")
