"""Sync runs and cursors: what ran, how it went, and where each stream resumes.

A cursor is written in the same transaction as the rows it covers (the caller's), never
ahead of them, so a process killed between two batches resumes from the last committed one.
Functions take an autocommit connection; writes that must be atomic open
``conn.transaction()`` themselves or run inside the caller's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb


@dataclass(slots=True)
class RunRecord:
    id: int
    kind: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    tasks_upserted: int
    time_entries_upserted: int
    comments_upserted: int
    deleted: int
    api_calls: int
    errors: list[Any]
    detail: dict[str, Any]


_RUN_COLUMNS = ("id, kind, status, started_at, finished_at, tasks_upserted, "
                "time_entries_upserted, comments_upserted, deleted, api_calls, errors, detail")


def start_run(conn: psycopg.Connection, kind: str) -> int:
    """Record a run as started and commit, so it shows while it runs."""
    with conn.transaction():
        row = conn.execute("INSERT INTO sync_runs (kind) VALUES (%s) RETURNING id",
                           (kind,)).fetchone()
    assert row is not None
    return int(row[0])


def finish_run(conn: psycopg.Connection, run_id: int, *, status: str, counts: dict[str, int],
               api_calls: int, errors: list[Any], detail: dict[str, Any]) -> None:
    with conn.transaction():
        conn.execute(
            """UPDATE sync_runs SET status = %s, finished_at = now(), tasks_upserted = %s,
                      time_entries_upserted = %s, comments_upserted = %s, deleted = %s,
                      api_calls = %s, errors = %s, detail = %s
                WHERE id = %s""",
            (status, counts.get("tasks", 0), counts.get("time_entries", 0),
             counts.get("comments", 0), counts.get("deleted", 0), api_calls, Jsonb(errors),
             Jsonb(detail), run_id))


def fail_abandoned_runs(conn: psycopg.Connection) -> int:
    """Mark runs left 'running' by a killed process as failed (call while holding the lock)."""
    with conn.transaction():
        cur = conn.execute(
            """UPDATE sync_runs SET status = 'failed', finished_at = now(),
                      errors = errors || '["process ended before the run finished"]'::jsonb
                WHERE status = 'running'""")
    return cur.rowcount


def recent_runs(conn: psycopg.Connection, limit: int = 10) -> list[RunRecord]:
    rows = conn.execute(f"SELECT {_RUN_COLUMNS} FROM sync_runs ORDER BY id DESC LIMIT %s",
                        (limit,)).fetchall()
    return [RunRecord(*r) for r in rows]


def get_run(conn: psycopg.Connection, run_id: int) -> RunRecord | None:
    row = conn.execute(f"SELECT {_RUN_COLUMNS} FROM sync_runs WHERE id = %s",
                       (run_id,)).fetchone()
    return RunRecord(*row) if row else None


def get_cursor(conn: psycopg.Connection, stream: str) -> int | None:
    row = conn.execute("SELECT value FROM sync_cursors WHERE stream = %s", (stream,)).fetchone()
    return int(row[0]) if row else None


def set_cursor(conn: psycopg.Connection, stream: str, value: int) -> None:
    """Move a cursor forward (never back) inside the caller's transaction."""
    conn.execute(
        """INSERT INTO sync_cursors (stream, value) VALUES (%s, %s)
           ON CONFLICT (stream) DO UPDATE
              SET value = greatest(sync_cursors.value, EXCLUDED.value), updated_at = now()""",
        (stream, value))


def clear_cursors(conn: psycopg.Connection) -> None:
    with conn.transaction():
        conn.execute("DELETE FROM sync_cursors")
