-- Time tracked, workload and estimation accuracy at 100k tasks and 1M intervals
-- (analytics/time.py, workload.py).
--
-- Live tasks by id alone: the hours of a month (tens of thousands of (person, task) pairs)
-- and the workload's last seven days tell the intervals on live tasks from a hash of this
-- small index, not of every task row read from the heap. Its WHERE clause is time.LIVE.
CREATE INDEX IF NOT EXISTS clickup_tasks_live_id_idx ON clickup_tasks (id)
    WHERE NOT is_deleted AND NOT archived;

-- Estimation accuracy reads the live tasks done in a window with an estimate of their own:
-- with the estimate, the dates and the scope columns in the index, a quarter's tens of
-- thousands of done tasks come from the index alone (time._measured_sql's ``done``).
CREATE INDEX IF NOT EXISTS clickup_tasks_done_estimate_idx
    ON clickup_tasks (coalesce(date_done, date_closed))
    INCLUDE (id, time_estimate_ms, date_done, date_closed, list_id, folder_id, space_id)
    WHERE NOT is_deleted AND NOT archived AND status_type IN ('done', 'closed')
      AND time_estimate_ms > 0;

-- The subtasks under a task (``below``): parent, id and estimate of every live subtask, so
-- walking the subtrees of the done tasks reads this index, not the task rows.
CREATE INDEX IF NOT EXISTS clickup_tasks_children_idx ON clickup_tasks (parent_id)
    INCLUDE (id, time_estimate_ms)
    WHERE NOT is_deleted AND parent_id IS NOT NULL;

-- PostgreSQL keeps no statistics of an expression that only partial indexes cover, so a
-- window of done dates was guessed at a fraction of a percent of the tasks and planned for
-- a few hundred rows; with these it is planned for the tens of thousands it holds.
CREATE STATISTICS IF NOT EXISTS clickup_tasks_done_at_stats
    ON (coalesce(date_done, date_closed)) FROM clickup_tasks;
ANALYZE clickup_tasks;
