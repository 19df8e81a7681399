-- Time and flow reports on large Workspaces (issue 4).
--
-- Hours over a window meet each (person, task) sum with its live task's place: over the
-- Workspace a hash of every live task's place, which read the table itself (~90 ms of the
-- weekly report's hours by Space at 100k tasks); in a Space, Folder or List the live tasks
-- there, by a bitmap of the table (a List's tasks by a scan of the whole table). This index
-- holds the live tasks' places, Space first: a Space's tasks are one range of it, a
-- Folder's or List's a read of it alone, and the Workspace's hash reads it, not the table.
CREATE INDEX clickup_tasks_live_place_idx ON clickup_tasks (space_id, folder_id, list_id)
    INCLUDE (id)
    WHERE NOT is_deleted AND NOT archived;

-- Bottlenecks: the open tasks by status and type, latest entered first (the expression of
-- analytics.history.ENTERED, as 0013's open-task index): a status's tasks are counted in
-- its order, and its median time waited is one or two entries read half way along it,
-- not a sort of every waiting task (~32k at 100k tasks) by status and then by time.
CREATE INDEX clickup_tasks_open_status_entered_idx
    ON clickup_tasks (status, coalesce(status_type, 'open'),
                      (coalesce(status_since, date_updated, date_created)) DESC)
    INCLUDE (id, list_id, folder_id, space_id, status_type, status_since, date_updated,
             date_created)
    WHERE NOT is_deleted AND NOT archived AND coalesce(status_type, '') NOT IN ('done', 'closed');
