"""The simulated workspace: plain records, kept the way ClickUp keeps them.

The simulator stores facts, not JSON: ids, names, millisecond timestamps (``int``), user ids.
`serialize.py` turns these records into ClickUp's wire shapes (strings for timestamps, status and
priority objects, ...). Keeping the two apart means a change of wire format never touches the
generator or the change engine.

Conventions used throughout:
- Timestamps are Unix milliseconds as ``int`` (``None`` when unset).
- User ids are ``int``; every other id is a ``str``, as in ClickUp.
- Priorities are ``1`` urgent, ``2`` high, ``3`` normal, ``4`` low, or ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

StatusType = Literal["open", "custom", "done", "closed"]
ROLE_KEYS = {1: "owner", 2: "admin", 3: "member", 4: "guest"}


@dataclass(slots=True)
class Member:
    """A workspace member (ClickUp "user"), with their workspace role (1 owner .. 4 guest)."""

    id: int
    username: str | None
    email: str
    color: str | None
    initials: str
    role: int
    date_joined: int | None
    date_invited: int
    last_active: int | None
    timezone: str = "Etc/UTC"
    invited_by: int | None = None
    profile_picture: str | None = None


@dataclass(slots=True)
class Status:
    """One status of a workflow; ``type`` tells open / active (custom) / done / closed."""

    id: str
    status: str
    type: StatusType
    color: str
    orderindex: int


@dataclass(slots=True)
class Tag:
    """A Space tag; tasks refer to tags by ``name``."""

    name: str
    tag_fg: str
    tag_bg: str
    creator: int


@dataclass(slots=True)
class Space:
    id: str
    name: str
    color: str | None
    private: bool
    archived: bool
    statuses: list[Status]
    tags: list[Tag] = field(default_factory=list)
    multiple_assignees: bool = True
    member_ids: list[int] = field(default_factory=list)  # only shown for private Spaces
    orderindex: int = 0


@dataclass(slots=True)
class Folder:
    id: str
    name: str
    space_id: str
    orderindex: int
    archived: bool = False
    override_statuses: bool = False
    statuses: list[Status] = field(default_factory=list)  # only when override_statuses
    hidden: bool = False


@dataclass(slots=True)
class TaskList:
    """A List. ``folder_id`` is None for a folderless List, which still shows a hidden folder
    whose id is ``hidden_folder_id`` (ClickUp's live habit)."""

    id: str
    name: str
    space_id: str
    folder_id: str | None
    orderindex: int
    content: str = ""
    archived: bool = False
    override_statuses: bool = False
    statuses: list[Status] = field(default_factory=list)  # only when override_statuses
    due_date: int | None = None
    start_date: int | None = None
    priority: int | None = None
    assignee: int | None = None
    member_ids: list[int] = field(default_factory=list)  # explicit access only
    hidden_folder_id: str | None = None


@dataclass(slots=True)
class CustomField:
    """A custom field definition.

    ``scope`` says where it was created: ("list", list_id), ("folder", id), ("space", id) or
    ("team", team_id); it then applies to every task under that location.
    ``type`` is ClickUp's type name: url, drop_down, labels, email, phone, date, short_text,
    text, checkbox, number, currency, tasks, users, emoji, progress, location.
    """

    id: str
    name: str
    type: str
    type_config: dict[str, Any]
    date_created: int
    scope: tuple[str, str]
    hide_from_guests: bool = False
    required: bool = False


@dataclass(slots=True)
class ChecklistItem:
    id: str
    name: str
    orderindex: int
    resolved: bool
    date_created: int
    assignee: int | None = None
    parent: str | None = None


@dataclass(slots=True)
class Checklist:
    id: str
    task_id: str
    name: str
    date_created: int
    orderindex: int
    creator: int
    items: list[ChecklistItem] = field(default_factory=list)


@dataclass(slots=True)
class Task:
    """A task or subtask.

    ``custom_values`` maps field id to the value in the form ClickUp sends on a task:
    short_text/text/url/email/phone: str; number/currency: str of the number ("8");
    checkbox: bool; date: int ms; drop_down: option ``orderindex`` (int); labels: list of option
    ids; users: list of user ids (int); tasks: list of task ids; emoji: int rating;
    progress: dict ``{"percent_complete": n}``; location: dict ``{"location": {...},
    "formatted_address": str}``.

    ``depends_on`` holds the ids this task waits on; ``linked`` the ids it is linked to
    (links are symmetric, kept on both tasks). ``locations`` are extra List ids (Tasks in
    Multiple Lists), besides the home ``list_id``.
    """

    id: str
    name: str
    description: str
    status: str
    list_id: str
    orderindex: float
    date_created: int
    date_updated: int
    creator: int
    date_closed: int | None = None
    date_done: int | None = None
    archived: bool = False
    assignees: list[int] = field(default_factory=list)
    watchers: list[int] = field(default_factory=list)
    checklists: list[Checklist] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    parent: str | None = None
    top_level_parent: str | None = None
    priority: int | None = None
    due_date: int | None = None
    start_date: int | None = None
    points: float | None = None
    time_estimate: int | None = None
    custom_values: dict[str, Any] = field(default_factory=dict)
    depends_on: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    custom_item_id: int = 0
    custom_id: str | None = None


@dataclass(slots=True)
class TimeEntry:
    """One tracked interval. ``end`` is None while the timer runs."""

    id: str
    user_id: int
    start: int
    end: int | None
    task_id: str | None
    billable: bool = False
    description: str = ""
    tags: list[str] = field(default_factory=list)
    source: str = "clickup"
    at: int = 0


@dataclass(slots=True)
class Comment:
    """A comment on a task (``task_id``) or a List (``list_id``); a threaded reply has
    ``parent_id`` set to the comment it answers."""

    id: str
    user_id: int
    text: str
    date: int
    task_id: str | None = None
    list_id: str | None = None
    parent_id: str | None = None
    resolved: bool = False
    assignee: int | None = None
    assigned_by: int | None = None


@dataclass(slots=True)
class Webhook:
    id: str
    userid: int
    team_id: str
    endpoint: str
    events: list[str]
    secret: str
    space_id: str | None = None
    folder_id: str | None = None
    list_id: str | None = None
    task_id: str | None = None
    status: Literal["active", "failing", "suspended"] = "active"
    fail_count: int = 0


@dataclass(slots=True)
class Workspace:
    """The whole simulated ClickUp Workspace ("team" in API v2).

    Collections are dicts keyed by id, in insertion order. ``owner_id`` is the user the demo
    token belongs to.
    """

    id: str
    name: str
    color: str
    owner_id: int
    members: dict[int, Member] = field(default_factory=dict)
    spaces: dict[str, Space] = field(default_factory=dict)
    folders: dict[str, Folder] = field(default_factory=dict)
    lists: dict[str, TaskList] = field(default_factory=dict)
    fields: dict[str, CustomField] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    time_entries: dict[str, TimeEntry] = field(default_factory=dict)
    comments: dict[str, Comment] = field(default_factory=dict)
    webhooks: dict[str, Webhook] = field(default_factory=dict)
    deleted_task_ids: set[str] = field(default_factory=set)
