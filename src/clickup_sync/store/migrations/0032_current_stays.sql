-- Time in status's current stays, kept by the database (analytics/history.py).
--
-- time_in_status adds up, per status, each counted task's latest stay (until now) in a
-- status not done or closed. At 100k tasks that is ~53k stays, each joined to its task
-- (live, unarchived, in scope, unfinished or completed inside the window) on every call:
-- ~60 ms of the ~105 ms query went to the join. `current_stays` holds the stays with the
-- task columns the test reads, so a call reads one narrow table and no join. It is the
-- view `current_stays_source`, stored: one row per history row that ends no stay
-- (0018's `ended_at` is NULL) in a status not done or closed, of a task stored, not
-- deleted and not archived (a stay of any other task is never counted). Whether the task
-- counts is left to the reader: it depends on the window (a task completed inside it
-- counts, one completed before does not).
--
-- As 0025 keeps open work: statement triggers on clickup_tasks and task_status_history
-- only note the tasks touched (in `kept_stays_stale`, its own table, so the flushes of
-- 0025-0028 stay as they are), and a deferred constraint trigger recomputes each noted
-- task's rows once, at commit, under the lock those flushes take.

CREATE VIEW current_stays_source AS
SELECT h.id AS stay_id, h.task_id AS id, h.status, coalesce(h.status_type, 'open') AS kind,
       h.changed_at, t.list_id, t.folder_id, t.space_id,
       coalesce(t.status_type, '') NOT IN ('done', 'closed') AS unfinished,
       coalesce(t.date_done, t.date_closed) AS completed_at
  FROM task_status_history h
  JOIN clickup_tasks t ON t.id = h.task_id
 WHERE h.ended_at IS NULL AND coalesce(h.status_type, '') NOT IN ('done', 'closed')
   AND NOT t.is_deleted AND NOT t.archived;

CREATE TABLE current_stays AS SELECT * FROM current_stays_source WITH NO DATA;
ALTER TABLE current_stays ADD PRIMARY KEY (stay_id);
CREATE INDEX current_stays_task_idx ON current_stays (id);

CREATE TABLE kept_stays_stale (
    xid      bigint NOT NULL DEFAULT txid_current(),
    task_id  text   NOT NULL,
    PRIMARY KEY (xid, task_id)
);

-- The rows of `ids` as the view gives them now; a row that comes out the same is not
-- written.
CREATE FUNCTION cs_recompute_current_stays(ids text[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM current_stays k WHERE k.id = ANY (ids)
       AND NOT EXISTS (SELECT FROM current_stays_source s
                        WHERE s.stay_id = k.stay_id AND ROW(s.*) IS NOT DISTINCT FROM ROW(k.*));
    INSERT INTO current_stays
    SELECT * FROM current_stays_source WHERE id = ANY (ids)
    ON CONFLICT (stay_id) DO NOTHING;
$$;

CREATE FUNCTION cs_mark_current_stays(ids text[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO kept_stays_stale (task_id)
    SELECT DISTINCT i FROM unnest(ids) i WHERE i IS NOT NULL
    ON CONFLICT DO NOTHING;
$$;

-- Tasks: a new or removed task, or a change to a column the view reads.
CREATE FUNCTION cs_stays_tasks_changed() RETURNS trigger
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
            SELECT c.id FROM (
                SELECT id, is_deleted, archived, status_type, date_done, date_closed,
                       list_id, folder_id, space_id
                  FROM cs_new
                EXCEPT
                SELECT id, is_deleted, archived, status_type, date_done, date_closed,
                       list_id, folder_id, space_id
                  FROM cs_old) c
            UNION
            SELECT o.id FROM cs_old o WHERE NOT EXISTS (SELECT FROM cs_new n WHERE n.id = o.id));
    END IF;
    IF cardinality(ids) > 0 THEN
        PERFORM cs_mark_current_stays(ids);
    END IF;
    RETURN NULL;
END
$$;

-- History: the tasks of every row written (0018's trigger moves `ended_at` in an update of
-- its own, which comes here too).
CREATE FUNCTION cs_stays_history_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM cs_mark_current_stays(ARRAY(SELECT DISTINCT task_id FROM cs_new));
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM cs_mark_current_stays(ARRAY(SELECT DISTINCT task_id FROM cs_old));
    END IF;
    RETURN NULL;
END
$$;

-- Either table emptied: no stay of the rows that were there is left (nor any task for one).
CREATE FUNCTION cs_stays_cleared() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM current_stays;
    RETURN NULL;
END
$$;

DO $$
DECLARE
    spec record;
BEGIN
    FOR spec IN SELECT * FROM (VALUES
            ('clickup_tasks', 'cs_stays_tasks_changed()'),
            ('task_status_history', 'cs_stays_history_changed()')) s(tab, fn)
    LOOP
        EXECUTE format('CREATE TRIGGER %1$s_stays_insert AFTER INSERT ON %1$I '
                       'REFERENCING NEW TABLE AS cs_new FOR EACH STATEMENT '
                       'EXECUTE FUNCTION %2$s', spec.tab, spec.fn);
        EXECUTE format('CREATE TRIGGER %1$s_stays_update AFTER UPDATE ON %1$I '
                       'REFERENCING OLD TABLE AS cs_old NEW TABLE AS cs_new '
                       'FOR EACH STATEMENT EXECUTE FUNCTION %2$s', spec.tab, spec.fn);
        EXECUTE format('CREATE TRIGGER %1$s_stays_delete AFTER DELETE ON %1$I '
                       'REFERENCING OLD TABLE AS cs_old FOR EACH STATEMENT '
                       'EXECUTE FUNCTION %2$s', spec.tab, spec.fn);
        EXECUTE format('CREATE TRIGGER %1$s_stays_truncate AFTER TRUNCATE ON %1$I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION cs_stays_cleared()', spec.tab);
    END LOOP;
END
$$;

-- At commit: the first event recomputes every noted task; the others find theirs done.
CREATE FUNCTION cs_flush_current_stays() RETURNS trigger
LANGUAGE plpgsql SET jit = off AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM kept_stays_stale WHERE xid = NEW.xid AND task_id = NEW.task_id)
    THEN
        PERFORM pg_advisory_xact_lock(hashtext('clickup_sync.task_rows'));
        PERFORM cs_recompute_current_stays(ARRAY(SELECT task_id FROM kept_stays_stale));
        DELETE FROM kept_stays_stale;
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER kept_stays_stale_flush AFTER INSERT ON kept_stays_stale
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cs_flush_current_stays();

-- The stays already stored.
INSERT INTO current_stays SELECT * FROM current_stays_source;
ANALYZE current_stays;
