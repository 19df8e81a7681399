"""Lenient building blocks for ClickUp's wire objects, which bend the spec in known ways.

Live ClickUp sends timestamps as strings or integers (or null), ids as strings or integers,
numbers as strings, priority as an object or null, and null for unset booleans and lists
(REFERENCE.md §1.2, §9). Each type here accepts every such form and yields one Python type.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

T = TypeVar("T")
PRIORITY_IDS = {"urgent": 1, "high": 2, "normal": 3, "low": 4}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _int_or_none(value: Any) -> Any:
    """Milliseconds (or any integer) from int, float or numeric string; blank → None."""
    if _blank(value):
        return None
    if isinstance(value, str):
        text = value.strip()
        return int(text) if text.lstrip("-").isdigit() else int(float(text))
    if isinstance(value, float):
        return int(value)
    return value


def _number(value: Any) -> Any:
    if _blank(value):
        return None
    if isinstance(value, str):
        number = float(value)
        return int(number) if number.is_integer() else number
    return value


def _id(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _opt_id(value: Any) -> Any:
    return None if _blank(value) else _id(value)


def _flag(value: Any) -> Any:
    return False if value is None else value


def _empty(value: Any) -> Any:
    return [] if value is None else value


def _empty_dict(value: Any) -> Any:
    return {} if value is None else value


def _priority(value: Any) -> Any:
    """1 urgent .. 4 low from a priority object (by ``id``, else by name), int or str."""
    if isinstance(value, dict):
        raw = value.get("id")
        value = value.get("priority") if _blank(raw) else raw
    if _blank(value):
        return None
    if isinstance(value, str):
        text = value.strip().lower()
        return int(text) if text.isdigit() else PRIORITY_IDS.get(text)
    return value


def _user_ref(value: Any) -> Any:
    """A user given only by id (string or int), as some payloads do, becomes ``{"id": …}``."""
    if isinstance(value, str):
        return {"id": int(value)} if value.strip().isdigit() else None
    if isinstance(value, int) and not isinstance(value, bool):
        return {"id": value}
    return value


Millis = Annotated[int | None, BeforeValidator(_int_or_none)]
"""A timestamp in Unix milliseconds, or None when unset."""
Duration = Annotated[int | None, BeforeValidator(_int_or_none)]
"""A duration in milliseconds, or None."""
OptInt = Annotated[int | None, BeforeValidator(_int_or_none)]
Number = Annotated[int | float | None, BeforeValidator(_number)]
Id = Annotated[str, BeforeValidator(_id)]
OptId = Annotated[str | None, BeforeValidator(_opt_id)]
Flag = Annotated[bool, BeforeValidator(_flag)]
Priority = Annotated[int | None, BeforeValidator(_priority)]
"""1 urgent, 2 high, 3 normal, 4 low, or None."""
Many = Annotated[list[T], Field(default_factory=list), BeforeValidator(_empty)]
"""A list that may be absent or null (both read as empty)."""
AnyDict = Annotated[dict[str, Any], Field(default_factory=dict), BeforeValidator(_empty_dict)]


class Wire(BaseModel):
    """Base of wire models: unknown fields ignored (callers keep the raw dict)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class User(Wire):
    """A user as embedded in tasks, comments, time entries and List members."""

    id: int
    username: str | None = None
    email: str | None = None
    color: str | None = None
    initials: str | None = None
    profile_picture: str | None = Field(None, alias="profilePicture")


UserRef = Annotated[User | None, BeforeValidator(_user_ref)]
"""A user object, a bare user id, or None."""


class Status(Wire):
    """A status: its name, type (open, custom, done, closed), color and order."""

    status: str
    id: OptId = None
    type: str | None = None
    color: str | None = None
    orderindex: OptInt = None
    status_group: str | None = None


class Tag(Wire):
    """A tag (or time-entry label, which the spec gives as a bare name)."""

    name: str
    tag_fg: str | None = None
    tag_bg: str | None = None
    creator: OptInt = None

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, data: Any) -> Any:
        return {"name": data} if isinstance(data, str) else data
