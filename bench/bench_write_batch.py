"""What one sync batch's writes cost the database, kept tables and all.

    python bench/bench_write_batch.py --dsn postgresql://…/copy_of_cs_bench_100k --tasks 2000

Writes as a sync batch does, in one transaction: ``--tasks`` live tasks updated (status
type flipped between open and in progress, date_updated moved), their assignees deleted
and copied back, one time entry each added; then the commit, where the deferred flushes
(task_rows and its JSON bodies, open work, estimates) run. Prints the statements' time and
the commit's, best of ``--repeat`` (each run picks other tasks). It changes the database:
run it on a copy.
"""

from __future__ import annotations

import argparse
import time

import psycopg


def batch(conn: psycopg.Connection, n: int, run: int) -> tuple[float, float]:
    """(seconds in the statements, seconds in the commit) for one batch of ``n`` tasks."""
    ids = [r[0] for r in conn.execute(
        "SELECT id FROM clickup_tasks WHERE NOT is_deleted ORDER BY md5(id || %s) LIMIT %s",
        (str(run), n))]
    conn.commit()
    started = time.perf_counter()
    kept = conn.execute("SELECT task_id, user_id FROM task_assignees WHERE task_id = ANY (%s)",
                        (ids,)).fetchall()
    conn.execute("""UPDATE clickup_tasks
                       SET status_type = CASE WHEN status_type = 'custom' THEN 'open'
                                              ELSE 'custom' END,
                           date_updated = now() WHERE id = ANY (%s)""", (ids,))
    conn.execute("DELETE FROM task_assignees WHERE task_id = ANY (%s)", (ids,))
    with conn.cursor().copy("COPY task_assignees (task_id, user_id) FROM STDIN") as copy:
        for row in kept:
            copy.write_row(row)
    conn.execute("""INSERT INTO time_entries (id, task_id, user_id, start_at, end_at,
                                              duration_ms, raw)
                    SELECT 'bench-' || %s || '-' || i, i, 1, now() - interval '2 hours',
                           now() - interval '1 hour', 3600000, '{}'
                      FROM unnest(%s::text[]) i""", (str(run), ids))
    written = time.perf_counter()
    conn.commit()
    return written - started, time.perf_counter() - written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dsn", required=True)
    ap.add_argument("--tasks", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with psycopg.connect(args.dsn) as conn:
        runs = [batch(conn, args.tasks, run) for run in range(args.repeat)]
    for i, (w, c) in enumerate(runs):
        print(f"run {i}: statements {w:.2f} s, commit {c:.2f} s, in all {w + c:.2f} s")
    best = min(runs, key=sum)
    print(f"best: {sum(best):.2f} s for {args.tasks} tasks "
          f"({1000 * sum(best) / args.tasks:.2f} ms a task; commit {best[1]:.2f} s)")


if __name__ == "__main__":
    main()
