-- Flow analytics (analytics/flow.py, analytics/history.py): find tasks by completion and
-- creation time and status changes by time; read a task's status history, and the daily
-- snapshots of a day, Space or Folder, from the index alone (snapshot rows are wide).

CREATE INDEX clickup_tasks_completed_at_idx
    ON clickup_tasks ((coalesce(date_done, date_closed)))
    WHERE NOT is_deleted AND status_type IN ('done', 'closed');
CREATE INDEX clickup_tasks_created_at_idx ON clickup_tasks (date_created) WHERE NOT is_deleted;

CREATE INDEX task_status_history_changed_idx ON task_status_history (changed_at);
CREATE INDEX task_status_history_flow_idx
    ON task_status_history (task_id, changed_at, id) INCLUDE (status, status_type);

-- The day's time estimate, typed, so burndown sums it from an index instead of each `data`.
ALTER TABLE task_snapshots ADD COLUMN time_estimate_minutes numeric
    GENERATED ALWAYS AS (CASE WHEN jsonb_typeof(data -> 'time_estimate_minutes') = 'number'
                              THEN (data ->> 'time_estimate_minutes')::numeric END) STORED;

CREATE INDEX task_snapshots_date_flow_idx ON task_snapshots (snapshot_date)
    INCLUDE (status_type, status, archived, time_estimate_minutes);
CREATE INDEX task_snapshots_space_flow_idx ON task_snapshots (space_id, snapshot_date)
    INCLUDE (status_type, status, archived, time_estimate_minutes);
CREATE INDEX task_snapshots_folder_flow_idx ON task_snapshots (folder_id, snapshot_date)
    INCLUDE (status_type, status, archived, time_estimate_minutes);
