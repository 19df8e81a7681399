-- Blocking dependency edges, kept by the database (analytics/_risk_base.py `blocked_ctes`).
--
-- Blockers, the standup, the digest, the health score and the summaries find the tasks
-- that wait on an unfinished task: at 100k tasks that was each of the ~6.6k dependency
-- edges probed for its task waited on, then each of the ~4k candidates probed for being
-- open and in scope, on every call (~55 ms of a Space's blockers). `blocking_edges` holds
-- the answer: one row per edge from an open task (live, unarchived, status type not done
-- or closed) to an unfinished task (stored, not deleted, status type not done or closed),
-- with the waiting task's place, so a scope reads its edges at once. It is the view
-- `blocking_edges_source`, stored.
--
-- As 0025 keeps open work: statement triggers on clickup_tasks and task_dependencies only
-- note the tasks touched in `kept_work_stale` (kind 'b'), and the commit's flush
-- recomputes every edge from or to a noted task once.
--
-- Also: `open_assignments` (0021) by person, for the person summary's reads of one person's
-- open work (each was a scan of all ~66k rows: ~20 ms, now under 1 ms).

CREATE VIEW blocking_edges_source AS
SELECT d.task_id, d.depends_on, t.list_id, t.folder_id, t.space_id
  FROM task_dependencies d
  JOIN clickup_tasks t ON t.id = d.task_id
  JOIN clickup_tasks w ON w.id = d.depends_on
 WHERE NOT t.is_deleted AND NOT t.archived
   AND coalesce(t.status_type, '') NOT IN ('done', 'closed')
   AND NOT w.is_deleted AND coalesce(w.status_type, '') NOT IN ('done', 'closed');

CREATE TABLE blocking_edges AS SELECT * FROM blocking_edges_source WITH NO DATA;
ALTER TABLE blocking_edges ADD PRIMARY KEY (task_id, depends_on);
CREATE INDEX blocking_edges_on_idx ON blocking_edges (depends_on);

-- The edges from or to `ids` as the view gives them now; an edge that comes out the same
-- is not written.
CREATE FUNCTION cs_recompute_blocking_edges(ids text[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM blocking_edges k WHERE (k.task_id = ANY (ids) OR k.depends_on = ANY (ids))
       AND NOT EXISTS (SELECT FROM blocking_edges_source s
                        WHERE s.task_id = k.task_id AND s.depends_on = k.depends_on
                          AND ROW(s.*) IS NOT DISTINCT FROM ROW(k.*));
    INSERT INTO blocking_edges
    SELECT * FROM blocking_edges_source WHERE task_id = ANY (ids)
    UNION
    SELECT * FROM blocking_edges_source WHERE depends_on = ANY (ids)
    ON CONFLICT (task_id, depends_on) DO NOTHING;
$$;

-- Tasks: a new or removed task, or a change to a column the view reads (either end).
CREATE FUNCTION cs_blocking_tasks_changed() RETURNS trigger
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
                SELECT id, is_deleted, archived, status_type, list_id, folder_id, space_id
                  FROM cs_new
                EXCEPT
                SELECT id, is_deleted, archived, status_type, list_id, folder_id, space_id
                  FROM cs_old) c
            UNION
            SELECT o.id FROM cs_old o WHERE NOT EXISTS (SELECT FROM cs_new n WHERE n.id = o.id));
    END IF;
    IF cardinality(ids) > 0 THEN
        PERFORM cs_mark_kept_work('b', ids);
    END IF;
    RETURN NULL;
END
$$;

-- Dependencies: the waiting task of each edge added or removed (its edges are recomputed).
CREATE FUNCTION cs_blocking_dependencies_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM cs_mark_kept_work('b', ARRAY(SELECT DISTINCT task_id FROM cs_new));
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM cs_mark_kept_work('b', ARRAY(SELECT DISTINCT task_id FROM cs_old));
    END IF;
    RETURN NULL;
END
$$;

DO $$
DECLARE
    spec record;
BEGIN
    FOR spec IN SELECT * FROM (VALUES
            ('clickup_tasks', 'cs_blocking_tasks_changed()'),
            ('task_dependencies', 'cs_blocking_dependencies_changed()')) s(tab, fn)
    LOOP
        EXECUTE format('CREATE TRIGGER %1$s_blocking_insert AFTER INSERT ON %1$I '
                       'REFERENCING NEW TABLE AS cs_new FOR EACH STATEMENT '
                       'EXECUTE FUNCTION %2$s', spec.tab, spec.fn);
        EXECUTE format('CREATE TRIGGER %1$s_blocking_update AFTER UPDATE ON %1$I '
                       'REFERENCING OLD TABLE AS cs_old NEW TABLE AS cs_new '
                       'FOR EACH STATEMENT EXECUTE FUNCTION %2$s', spec.tab, spec.fn);
        EXECUTE format('CREATE TRIGGER %1$s_blocking_delete AFTER DELETE ON %1$I '
                       'REFERENCING OLD TABLE AS cs_old FOR EACH STATEMENT '
                       'EXECUTE FUNCTION %2$s', spec.tab, spec.fn);
    END LOOP;
END
$$;

-- 0025's flush, with kind 'b' (the blocking edges) added.
CREATE OR REPLACE FUNCTION cs_flush_kept_work() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM kept_work_stale
                WHERE xid = NEW.xid AND kind = NEW.kind AND task_id = NEW.task_id)
    THEN
        PERFORM pg_advisory_xact_lock(hashtext('clickup_sync.task_rows'));
        PERFORM cs_recompute_open_work(ARRAY(
            SELECT task_id FROM kept_work_stale WHERE kind = 'o'));
        PERFORM cs_recompute_task_estimates(ARRAY(
            WITH RECURSIVE up AS (
                SELECT task_id AS id FROM kept_work_stale WHERE kind = 'a'
                UNION
                SELECT t.parent_id FROM up JOIN clickup_tasks t ON t.id = up.id
                 WHERE t.parent_id IS NOT NULL)
            SELECT id FROM up
            UNION
            SELECT task_id FROM kept_work_stale WHERE kind = 'e'));
        PERFORM cs_recompute_blocking_edges(ARRAY(
            SELECT task_id FROM kept_work_stale WHERE kind = 'b'));
        DELETE FROM kept_work_stale;
    END IF;
    RETURN NULL;
END
$$;

-- The edges already stored.
INSERT INTO blocking_edges SELECT * FROM blocking_edges_source;
ANALYZE blocking_edges;

CREATE INDEX open_assignments_user_idx ON open_assignments (user_id);
ANALYZE open_assignments;
