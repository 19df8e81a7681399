-- A number that moves whenever any task listing could answer differently.
--
-- BI tools page through /tasks again and again, and most pages are the same as last time:
-- a sync that finds nothing new writes no task row. The API keeps the pages it wrote,
-- tagged with this number read in the same snapshot as the page, and serves a kept page
-- while the number is unchanged (one one-row read instead of the page's query).
--
-- The order of /tasks and its filters read columns of `task_rows` (status, assignees,
-- tags, Space, Folder, home List, dates, archived, deleted), and a row's body changes
-- whenever its row does (migration 0020), or when it is written in another timezone (which
-- moves the day filters' bounds); so the number moves with every write to `task_bodies`.
-- The one filter outside the rows, a List that holds tasks from other Lists
-- (`task_locations`, rewritten by each sync batch), is never answered from kept pages.
-- The number is a row, updated in the writing transaction: a reader sees it change exactly
-- when it sees the change. Bodies are written only by the refresh at commit, under its
-- advisory lock, so writers take the row one at a time and in one order.

CREATE TABLE task_listing_version (
    one  boolean PRIMARY KEY DEFAULT true CHECK (one),
    n    bigint  NOT NULL
);
INSERT INTO task_listing_version (n) VALUES (1);

CREATE FUNCTION cs_task_listing_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    changed boolean := TG_OP = 'TRUNCATE';
BEGIN
    -- Each branch reads only the transition table its event has.
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        changed := EXISTS (SELECT 1 FROM new_rows);
    ELSIF TG_OP = 'DELETE' THEN
        changed := EXISTS (SELECT 1 FROM old_rows);
    END IF;
    IF changed THEN
        UPDATE task_listing_version SET n = n + 1;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER task_bodies_listing_insert AFTER INSERT ON task_bodies
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cs_task_listing_changed();
CREATE TRIGGER task_bodies_listing_update AFTER UPDATE ON task_bodies
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cs_task_listing_changed();
CREATE TRIGGER task_bodies_listing_delete AFTER DELETE ON task_bodies
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION cs_task_listing_changed();
CREATE TRIGGER task_bodies_listing_truncate AFTER TRUNCATE ON task_bodies
    FOR EACH STATEMENT EXECUTE FUNCTION cs_task_listing_changed();
