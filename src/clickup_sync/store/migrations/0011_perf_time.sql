-- Time per task, kept up to date (analytics/time.py, workload.py, health.py, composite.py).
--
-- Estimates against time tracked, the estimate left per person and tasks nobody tracks time
-- on need the time of tens of thousands of tasks at once; summed from a million intervals that
-- costs seconds. `task_time_totals` holds, per task, its live intervals and the length of the
-- finished ones (as analytics.time.ENTRY_MS measures them). Statement triggers on
-- time_entries recompute the rows of the tasks a statement touched, so the table is always
-- what a sum over time_entries would give, whoever writes. A running timer (no end and no
-- duration yet) grows with the clock: it is counted in `running`, and its length is read
-- from the few running intervals (the partial index below).

CREATE TABLE task_time_totals (
    task_id   text PRIMARY KEY,
    entries   integer NOT NULL,   -- live intervals, running ones included
    running   integer NOT NULL,   -- live intervals with no end and no duration yet
    ended_ms  bigint NOT NULL     -- total length of the others
);

CREATE FUNCTION cs_refresh_task_time(ids text[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM task_time_totals x WHERE x.task_id = ANY (ids)
       AND NOT EXISTS (SELECT 1 FROM time_entries e WHERE e.task_id = x.task_id
                          AND NOT e.is_deleted);
    INSERT INTO task_time_totals (task_id, entries, running, ended_ms)
    SELECT e.task_id, count(*),
           count(*) FILTER (WHERE e.duration_ms IS NULL AND e.end_at IS NULL),
           coalesce(sum(greatest(0, coalesce(e.duration_ms,
                        (extract(epoch FROM e.end_at - e.start_at) * 1000)::bigint)))
                    FILTER (WHERE e.duration_ms IS NOT NULL OR e.end_at IS NOT NULL), 0)
      FROM time_entries e
     WHERE e.task_id = ANY (ids) AND NOT e.is_deleted
     GROUP BY e.task_id
    ON CONFLICT (task_id) DO UPDATE
       SET entries = EXCLUDED.entries, running = EXCLUDED.running,
           ended_ms = EXCLUDED.ended_ms;
$$;

CREATE FUNCTION cs_time_entries_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM cs_refresh_task_time(ARRAY(SELECT DISTINCT task_id FROM new_rows
                                            WHERE task_id IS NOT NULL));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM cs_refresh_task_time(ARRAY(
            SELECT task_id FROM new_rows WHERE task_id IS NOT NULL
            UNION SELECT task_id FROM old_rows WHERE task_id IS NOT NULL));
    ELSE
        PERFORM cs_refresh_task_time(ARRAY(SELECT DISTINCT task_id FROM old_rows
                                            WHERE task_id IS NOT NULL));
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER time_entries_totals_insert AFTER INSERT ON time_entries
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cs_time_entries_changed();
CREATE TRIGGER time_entries_totals_update AFTER UPDATE ON time_entries
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cs_time_entries_changed();
CREATE TRIGGER time_entries_totals_delete AFTER DELETE ON time_entries
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cs_time_entries_changed();

INSERT INTO task_time_totals (task_id, entries, running, ended_ms)
SELECT e.task_id, count(*),
       count(*) FILTER (WHERE e.duration_ms IS NULL AND e.end_at IS NULL),
       coalesce(sum(greatest(0, coalesce(e.duration_ms,
                    (extract(epoch FROM e.end_at - e.start_at) * 1000)::bigint)))
                FILTER (WHERE e.duration_ms IS NOT NULL OR e.end_at IS NOT NULL), 0)
  FROM time_entries e
 WHERE e.task_id IS NOT NULL AND NOT e.is_deleted
 GROUP BY e.task_id;
ANALYZE task_time_totals;

-- The running timers (a handful at any time), by task.
CREATE INDEX time_entries_running_idx ON time_entries (task_id) INCLUDE (start_at)
    WHERE NOT is_deleted AND duration_ms IS NULL AND end_at IS NULL;
