-- Time in status and aging at 100k tasks (analytics/history.py).
--
-- 1. A stay in a status runs from its history row to the task's next one (by changed_at,
--    then id), and the last stay runs until now. `ended_at` stores when each stay ended
--    (NULL: the task's latest row), kept by statement triggers on task_status_history
--    whoever writes, so time_in_status reads only the stays that reach into its window
--    instead of ordering every history row. Two partial indexes hold the stays of statuses
--    not of type done/closed (the WHERE clauses must stay as history.time_in_status's):
--    the current ones by task (read alongside the open-task index, in id order), and the
--    ended ones by when they ended.
-- 2. Aging takes the median age of the open tasks from the middle of an index of them by
--    creation (the WHERE clause must stay history's LIVE AND NOT_DONE).
-- 3. The open tasks by due date (0006's index) also carry when each was created and last
--    updated: the weekly digest's overdue-at-week-end list and the standup's pass over a
--    Space's open work then read the index alone (WHERE clause: _risk_base.open_task()).
-- 4. Statistics on two expressions the planner otherwise guesses: coalesce(status_type, '')
--    (the open-task test, NOT IN ('done', 'closed'), was estimated at 96 % of the tasks
--    where it holds for about half, so queries over the open tasks read the whole table
--    instead of their indexes), and the completion time coalesce(date_done, date_closed)
--    (a week of completions was estimated at a third of all tasks; the partial index on it
--    gives the planner no statistics).

ALTER TABLE task_status_history ADD COLUMN ended_at timestamptz;

CREATE FUNCTION cs_refresh_stay_ends(ids text[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE task_status_history h SET ended_at = n.next_at
      FROM (SELECT s.id, lead(s.changed_at) OVER (PARTITION BY s.task_id
                                                  ORDER BY s.changed_at, s.id) AS next_at
              FROM task_status_history s WHERE s.task_id = ANY (ids)) n
     WHERE h.id = n.id AND h.ended_at IS DISTINCT FROM n.next_at;
$$;

CREATE FUNCTION cs_stay_ends_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ids text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        ids := ARRAY(SELECT DISTINCT task_id FROM cs_new);
    ELSIF TG_OP = 'DELETE' THEN
        ids := ARRAY(SELECT DISTINCT task_id FROM cs_old);
    ELSE
        -- Only a row that moved (another task or time) changes where stays end; the
        -- trigger's own update sets ended_at alone and so ends here.
        ids := ARRAY(SELECT o.task_id FROM cs_old o
                      WHERE NOT EXISTS (SELECT FROM cs_new n WHERE n.id = o.id
                                           AND n.task_id = o.task_id
                                           AND n.changed_at = o.changed_at)
                     UNION
                     SELECT n.task_id FROM cs_new n
                      WHERE NOT EXISTS (SELECT FROM cs_old o WHERE o.id = n.id
                                           AND o.task_id = n.task_id
                                           AND o.changed_at = n.changed_at));
    END IF;
    IF cardinality(ids) > 0 THEN
        PERFORM cs_refresh_stay_ends(ids);
    END IF;
    RETURN NULL;
END
$$;

-- The backfill sets ended_at alone: neither the first-active table (0013) nor the stored
-- task rows (0014) read it, so their triggers stay out of it.
ALTER TABLE task_status_history DISABLE TRIGGER USER;
UPDATE task_status_history h SET ended_at = n.next_at
  FROM (SELECT id, lead(changed_at) OVER (PARTITION BY task_id ORDER BY changed_at, id)
               AS next_at
          FROM task_status_history) n
 WHERE h.id = n.id AND n.next_at IS NOT NULL;
ALTER TABLE task_status_history ENABLE TRIGGER USER;

CREATE TRIGGER task_status_history_stay_ends_insert AFTER INSERT ON task_status_history
    REFERENCING NEW TABLE AS cs_new
    FOR EACH STATEMENT EXECUTE FUNCTION cs_stay_ends_changed();
CREATE TRIGGER task_status_history_stay_ends_update AFTER UPDATE ON task_status_history
    REFERENCING OLD TABLE AS cs_old NEW TABLE AS cs_new
    FOR EACH STATEMENT EXECUTE FUNCTION cs_stay_ends_changed();
CREATE TRIGGER task_status_history_stay_ends_delete AFTER DELETE ON task_status_history
    REFERENCING OLD TABLE AS cs_old
    FOR EACH STATEMENT EXECUTE FUNCTION cs_stay_ends_changed();

CREATE INDEX task_status_history_current_idx ON task_status_history (task_id)
    INCLUDE (status, status_type, changed_at)
    WHERE ended_at IS NULL AND coalesce(status_type, '') NOT IN ('done', 'closed');
CREATE INDEX task_status_history_ended_idx ON task_status_history (ended_at)
    INCLUDE (task_id, status, status_type, changed_at)
    WHERE ended_at IS NOT NULL AND coalesce(status_type, '') NOT IN ('done', 'closed');

CREATE INDEX clickup_tasks_open_created_idx ON clickup_tasks (date_created)
    INCLUDE (id, list_id, folder_id, space_id)
    WHERE NOT is_deleted AND NOT archived AND coalesce(status_type, '') NOT IN ('done', 'closed');

CREATE INDEX clickup_tasks_open_due_dates_idx ON clickup_tasks (due_date)
    INCLUDE (id, list_id, folder_id, space_id, status_type, date_created, date_updated)
    WHERE NOT is_deleted AND NOT archived AND coalesce(status_type, '') NOT IN ('done', 'closed');
DROP INDEX clickup_tasks_open_due_idx;

CREATE STATISTICS clickup_tasks_status_type_stats ON (coalesce(status_type, ''))
    FROM clickup_tasks;
CREATE STATISTICS clickup_tasks_completed_at_stats ON (coalesce(date_done, date_closed))
    FROM clickup_tasks;
ANALYZE clickup_tasks;
ANALYZE task_status_history;
