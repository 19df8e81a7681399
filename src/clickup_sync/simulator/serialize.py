"""Records → ClickUp API v2 JSON, in the forms the live API sends.

Live habits kept on purpose (REFERENCE.md §1.2 and §9): timestamps as millisecond strings and
``null`` when unset, user ids as integers, priority objects with string fields, folderless
Lists under a hidden folder, List ``task_count`` as an integer and Folder ``task_count`` as a
string, ``time_spent`` only on tasks with tracked time.
"""

from __future__ import annotations

from typing import Any

from .model import (
    ROLE_KEYS,
    Comment,
    CustomField,
    Folder,
    Member,
    Space,
    Status,
    Task,
    TaskList,
    TimeEntry,
)
from .state import SimState

PRIORITIES = {
    1: ("urgent", "#f50000"),
    2: ("high", "#f8ae00"),
    3: ("normal", "#6fddff"),
    4: ("low", "#d8d8d8"),
}
_PROFILE_INFO_KEYS = ("display_profile", "verified_ambassador", "verified_consultant",
                      "top_tier_user", "viewed_verified_ambassador",
                      "viewed_verified_consultant", "viewed_top_tier_user")


def ms(value: int | None) -> str | None:
    """A timestamp the way v2 objects carry it: a string of milliseconds, or null."""
    return None if value is None else str(value)


def user(m: Member) -> dict[str, Any]:
    """A user as embedded in tasks, comments and time entries."""
    return {"id": m.id, "username": m.username, "color": m.color, "initials": m.initials,
            "email": m.email, "profilePicture": m.profile_picture}


def user_by_id(state: SimState, user_id: int | None) -> dict[str, Any] | None:
    if user_id is None:
        return None
    m = state.ws.members.get(user_id)
    if m is None:  # a removed member still shows by id
        return {"id": user_id, "username": None, "color": None, "initials": "",
                "email": "", "profilePicture": None}
    return user(m)


def authorized_user(m: Member) -> dict[str, Any]:
    return {"user": {"id": m.id, "username": m.username, "email": m.email, "color": m.color,
                     "profilePicture": m.profile_picture, "initials": m.initials,
                     "week_start_day": 1, "global_font_support": True,
                     "timezone": m.timezone}}


def team_member(state: SimState, m: Member) -> dict[str, Any]:
    entry: dict[str, Any] = {"user": {
        "id": m.id, "username": m.username, "email": m.email, "color": m.color,
        "profilePicture": m.profile_picture, "initials": m.initials, "role": m.role,
        "role_subtype": 0, "role_key": ROLE_KEYS[m.role], "custom_role": None,
        "last_active": ms(m.last_active), "date_joined": ms(m.date_joined),
        "date_invited": str(m.date_invited)}}
    inviter = state.ws.members.get(m.invited_by) if m.invited_by else None
    if inviter is not None:
        entry["invited_by"] = {**user(inviter), "banned_date": None,
                               "status": "active" if inviter.date_joined else "invited"}
    return entry


def team(state: SimState) -> dict[str, Any]:
    ws = state.ws
    return {"id": ws.id, "name": ws.name, "color": ws.color, "avatar": None,
            "members": [team_member(state, m) for m in ws.members.values()]}


def member_with_profile(m: Member) -> dict[str, Any]:
    """The shape of GET /list/{id}/member and GET /task/{id}/member entries."""
    return {"id": m.id, "username": m.username, "email": m.email, "color": m.color,
            "initials": m.initials, "profilePicture": m.profile_picture,
            "profileInfo": dict.fromkeys(_PROFILE_INFO_KEYS)}


def status(st: Status, group: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": st.id, "status": st.status, "type": st.type,
                           "orderindex": st.orderindex, "color": st.color}
    if group is not None:
        out["status_group"] = group
    return out


def priority(p: int | None) -> dict[str, Any] | None:
    if p is None:
        return None
    name, color = PRIORITIES[p]
    return {"color": color, "id": str(p), "orderindex": str(p), "priority": name}


