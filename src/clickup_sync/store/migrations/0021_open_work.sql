-- Open work per person, kept by the database (analytics/workload.py, reports.py,
-- composite.py).
--
-- The workload, the standup and the weekly report count every open task per assignee: at
-- 100k tasks that is ~50k open tasks, each met with its assignees and its time totals, on
-- every call. Two tables hold those numbers instead, kept equal to their definition at
-- every statement, whoever writes:
--
-- * `open_assignments`: one row per open live task and assignee (user 0: a task nobody is
--   assigned to), with what the metrics read of the task, its estimate left and whether a
--   timer runs on it. `first` marks one row per task, so totals count each task once. It
--   is the view `open_assignments_source`, stored: statement triggers on clickup_tasks,
--   task_assignees and task_time_totals recompute the rows of the tasks a statement
--   touched, and a row that comes out the same is not written.
-- * `open_work_counts`: those rows counted per person (user -1: every task once, for the
--   totals), in progress or not and UTC week of the due date ('infinity': none), at three
--   levels: per Space and Folder, per Space (Folder '*') and in all (Space and Folder
--   '*'), so the Workspace reads a few thousand rows, not one per person and Folder;
--   statement triggers on `open_assignments` add each write's net change.
--
-- What changes with the clock is left to the reader: tasks due in the current week are
-- read from `open_assignments` by due date to tell overdue from due soon, and a task with
-- a running timer counts its estimate left from the timer's length at the time of asking
-- (its `left_ms` there leaves the running timer out, and the counts leave it out whole).

CREATE VIEW open_assignments_source AS
SELECT t.id, coalesce(a.user_id, 0) AS user_id,
       a.user_id IS NULL OR a.user_id = (SELECT min(x.user_id) FROM task_assignees x
                                          WHERE x.task_id = t.id) AS first,
       t.list_id, t.folder_id, t.space_id, t.status_type, t.due_date, t.date_updated,
       t.time_estimate_ms AS est,
       CASE WHEN t.time_estimate_ms > 0
            THEN greatest(0, t.time_estimate_ms - coalesce(tt.ended_ms, 0)) END AS left_ms,
       coalesce(tt.running, 0) > 0 AS running
  FROM clickup_tasks t
  LEFT JOIN task_assignees a ON a.task_id = t.id
  LEFT JOIN task_time_totals tt ON tt.task_id = t.id
 WHERE NOT t.is_deleted AND NOT t.archived
   AND coalesce(t.status_type, '') NOT IN ('done', 'closed');

CREATE TABLE open_assignments AS SELECT * FROM open_assignments_source WITH NO DATA;
ALTER TABLE open_assignments ADD PRIMARY KEY (id, user_id);
ALTER TABLE open_assignments ALTER COLUMN first SET NOT NULL,
                             ALTER COLUMN running SET NOT NULL;

CREATE TABLE open_work_counts (
    space_id     text    NOT NULL,   -- '' when none, '*': every Space
    folder_id    text    NOT NULL,   -- '' when none, '*': every Folder of the Space
    user_id      bigint  NOT NULL,   -- -1: every task once; 0: nobody assigned
    doing        boolean NOT NULL,   -- status type custom
    due_week     date    NOT NULL,   -- Monday (UTC) of the due date; 'infinity': no due date
    tasks        bigint  NOT NULL,
    no_estimate  bigint  NOT NULL,   -- without an estimate (left_ms NULL)
    left_ms      numeric NOT NULL,   -- estimate left, tasks with a running timer left out
    PRIMARY KEY (space_id, folder_id, user_id, doing, due_week)
);
CREATE INDEX open_work_counts_folder_idx ON open_work_counts (folder_id);
CREATE INDEX open_work_counts_empty_idx ON open_work_counts (user_id) WHERE tasks = 0;

-- The rows of `ids` as the view gives them now.
CREATE FUNCTION cs_refresh_open_work(ids text[]) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM open_assignments o WHERE o.id = ANY (ids)
       AND NOT EXISTS (SELECT FROM open_assignments_source s
                        WHERE s.id = o.id AND ROW(s.*) IS NOT DISTINCT FROM ROW(o.*));
    INSERT INTO open_assignments SELECT * FROM open_assignments_source WHERE id = ANY (ids)
    ON CONFLICT (id, user_id) DO NOTHING;
$$;

-- Tasks: only a change to a column the view reads.
CREATE FUNCTION cs_open_work_tasks_changed() RETURNS trigger
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
                SELECT id, is_deleted, archived, status_type, list_id, folder_id, space_id,
                       due_date, date_updated, time_estimate_ms FROM cs_new
                EXCEPT
                SELECT id, is_deleted, archived, status_type, list_id, folder_id, space_id,
                       due_date, date_updated, time_estimate_ms FROM cs_old) c
            UNION
            SELECT o.id FROM cs_old o WHERE NOT EXISTS (SELECT FROM cs_new n WHERE n.id = o.id));
    END IF;
    IF cardinality(ids) > 0 THEN
        PERFORM cs_refresh_open_work(ids);
    END IF;
    RETURN NULL;
