-- What the sync last wrote for each task, as a digest, so a task that comes back unchanged
-- is not written again.
--
-- A full sync reads every task, and most come back as they were. Writing them anyway
-- rewrote 100k rows and their child rows (assignees, tags, values, ... replaced whole),
-- and every kept table's triggers noted each task for a recompute at commit: at 100k
-- tasks, minutes of database CPU a full sync for no change at all, taken from the readers
-- the API and the MCP server serve meanwhile. The digest is of the record the sync maps
-- from ClickUp's payload, child rows included (`records.digest`), so a change anywhere in
-- what would be written, or in how it is mapped, writes the task again. Tasks are only
-- written by the sync's `write_tasks` (deletion aside, which the comparison reads from
-- `clickup_tasks` itself), so a digest stands for its row. No foreign key: a digest of a
-- task no longer stored is never read (the comparison joins `clickup_tasks`).

CREATE TABLE task_write_digests (
    task_id  text  PRIMARY KEY,
    digest   bytea NOT NULL
);
