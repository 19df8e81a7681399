-- Open work (0021) and estimates (0022) recomputed once per transaction, at commit.
--
-- Their statement triggers recomputed the tasks a statement touched at every statement,
-- and a sync batch writes each task several times over (the task, then its assignees
-- deleted and copied again, then its time totals): at 100k tasks, 2,000 changed tasks cost
-- 2.3 s more with them than without. Like `task_rows` (0014), the triggers now only note
-- the tasks in `kept_work_stale`, and a deferred constraint trigger recomputes each noted
-- task once when the transaction commits. Every other session sees the tables change with
-- the commit, as before; within the writing transaction they show the state before it
-- (`SET CONSTRAINTS ALL IMMEDIATE` brings them up to date there).
--
-- The trigger functions stay as they are: the three functions they call are renamed to
-- `cs_recompute_*`, and functions of the old names now note the tasks instead.

CREATE TABLE kept_work_stale (
    xid      bigint NOT NULL DEFAULT txid_current(),
    kind     "char" NOT NULL,   -- 'o' open work, 'e' the task's estimate row,
                                -- 'a' the estimate rows of the task and every task above it
    task_id  text   NOT NULL,
    PRIMARY KEY (xid, kind, task_id)
);

ALTER FUNCTION cs_refresh_open_work(text[]) RENAME TO cs_recompute_open_work;
ALTER FUNCTION cs_refresh_task_estimates(text[]) RENAME TO cs_recompute_task_estimates;
DROP FUNCTION cs_refresh_task_estimates_above(text[]);

CREATE FUNCTION cs_mark_kept_work(kind "char", ids text[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO kept_work_stale (kind, task_id)
    SELECT DISTINCT kind, i FROM unnest(ids) i WHERE i IS NOT NULL
    ON CONFLICT DO NOTHING;
$$;

CREATE FUNCTION cs_refresh_open_work(ids text[]) RETURNS void
LANGUAGE sql AS $$ SELECT cs_mark_kept_work('o', ids) $$;

CREATE FUNCTION cs_refresh_task_estimates(ids text[]) RETURNS void
LANGUAGE sql AS $$ SELECT cs_mark_kept_work('e', ids) $$;

CREATE FUNCTION cs_refresh_task_estimates_above(ids text[]) RETURNS void
LANGUAGE sql AS $$ SELECT cs_mark_kept_work('a', ids) $$;

-- At commit: the first event recomputes every noted task; the others find theirs done.
-- It takes the lock `task_rows`' flush takes (0014), so flushes of either kind take turns
-- in one order and one that waited reads what the other committed. Tasks above a noted
-- one are found by their parents at commit: a task that moved noted its old and new
-- parents when it moved.
CREATE FUNCTION cs_flush_kept_work() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM kept_work_stale
                WHERE xid = NEW.xid AND kind = NEW.kind AND task_id = NEW.task_id)
    THEN
        PERFORM pg_advisory_xact_lock(hashtext('clickup_sync.task_rows'));
        PERFORM cs_recompute_open_work(ARRAY(
            SELECT task_id FROM kept_work_stale WHERE kind = 'o'));
        PERFORM cs_recompute_task_estimates(ARRAY(
            WITH RECURSIVE up AS (
                SELECT task_id AS id FROM kept_work_stale WHERE kind = 'a'
                UNION
                SELECT t.parent_id FROM up JOIN clickup_tasks t ON t.id = up.id
                 WHERE t.parent_id IS NOT NULL)
            SELECT id FROM up
            UNION
            SELECT task_id FROM kept_work_stale WHERE kind = 'e'));
        DELETE FROM kept_work_stale;
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER kept_work_stale_flush AFTER INSERT ON kept_work_stale
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cs_flush_kept_work();
