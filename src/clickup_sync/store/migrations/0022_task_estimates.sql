-- Estimates against time tracked, one row per done task, kept up to date
-- (analytics/time.py: estimation_accuracy, accuracy_of; health.py through it).
--
-- Estimation accuracy measures a quarter's done tasks (tens of thousands at 100k tasks),
-- each with its estimate and finished time rolled up over its subtasks at every level and
-- with its assignees. Walking the subtrees and hashing every task total and assignment on
-- each call cost most of the answer; `task_estimates` holds, per live, unarchived task of
-- status type done or closed with an estimate of its own and a completion time (date done,
-- else closed), what the metric reads of it:
--
-- * est, ended_ms: its own estimate and finished time (task_time_totals.ended_ms) plus
--   those of the live tasks below it at every level (reached through live tasks only, the
--   task itself not counted twice when a cycle of parents leads back to it). A running
--   timer grows with the clock, so it is left to the query (there are a handful);
-- * its place (List, Folder, Space) and its assignees (sorted user ids).
--
-- Statement triggers on clickup_tasks, task_time_totals (kept from time_entries by 0011's
-- triggers) and task_assignees recompute the rows of the tasks a statement touched and,
-- when a parent, a deletion, an estimate or a task's time changed, of every task above
-- them (by their parents before and after the change), so the table is always what its
-- definition gives, whoever writes. The WHERE clause of `cs_task_estimate_rows` must stay
-- time._measured_sql's, less its window.

CREATE TABLE task_estimates (
    id         text PRIMARY KEY,      -- the task's (as clickup_tasks.id, for scope tests)
    done_at    timestamptz NOT NULL,  -- coalesce(date_done, date_closed)
    est        bigint NOT NULL,       -- estimate (ms): its own plus the tasks' below
    ended_ms   bigint NOT NULL,       -- finished time (ms): its own plus the tasks' below
    list_id    text NOT NULL,
    folder_id  text,
    space_id   text,
    assignees  bigint[] NOT NULL
);
CREATE INDEX task_estimates_done_idx ON task_estimates (done_at)
    INCLUDE (id, est, ended_ms, list_id, folder_id, space_id, assignees);

-- What `task_estimates` holds for the tasks `ids` (none for a task it does not measure).
CREATE FUNCTION cs_task_estimate_rows(ids text[])
RETURNS SETOF task_estimates
LANGUAGE sql STABLE AS $$
    WITH RECURSIVE roots AS (
        SELECT t.id, coalesce(t.date_done, t.date_closed) AS done_at, t.time_estimate_ms AS est,
               t.list_id, t.folder_id, t.space_id
          FROM clickup_tasks t
         WHERE t.id = ANY (ids) AND NOT t.is_deleted AND NOT t.archived
           AND t.status_type IN ('done', 'closed') AND t.time_estimate_ms > 0
           AND coalesce(t.date_done, t.date_closed) IS NOT NULL),
    below AS (
        SELECT r.id AS root, c.id, c.time_estimate_ms AS est
          FROM roots r JOIN clickup_tasks c ON c.parent_id = r.id
         WHERE NOT c.is_deleted AND c.parent_id IS NOT NULL
        UNION
        SELECT b.root, c.id, c.time_estimate_ms
          FROM below b JOIN clickup_tasks c ON c.parent_id = b.id
         WHERE NOT c.is_deleted AND c.parent_id IS NOT NULL),
    sums AS (
        SELECT b.root, sum(b.est) AS est, sum(tt.ended_ms) AS ended_ms
          FROM below b LEFT JOIN task_time_totals tt ON tt.task_id = b.id
         WHERE b.id <> b.root GROUP BY b.root)
    SELECT r.id, r.done_at, (r.est + coalesce(s.est, 0))::bigint,
           (coalesce(tt.ended_ms, 0) + coalesce(s.ended_ms, 0))::bigint,
           r.list_id, r.folder_id, r.space_id,
           ARRAY(SELECT a.user_id FROM task_assignees a WHERE a.task_id = r.id
                  ORDER BY a.user_id)
      FROM roots r LEFT JOIN sums s ON s.root = r.id
      LEFT JOIN task_time_totals tt ON tt.task_id = r.id;
$$;

-- The rows of the tasks `ids` recomputed; a row that comes out the same is not written.
CREATE FUNCTION cs_refresh_task_estimates(ids text[]) RETURNS void
LANGUAGE sql AS $$
    WITH fresh AS (SELECT * FROM cs_task_estimate_rows(ids)),
    gone AS (
        DELETE FROM task_estimates x WHERE x.id = ANY (ids)
           AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.id = x.id))
    INSERT INTO task_estimates AS x SELECT * FROM fresh
    ON CONFLICT (id) DO UPDATE
       SET (done_at, est, ended_ms, list_id, folder_id, space_id, assignees)
           = (EXCLUDED.done_at, EXCLUDED.est, EXCLUDED.ended_ms, EXCLUDED.list_id,
              EXCLUDED.folder_id, EXCLUDED.space_id, EXCLUDED.assignees)
     WHERE ROW(x.*) IS DISTINCT FROM ROW(EXCLUDED.*);
