-- Tasks added to a second List, kept by the database (analytics/workspace.py `tally`).
--
-- The hierarchy views (workspaces, spaces, lists, hierarchy, project discovery) count a
-- List's own tasks from `list_task_counts` (0010) and the tasks added to it from other
-- Lists (Tasks in Multiple Lists) from `task_locations`, each row met with its task to
-- read its status and whether it is live: at 100k tasks, ~3k random reads of the task
-- table cost ~35 ms on every call. `list_added_tasks` holds those rows with what `tally`
-- reads of their task: one row per location whose task is not deleted and lives in
-- another List (the view `list_added_tasks_source`, stored).
--
-- Like 0025's kept tables, statement triggers on `task_locations` and `clickup_tasks` only
-- note the tasks a statement touched (in `kept_added_stale`), and a deferred constraint
-- trigger recomputes each noted task once when the transaction commits, taking the lock
-- the other flushes take (0014, 0025). A task's rows are rewritten only when they differ.

CREATE VIEW list_added_tasks_source AS
SELECT x.task_id, x.list_id, t.status_type, t.archived
  FROM task_locations x JOIN clickup_tasks t ON t.id = x.task_id
 WHERE t.list_id <> x.list_id AND NOT t.is_deleted;

CREATE TABLE list_added_tasks (
    task_id      text    NOT NULL,
    list_id      text    NOT NULL,   -- the List it is added to (not its home List)
    status_type  text,
    archived     boolean NOT NULL,
    PRIMARY KEY (task_id, list_id)
);
CREATE INDEX list_added_tasks_list_idx ON list_added_tasks (list_id);

CREATE TABLE kept_added_stale (
    xid      bigint NOT NULL DEFAULT txid_current(),
    task_id  text   NOT NULL,
    PRIMARY KEY (xid, task_id)
);

-- The rows of `ids` as the view gives them now; a row that comes out the same is kept.
CREATE FUNCTION cs_recompute_list_added(ids text[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM list_added_tasks a WHERE a.task_id = ANY (ids)
       AND NOT EXISTS (SELECT FROM list_added_tasks_source s
                        WHERE s.task_id = a.task_id AND s.list_id = a.list_id
                          AND ROW(s.*) IS NOT DISTINCT FROM ROW(a.*));
    INSERT INTO list_added_tasks SELECT * FROM list_added_tasks_source
     WHERE task_id = ANY (ids)
    ON CONFLICT (task_id, list_id) DO NOTHING;
$$;

CREATE FUNCTION cs_mark_list_added(ids text[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO kept_added_stale (task_id)
    SELECT DISTINCT i FROM unnest(ids) i WHERE i IS NOT NULL
    ON CONFLICT DO NOTHING;
$$;

-- Locations: the tasks their rows name.
CREATE FUNCTION cs_list_added_locations_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM cs_mark_list_added(ARRAY(SELECT task_id FROM cs_new));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM cs_mark_list_added(ARRAY(SELECT task_id FROM cs_old));
    ELSE
        PERFORM cs_mark_list_added(ARRAY(SELECT task_id FROM cs_new
                                         UNION SELECT task_id FROM cs_old));
    END IF;
    RETURN NULL;
END
$$;

-- Tasks: only those in some second List, and on an update only when a column the view
-- reads changed.
CREATE FUNCTION cs_list_added_tasks_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM cs_mark_list_added(ARRAY(
            SELECT n.id FROM cs_new n
             WHERE EXISTS (SELECT FROM task_locations x WHERE x.task_id = n.id)));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM cs_mark_list_added(ARRAY(
            SELECT o.id FROM cs_old o
             WHERE EXISTS (SELECT FROM list_added_tasks a WHERE a.task_id = o.id)));
    ELSE
        PERFORM cs_mark_list_added(ARRAY(
            SELECT c.id FROM (
                SELECT id, list_id, status_type, archived, is_deleted FROM cs_new
                EXCEPT
                SELECT id, list_id, status_type, archived, is_deleted FROM cs_old) c
             WHERE EXISTS (SELECT FROM task_locations x WHERE x.task_id = c.id)
            UNION
            SELECT o.id FROM cs_old o
             WHERE NOT EXISTS (SELECT FROM cs_new n WHERE n.id = o.id)
               AND EXISTS (SELECT FROM list_added_tasks a WHERE a.task_id = o.id)));
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER task_locations_added_insert AFTER INSERT ON task_locations
    REFERENCING NEW TABLE AS cs_new
    FOR EACH STATEMENT EXECUTE FUNCTION cs_list_added_locations_changed();
CREATE TRIGGER task_locations_added_update AFTER UPDATE ON task_locations
    REFERENCING OLD TABLE AS cs_old NEW TABLE AS cs_new
    FOR EACH STATEMENT EXECUTE FUNCTION cs_list_added_locations_changed();
CREATE TRIGGER task_locations_added_delete AFTER DELETE ON task_locations
    REFERENCING OLD TABLE AS cs_old
    FOR EACH STATEMENT EXECUTE FUNCTION cs_list_added_locations_changed();
CREATE TRIGGER clickup_tasks_added_insert AFTER INSERT ON clickup_tasks
    REFERENCING NEW TABLE AS cs_new
    FOR EACH STATEMENT EXECUTE FUNCTION cs_list_added_tasks_changed();
CREATE TRIGGER clickup_tasks_added_update AFTER UPDATE ON clickup_tasks
    REFERENCING OLD TABLE AS cs_old NEW TABLE AS cs_new
    FOR EACH STATEMENT EXECUTE FUNCTION cs_list_added_tasks_changed();
CREATE TRIGGER clickup_tasks_added_delete AFTER DELETE ON clickup_tasks
    REFERENCING OLD TABLE AS cs_old
    FOR EACH STATEMENT EXECUTE FUNCTION cs_list_added_tasks_changed();

-- A TRUNCATE of either table leaves no added task.
CREATE FUNCTION cs_list_added_clear() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM list_added_tasks;
    RETURN NULL;
END $$;
CREATE TRIGGER task_locations_added_truncate AFTER TRUNCATE ON task_locations
    FOR EACH STATEMENT EXECUTE FUNCTION cs_list_added_clear();
CREATE TRIGGER clickup_tasks_added_truncate AFTER TRUNCATE ON clickup_tasks
    FOR EACH STATEMENT EXECUTE FUNCTION cs_list_added_clear();

-- At commit: the first event recomputes every noted task; the others find theirs done.
CREATE FUNCTION cs_flush_list_added() RETURNS trigger
LANGUAGE plpgsql SET jit = off AS $$  -- no JIT whoever commits (see 0029)
BEGIN
    IF EXISTS (SELECT 1 FROM kept_added_stale
                WHERE xid = NEW.xid AND task_id = NEW.task_id)
    THEN
        PERFORM pg_advisory_xact_lock(hashtext('clickup_sync.task_rows'));
        PERFORM cs_recompute_list_added(ARRAY(SELECT task_id FROM kept_added_stale));
        DELETE FROM kept_added_stale;
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER kept_added_stale_flush AFTER INSERT ON kept_added_stale
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cs_flush_list_added();

-- The locations already stored (the tables are locked by the triggers' creation).
INSERT INTO list_added_tasks SELECT * FROM list_added_tasks_source;
ANALYZE list_added_tasks;
