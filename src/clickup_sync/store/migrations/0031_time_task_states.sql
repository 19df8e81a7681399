-- Tasks with time on them that are not live, kept by the database (analytics/time.py:
-- hours per person over the Workspace, and so workload's last seven days).
--
-- Hours per person keep the (person, task) sums of a window whose task is live, and, over
-- the Workspace, those on no task or on a deleted task; the others (an archived task, a
-- task not stored) are left out. Telling them apart met every sum with a hash of all live
-- tasks (~97k at 100k tasks: about a third of a month's hours per person). Few tasks with
-- time are not live, so `time_task_states` holds those alone: each task of
-- `task_time_totals` (0011: a task with live intervals) that is archived ('archived'),
-- deleted ('deleted', archived or not) or not stored ('unknown'). A task with time and no
-- row here is live. It is the view `time_task_states_source`, stored.
--
-- Like `task_time_totals`, from which it follows, it is kept at each statement: statement
-- triggers on clickup_tasks (a task added or removed, or its is_deleted or archived
-- changed) and on task_time_totals (a task gaining or losing its last live interval)
-- recompute the rows of those tasks. A sync batch that changes no task's state recomputes
-- nothing but the tasks it adds.

CREATE VIEW time_task_states_source AS
SELECT tt.task_id,
       CASE WHEN t.id IS NULL THEN 'unknown' WHEN t.is_deleted THEN 'deleted'
            ELSE 'archived' END AS state
  FROM task_time_totals tt
  LEFT JOIN clickup_tasks t ON t.id = tt.task_id
 WHERE t.id IS NULL OR t.is_deleted OR t.archived;

CREATE TABLE time_task_states (
    task_id  text PRIMARY KEY,
    state    text NOT NULL CHECK (state IN ('archived', 'deleted', 'unknown'))
);

-- The rows of the tasks `ids` as the view gives them now; a row that comes out the same
-- is not written.
CREATE FUNCTION cs_recompute_time_task_states(ids text[]) RETURNS void
LANGUAGE sql SET jit = off AS $$  -- a few ids a statement: never worth compiling (see 0029)
    DELETE FROM time_task_states k WHERE k.task_id = ANY (ids)
       AND NOT EXISTS (SELECT FROM time_task_states_source s
                        WHERE s.task_id = k.task_id AND s.state = k.state);
    INSERT INTO time_task_states
    SELECT * FROM time_task_states_source WHERE task_id = ANY (ids)
    ON CONFLICT (task_id) DO UPDATE SET state = EXCLUDED.state;
$$;

-- Tasks: added or removed, or their is_deleted or archived changed.
CREATE FUNCTION cs_time_states_tasks_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ids text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        ids := ARRAY(SELECT id FROM cs_new);
    ELSIF TG_OP = 'DELETE' THEN
        ids := ARRAY(SELECT id FROM cs_old);
    ELSE
        ids := ARRAY(
            SELECT c.id FROM (SELECT id, is_deleted, archived FROM cs_new
                              EXCEPT
                              SELECT id, is_deleted, archived FROM cs_old) c
            UNION
            SELECT o.id FROM cs_old o WHERE NOT EXISTS (SELECT FROM cs_new n WHERE n.id = o.id));
    END IF;
    IF cardinality(ids) > 0 THEN
        PERFORM cs_recompute_time_task_states(ids);
    END IF;
    RETURN NULL;
END
$$;

-- Task time totals: a task that gained its first live interval or lost its last one.
CREATE FUNCTION cs_time_states_totals_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ids text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        ids := ARRAY(SELECT task_id FROM cs_new);
    ELSIF TG_OP = 'DELETE' THEN
        ids := ARRAY(SELECT task_id FROM cs_old);
    ELSE
        ids := ARRAY(SELECT task_id FROM cs_new EXCEPT SELECT task_id FROM cs_old
                     UNION
                     SELECT task_id FROM cs_old EXCEPT SELECT task_id FROM cs_new);
    END IF;
    IF cardinality(ids) > 0 THEN
        PERFORM cs_recompute_time_task_states(ids);
    END IF;
    RETURN NULL;
END
$$;

DO $$
DECLARE
    spec record;
BEGIN
    FOR spec IN SELECT * FROM (VALUES
            ('clickup_tasks', 'cs_time_states_tasks_changed()'),
            ('task_time_totals', 'cs_time_states_totals_changed()')) s(tab, fn)
    LOOP
        EXECUTE format('CREATE TRIGGER %1$s_time_states_insert AFTER INSERT ON %1$I '
                       'REFERENCING NEW TABLE AS cs_new FOR EACH STATEMENT '
                       'EXECUTE FUNCTION %2$s', spec.tab, spec.fn);
        EXECUTE format('CREATE TRIGGER %1$s_time_states_update AFTER UPDATE ON %1$I '
                       'REFERENCING OLD TABLE AS cs_old NEW TABLE AS cs_new '
                       'FOR EACH STATEMENT EXECUTE FUNCTION %2$s', spec.tab, spec.fn);
        EXECUTE format('CREATE TRIGGER %1$s_time_states_delete AFTER DELETE ON %1$I '
                       'REFERENCING OLD TABLE AS cs_old FOR EACH STATEMENT '
                       'EXECUTE FUNCTION %2$s', spec.tab, spec.fn);
    END LOOP;
END
$$;

-- A TRUNCATE of either table: every row recomputed.
CREATE FUNCTION cs_time_states_rebuild() RETURNS trigger
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    DELETE FROM time_task_states;
    INSERT INTO time_task_states SELECT * FROM time_task_states_source;
    RETURN NULL;
END $$;
CREATE TRIGGER clickup_tasks_time_states_truncate AFTER TRUNCATE ON clickup_tasks
    FOR EACH STATEMENT EXECUTE FUNCTION cs_time_states_rebuild();
CREATE TRIGGER task_time_totals_time_states_truncate AFTER TRUNCATE ON task_time_totals
    FOR EACH STATEMENT EXECUTE FUNCTION cs_time_states_rebuild();

-- The tasks already stored (the tables are locked by the triggers' creation until commit).
INSERT INTO time_task_states SELECT * FROM time_task_states_source;
ANALYZE time_task_states;
