"""Members and the hierarchy (Spaces → Folders → Lists, archived included).

Members come from ``GET /team`` (ClickUp has no member listing of its own). The hierarchy is
walked whole or not written at all: a walk that failed part-way would otherwise mark the
Lists it did not reach as deleted.
"""

from __future__ import annotations

import asyncio
from typing import Any

from clickup_sync.store import writes
from clickup_sync.store.records import FolderRecord, ListRecord, SpaceRecord, StatusRecord

from . import rows
from .context import RunContext


async def sync_members(ctx: RunContext, teams: list[dict[str, Any]] | None = None
                       ) -> dict[str, Any]:
    """Upsert the Workspace and its members (from ``teams`` if just fetched); return the
    team's raw object."""
    if teams is None:
        teams = await ctx.client.get_teams()
    team = next((t for t in teams if str(t.get("id")) == ctx.team_id), None)
    if team is None:
        raise LookupError(f"the token cannot see Workspace {ctx.team_id}")
    records = []
    for raw in team.get("members", []):
        try:
            records.append(rows.employee(raw))
        except rows.BadPayload as exc:
            ctx.error(str(exc))

    def write(conn: Any) -> None:
        writes.write_workspace(conn, ctx.team_id, team.get("name") or "", team.get("color"),
                               {k: v for k, v in team.items() if k != "members"})
        writes.write_employees(conn, records)

    await ctx.db.write(write)
    ctx.counts["members"] = len(records)
    return team


async def sync_hierarchy(ctx: RunContext) -> list[ListRecord]:
    """Walk every Space, Folder and List (both archived states) and store the walk."""
    client = ctx.client
    spaces_raw = [s for archived in (False, True)
                  for s in await client.get_spaces(ctx.team_id, archived=archived)]
    spaces: list[SpaceRecord] = []
    folders: list[FolderRecord] = []
    lists: dict[str, ListRecord] = {}
    statuses: list[StatusRecord] = []
    need_detail: list[str] = []
    for raw in spaces_raw:
        sp_rec, sp = rows.space(raw, ctx.team_id)
        spaces.append(sp_rec)
        folder_sets = await asyncio.gather(client.get_folders(sp.id, archived=False),
                                           client.get_folders(sp.id, archived=True),
                                           client.get_folderless_lists(sp.id, archived=False),
                                           client.get_folderless_lists(sp.id, archived=True))
        for f_raw in folder_sets[0] + folder_sets[1]:
            f_rec, f = rows.folder(f_raw, sp.id)
            folders.append(f_rec)
            # Folder objects embed their live Lists; archived ones need their own call.
            archived_lists = await client.get_folder_lists(f.id, archived=True)
            embedded = f_raw.get("lists") or await client.get_folder_lists(f.id)
            for l_raw in [*embedded, *archived_lists]:
                rec, _ = rows.task_list(l_raw, sp.id)
                rec.folder_id = f.id
                lists[rec.id] = rec
            for rec in (r for r in lists.values() if r.folder_id == f.id):
                if rec.override_statuses:
                    need_detail.append(rec.id)
                elif f.override_statuses and f.statuses:
                    statuses += rows.statuses(rec.id, f.statuses)
                else:
                    statuses += rows.statuses(rec.id, sp.statuses)
        for l_raw in folder_sets[2] + folder_sets[3]:
            rec, _ = rows.task_list(l_raw, sp.id)
            rec.folder_id = None
            lists[rec.id] = rec
            if rec.override_statuses:
                need_detail.append(rec.id)
            else:
                statuses += rows.statuses(rec.id, sp.statuses)
        ctx.report("hierarchy", len(spaces), len(spaces_raw))
    for list_id in need_detail:  # a List with its own workflow: only GET /list shows it
        detail = await client.get_list(list_id)
        _, lst = rows.task_list(detail, lists[list_id].space_id)
        statuses += rows.statuses(list_id, lst.statuses)
    await ctx.db.write(writes.write_hierarchy, spaces, folders, list(lists.values()), statuses)
    ctx.counts.update(spaces=len(spaces), folders=len(folders), lists=len(lists))
    return list(lists.values())