def _features(space: Space) -> dict[str, Any]:
    return {
        "due_dates": {"enabled": True, "start_date": True, "remap_due_dates": True,
                      "remap_closed_due_date": False},
        "sprints": {"enabled": False},
        "time_tracking": {"enabled": True, "harvest": False, "rollup": True,
                          "default_to_billable": 2},
        "points": {"enabled": True},
        "custom_items": {"enabled": True},
        "priorities": {"enabled": True, "priorities": [
            {**priority(p), "id": str(p)} for p in PRIORITIES]},
        "tags": {"enabled": True},
        "time_estimates": {"enabled": True, "rollup": True, "per_assignee": False},
        "check_unresolved": {"enabled": True, "subtasks": None, "checklists": None,
                             "comments": None},
        "milestones": {"enabled": True},
        "custom_fields": {"enabled": True},
        "remap_dependencies": {"enabled": True},
        "dependency_warning": {"enabled": True},
        "status_pies": {"enabled": False},
        "multiple_assignees": {"enabled": space.multiple_assignees},
        "emails": {"enabled": True},
    }


def space(state: SimState, sp: Space) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": sp.id, "name": sp.name, "color": sp.color, "private": sp.private, "avatar": None,
        "admin_can_manage": True, "archived": sp.archived,
        "statuses": [status(s, f"proj_{sp.id}") for s in sp.statuses],
        "multiple_assignees": sp.multiple_assignees, "features": _features(sp),
    }
    if sp.private:
        out["members"] = [{"user": {k: v for k, v in user(state.ws.members[u]).items()
                                    if k != "email"}}
                          for u in sp.member_ids if u in state.ws.members]
    return out


def _space_ref(state: SimState, space_id: str) -> dict[str, Any]:
    return {"id": space_id, "name": state.ws.spaces[space_id].name, "access": True}


def _folder_ref(state: SimState, lst: TaskList) -> dict[str, Any]:
    if lst.folder_id is None:
        return {"id": lst.hidden_folder_id, "name": "hidden", "hidden": True, "access": True}
    folder = state.ws.folders[lst.folder_id]
    return {"id": folder.id, "name": folder.name, "hidden": folder.hidden, "access": True}


def task_counts(state: SimState) -> dict[str, int]:
    """Tasks per home List (open and closed, archived excluded), cached per version."""

    def compute() -> dict[str, int]:
        counts: dict[str, int] = {}
        for t in state.ws.tasks.values():
            if not t.archived:
                counts[t.list_id] = counts.get(t.list_id, 0) + 1
        return counts

    return state.cached(("task_counts",), compute)


def task_list(state: SimState, lst: TaskList, detail: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": lst.id, "name": lst.name, "orderindex": lst.orderindex, "content": lst.content,
        "status": None,
        "priority": None if lst.priority is None else {
            "priority": PRIORITIES[lst.priority][0], "color": PRIORITIES[lst.priority][1]},
        "assignee": user_by_id(state, lst.assignee),
        "task_count": task_counts(state).get(lst.id, 0),
        "due_date": ms(lst.due_date), "start_date": ms(lst.start_date),
        "folder": _folder_ref(state, lst), "space": _space_ref(state, lst.space_id),
        "archived": lst.archived, "override_statuses": lst.override_statuses,
        "permission_level": "create",
    }
    if detail:
        group = f"subcat_{lst.id}" if lst.override_statuses else f"proj_{lst.space_id}"
        out.update({
            "deleted": False,
            "inbound_address": f"a.t.{lst.id}.sim@tasks.clickup.com",
            "statuses": [status(s, group) for s in state.list_statuses(lst)],
            "due_date_time": False,  # the spec types this boolean, start_date_time text|null
            "start_date_time": None,
        })
    return out


def folder(state: SimState, f: Folder) -> dict[str, Any]:
    lists = [lst for lst in state.ws.lists.values()
             if lst.folder_id == f.id and not lst.archived]
    counts = task_counts(state)
    return {
        "id": f.id, "name": f.name, "orderindex": f.orderindex,
        "override_statuses": f.override_statuses, "hidden": f.hidden,
        "space": _space_ref(state, f.space_id),
        "task_count": str(sum(counts.get(lst.id, 0) for lst in lists)),
        "archived": f.archived,
        "statuses": [status(s, f"proj_{f.space_id}") for s in f.statuses],
        "lists": [task_list(state, lst) for lst in lists],
        "permission_level": "create",
    }


def field_definition(cf: CustomField) -> dict[str, Any]:
    return {"id": cf.id, "name": cf.name, "type": cf.type, "type_config": cf.type_config,
            "date_created": str(cf.date_created), "hide_from_guests": cf.hide_from_guests,
            "required": cf.required}


def fields_for_list(state: SimState, list_id: str) -> list[CustomField]:
    """Custom fields that apply to tasks of a List: its own, its Folder's, Space's, team's."""

    def compute() -> list[CustomField]:
        lst = state.ws.lists[list_id]
        scopes = {("team", state.ws.id), ("space", lst.space_id), ("list", lst.id)}
        if lst.folder_id:
            scopes.add(("folder", lst.folder_id))
        return [cf for cf in state.ws.fields.values() if cf.scope in scopes]

    return state.cached(("fields", list_id), compute)


