"""ClickUp API v2 endpoints: one small function each, over `SimState`.

Handlers are plain functions ``(Call) -> body``; `app.py` wraps each with ClickUp's
behaviour around them (auth, rate limit, faults, errors, counting), so a handler only finds
records, filters and serializes. Unknown ids raise `NotFound`, which the wrapper answers the
way ClickUp does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import mutations, serialize, webhooks
from .model import Folder, Space, Task, TaskList
from .queries import (
    TASK_PAGE_SIZE,
    QueryError,
    TaskQuery,
    comments_page,
    flag,
    hidden_by_archive,
    integer,
    select_page,
    select_time_entries,
)
from .state import SimState

NotFound = mutations.NotFoundError  # unknown ids, from a lookup here or inside a mutation


@dataclass(slots=True)
class Call:
    """What a handler needs from the request."""

    state: SimState
    user_id: int
    path: dict[str, str]
    params: Any  # starlette QueryParams: get() and getlist()
    body: Any = None
    gt_inclusive: bool = True


Handler = Callable[[Call], Any]


# -- lookups ------------------------------------------------------------------------------
def _team(c: Call) -> None:
    team_id = c.path.get("team_id") or c.path.get("team_Id")
    if team_id != c.state.ws.id:
        raise NotFound("team")


def _space(c: Call) -> Space:
    sp = c.state.ws.spaces.get(c.path["space_id"])
    if sp is None:
        raise NotFound("space")
    return sp


def _folder(c: Call) -> Folder:
    f = c.state.ws.folders.get(c.path["folder_id"])
    if f is None:
        raise NotFound("folder")
    return f


def _list(c: Call) -> TaskList:
    lst = c.state.ws.lists.get(c.path["list_id"])
    if lst is None:
        raise NotFound("list")
    return lst


def _task(c: Call) -> Task:
    t = c.state.ws.tasks.get(c.path["task_id"])
    if t is None:
        raise NotFound("task")
    return t


def _archived_matches(c: Call, archived: bool) -> bool:
    return archived == flag(c.params, "archived")


# -- user, team, hierarchy ----------------------------------------------------------------
def get_user(c: Call) -> Any:
    return serialize.authorized_user(c.state.ws.members[c.user_id])


def get_teams(c: Call) -> Any:
    return {"teams": [serialize.team(c.state)]}


def get_spaces(c: Call) -> Any:
    _team(c)
    return {"spaces": [serialize.space(c.state, sp) for sp in c.state.ws.spaces.values()
                       if _archived_matches(c, sp.archived)]}


def get_space(c: Call) -> Any:
    return serialize.space(c.state, _space(c))


def get_folders(c: Call) -> Any:
    sp = _space(c)
    return {"folders": [serialize.folder(c.state, f) for f in c.state.ws.folders.values()
                        if f.space_id == sp.id and _archived_matches(c, f.archived)]}


def get_folder(c: Call) -> Any:
    return serialize.folder(c.state, _folder(c))


def get_folder_lists(c: Call) -> Any:
    f = _folder(c)
    return {"lists": [serialize.task_list(c.state, lst) for lst in c.state.ws.lists.values()
                      if lst.folder_id == f.id and _archived_matches(c, lst.archived)]}


def get_folderless_lists(c: Call) -> Any:
    sp = _space(c)
    return {"lists": [serialize.task_list(c.state, lst) for lst in c.state.ws.lists.values()
                      if lst.space_id == sp.id and lst.folder_id is None
                      and _archived_matches(c, lst.archived)]}


def get_list(c: Call) -> Any:
    return serialize.task_list(c.state, _list(c), detail=True)


def get_list_fields(c: Call) -> Any:
    lst = _list(c)
    return {"fields": [serialize.field_definition(cf)
                       for cf in serialize.fields_for_list(c.state, lst.id)]}


def get_space_tags(c: Call) -> Any:
    sp = _space(c)
    return {"tags": [{"name": t.name, "tag_fg": t.tag_fg, "tag_bg": t.tag_bg}
                     for t in sp.tags]}


def get_list_members(c: Call) -> Any:
    lst = _list(c)
    ws = c.state.ws
    return {"members": [serialize.member_with_profile(ws.members[u]) for u in lst.member_ids
                        if u in ws.members]}


def get_task_members(c: Call) -> Any:
    t = _task(c)
    ws = c.state.ws
    ids = dict.fromkeys([*ws.lists[t.list_id].member_ids, *t.assignees, *t.watchers])
    return {"members": [serialize.member_with_profile(ws.members[u]) for u in ids
                        if u in ws.members]}


# -- tasks --------------------------------------------------------------------------------
def _task_page(c: Call, key: tuple, candidates: Callable[[], list[Task]]) -> Any:
    state = c.state
    q = TaskQuery.parse(c.params)
    page = integer(c.params, "page") or 0
    if page < 0:
        raise QueryError("Page must be 0 or greater", "INPUT_005")
    chunk, last = select_page(state, q, key, candidates, page, TASK_PAGE_SIZE,
                              gt_inclusive=c.gt_inclusive)
    markdown = flag(c.params, "include_markdown_description")
    return {"tasks": [serialize.task(state, state.ws.tasks[i], markdown=markdown)
                      for i in chunk], "last_page": last}


def get_team_tasks(c: Call) -> Any:
    _team(c)
    ws = c.state.ws
    hidden = c.state.cached(("hidden lists",), lambda: {
        lid for lid in ws.lists if hidden_by_archive(c.state, lid)})
    return _task_page(c, ("team",), lambda: [t for t in ws.tasks.values()
                                            if t.list_id not in hidden])


def get_list_tasks(c: Call) -> Any:
    lst = _list(c)
    ws = c.state.ws
    timl = flag(c.params, "include_timl")
    return _task_page(c, ("list", lst.id, timl), lambda: [
        t for t in ws.tasks.values()
        if t.list_id == lst.id or (timl and lst.id in t.locations)])


def get_task(c: Call) -> Any:
    return serialize.task(c.state, _task(c),
                          markdown=flag(c.params, "include_markdown_description"),
                          subtasks=flag(c.params, "include_subtasks"))


def create_task(c: Call) -> Any:
    lst = _list(c)
    t = mutations.create_task(c.state, lst.id, c.user_id, c.body or {})
    return serialize.task(c.state, t)


def update_task(c: Call) -> Any:
    t = _task(c)
    t = mutations.update_task(c.state, t.id, c.user_id, c.body or {})
    return serialize.task(c.state, t)


# -- comments -----------------------------------------------------------------------------
def get_task_comments(c: Call) -> Any:
    t = _task(c)
    ids = c.state.comments_by_task.get(t.id, [])
    return {"comments": [serialize.comment(c.state, cm)
                         for cm in comments_page(c.state, ids, c.params)]}


def get_list_comments(c: Call) -> Any:
    lst = _list(c)
    ids = c.state.comments_by_list.get(lst.id, [])
    return {"comments": [serialize.comment(c.state, cm)
                         for cm in comments_page(c.state, ids, c.params)]}


def get_replies(c: Call) -> Any:
    parent = c.state.ws.comments.get(c.path["comment_id"])
    if parent is None:
        raise NotFound("comment")
    return {"comments": [serialize.comment(c.state, c.state.ws.comments[r])
                         for r in c.state.replies.get(parent.id, [])]}


# -- time ---------------------------------------------------------------------------------
def get_time_entries(c: Call) -> Any:
    _team(c)
    now = c.state.peek_now()
    entries = select_time_entries(c.state, c.user_id, c.params, now)
    tags, names = flag(c.params, "include_task_tags"), flag(c.params, "include_location_names")
    return {"data": [serialize.time_entry(c.state, te, now, task_tags=tags,
                                          location_names=names) for te in entries]}


def get_running_entry(c: Call) -> Any:
    _team(c)
    raw = c.params.get("assignee")
    user = int(raw) if raw and raw.isdigit() else c.user_id
    now = c.state.peek_now()
    for te in c.state.ws.time_entries.values():
        if te.end is None and te.user_id == user:
            return {"data": serialize.time_entry(c.state, te, now)}
    return {"data": None}


def get_task_time(c: Call) -> Any:
    t = _task(c)
    entries = [te for te in c.state.ws.time_entries.values() if te.task_id == t.id]
    return serialize.legacy_time(c.state, entries)


# -- webhooks -----------------------------------------------------------------------------
def create_webhook(c: Call) -> Any:
    _team(c)
    return webhooks.create_webhook(c.state, c.state.ws.id, c.user_id, c.body or {})


def list_webhooks(c: Call) -> Any:
    _team(c)
    return webhooks.list_webhooks(c.state, c.state.ws.id, c.user_id)


def update_webhook(c: Call) -> Any:
    if c.path["webhook_id"] not in c.state.ws.webhooks:
        raise NotFound("webhook")
    return webhooks.update_webhook(c.state, c.path["webhook_id"], c.user_id, c.body or {})


def delete_webhook(c: Call) -> Any:
    if c.path["webhook_id"] not in c.state.ws.webhooks:
        raise NotFound("webhook")
    return webhooks.delete_webhook(c.state, c.path["webhook_id"], c.user_id)


# (method, path under /api/v2, handler). Path names keep the spec's spelling of ids.
ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/user", get_user),
    ("GET", "/team", get_teams),
    ("GET", "/team/{team_id}/space", get_spaces),
    ("GET", "/space/{space_id}", get_space),
    ("GET", "/space/{space_id}/folder", get_folders),
    ("GET", "/folder/{folder_id}", get_folder),
    ("GET", "/folder/{folder_id}/list", get_folder_lists),
    ("GET", "/space/{space_id}/list", get_folderless_lists),
    ("GET", "/space/{space_id}/tag", get_space_tags),
    ("GET", "/list/{list_id}", get_list),
    ("GET", "/list/{list_id}/task", get_list_tasks),
    ("POST", "/list/{list_id}/task", create_task),
    ("GET", "/list/{list_id}/field", get_list_fields),
    ("GET", "/list/{list_id}/member", get_list_members),
    ("GET", "/list/{list_id}/comment", get_list_comments),
    ("GET", "/team/{team_Id}/task", get_team_tasks),
    ("GET", "/task/{task_id}", get_task),
    ("PUT", "/task/{task_id}", update_task),
    ("GET", "/task/{task_id}/comment", get_task_comments),
    ("GET", "/task/{task_id}/member", get_task_members),
    ("GET", "/task/{task_id}/time", get_task_time),
    ("GET", "/comment/{comment_id}/reply", get_replies),
    ("GET", "/team/{team_Id}/time_entries", get_time_entries),
    ("GET", "/team/{team_id}/time_entries/current", get_running_entry),
    ("GET", "/team/{team_id}/webhook", list_webhooks),
    ("POST", "/team/{team_id}/webhook", create_webhook),
    ("PUT", "/webhook/{webhook_id}", update_webhook),
    ("DELETE", "/webhook/{webhook_id}", delete_webhook),
]
