-- REST API listings (analytics/records.py). A page of tasks is the live tasks most recently
-- updated first (the original tool's order, date_updated DESC NULLS LAST), ties by id: read
-- in index order, a page costs its rows, not a sort of the Workspace.

CREATE INDEX clickup_tasks_live_updated_idx
    ON clickup_tasks (date_updated DESC NULLS LAST, id) WHERE NOT is_deleted;