def _field_value(state: SimState, cf: CustomField, value: Any) -> Any:
    if cf.type == "users":
        return [user_by_id(state, u) for u in value]
    if cf.type == "tasks":
        out = []
        for tid in value:
            t = state.ws.tasks.get(tid)
            if t is not None:
                st = state.task_status(t)
                out.append({"id": t.id, "name": t.name, "status": st.status,
                            "color": st.color, "custom_type": None,
                            "team_id": state.ws.id, "deleted": False,
                            "url": f"https://app.clickup.com/t/{t.id}", "access": True})
        return out
    if cf.type == "date":
        return str(value)
    return value


def _custom_fields(state: SimState, task: Task) -> list[dict[str, Any]]:
    out = []
    for cf in fields_for_list(state, task.list_id):
        item = field_definition(cf)
        if cf.id in task.custom_values:
            item["value"] = _field_value(state, cf, task.custom_values[cf.id])
            item["value_richtext"] = ""
        out.append(item)
    return out


def _checklist(state: SimState, cl: Any) -> dict[str, Any]:
    items = [{"id": i.id, "name": i.name, "orderindex": i.orderindex,
              # The spec types a checklist item's assignee as a string (the user id) or null.
              "assignee": None if i.assignee is None else str(i.assignee),
              "group_assignee": None,
              "resolved": i.resolved, "parent": i.parent, "date_created": str(i.date_created),
              "start_date": None, "start_date_time": None, "due_date": None,
              "due_date_time": None, "sent_due_date_notif": None, "children": []}
             for i in cl.items]
    resolved = sum(1 for i in cl.items if i.resolved)
    return {"id": cl.id, "task_id": cl.task_id, "name": cl.name,
            "date_created": str(cl.date_created), "orderindex": cl.orderindex,
            "creator": cl.creator, "resolved": resolved, "unresolved": len(items) - resolved,
            "items": items}


def _dependency(state: SimState, waiting: str, on: str, kind: int) -> dict[str, Any]:
    created = state.ws.tasks[waiting].date_created if waiting in state.ws.tasks else 0
    return {"task_id": waiting, "depends_on": on, "type": kind, "date_created": str(created),
            "userid": str(state.ws.owner_id), "workspace_id": state.ws.id, "chain_id": None}


def task(state: SimState, t: Task, *, markdown: bool = False,
         subtasks: bool = False) -> dict[str, Any]:
    """A full Task object, as GET /task/{id} and the task listings return it."""
    ws = state.ws
    lst = ws.lists[t.list_id]
    tags = {tg.name: tg for tg in ws.spaces[lst.space_id].tags}
    folder_ref = _folder_ref(state, lst)
    deps = [_dependency(state, t.id, on, 1) for on in t.depends_on]
    deps += [_dependency(state, waiting, t.id, 0) for waiting in state.blocking().get(t.id, ())]
    out: dict[str, Any] = {
        "id": t.id, "custom_id": t.custom_id, "custom_item_id": t.custom_item_id,
        "name": t.name, "text_content": t.description, "description": t.description,
        "status": status(state.task_status(t)),
        "orderindex": f"{t.orderindex:.32f}"[:34],
        "date_created": str(t.date_created), "date_updated": str(t.date_updated),
        "date_closed": ms(t.date_closed), "date_done": ms(t.date_done),
        "archived": t.archived,
        "creator": {k: v for k, v in (user_by_id(state, t.creator) or {}).items()
                    if k != "initials"},
        "assignees": [user_by_id(state, u) for u in t.assignees],
        "group_assignees": [],
        "watchers": [user_by_id(state, u) for u in t.watchers],
        "checklists": [_checklist(state, cl) for cl in t.checklists],
        "tags": [{"name": n, "tag_fg": tags[n].tag_fg if n in tags else "#000000",
                  "tag_bg": tags[n].tag_bg if n in tags else "#000000",
                  "creator": tags[n].creator if n in tags else ws.owner_id} for n in t.tags],
        "parent": t.parent, "top_level_parent": t.top_level_parent,
        "priority": priority(t.priority),
        "due_date": ms(t.due_date), "start_date": ms(t.start_date), "points": t.points,
        "time_estimate": t.time_estimate,
        "custom_fields": _custom_fields(state, t),
        "dependencies": deps,
        "linked_tasks": [{"task_id": t.id, "link_id": other, "date_created": None,
                          "userid": str(ws.owner_id), "workspace_id": ws.id}
                         for other in t.linked],
        "locations": [{"id": lid, "name": ws.lists[lid].name} for lid in t.locations
                      if lid in ws.lists],
        "team_id": ws.id, "url": f"https://app.clickup.com/t/{t.id}",
        "sharing": {"public": False, "public_share_expires_on": None,
                    "public_fields": ["assignees", "priority", "due_date", "content",
                                      "comments", "attachments", "customFields", "subtasks",
                                      "tags", "checklists", "coverimage"],
                    "token": None, "seo_optimized": False},
        "permission_level": "create",
        "list": {"id": lst.id, "name": lst.name, "access": True},
        "project": dict(folder_ref),
        "folder": folder_ref,
        "space": {"id": lst.space_id},
    }
    spent = state.time_spent().get(t.id)
    if spent:
        out["time_spent"] = spent
    if markdown:
        out["markdown_description"] = t.description
    if subtasks:
        out["subtasks"] = [task(state, ws.tasks[s]) for s in state.subtask_ids().get(t.id, ())
                           if s in ws.tasks]
    return out