$$;

-- The tasks `ids` and every task above them (by parent, stopping at a cycle), recomputed.
CREATE FUNCTION cs_refresh_task_estimates_above(ids text[]) RETURNS void
LANGUAGE sql AS $$
    WITH RECURSIVE up AS (
        SELECT DISTINCT i AS id FROM unnest(ids) i WHERE i IS NOT NULL
        UNION
        SELECT t.parent_id FROM up JOIN clickup_tasks t ON t.id = up.id
         WHERE t.parent_id IS NOT NULL)
    SELECT cs_refresh_task_estimates(ARRAY(SELECT id FROM up));
$$;

-- A task is measured by its status, dates, place and liveness, and counts in the rows
-- above it by its parent, its deletion and its estimate: an update changing none of these
-- (most of a sync's) recomputes nothing. Old and new parents are both walked up, so a task
-- that moved leaves its old ancestors' rows and joins its new ones.
CREATE FUNCTION cs_estimate_tasks_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ids text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        ids := ARRAY(SELECT id FROM cs_new UNION SELECT parent_id FROM cs_new);
    ELSIF TG_OP = 'DELETE' THEN
        ids := ARRAY(SELECT id FROM cs_old UNION SELECT parent_id FROM cs_old);
    ELSE
        ids := ARRAY(
            SELECT unnest(ARRAY[n.id, o.id, n.parent_id, o.parent_id])
              FROM cs_new n FULL JOIN cs_old o ON o.id = n.id
             WHERE (n.parent_id, n.is_deleted, n.time_estimate_ms, n.archived, n.status_type,
                    n.date_done, n.date_closed, n.list_id, n.folder_id, n.space_id)
                   IS DISTINCT FROM
                   (o.parent_id, o.is_deleted, o.time_estimate_ms, o.archived, o.status_type,
                    o.date_done, o.date_closed, o.list_id, o.folder_id, o.space_id));
    END IF;
    IF cardinality(ids) > 0 THEN
        PERFORM cs_refresh_task_estimates_above(ids);
    END IF;
    RETURN NULL;
END
$$;

-- A task's finished time counts in its row and in the rows above it.
CREATE FUNCTION cs_estimate_time_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ids text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        ids := ARRAY(SELECT task_id FROM cs_new);
    ELSIF TG_OP = 'DELETE' THEN
        ids := ARRAY(SELECT task_id FROM cs_old);
    ELSE
        ids := ARRAY(
            SELECT coalesce(n.task_id, o.task_id)
              FROM cs_new n FULL JOIN cs_old o ON o.task_id = n.task_id
             WHERE n.ended_ms IS DISTINCT FROM o.ended_ms);
    END IF;
    IF cardinality(ids) > 0 THEN
        PERFORM cs_refresh_task_estimates_above(ids);
    END IF;
    RETURN NULL;
END
$$;

-- A task's assignees are in its own row only.
CREATE FUNCTION cs_estimate_assignees_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM cs_refresh_task_estimates(ARRAY(SELECT DISTINCT task_id FROM cs_new));
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM cs_refresh_task_estimates(ARRAY(SELECT DISTINCT task_id FROM cs_old));
    END IF;
    RETURN NULL;
END
$$;

DO $$
DECLARE
    spec record;
BEGIN
    FOR spec IN SELECT * FROM (VALUES ('clickup_tasks', 'cs_estimate_tasks_changed()'),
                                      ('task_time_totals', 'cs_estimate_time_changed()'),
                                      ('task_assignees', 'cs_estimate_assignees_changed()')
                              ) s(tab, fn)
    LOOP
        EXECUTE format('CREATE TRIGGER %1$s_estimates_insert AFTER INSERT ON %1$I '
                       'REFERENCING NEW TABLE AS cs_new FOR EACH STATEMENT '
                       'EXECUTE FUNCTION %2$s', spec.tab, spec.fn);
        EXECUTE format('CREATE TRIGGER %1$s_estimates_update AFTER UPDATE ON %1$I '
                       'REFERENCING OLD TABLE AS cs_old NEW TABLE AS cs_new '
                       'FOR EACH STATEMENT EXECUTE FUNCTION %2$s', spec.tab, spec.fn);
        EXECUTE format('CREATE TRIGGER %1$s_estimates_delete AFTER DELETE ON %1$I '
                       'REFERENCING OLD TABLE AS cs_old FOR EACH STATEMENT '
                       'EXECUTE FUNCTION %2$s', spec.tab, spec.fn);
    END LOOP;
END
$$;

INSERT INTO task_estimates SELECT * FROM cs_task_estimate_rows(ARRAY(
    SELECT id FROM clickup_tasks WHERE NOT is_deleted AND NOT archived
       AND status_type IN ('done', 'closed') AND time_estimate_ms > 0));
ANALYZE task_estimates;
