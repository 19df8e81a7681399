-- Project discovery at 100k tasks (analytics/projects.py discover_projects, refresh_projects).
--
-- "Updated in the last 30 days, per home List" counted every live task row (a scan of the
-- whole table, ~90 ms); this index holds the recent window in date order with the two
-- columns the count groups by, so the count reads only the window, from the index alone.
-- The WHERE clause must stay the one discover_projects uses (live, unarchived tasks).
-- One index more on clickup_tasks: every task write that changes date_updated already
-- updates its other date_updated indexes, so this adds one entry per written task.

CREATE INDEX clickup_tasks_live_recent_idx ON clickup_tasks (date_updated)
    INCLUDE (list_id, folder_id)
    WHERE NOT is_deleted AND NOT archived;
