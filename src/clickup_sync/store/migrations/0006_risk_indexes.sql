-- Risk and report analytics (analytics/risk.py, health.py, reports.py, composite.py).
--
-- They all look at open work: live, unarchived tasks whose status type is not done or closed
-- (often half of a large Workspace or less). Partial indexes on exactly that condition find
-- overdue and due-soon tasks by due date, stale ones by last update, and tasks in a
-- blocked-looking status by status name; each carries the task's place, so counts per
-- Space, Folder or List read the index alone. The WHERE clause must stay exactly
-- analytics._risk_base.open_task() for the planner to use them.

CREATE INDEX clickup_tasks_open_due_idx
    ON clickup_tasks (due_date) INCLUDE (id, list_id, folder_id, space_id, status_type)
    WHERE NOT is_deleted AND NOT archived AND coalesce(status_type, '') NOT IN ('done', 'closed');
CREATE INDEX clickup_tasks_open_updated_idx
    ON clickup_tasks (date_updated) INCLUDE (id, list_id, folder_id, space_id, status_type)
    WHERE NOT is_deleted AND NOT archived AND coalesce(status_type, '') NOT IN ('done', 'closed');
CREATE INDEX clickup_tasks_open_status_idx
    ON clickup_tasks (status) INCLUDE (id, list_id, folder_id, space_id, status_type)
    WHERE NOT is_deleted AND NOT archived AND coalesce(status_type, '') NOT IN ('done', 'closed');

-- The standup and the weekly digest count the comments written on given days.
CREATE INDEX comments_live_date_idx ON comments (date) INCLUDE (user_id, task_id)
    WHERE NOT is_deleted;

-- Open assigned comments (a reason a task is blocked), by task.
CREATE INDEX comments_open_assigned_idx ON comments (task_id) INCLUDE (assignee_id)
    WHERE assignee_id IS NOT NULL AND NOT resolved AND NOT is_deleted;
