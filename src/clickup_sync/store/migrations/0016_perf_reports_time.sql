-- Weekly digest, standup and weekly report hours over the Workspace (analytics/reports.py).
--
-- Their intervals count unless their task is archived and not deleted (time on a deleted
-- task is time on no task, as time_tracked counts it), or unknown. Telling an archived task
-- from this small index, and a known one from the primary key alone, spares reading every
-- task row to hash them. Only archived, undeleted tasks enter it, so syncing the others
-- never writes to it. Its WHERE clause must stay exactly reports.ARCHIVED_TASK's.
CREATE INDEX IF NOT EXISTS clickup_tasks_archived_idx ON clickup_tasks (id)
    WHERE archived AND NOT is_deleted;
