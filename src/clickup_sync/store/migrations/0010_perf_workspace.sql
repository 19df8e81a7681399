-- Task counts per List, kept by the database (analytics/workspace.py `tally`, sync_status).
--
-- The hierarchy views (workspaces, spaces, folders, lists, hierarchy, projects) count live
-- tasks per Space, Folder and List by status type; counting 100k task rows each time costs
-- ~100 ms. `list_task_counts` holds those counts per home List (with the task's own Folder
-- and Space, '' when none), status type ('' when none) and archived flag; deleted tasks are
-- never counted. Statement-level triggers add each write's net change (its new rows minus
-- its old rows, read from the transition tables), so every writer keeps the counts exact:
-- a bulk upsert of the sync costs one small aggregate, and one that changes no counted
-- column writes nothing.

CREATE TABLE list_task_counts (
    list_id      text    NOT NULL,
    folder_id    text    NOT NULL,
    space_id     text    NOT NULL,
    status_type  text    NOT NULL,
    archived     boolean NOT NULL,
    tasks        bigint  NOT NULL,
    PRIMARY KEY (list_id, folder_id, space_id, status_type, archived)
);

CREATE FUNCTION cs_list_task_counts_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Each branch reads only the transition tables its event has.
    IF TG_OP = 'INSERT' THEN
        INSERT INTO list_task_counts AS c
        SELECT list_id, coalesce(folder_id, ''), coalesce(space_id, ''),
               coalesce(status_type, ''), archived, count(*)
          FROM cs_new WHERE NOT is_deleted
         GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (list_id, folder_id, space_id, status_type, archived)
        DO UPDATE SET tasks = c.tasks + EXCLUDED.tasks;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO list_task_counts AS c
        SELECT list_id, folder_id, space_id, status_type, archived, sum(d)
          FROM (SELECT list_id, coalesce(folder_id, '') AS folder_id,
                       coalesce(space_id, '') AS space_id,
                       coalesce(status_type, '') AS status_type, archived, 1 AS d
                  FROM cs_new WHERE NOT is_deleted
                UNION ALL
                SELECT list_id, coalesce(folder_id, ''), coalesce(space_id, ''),
                       coalesce(status_type, ''), archived, -1
                  FROM cs_old WHERE NOT is_deleted) x
         GROUP BY 1, 2, 3, 4, 5 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (list_id, folder_id, space_id, status_type, archived)
        DO UPDATE SET tasks = c.tasks + EXCLUDED.tasks;
    ELSE
        INSERT INTO list_task_counts AS c
        SELECT list_id, coalesce(folder_id, ''), coalesce(space_id, ''),
               coalesce(status_type, ''), archived, -count(*)
          FROM cs_old WHERE NOT is_deleted
         GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (list_id, folder_id, space_id, status_type, archived)
        DO UPDATE SET tasks = c.tasks + EXCLUDED.tasks;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER clickup_tasks_counts_insert AFTER INSERT ON clickup_tasks
    REFERENCING NEW TABLE AS cs_new
    FOR EACH STATEMENT EXECUTE FUNCTION cs_list_task_counts_apply();
CREATE TRIGGER clickup_tasks_counts_update AFTER UPDATE ON clickup_tasks
    REFERENCING OLD TABLE AS cs_old NEW TABLE AS cs_new
    FOR EACH STATEMENT EXECUTE FUNCTION cs_list_task_counts_apply();
CREATE TRIGGER clickup_tasks_counts_delete AFTER DELETE ON clickup_tasks
    REFERENCING OLD TABLE AS cs_old
    FOR EACH STATEMENT EXECUTE FUNCTION cs_list_task_counts_apply();

-- A TRUNCATE leaves no task to count.
CREATE FUNCTION cs_list_task_counts_clear() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM list_task_counts;
    RETURN NULL;
END $$;
CREATE TRIGGER clickup_tasks_counts_truncate AFTER TRUNCATE ON clickup_tasks
    FOR EACH STATEMENT EXECUTE FUNCTION cs_list_task_counts_clear();

-- The tasks already stored (the table is locked by the triggers' creation until commit).
INSERT INTO list_task_counts
SELECT list_id, coalesce(folder_id, ''), coalesce(space_id, ''), coalesce(status_type, ''),
       archived, count(*)
  FROM clickup_tasks WHERE NOT is_deleted GROUP BY 1, 2, 3, 4, 5;