END
$$;

-- Assignees and time totals: the tasks their rows name.
CREATE FUNCTION cs_open_work_children_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ids text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        ids := ARRAY(SELECT DISTINCT task_id FROM cs_new);
    ELSIF TG_OP = 'DELETE' THEN
        ids := ARRAY(SELECT DISTINCT task_id FROM cs_old);
    ELSE
        ids := ARRAY(SELECT task_id FROM cs_new UNION SELECT task_id FROM cs_old);
    END IF;
    IF cardinality(ids) > 0 THEN
        PERFORM cs_refresh_open_work(ids);
    END IF;
    RETURN NULL;
END
$$;

-- A row's place in the counts, at the Folder level: its person, and the totals (-1) for a
-- task's first row.
CREATE FUNCTION cs_open_work_delta(o open_assignments, sign integer)
RETURNS SETOF open_work_counts
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(o.space_id, ''), coalesce(o.folder_id, ''), u,
           coalesce(o.status_type = 'custom', false),
           coalesce(date_trunc('week', o.due_date AT TIME ZONE 'UTC')::date, 'infinity'),
           sign::bigint, (sign * (o.left_ms IS NULL)::int)::bigint,
           (sign * CASE WHEN o.running THEN 0 ELSE coalesce(o.left_ms, 0) END)::numeric
      FROM unnest(CASE WHEN o.first THEN ARRAY[o.user_id, -1] ELSE ARRAY[o.user_id] END) u
$$;

-- Add deltas (rows of `cs_open_work_delta`) to the counts at the three levels; drop the
-- keys left empty.
CREATE FUNCTION cs_open_work_add(deltas open_work_counts[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO open_work_counts AS c
    SELECT l.space_id, l.folder_id, d.user_id, d.doing, d.due_week,
           sum(d.tasks), sum(d.no_estimate), sum(d.left_ms)
      FROM unnest(deltas) d,
           LATERAL (VALUES (d.space_id, d.folder_id), (d.space_id, '*'), ('*', '*'))
               AS l(space_id, folder_id)
     GROUP BY 1, 2, 3, 4, 5
    HAVING sum(d.tasks) <> 0 OR sum(d.no_estimate) <> 0 OR sum(d.left_ms) <> 0
     ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (space_id, folder_id, user_id, doing, due_week) DO UPDATE
       SET tasks = c.tasks + EXCLUDED.tasks, no_estimate = c.no_estimate + EXCLUDED.no_estimate,
           left_ms = c.left_ms + EXCLUDED.left_ms;
    DELETE FROM open_work_counts WHERE tasks = 0;
$$;

-- Each branch reads only the transition tables its event has.
CREATE FUNCTION cs_open_work_counts_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM cs_open_work_add(ARRAY(
            SELECT x FROM cs_new n, cs_open_work_delta(n, 1) x));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM cs_open_work_add(ARRAY(
            SELECT x FROM cs_old o, cs_open_work_delta(o, -1) x));
    ELSE
        PERFORM cs_open_work_add(ARRAY(
            SELECT x FROM cs_new n, cs_open_work_delta(n, 1) x
            UNION ALL
            SELECT x FROM cs_old o, cs_open_work_delta(o, -1) x));
    END IF;
    RETURN NULL;
END
$$;

DO $$
DECLARE
    spec record;
BEGIN
    FOR spec IN SELECT * FROM (VALUES
            ('open_assignments', 'cs_open_work_counts_apply()'),
            ('clickup_tasks', 'cs_open_work_tasks_changed()'),
            ('task_assignees', 'cs_open_work_children_changed()'),
            ('task_time_totals', 'cs_open_work_children_changed()')) s(tab, fn)
    LOOP
        EXECUTE format('CREATE TRIGGER %1$s_open_work_insert AFTER INSERT ON %1$I '
                       'REFERENCING NEW TABLE AS cs_new FOR EACH STATEMENT '
                       'EXECUTE FUNCTION %2$s', spec.tab, spec.fn);
        EXECUTE format('CREATE TRIGGER %1$s_open_work_update AFTER UPDATE ON %1$I '
                       'REFERENCING OLD TABLE AS cs_old NEW TABLE AS cs_new '
                       'FOR EACH STATEMENT EXECUTE FUNCTION %2$s', spec.tab, spec.fn);
        EXECUTE format('CREATE TRIGGER %1$s_open_work_delete AFTER DELETE ON %1$I '
                       'REFERENCING OLD TABLE AS cs_old FOR EACH STATEMENT '
                       'EXECUTE FUNCTION %2$s', spec.tab, spec.fn);
    END LOOP;
END
$$;

-- The open work already stored; its counts follow through the trigger above.
INSERT INTO open_assignments SELECT * FROM open_assignments_source;
CREATE INDEX open_assignments_due_idx ON open_assignments (due_date)
    INCLUDE (user_id, first, space_id, folder_id) WHERE due_date IS NOT NULL;
CREATE INDEX open_assignments_running_idx ON open_assignments (id) WHERE running;
ANALYZE open_assignments;
ANALYZE open_work_counts;
