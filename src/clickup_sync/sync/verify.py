"""Re-read ClickUp in full and list every difference from the database (writes nothing).

It compares what a sync is responsible for: members, the hierarchy, every task's main fields
and relations, and every time entry; comments too when asked (one call per task). Pages are
read the same way the sync reads them, but through the client's models and compared with
SQL reads, so a difference names the object and field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import psycopg

from clickup_sync.clickup import ClickUpClient
from clickup_sync.store import connect, reads

from . import rows
from .tasks import pages_by_update
from .time_entries import DAY_MS

_TASK_FIELDS = ("name", "status", "list_id", "parent_id", "archived", "priority",
                "date_updated", "due_date", "time_estimate_ms")


@dataclass
class Report:
    differences: list[str] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    def add(self, what: str) -> None:
        self.differences.append(what)


def _ms(value: datetime | None) -> int | None:
    return None if value is None else round(value.timestamp() * 1000)


def _compare_sets(report: Report, what: str, db: set[str], api: set[str]) -> None:
    for missing in sorted(api - db):
        report.add(f"{what} {missing}: in ClickUp, not in the database")
    for extra in sorted(db - api):
        report.add(f"{what} {extra}: in the database, not in ClickUp")
    report.checked[what] = len(api)


def _db_tasks(conn: psycopg.Connection) -> dict[str, dict[str, Any]]:
    cur = conn.execute(f"""SELECT id, {", ".join(_TASK_FIELDS)},
           ARRAY(SELECT user_id FROM task_assignees a WHERE a.task_id = t.id ORDER BY 1),
           ARRAY(SELECT name FROM task_tags g WHERE g.task_id = t.id ORDER BY 1)
      FROM clickup_tasks t WHERE NOT is_deleted""")
    out = {}
    for r in cur:
        values = dict(zip(_TASK_FIELDS, r[1:1 + len(_TASK_FIELDS)], strict=True))
        for key in ("date_updated", "due_date"):
            values[key] = _ms(values[key])
        values["assignees"], values["tags"] = list(r[-2]), list(r[-1])
        out[r[0]] = values
    return out


def _api_task(raw: dict[str, Any]) -> dict[str, Any]:
    rec = rows.task(raw)
    return {"name": rec.name, "status": rec.status, "list_id": rec.list_id,
            "parent_id": rec.parent_id, "archived": rec.archived, "priority": rec.priority,
            "date_updated": _ms(rec.date_updated), "due_date": _ms(rec.due_date),
            "time_estimate_ms": rec.time_estimate_ms, "assignees": sorted(rec._assignees),
            "tags": sorted({t[0] for t in rec._tags})}


async def verify(client: ClickUpClient, dsn: str, team_id: str, *,
                 comments: bool = False) -> Report:
    report = Report()
    with connect(dsn, autocommit=True) as conn:
        members = {str(r[0]) for r in conn.execute(
            "SELECT clickup_user_id FROM employees WHERE is_active")}
        teams = await client.get_teams()
        team = next((t for t in teams if str(t.get("id")) == team_id), {"members": []})
        _compare_sets(report, "member", members,
                      {str(m["user"]["id"]) for m in team.get("members", [])})
        lists_db = {r[0] for r in conn.execute("SELECT id FROM lists WHERE NOT is_deleted")}
        lists_api: set[str] = set()
        for archived in (False, True):
            for sp in await client.get_spaces(team_id, archived=archived):
                for fa in (False, True):
                    for f in await client.get_folders(sp["id"], archived=fa):
                        for la in (False, True):
                            lists_api |= {lst["id"] for lst in
                                          await client.get_folder_lists(f["id"], archived=la)}
                    lists_api |= {lst["id"] for lst in
                                  await client.get_folderless_lists(sp["id"], archived=fa)}
        _compare_sets(report, "list", lists_db, lists_api)

        db_tasks = _db_tasks(conn)
        api_tasks: dict[str, dict[str, Any]] = {}
        paths = [f"/team/{team_id}/task"] + [f"/list/{i}/task"
                                              for i in reads.hidden_list_ids(conn)]
        for path in paths:
            for archived in (False, True):
                async for page in pages_by_update(client, path, archived=archived, since=None):
                    for raw in page:
                        try:
                            api_tasks[str(raw["id"])] = _api_task(raw)
                        except (rows.BadPayload, KeyError) as exc:
                            report.add(f"task payload unreadable: {exc}")
        _compare_sets(report, "task", set(db_tasks), set(api_tasks))
        for tid in sorted(set(db_tasks) & set(api_tasks)):
            for key, want in api_tasks[tid].items():
                if db_tasks[tid][key] != want:
                    report.add(f"task {tid} {key}: database {db_tasks[tid][key]!r}, "
                               f"ClickUp {want!r}")

        await _verify_time(client, conn, team_id, report)
        if comments:
            await _verify_comments(client, conn, sorted(api_tasks), report)
    return report


async def _verify_time(client: ClickUpClient, conn: psycopg.Connection, team_id: str,
                       report: Report) -> None:
    users = reads.member_ids(conn)
    oldest = reads.earliest_activity(conn)
    db = {r[0] for r in conn.execute("SELECT id FROM time_entries WHERE NOT is_deleted")}
    if not users:
        return
    now = int(datetime.now().timestamp() * 1000) + 3600 * 1000
    floor = _ms(oldest) - DAY_MS if oldest else now - 30 * DAY_MS
    api: set[str] = set()
    hi = now
    while hi > floor:
        lo = max(floor, hi - 30 * DAY_MS)
        api |= {str(e["id"]) for e in await client.get_time_entries(team_id, lo, hi, users)}
        hi = lo - 1
    _compare_sets(report, "time entry", db, api)


async def _verify_comments(client: ClickUpClient, conn: psycopg.Connection,
                           task_ids: list[str], report: Report) -> None:
    db = {r[0] for r in conn.execute(
        "SELECT id FROM comments WHERE NOT is_deleted AND task_id IS NOT NULL")}
    api: set[str] = set()
    for tid in task_ids:
        async for page in client.iter_task_comments(tid):
            for c in page:
                api.add(str(c["id"]))
                if int(c.get("reply_count") or 0):
                    api |= {str(r["id"]) for r in await client.get_replies(str(c["id"]))}
    _compare_sets(report, "comment", db, api)
