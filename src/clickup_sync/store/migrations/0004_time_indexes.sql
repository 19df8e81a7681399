-- Time and workload analytics (analytics/time.py, analytics/workload.py).
--
-- Hours are summed over many intervals (a month of a large Workspace is tens of thousands),
-- so the two ways intervals are found, by start time and by task, get covering indexes on
-- the live intervals: the sums then read only the index, not the wide rows. Activity per
-- person (inactive assignees) needs comments and created tasks by author and date.

CREATE INDEX time_entries_live_start_idx
    ON time_entries (start_at) INCLUDE (user_id, task_id, duration_ms, end_at)
    WHERE NOT is_deleted;
CREATE INDEX time_entries_live_task_idx
    ON time_entries (task_id) INCLUDE (user_id, start_at, duration_ms, end_at)
    WHERE NOT is_deleted;
CREATE INDEX comments_user_date_idx ON comments (user_id, date) WHERE NOT is_deleted;
CREATE INDEX clickup_tasks_creator_idx ON clickup_tasks (creator_id, date_created)
    WHERE NOT is_deleted;
-- Live tasks by status type, with where they sit and their dates and estimate: open work per
-- person, tasks nobody tracks time on, and joining intervals to their tasks read this small
-- index instead of the wide task rows.
CREATE INDEX clickup_tasks_live_status_idx
    ON clickup_tasks (status_type)
    INCLUDE (id, list_id, folder_id, space_id, custom_item_id, due_date, time_estimate_ms,
             date_updated, date_done, date_closed)
    WHERE NOT is_deleted AND NOT archived;
-- Deleted tasks: ClickUp keeps their time on no task, and so do the hours per person.
CREATE INDEX clickup_tasks_deleted_idx ON clickup_tasks (id) WHERE is_deleted;
