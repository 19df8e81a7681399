-- Flow analytics at 100k tasks (analytics/flow.py, analytics/history.py).
--
-- 1. clickup_tasks.status_since: when the task entered its current status, i.e. its latest
--    status-history row (max changed_at). The sync sets it after each batch of tasks
--    (store.writes.write_tasks); aging and bottlenecks read it from a partial index of the
--    open tasks instead of probing the history once per task.
-- 2. snapshot_counts: the daily snapshots counted per day, Space, Folder, status and
--    archived flag, with the summed time estimate. Triggers on task_snapshots keep it equal
--    to a GROUP BY over task_snapshots whoever writes the snapshots, so cumulative flow and
--    burndown of a Workspace, Space or Folder read a few hundred rows instead of 100k per
--    day. (A List scope also counts its extra tasks by their current locations, so it still
--    reads task_snapshots, by List.)

ALTER TABLE clickup_tasks ADD COLUMN status_since timestamptz;

UPDATE clickup_tasks t SET status_since = h.at
  FROM (SELECT task_id, max(changed_at) AS at FROM task_status_history GROUP BY task_id) h
 WHERE h.task_id = t.id;

-- The expression must stay exactly analytics.history.ENTERED, and the WHERE clause
-- analytics.history's LIVE AND NOT_DONE, for the planner to use this index.
CREATE INDEX clickup_tasks_open_since_idx
    ON clickup_tasks ((coalesce(status_since, date_updated, date_created)))
    INCLUDE (id, status, status_type, date_created, list_id, folder_id, space_id)
    WHERE NOT is_deleted AND NOT archived AND coalesce(status_type, '') NOT IN ('done', 'closed');

CREATE TABLE snapshot_counts (
    snapshot_date  date    NOT NULL,
    space_id       text,
    folder_id      text,
    status         text    NOT NULL,
    status_type    text,
    archived       boolean NOT NULL,
    tasks          bigint  NOT NULL,   -- snapshot rows of the group
    estimated      bigint  NOT NULL,   -- of which with a time estimate
    minutes        numeric NOT NULL    -- their summed time_estimate_minutes (0 when none)
);
CREATE UNIQUE INDEX snapshot_counts_key_idx ON snapshot_counts
    (snapshot_date, space_id, folder_id, status, status_type, archived) NULLS NOT DISTINCT;
CREATE INDEX snapshot_counts_space_idx ON snapshot_counts (space_id, snapshot_date);
CREATE INDEX snapshot_counts_folder_idx ON snapshot_counts (folder_id, snapshot_date);

INSERT INTO snapshot_counts
SELECT snapshot_date, space_id, folder_id, status, status_type, archived, count(*),
       count(time_estimate_minutes), coalesce(sum(time_estimate_minutes), 0)
  FROM task_snapshots
 GROUP BY snapshot_date, space_id, folder_id, status, status_type, archived;

-- Keep snapshot_counts in step with task_snapshots: each statement adds the groups of the
-- rows it inserted and takes away those of the rows it deleted (an update does both).
CREATE FUNCTION cs_snapshot_counts_add(sign int, snapshot_date date, space_id text,
                                       folder_id text, status text, status_type text,
                                       archived boolean, tasks bigint, estimated bigint,
                                       minutes numeric) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO snapshot_counts AS c VALUES (snapshot_date, space_id, folder_id, status,
           status_type, archived, sign * tasks, sign * estimated, sign * minutes)
    ON CONFLICT (snapshot_date, space_id, folder_id, status, status_type, archived)
    DO UPDATE SET tasks = c.tasks + EXCLUDED.tasks, estimated = c.estimated + EXCLUDED.estimated,
                  minutes = c.minutes + EXCLUDED.minutes
$$;

CREATE FUNCTION cs_snapshot_counts_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cs_snapshot_counts_add(1, snapshot_date, space_id, folder_id, status, status_type,
                                   archived, count(*), count(time_estimate_minutes),
                                   coalesce(sum(time_estimate_minutes), 0))
       FROM added GROUP BY snapshot_date, space_id, folder_id, status, status_type, archived;
    RETURN NULL;
END
$$;

CREATE FUNCTION cs_snapshot_counts_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cs_snapshot_counts_add(-1, snapshot_date, space_id, folder_id, status, status_type,
                                   archived, count(*), count(time_estimate_minutes),
                                   coalesce(sum(time_estimate_minutes), 0))
       FROM removed GROUP BY snapshot_date, space_id, folder_id, status, status_type, archived;
    DELETE FROM snapshot_counts WHERE tasks <= 0;
    RETURN NULL;
END
$$;

CREATE FUNCTION cs_snapshot_counts_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM cs_snapshot_counts_add(-1, snapshot_date, space_id, folder_id, status, status_type,
                                   archived, count(*), count(time_estimate_minutes),
                                   coalesce(sum(time_estimate_minutes), 0))
       FROM removed GROUP BY snapshot_date, space_id, folder_id, status, status_type, archived;
    PERFORM cs_snapshot_counts_add(1, snapshot_date, space_id, folder_id, status, status_type,
                                   archived, count(*), count(time_estimate_minutes),
                                   coalesce(sum(time_estimate_minutes), 0))
       FROM added GROUP BY snapshot_date, space_id, folder_id, status, status_type, archived;
    DELETE FROM snapshot_counts WHERE tasks <= 0;
    RETURN NULL;
END
$$;

CREATE FUNCTION cs_snapshot_counts_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM snapshot_counts;
    RETURN NULL;
END
$$;

CREATE TRIGGER task_snapshots_counts_insert AFTER INSERT ON task_snapshots
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT
    EXECUTE FUNCTION cs_snapshot_counts_inserted();
CREATE TRIGGER task_snapshots_counts_delete AFTER DELETE ON task_snapshots
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT
    EXECUTE FUNCTION cs_snapshot_counts_deleted();
CREATE TRIGGER task_snapshots_counts_update AFTER UPDATE ON task_snapshots
    REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT
    EXECUTE FUNCTION cs_snapshot_counts_updated();
CREATE TRIGGER task_snapshots_counts_truncate AFTER TRUNCATE ON task_snapshots
    FOR EACH STATEMENT EXECUTE FUNCTION cs_snapshot_counts_truncated();
