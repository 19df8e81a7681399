-- Which task bodies each step of the listing version changed, so a reader that holds
-- bodies read at an older version knows exactly which of them to read again.
--
-- A sync commit that changes a few tasks moves the listing version (migration 0024) and
-- every kept /tasks page goes stale: most of those pages hold the same bodies as before,
-- in a new order. The API keeps the bodies it has read; with this log, a page after a
-- change costs its ids (an index-only scan) and the bodies that changed, instead of 100
-- bodies read again (about a quarter of the cost, at the moment every page is re-read at
-- once). Rows are logged by the same statement triggers that move the version, in the
-- writing transaction, so a reader sees a step and its rows together. A TRUNCATE logs a
-- NULL id: everything changed. The log keeps the last 1,000 steps; a reader further
-- behind (or facing more than `most` changed ids) is told to read every body again.

CREATE TABLE task_body_changes (
    n        bigint NOT NULL,
    task_id  text
);
CREATE INDEX task_body_changes_n_idx ON task_body_changes (n);

CREATE OR REPLACE FUNCTION cs_task_listing_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ids text[];
    step bigint;
BEGIN
    -- Each branch reads only the transition table its event has.
    IF TG_OP = 'TRUNCATE' THEN
        ids := ARRAY[NULL::text];
    ELSIF TG_OP IN ('INSERT', 'UPDATE') THEN
        ids := ARRAY(SELECT task_id FROM new_rows);
    ELSE
        ids := ARRAY(SELECT task_id FROM old_rows);
    END IF;
    IF cardinality(ids) > 0 THEN
        UPDATE task_listing_version SET n = n + 1 RETURNING n INTO step;
        INSERT INTO task_body_changes (n, task_id) SELECT step, unnest(ids);
        DELETE FROM task_body_changes WHERE n <= step - 1000;
    END IF;
    RETURN NULL;
END $$;

-- The ids whose bodies changed after version `since`, or NULL when the log does not
-- reach back that far, holds more than `most` of them, or says everything changed.
CREATE FUNCTION cs_task_body_changes_since(since bigint, most integer) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN since < (SELECT n FROM task_listing_version) - 999 THEN NULL
                WHEN count(*) > most OR bool_or(c.task_id IS NULL) THEN NULL
                ELSE coalesce(array_agg(c.task_id), '{}') END
      FROM (SELECT DISTINCT task_id FROM task_body_changes WHERE n > since
             LIMIT most + 1) c
$$;
