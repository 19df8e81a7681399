-- Workload at 100k tasks (analytics/workload.py).
--
-- The open live tasks by id with what the workload counts of them (status type, due date,
-- estimate) and the scope columns: `workload` reads them from this index alone instead of
-- every task row from the heap, in id order, which also lets PostgreSQL meet the task
-- totals and the assignees (both keyed by task id) by merging rather than hashing them.
-- Its WHERE clause is exactly time.LIVE AND workload.OPEN (written out in the query).
CREATE INDEX IF NOT EXISTS clickup_tasks_open_work_idx ON clickup_tasks (id)
    INCLUDE (status_type, due_date, time_estimate_ms, list_id, folder_id, space_id)
    WHERE NOT is_deleted AND NOT archived AND coalesce(status_type, '') NOT IN ('done', 'closed');
