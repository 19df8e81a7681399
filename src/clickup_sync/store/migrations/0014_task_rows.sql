-- The `tasks` view's rows, stored (the REST API's task listings read them).
--
-- A row of the `tasks` view costs a dozen lookups (assignees, tags, watchers, time entries
-- formatted in the configured timezone, comments, dependencies, status history), so a page
-- of 100 costs tens of milliseconds. `task_rows` holds each task's row as the view computes
-- it, and is kept equal to the view at every commit, whoever writes:
--
-- * statement triggers on every table the view reads add the ids of the tasks a statement
--   touched to `task_rows_stale` (a task once per transaction);
-- * a deferred constraint trigger on `task_rows_stale` recomputes those rows from the view
--   when the transaction commits, so a batch that writes a task, its tags, assignees,
--   watchers, dependencies and history recomputes it once, in the same transaction.
--
-- Within a writing transaction the stored rows show the state before it; every other
-- session sees them change with the commit. Renaming a member, Space, Folder or List marks
-- the tasks that show the name, renaming a task marks the tasks whose dependency labels
-- name it, and changing the timezone marks every task.

CREATE TABLE task_rows AS SELECT * FROM tasks WITH NO DATA;
ALTER TABLE task_rows ADD PRIMARY KEY (clickup_task_id);

-- Keyed by transaction too, so two transactions marking the same task never wait on
-- each other; a transaction sees only its own rows, and leaves none behind.
CREATE TABLE task_rows_stale (
    xid      bigint NOT NULL DEFAULT txid_current(),
    task_id  text   NOT NULL,
    PRIMARY KEY (xid, task_id)
);

-- Recompute the rows of `ids` from the view. A row that comes out the same is not written
-- (a full sync re-reads every task and changes few), and one that changed is updated in
-- place, so the table and its one index grow little between vacuums.
DO $do$
DECLARE
    cols text;
    excluded text;
BEGIN
    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum),
           string_agg('EXCLUDED.' || quote_ident(attname), ', ' ORDER BY attnum)
      INTO cols, excluded
      FROM pg_attribute
     WHERE attrelid = 'task_rows'::regclass AND attnum > 0 AND NOT attisdropped;
    EXECUTE format($f$
        CREATE FUNCTION cs_refresh_task_rows(ids text[]) RETURNS void
        LANGUAGE sql AS $body$
            DELETE FROM task_rows r WHERE r.clickup_task_id = ANY (ids)
               AND NOT EXISTS (SELECT 1 FROM clickup_tasks t WHERE t.id = r.clickup_task_id);
            INSERT INTO task_rows AS r SELECT * FROM tasks WHERE clickup_task_id = ANY (ids)
            ON CONFLICT (clickup_task_id) DO UPDATE SET (%s) = ROW(%s)
             WHERE ROW(r.*) IS DISTINCT FROM ROW(EXCLUDED.*);
        $body$$f$, cols, excluded);
END
$do$;