def comment(state: SimState, c: Comment) -> dict[str, Any]:
    return {"id": c.id, "comment": [{"text": c.text}], "comment_text": c.text,
            "user": user_by_id(state, c.user_id), "resolved": c.resolved,
            "assignee": user_by_id(state, c.assignee),
            "assigned_by": user_by_id(state, c.assigned_by), "reactions": [],
            "date": str(c.date), "reply_count": str(len(state.replies.get(c.id, ())))}


def time_entry(state: SimState, te: TimeEntry, now: int, *, task_tags: bool = False,
               location_names: bool = False) -> dict[str, Any]:
    ws = state.ws
    out: dict[str, Any] = {"id": te.id}
    t = ws.tasks.get(te.task_id) if te.task_id else None
    if t is not None:
        st = state.task_status(t)
        out["task"] = {"id": t.id, "custom_id": t.custom_id, "name": t.name,
                       "status": {"status": st.status, "color": st.color, "type": st.type,
                                  "orderindex": st.orderindex},
                       "custom_type": None}
    out.update({"wid": ws.id, "user": user_by_id(state, te.user_id), "billable": te.billable,
                "start": str(te.start)})
    if te.end is None:
        out["duration"] = str(-(now - te.start))  # running: negative duration
    else:
        out["end"] = str(te.end)
        out["duration"] = str(te.end - te.start)
    space_tags = {}
    if t is not None:
        space_tags = {tg.name: tg for tg in ws.spaces[ws.lists[t.list_id].space_id].tags}
    out.update({
        "description": te.description,
        "tags": list(te.tags),  # the spec types time-entry labels as strings
        "source": te.source, "at": str(te.at or te.start),
    })
    if t is not None:
        lst = ws.lists[t.list_id]
        loc: dict[str, Any] = {"list_id": lst.id, "folder_id": lst.folder_id or
                               lst.hidden_folder_id, "space_id": lst.space_id}
        if location_names:
            loc.update({"list_name": lst.name,
                        "folder_name": ws.folders[lst.folder_id].name if lst.folder_id
                        else "hidden",
                        "space_name": ws.spaces[lst.space_id].name})
        out["task_location"] = loc
        if task_tags:
            out["task_tags"] = [{"name": n, "tag_fg": space_tags[n].tag_fg,
                                 "tag_bg": space_tags[n].tag_bg,
                                 "creator": space_tags[n].creator}
                                for n in t.tags if n in space_tags]
        out["task_url"] = f"https://app.clickup.com/t/{t.id}"
    return out


def legacy_time(state: SimState, entries: list[TimeEntry]) -> dict[str, Any]:
    """GET /task/{id}/time: finished intervals grouped per user (the legacy shape)."""
    by_user: dict[int, list[TimeEntry]] = {}
    for te in entries:
        if te.end is not None:
            by_user.setdefault(te.user_id, []).append(te)
    data = []
    for uid, items in by_user.items():
        data.append({"user": user_by_id(state, uid),
                     "time": sum(te.end - te.start for te in items if te.end is not None),
                     "intervals": [{"id": te.id, "start": str(te.start), "end": ms(te.end),
                                    "time": str((te.end or te.start) - te.start),
                                    "source": te.source, "date_added": str(te.at or te.start)}
                                   for te in items]})
    return {"data": data}
