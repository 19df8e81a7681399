-- The number of live tasks, kept by the database (the unfiltered `GET /tasks` total).
--
-- The total had been the sum of `list_task_counts` (migration 0010): a few thousand rows,
-- but the initial sync's counter updates leave that table hundreds of pages long, and
-- summing it took ~1.4 ms, a third of the database's work for a page of /tasks. One row,
-- moved by each write's net change (transition tables, as 0010), costs one tuple to read.
-- Its triggers are named to fire after 0010's, so writers lock the counters in one order.

CREATE TABLE live_task_total (
    one    boolean PRIMARY KEY DEFAULT true CHECK (one),
    tasks  bigint  NOT NULL
);

CREATE FUNCTION cs_live_task_total_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    delta bigint := 0;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE live_task_total SET tasks = 0;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        delta := delta + (SELECT count(*) FROM cs_new WHERE NOT is_deleted);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        delta := delta - (SELECT count(*) FROM cs_old WHERE NOT is_deleted);
    END IF;
    IF delta <> 0 THEN
        UPDATE live_task_total SET tasks = tasks + delta;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER clickup_tasks_total_insert AFTER INSERT ON clickup_tasks
    REFERENCING NEW TABLE AS cs_new
    FOR EACH STATEMENT EXECUTE FUNCTION cs_live_task_total_apply();
CREATE TRIGGER clickup_tasks_total_update AFTER UPDATE ON clickup_tasks
    REFERENCING OLD TABLE AS cs_old NEW TABLE AS cs_new
    FOR EACH STATEMENT EXECUTE FUNCTION cs_live_task_total_apply();
CREATE TRIGGER clickup_tasks_total_delete AFTER DELETE ON clickup_tasks
    REFERENCING OLD TABLE AS cs_old
    FOR EACH STATEMENT EXECUTE FUNCTION cs_live_task_total_apply();
CREATE TRIGGER clickup_tasks_total_truncate AFTER TRUNCATE ON clickup_tasks
    FOR EACH STATEMENT EXECUTE FUNCTION cs_live_task_total_apply();

-- The tasks already stored (the table is locked by the triggers' creation until commit).
INSERT INTO live_task_total (tasks) SELECT count(*) FROM clickup_tasks WHERE NOT is_deleted;
