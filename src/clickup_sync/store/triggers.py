"""Requests to run work now (the API's sync triggers), recorded as ``sync_runs`` rows.

A request is a row of kind ``trigger``, written before the work starts so its id can be
handed back at once. Its status goes ``queued`` → ``started`` → ``done`` (the work ran: a
sync's own run row, named in ``detail.sync_run_id``, tells how it went; ``detail.outcome``
repeats that status), ``skipped`` (another sync held the lock) or ``failed`` (the work could
not start or crashed). Counts stay on the sync's own row, so totals over ``sync_runs`` never
count a run twice, and a request is never ``running``, the status a starting sync marks
failed as abandoned.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb

KIND = "trigger"
OPEN = ("queued", "started")


def request_run(conn: psycopg.Connection, action: str, **detail: Any) -> int:
    """Record a request for ``action`` as queued and commit; return its id."""
    with conn.transaction():
        row = conn.execute(
            "INSERT INTO sync_runs (kind, status, detail) VALUES (%s, 'queued', %s) "
            "RETURNING id", (KIND, Jsonb({"action": action, **detail}))).fetchone()
    assert row is not None
    return int(row[0])


def mark_started(conn: psycopg.Connection, request_id: int) -> None:
    with conn.transaction():
        conn.execute("UPDATE sync_runs SET status = 'started' WHERE id = %s AND kind = %s "
                     "AND status = 'queued'", (request_id, KIND))


def finish_request(conn: psycopg.Connection, request_id: int, *, status: str,
                   errors: list[str] | None = None, **detail: Any) -> None:
    """Close a request: ``status`` done, skipped or failed; ``detail`` is merged in."""
    if status not in ("done", "skipped", "failed"):
        raise ValueError(f"a request ends done, skipped or failed, not {status!r}")
    with conn.transaction():
        conn.execute(
            """UPDATE sync_runs SET status = %s, finished_at = now(),
                      errors = errors || %s, detail = detail || %s
                WHERE id = %s AND kind = %s AND status = ANY(%s)""",
            (status, Jsonb(errors or []), Jsonb(detail), request_id, KIND, list(OPEN)))


def abandon_requests(conn: psycopg.Connection, request_ids: list[int], reason: str) -> int:
    """Mark still-open requests failed (their server stopped before the work finished)."""
    if not request_ids:
        return 0
    with conn.transaction():
        cur = conn.execute(
            """UPDATE sync_runs SET status = 'failed', finished_at = now(),
                      errors = errors || %s
                WHERE id = ANY(%s) AND kind = %s AND status = ANY(%s)""",
            (Jsonb([reason]), request_ids, KIND, list(OPEN)))
    return cur.rowcount
