"""How fresh and complete the mirror is: the last sync runs, the lag, and what is stored."""

from __future__ import annotations

import psycopg

from clickup_sync.store.reads import count_tasks_needing_comments

from .result import Result
from .workspace import bounded

EXACT_UP_TO = 200_000
"""Time entries and comments are counted exactly up to this many; above, estimated."""
SYNC_KINDS = ("full", "incremental")
"""Run kinds that bring data from ClickUp (snapshot and verify runs do not)."""


# Live and archived tasks are summed from `list_task_counts` (kept exact by triggers,
# migration 0010); deleted ones are counted from their partial index.
def sync_status(conn: psycopg.Connection, *, limit: int = 10) -> Result:
    """How current is the database: the last sync runs, lag, API calls and stored counts?"""
    limit = bounded(limit, cap=100)
    runs = conn.execute(
        """SELECT id, kind, status, cs_iso(started_at, cs_timezone()),
                  round(extract(epoch FROM coalesce(finished_at, now()) - started_at)::numeric,
                        1),
                  tasks_upserted, time_entries_upserted, comments_upserted, deleted, api_calls,
                  jsonb_array_length(errors)
             FROM sync_runs ORDER BY id DESC LIMIT %s""", (limit,)).fetchall()
    head = conn.execute(
        """SELECT (SELECT cs_iso(max(finished_at), cs_timezone()) FROM sync_runs
                    WHERE status = 'ok' AND kind = ANY(%(kinds)s)),
                  (SELECT round(extract(epoch FROM now() - max(finished_at))::numeric / 60, 1)
                     FROM sync_runs WHERE status = 'ok' AND kind = ANY(%(kinds)s)),
                  (SELECT count(*) FROM sync_runs WHERE status = 'running'),
                  (SELECT coalesce(sum(api_calls), 0) FROM sync_runs
                    WHERE started_at >= now() - interval '24 hours'),
                  (SELECT count(*) FROM sync_runs WHERE status IN ('failed', 'partial')
                      AND started_at >= now() - interval '24 hours'),
                  k.live, k.archived, k.deleted,
                  (SELECT count(*) FROM spaces WHERE NOT is_deleted),
                  (SELECT count(*) FROM folders WHERE NOT is_deleted),
                  (SELECT count(*) FROM lists WHERE NOT is_deleted),
                  (SELECT count(*) FROM employees WHERE is_active),
                  CASE WHEN e.rows > %(exact)s THEN e.rows::bigint
                       ELSE (SELECT count(*) FROM time_entries WHERE NOT is_deleted) END,
                  CASE WHEN c.rows > %(exact)s THEN c.rows::bigint
                       ELSE (SELECT count(*) FROM comments WHERE NOT is_deleted) END,
                  (SELECT max(snapshot_date) FROM task_snapshots)
             FROM (SELECT coalesce(sum(tasks) FILTER (WHERE NOT archived), 0)::bigint AS live,
                          coalesce(sum(tasks) FILTER (WHERE archived), 0)::bigint AS archived,
                          (SELECT count(*) FROM clickup_tasks WHERE is_deleted) AS deleted
                     FROM list_task_counts) k,
                  (SELECT reltuples AS rows FROM pg_class
                    WHERE oid = 'time_entries'::regclass) e,
                  (SELECT reltuples AS rows FROM pg_class WHERE oid = 'comments'::regclass) c""",
        {"kinds": list(SYNC_KINDS), "exact": EXACT_UP_TO}).fetchone()
    assert head is not None
    names = ["last_ok_sync", "minutes_since_last_ok_sync", "runs_in_progress",
             "api_calls_last_24h", "failed_or_partial_runs_last_24h", "tasks", "archived_tasks",
             "deleted_tasks", "spaces", "folders", "lists", "active_members", "time_entries",
             "comments", "latest_snapshot"]
    summary = dict(zip(names, head, strict=True))
    summary["tasks_waiting_for_comments"] = count_tasks_needing_comments(conn)
    notes = ["lag = minutes since the last full or incremental run that ended ok; counts are "
             "of stored rows (deleted ones left out, except deleted_tasks); time entries and "
             f"comments beyond {EXACT_UP_TO:,} are PostgreSQL's estimate",
             "tasks_waiting_for_comments: tasks whose comments were not read since their "
             "last update (the sync reads them in the background)"]
    if head[0] is None:
        notes.insert(0, "no sync has finished ok yet: run `clickup-sync sync`")
    return Result.table(
        "Sync status", ["run", "kind", "status", "started", "seconds", "tasks",
                        "time_entries", "comments", "deleted", "api_calls", "errors"],
        runs, limit=limit, summary=summary, notes=notes)
