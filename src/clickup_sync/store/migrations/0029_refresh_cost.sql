-- What a commit's refresh of the kept task rows costs (migrations 0014, 0020, 0025).
--
-- At 100k tasks and 1M time intervals, a sync batch of 2,000 changed tasks spent ~3 s at
-- its commit, most of it in three places:
--
-- * `cs_timezone()` called per time entry and per body. A SQL function whose body holds a
--   subquery is never inlined, and an argument that calls one keeps `cs_iso` and
--   `cs_task_body` from being inlined too: each call ran a function executor, ~75 µs,
--   against ~9 µs inlined (1.5 s of a batch's time entries, 0.9 s of its bodies). The view
--   and the refresh now read the timezone once per statement (a subquery kept apart by
--   OFFSET 0, so the planner does not fold the call back in) and pass it on as a column.
-- * `cs_json_compact` in SQL re-plans its recursive call at every level; in PL/pgSQL its
--   plans are kept for the session (~2.4x faster on dependency lists), same text.
-- * JIT compilation: the refresh's estimated cost is high, so a session with JIT on (the
--   sync's) compiled the flush's statements at each commit (~0.3 s). The flushes run
--   without JIT whoever commits.
--
-- The view's columns and every row's text are unchanged.

CREATE OR REPLACE VIEW tasks AS
SELECT
    t.id                                          AS clickup_task_id,
    t.name                                        AS title,
    t.description                                 AS description,
    CASE t.custom_item_id WHEN 1 THEN 'milestone' ELSE 'task' END AS type,
    t.status,
    t.status_type,
    CASE t.priority WHEN 1 THEN 'urgent' WHEN 2 THEN 'high' WHEN 3 THEN 'normal'
                    WHEN 4 THEN 'low' END         AS priority,
    (SELECT string_agg(tg.name, ', ' ORDER BY tg.name) FROM task_tags tg
      WHERE tg.task_id = t.id)                    AS tags,
    (SELECT array_agg(e.name ORDER BY e.name) FROM task_assignees a
       JOIN employees e ON e.clickup_user_id = a.user_id
      WHERE a.task_id = t.id)                     AS assignee_name,
    (SELECT string_agg(a.user_id::text, ',' ORDER BY a.user_id) FROM task_assignees a
      WHERE a.task_id = t.id)                     AS assignee_ids,
    (SELECT array_agg(e.id ORDER BY e.name) FROM task_assignees a
       JOIN employees e ON e.clickup_user_id = a.user_id
      WHERE a.task_id = t.id)                     AS employee_ids,
    (SELECT e.id FROM task_assignees a JOIN employees e ON e.clickup_user_id = a.user_id
      WHERE a.task_id = t.id ORDER BY e.name LIMIT 1) AS employee_id,
    (SELECT e.name FROM employees e WHERE e.clickup_user_id = t.creator_id) AS assigned_by,
    (SELECT string_agg(e.name, ', ' ORDER BY e.name) FROM task_watchers w
       JOIN employees e ON e.clickup_user_id = w.user_id
      WHERE w.task_id = t.id)                     AS followers,
    t.space_id,
    s.name                                        AS space_name,
    t.folder_id,
    f.name                                        AS folder_name,
    t.list_id,
    l.name                                        AS list_name,
    t.date_created,
    t.date_updated,
    t.date_done,
    t.date_closed,
    t.start_date,
    t.due_date,
    (t.time_estimate_ms / 60000)::integer         AS time_estimate_minutes,
    t.points                                      AS sprint_points,
    te.start_times,
    te.end_times,
    coalesce(te.tracked_minutes, 0)               AS tracked_minutes,
    (SELECT string_agg(c.text, ' | ' ORDER BY c.date DESC) FROM comments c
      WHERE c.task_id = t.id AND c.assignee_id IS NOT NULL AND NOT c.resolved
        AND NOT c.is_deleted)                     AS assigned_comment,
    (SELECT jsonb_agg(x.label ORDER BY x.label) FROM (
         SELECT 'waiting on ''' || coalesce(o.name, d.depends_on) || '''' AS label
           FROM task_dependencies d LEFT JOIN clickup_tasks o ON o.id = d.depends_on
          WHERE d.task_id = t.id
         UNION ALL
         SELECT 'blocking ''' || coalesce(o.name, d.task_id) || ''''
           FROM task_dependencies d LEFT JOIN clickup_tasks o ON o.id = d.task_id
          WHERE d.depends_on = t.id) x)           AS dependencies,
    coalesce((SELECT max(h.changed_at) FROM task_status_history h WHERE h.task_id = t.id),
             t.date_updated)                      AS last_status_change,
    t.archived,
    t.is_deleted,
    t.parent_id,
    t.date_updated                                AS updated_at
FROM clickup_tasks t
LEFT JOIN spaces s  ON s.id = t.space_id
LEFT JOIN folders f ON f.id = t.folder_id
LEFT JOIN lists l   ON l.id = t.list_id
CROSS JOIN (SELECT cs_timezone() OFFSET 0) z(tz)  -- read once, not per time entry
LEFT JOIN LATERAL (
    SELECT array_agg(cs_iso(e.start_at, z.tz) ORDER BY e.start_at DESC) AS start_times,
           array_agg(cs_iso(e.end_at, z.tz) ORDER BY e.start_at DESC)   AS end_times,
           (sum(e.duration_ms) / 60000)::integer                                 AS tracked_minutes
      FROM time_entries e
     WHERE e.task_id = t.id AND NOT e.is_deleted
) te ON true;

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
        CREATE OR REPLACE FUNCTION cs_refresh_task_rows(ids text[]) RETURNS void
        LANGUAGE sql AS $body$
            DELETE FROM task_rows r WHERE r.clickup_task_id = ANY (ids)
               AND NOT EXISTS (SELECT 1 FROM clickup_tasks t WHERE t.id = r.clickup_task_id);
            WITH changed AS (
                INSERT INTO task_rows AS r SELECT * FROM tasks WHERE clickup_task_id = ANY (ids)
                ON CONFLICT (clickup_task_id) DO UPDATE SET (%s) = ROW(%s)
                 WHERE ROW(r.*) IS DISTINCT FROM ROW(EXCLUDED.*)
                RETURNING r)
            INSERT INTO task_bodies (task_id, tz, body)
            SELECT (c.r).clickup_task_id, z.tz, cs_task_body(c.r, z.tz)
              FROM changed c, (SELECT cs_timezone() OFFSET 0) z(tz)
            ON CONFLICT (task_id) DO UPDATE SET (tz, body) = (EXCLUDED.tz, EXCLUDED.body);
            INSERT INTO task_bodies (task_id, tz, body)
            SELECT r.clickup_task_id, z.tz, cs_task_body(r, z.tz)
              FROM task_rows r, (SELECT cs_timezone() OFFSET 0) z(tz)
             WHERE r.clickup_task_id = ANY (ids)
               AND NOT EXISTS (SELECT 1 FROM task_bodies b WHERE b.task_id = r.clickup_task_id
                                  AND b.tz = z.tz)
            ON CONFLICT (task_id) DO UPDATE SET (tz, body) = (EXCLUDED.tz, EXCLUDED.body);
        $body$$f$, cols, excluded);
END
$do$;

CREATE OR REPLACE FUNCTION cs_json_compact(j jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN CASE jsonb_typeof(j)
        WHEN 'array' THEN '[' || coalesce((SELECT string_agg(cs_json_compact(e), ',' ORDER BY n)
                                             FROM jsonb_array_elements(j) WITH ORDINALITY a(e, n)),
                                          '') || ']'
        WHEN 'object' THEN '{' || coalesce((SELECT string_agg(to_json(k)::text || ':'
                                                              || cs_json_compact(v), ',')
                                              FROM jsonb_each(j) o(k, v)), '') || '}'
        ELSE coalesce(j::text, 'null')
    END;
END
$$;

ALTER FUNCTION cs_flush_task_rows() SET jit = off;
ALTER FUNCTION cs_flush_kept_work() SET jit = off;
