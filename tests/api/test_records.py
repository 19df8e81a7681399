"""Time entries, comments and the hierarchy, answered from the database."""

from __future__ import annotations

from datetime import datetime

import httpx
import psycopg

from .conftest import column, get
from .test_tasks import walk


def test_time_entries_page_and_filters(api: httpx.Client, conn: psycopg.Connection) -> None:
    entries = walk(api, "/time-entries", key="time_entries", limit=500)
    assert [e["id"] for e in entries] == column(
        conn, "SELECT id FROM time_entries WHERE NOT is_deleted ORDER BY start_at DESC, id")
    first = entries[0]
    row = conn.execute("SELECT task_id, user_id, start_at, end_at, duration_ms, is_running "
                       "FROM time_entries WHERE id = %s", (first["id"],)).fetchone()
    assert (first["task_id"], first["user_id"], datetime.fromisoformat(first["start_at"]),
            first["end_at"] and datetime.fromisoformat(first["end_at"]),
            first["duration_ms"], first["is_running"]) == row
    user, task = conn.execute("SELECT user_id, task_id FROM time_entries WHERE task_id IS "
                              "NOT NULL GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1"
                              ).fetchone()
    middle = conn.execute("SELECT start_at FROM time_entries ORDER BY start_at OFFSET 100 "
                          "LIMIT 1").fetchone()[0]
    for params, where, args in (
            ({"user": user}, "user_id = %s", (user,)),
            ({"task": task}, "task_id = %s", (task,)),
            ({"since": middle.isoformat()}, "start_at >= %s", (middle,)),
            ({"until": middle.isoformat(), "user": user}, "start_at < %s AND user_id = %s",
             (middle, user))):
        got = [e["id"] for e in walk(api, "/time-entries", key="time_entries", limit=500,
                                     **params)]
        assert got == column(conn, f"SELECT id FROM time_entries WHERE NOT is_deleted AND "
                                   f"{where} ORDER BY start_at DESC, id", args), params
        assert got, params


def test_comments_page_and_filters(api: httpx.Client, conn: psycopg.Connection) -> None:
    comments = walk(api, "/comments", key="comments", limit=500)
    assert [c["id"] for c in comments] == column(
        conn, "SELECT id FROM comments WHERE NOT is_deleted ORDER BY date DESC, id")
    assert {c["text"] for c in comments[:20]} <= set(column(conn, "SELECT text FROM comments"))
    assignee = column(conn, "SELECT assignee_id FROM comments WHERE assignee_id IS NOT NULL "
                            "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")[0]
    task = column(conn, "SELECT task_id FROM comments GROUP BY 1 ORDER BY count(*) DESC "
                        "LIMIT 1")[0]
    for params, where, args in (
            ({"assignee": assignee, "resolved": "false"},
             "assignee_id = %s AND NOT resolved", (assignee,)),
            ({"task": task}, "task_id = %s", (task,)),
            ({"resolved": "true"}, "resolved", None)):
        got = [c["id"] for c in walk(api, "/comments", key="comments", limit=500, **params)]
        assert got == column(conn, f"SELECT id FROM comments WHERE NOT is_deleted AND "
                                   f"{where} ORDER BY date DESC, id", args), params
        assert got, params
    wrong = api.get("/comments", params={"since": "2026-02-01T00:00:00Z",
                                         "until": "2026-01-01T00:00:00Z"})
    assert wrong.status_code == 422


def test_hierarchy_holds_every_list_once(api: httpx.Client, conn: psycopg.Connection) -> None:
    tree = get(api, "/hierarchy")["spaces"]
    lists = [(lst["id"], lst["task_count"], len(lst["statuses"]))
             for space in tree
             for lst in space["lists"] + [x for f in space["folders"] for x in f["lists"]]]
    want = conn.execute(
        """SELECT l.id, (SELECT count(*) FROM clickup_tasks t WHERE t.list_id = l.id
                           AND NOT t.is_deleted AND NOT t.archived),
                  (SELECT count(*) FROM list_statuses s WHERE s.list_id = l.id)
             FROM lists l LEFT JOIN folders f ON f.id = l.folder_id
             JOIN spaces s ON s.id = l.space_id
            WHERE NOT l.is_deleted AND NOT l.archived AND NOT s.archived
              AND NOT coalesce(f.archived, false)""").fetchall()
    assert sorted(lists) == sorted(want)
    everything = get(api, "/hierarchy", include_archived="true")["spaces"]
    assert len(everything) == column(conn, "SELECT count(*) FROM spaces WHERE NOT "
                                           "is_deleted")[0]
