"""Writes to ClickUp (create or update a task), each followed by a re-sync of that task, so
the next question answered from the database already sees the change.

These are the only writes the product makes to ClickUp. The body is validated here, in the
words a model can act on, before anything is sent.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from clickup_sync.clickup import ClickUpClient
from clickup_sync.store import connect, writes

from . import rows

PRIORITIES = {"urgent": 1, "high": 2, "normal": 3, "low": 4}


class WriteError(ValueError):
    """A write that cannot be sent as asked; the message says what to change."""


def _ms(value: str | date | datetime | None, what: str) -> int | None:
    """A due/start date given as an ISO date or datetime → ClickUp's epoch milliseconds."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError as exc:
            raise WriteError(f"{what} must be a date like 2026-12-01 (got {value!r})") from exc
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.astimezone()  # a naive time is the server's local time
    return int(value.timestamp() * 1000)


def task_body(*, name: str | None = None, description: str | None = None,
              status: str | None = None, priority: str | None = None,
              due_date: str | None = None, start_date: str | None = None,
              assignees: list[int] | None = None, time_estimate_minutes: int | None = None,
              tags: list[str] | None = None) -> dict[str, Any]:
    """A ClickUp task body from friendly values (priority by name, dates as ISO text)."""
    body: dict[str, Any] = {}
    if name is not None:
        if not name.strip():
            raise WriteError("a task name cannot be empty")
        body["name"] = name.strip()
    if description is not None:
        body["description"] = description
    if status is not None:
        body["status"] = status
    if priority is not None:
        if priority.lower() not in PRIORITIES:
            raise WriteError(f"priority must be one of {', '.join(PRIORITIES)}")
        body["priority"] = PRIORITIES[priority.lower()]
    for key, value in (("due_date", due_date), ("start_date", start_date)):
        ms = _ms(value, key)
        if ms is not None:
            body[key] = ms
    if assignees is not None:
        body["assignees"] = assignees
    if time_estimate_minutes is not None:
        if time_estimate_minutes < 0:
            raise WriteError("time_estimate_minutes cannot be negative")
        body["time_estimate"] = time_estimate_minutes * 60_000
    if tags is not None:
        body["tags"] = tags
    return body


async def resync_task(client: ClickUpClient, dsn: str, task_id: str) -> dict[str, Any]:
    """Fetch one task and store it (as a sync batch of one); return its raw object."""
    raw = await client.get_task(task_id)
    record = rows.task(raw)
    with connect(dsn, autocommit=True) as conn, conn.transaction():
        writes.write_tasks(conn, [record])
    return raw


async def create_task(client: ClickUpClient, dsn: str, list_id: str,
                      body: dict[str, Any]) -> dict[str, Any]:
    if "name" not in body:
        raise WriteError("a new task needs a name")
    created = await client.create_task(list_id, body)
    return await resync_task(client, dsn, str(created["id"]))


async def update_task(client: ClickUpClient, dsn: str, task_id: str,
                      body: dict[str, Any]) -> dict[str, Any]:
    if not body:
        raise WriteError("nothing to change: give at least one field")
    update = dict(body)
    if "assignees" in update:  # PUT takes {add, rem}; callers give the new full list
        current = await client.get_task(task_id)
        now = {a["id"] for a in current.get("assignees", [])}
        wanted = set(update.pop("assignees"))
        update["assignees"] = {"add": sorted(wanted - now), "rem": sorted(now - wanted)}
    update.pop("tags", None)  # tags are set through their own endpoint; not supported here
    await client.update_task(task_id, update)
    return await resync_task(client, dsn, task_id)
