-- The original tool's shape: a `tasks` view and a `daily_syncs` view of today's snapshot, so
-- queries written against the tool we replace keep working. Times are shown in the configured
-- timezone (app_settings 'timezone').

CREATE FUNCTION cs_timezone() RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT value FROM app_settings WHERE key = 'timezone'), 'UTC')
$$;

-- ISO-8601 text of an instant with the offset of a timezone, e.g. 2026-11-25T10:30:00+05:30.
CREATE FUNCTION cs_iso(ts timestamptz, tz text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN ts IS NULL THEN NULL ELSE
        to_char(ts AT TIME ZONE tz, 'YYYY-MM-DD"T"HH24:MI:SS')
        || CASE WHEN (ts AT TIME ZONE tz) - (ts AT TIME ZONE 'UTC') < interval '0'
                THEN '-' ELSE '+' END
        || to_char(abs(extract(epoch FROM (ts AT TIME ZONE tz) - (ts AT TIME ZONE 'UTC')))
                   * interval '1 second', 'HH24:MI')
    END
$$;

CREATE VIEW tasks AS
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
LEFT JOIN LATERAL (
    SELECT array_agg(cs_iso(e.start_at, cs_timezone()) ORDER BY e.start_at DESC) AS start_times,
           array_agg(cs_iso(e.end_at, cs_timezone()) ORDER BY e.start_at DESC)   AS end_times,
           (sum(e.duration_ms) / 60000)::integer                                 AS tracked_minutes
      FROM time_entries e
     WHERE e.task_id = t.id AND NOT e.is_deleted
) te ON true;

-- One row per task per day, history kept. The typed columns serve analytics (cumulative
-- flow); `data` holds the whole `tasks` row of that day.
CREATE TABLE task_snapshots (
    snapshot_date  date NOT NULL,
    task_id        text NOT NULL,
    status         text NOT NULL,
    status_type    text,
    list_id        text,
    folder_id      text,
    space_id       text,
    archived       boolean NOT NULL DEFAULT false,
    data           jsonb NOT NULL,
    taken_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (snapshot_date, task_id)
);
CREATE INDEX task_snapshots_list_idx ON task_snapshots (list_id, snapshot_date);

CREATE VIEW daily_syncs AS
SELECT r.*
FROM task_snapshots s,
     LATERAL jsonb_populate_record(NULL::tasks, s.data) r
WHERE s.snapshot_date = (now() AT TIME ZONE cs_timezone())::date;
