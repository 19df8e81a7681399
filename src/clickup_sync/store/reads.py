"""Reads the sync needs from the store: what it knows, and what it still has to fetch."""

from __future__ import annotations

from datetime import datetime

import psycopg


def known_list_ids(conn: psycopg.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT id FROM lists WHERE NOT is_deleted")}


def tasks_needing_comments(conn: psycopg.Connection, limit: int) -> list[tuple[str, datetime]]:
    """Tasks whose comments were never read, or read before their last update; most
    recently updated first, so the data people look at is complete soonest."""
    return [(r[0], r[1]) for r in conn.execute(
        """SELECT t.id, t.date_updated FROM clickup_tasks t
             LEFT JOIN task_sync_state s ON s.task_id = t.id
            WHERE NOT t.is_deleted
              AND (s.comments_synced_for IS NULL OR s.comments_synced_for < t.date_updated)
            ORDER BY t.date_updated DESC NULLS LAST
            LIMIT %s""", (limit,))]


def count_tasks_needing_comments(conn: psycopg.Connection) -> int:
    row_ = conn.execute(
        """SELECT count(*) FROM clickup_tasks t LEFT JOIN task_sync_state s ON s.task_id = t.id
            WHERE NOT t.is_deleted
              AND (s.comments_synced_for IS NULL OR s.comments_synced_for < t.date_updated)"""
    ).fetchone()
    return int(row_[0]) if row_ else 0


def hidden_list_ids(conn: psycopg.Connection) -> list[str]:
    """Lists whose tasks ClickUp's team endpoint leaves out: archived, or in an archived
    Folder or Space."""
    return [r[0] for r in conn.execute(
        """SELECT l.id FROM lists l
             LEFT JOIN folders f ON f.id = l.folder_id
             JOIN spaces s ON s.id = l.space_id
            WHERE NOT l.is_deleted
              AND (l.archived OR coalesce(f.archived, false) OR s.archived)
            ORDER BY l.id""")]


def member_ids(conn: psycopg.Connection) -> list[int]:
    """Every member ever seen (inactive ones too: their time entries still count)."""
    return [r[0] for r in conn.execute(
        "SELECT clickup_user_id FROM employees ORDER BY clickup_user_id")]


def earliest_activity(conn: psycopg.Connection) -> datetime | None:
    """The oldest task creation known, where a full time-entry read can stop."""
    row = conn.execute("SELECT min(date_created) FROM clickup_tasks").fetchone()
    return row[0] if row else None