CREATE FUNCTION cs_mark_task_rows(ids text[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO task_rows_stale (task_id)
    SELECT DISTINCT i FROM unnest(ids) i WHERE i IS NOT NULL
    ON CONFLICT DO NOTHING;
$$;

-- At commit: the first event recomputes every stale task; the others find theirs done.
-- Flushes take turns (a lock held to the end of the transaction), so one that waited
-- reads what the other committed: two transactions touching one task never leave a row
-- that misses either's changes.
CREATE FUNCTION cs_flush_task_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM task_rows_stale WHERE xid = NEW.xid AND task_id = NEW.task_id)
    THEN
        PERFORM pg_advisory_xact_lock(hashtext('clickup_sync.task_rows'));
        PERFORM cs_refresh_task_rows(ARRAY(SELECT task_id FROM task_rows_stale));
        DELETE FROM task_rows_stale;
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER task_rows_stale_flush AFTER INSERT ON task_rows_stale
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cs_flush_task_rows();

-- Tables with a task_id: tags, assignees, watchers, status history, time entries, comments.
CREATE FUNCTION cs_task_child_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM cs_mark_task_rows(ARRAY(SELECT task_id FROM new_rows));
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM cs_mark_task_rows(ARRAY(SELECT task_id FROM old_rows));
    END IF;
    RETURN NULL;
END
$$;

-- Dependencies show on both ends.
CREATE FUNCTION cs_task_dependency_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM cs_mark_task_rows(ARRAY(SELECT task_id FROM new_rows
                                        UNION SELECT depends_on FROM new_rows));
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM cs_mark_task_rows(ARRAY(SELECT task_id FROM old_rows
                                        UNION SELECT depends_on FROM old_rows));
    END IF;
    RETURN NULL;
END
$$;

-- A task, and the tasks whose dependency labels name it.
CREATE FUNCTION cs_task_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ids text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        ids := ARRAY(SELECT id FROM new_rows);
    ELSIF TG_OP = 'UPDATE' THEN
        ids := ARRAY(SELECT id FROM new_rows UNION SELECT id FROM old_rows);
    ELSE
        ids := ARRAY(SELECT id FROM old_rows);
    END IF;
    PERFORM cs_mark_task_rows(ids || ARRAY(
        SELECT d.task_id FROM task_dependencies d WHERE d.depends_on = ANY (ids)
        UNION SELECT d.depends_on FROM task_dependencies d WHERE d.task_id = ANY (ids)));
    RETURN NULL;
END
$$;

-- Members: the tasks they are assigned to, watch or created, when a name or id changed.
CREATE FUNCTION cs_employee_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    users bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        users := ARRAY(SELECT clickup_user_id FROM new_rows);
    ELSIF TG_OP = 'UPDATE' THEN
        users := ARRAY(SELECT clickup_user_id FROM (
                           (SELECT clickup_user_id, id, name FROM new_rows
                            EXCEPT SELECT clickup_user_id, id, name FROM old_rows)
                           UNION ALL
                           (SELECT clickup_user_id, id, name FROM old_rows
                            EXCEPT SELECT clickup_user_id, id, name FROM new_rows)) c);
    ELSE
        users := ARRAY(SELECT clickup_user_id FROM old_rows);
    END IF;
    IF cardinality(users) > 0 THEN
        PERFORM cs_mark_task_rows(ARRAY(
            SELECT task_id FROM task_assignees WHERE user_id = ANY (users)
            UNION SELECT task_id FROM task_watchers WHERE user_id = ANY (users)
            UNION SELECT id FROM clickup_tasks WHERE creator_id = ANY (users)));
    END IF;
    RETURN NULL;
END
$$;

-- Spaces, Folders, Lists (TG_ARGV[0]: the clickup_tasks column naming them), when a name
-- or id changed.
CREATE FUNCTION cs_container_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changed text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        changed := ARRAY(SELECT id FROM new_rows);
    ELSIF TG_OP = 'UPDATE' THEN
        changed := ARRAY(SELECT id FROM (
                             (SELECT id, name FROM new_rows EXCEPT SELECT id, name FROM old_rows)
                             UNION ALL
                             (SELECT id, name FROM old_rows EXCEPT SELECT id, name FROM new_rows)
                         ) c);
    ELSE
        changed := ARRAY(SELECT id FROM old_rows);
    END IF;
    IF cardinality(changed) > 0 THEN
        PERFORM cs_mark_task_rows(ARRAY(SELECT id FROM clickup_tasks
                                         WHERE (CASE TG_ARGV[0] WHEN 'space_id' THEN space_id
                                                    WHEN 'folder_id' THEN folder_id
                                                    ELSE list_id END) = ANY (changed)));
    END IF;
    RETURN NULL;
END
$$;

-- The timezone: every task's times are shown in it.
CREATE FUNCTION cs_timezone_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changed boolean;
BEGIN
    IF TG_OP = 'INSERT' THEN
        changed := EXISTS (SELECT 1 FROM new_rows WHERE key = 'timezone');
    ELSIF TG_OP = 'UPDATE' THEN
        changed := EXISTS (SELECT key, value FROM new_rows WHERE key = 'timezone'
                           EXCEPT SELECT key, value FROM old_rows)
                   OR EXISTS (SELECT key, value FROM old_rows WHERE key = 'timezone'
                              EXCEPT SELECT key, value FROM new_rows);
    ELSE
        changed := EXISTS (SELECT 1 FROM old_rows WHERE key = 'timezone');
    END IF;
    IF changed THEN
        PERFORM cs_mark_task_rows(ARRAY(SELECT id FROM clickup_tasks));
    END IF;
    RETURN NULL;
END
$$;

DO $$
DECLARE
    spec record;
BEGIN
    FOR spec IN SELECT * FROM (VALUES
            ('clickup_tasks', 'cs_task_changed()'),
            ('task_tags', 'cs_task_child_changed()'),
            ('task_assignees', 'cs_task_child_changed()'),
            ('task_watchers', 'cs_task_child_changed()'),
            ('task_status_history', 'cs_task_child_changed()'),
            ('time_entries', 'cs_task_child_changed()'),
            ('comments', 'cs_task_child_changed()'),
            ('task_dependencies', 'cs_task_dependency_changed()'),
            ('employees', 'cs_employee_changed()'),
            ('spaces', 'cs_container_changed(''space_id'')'),
            ('folders', 'cs_container_changed(''folder_id'')'),
            ('lists', 'cs_container_changed(''list_id'')')) s(tab, fn)
    LOOP
        EXECUTE format('CREATE TRIGGER %1$s_rows_insert AFTER INSERT ON %1$I '
                       'REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT '
                       'EXECUTE FUNCTION %2$s', spec.tab, spec.fn);
        EXECUTE format('CREATE TRIGGER %1$s_rows_update AFTER UPDATE ON %1$I '
                       'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION %2$s', spec.tab, spec.fn);
        EXECUTE format('CREATE TRIGGER %1$s_rows_delete AFTER DELETE ON %1$I '
                       'REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT '
                       'EXECUTE FUNCTION %2$s', spec.tab, spec.fn);
    END LOOP;
END
$$;

-- app_settings: the timezone (inserted, changed or removed).
CREATE TRIGGER app_settings_rows_insert AFTER INSERT ON app_settings
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION cs_timezone_changed();
CREATE TRIGGER app_settings_rows_update AFTER UPDATE ON app_settings
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION cs_timezone_changed();
CREATE TRIGGER app_settings_rows_delete AFTER DELETE ON app_settings
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
    EXECUTE FUNCTION cs_timezone_changed();

INSERT INTO task_rows SELECT * FROM tasks;
ANALYZE task_rows;
