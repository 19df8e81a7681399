-- Each row of `task_rows` written once as JSON, in the bytes the REST API sends.
--
-- A /tasks page of 100 rows cost ~7 ms of CPU: PostgreSQL sending 38 typed columns a row,
-- psycopg turning them into Python values, orjson writing them back out. That made the
-- API's busiest route CPU-bound at ~140 pages a second on two cores. `task_bodies` holds
-- each row already written, so a page is its bodies joined by commas.
--
-- The format is the API's (orjson's, which is also what the response model writes; the
-- API's tests compare the bytes): keys in the view's column order, no spaces, instants in
-- ISO 8601 in the configured timezone with microseconds when there are any and `Z` for a
-- zero offset, `numeric` as a float, text escaped as JSON.
--
-- Kept by `cs_refresh_task_rows`, which already runs at each commit for the tasks a
-- transaction touched: a row it changes gets its new body in the same statement, and a row
-- whose body is missing or was written in another timezone gets one (a timezone change marks
-- every task, and the instants are written in it).

CREATE TABLE task_bodies (
    task_id  text PRIMARY KEY REFERENCES task_rows (clickup_task_id) ON DELETE CASCADE,
    tz       text NOT NULL,
    body     text NOT NULL
);

-- An instant as orjson writes a datetime in `tz`, quoted; `null` for NULL.
CREATE FUNCTION cs_json_instant(ts timestamptz, tz text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN ts IS NULL THEN 'null' ELSE
        '"' || to_char(ts AT TIME ZONE tz, 'YYYY-MM-DD"T"HH24:MI:SS')
        || CASE WHEN extract(microseconds FROM ts)::bigint % 1000000 <> 0
                THEN to_char(ts AT TIME ZONE tz, '.US') ELSE '' END
        || CASE WHEN (ts AT TIME ZONE tz) = (ts AT TIME ZONE 'UTC') THEN 'Z'
                ELSE substr(cs_iso(ts, tz), 20) END
        || '"'
    END
$$;

-- A number as orjson writes a float: shortest digits that read back the same, integral values
-- with `.0`. Below 1e-4 and from 1e16 on, both write an exponent but switch to it at other
-- points (1e-5 here, 0.00001 there): the same number, in other digits.
CREATE FUNCTION cs_json_float(n numeric) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN n IS NULL THEN 'null'
        WHEN n::float8 = trunc(n::float8) AND abs(n::float8) < 1e16
            THEN trunc(n::float8)::numeric::text || '.0'
        ELSE replace(n::float8::text, 'e-0', 'e-')
    END
$$;

-- jsonb written compactly (PostgreSQL's own text of jsonb puts a space after `,` and `:`).
CREATE FUNCTION cs_json_compact(j jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE jsonb_typeof(j)
        WHEN 'array' THEN '[' || coalesce((SELECT string_agg(cs_json_compact(e), ',' ORDER BY n)
                                             FROM jsonb_array_elements(j) WITH ORDINALITY a(e, n)),
                                          '') || ']'
        WHEN 'object' THEN '{' || coalesce((SELECT string_agg(to_json(k)::text || ':'
                                                              || cs_json_compact(v), ',')
                                              FROM jsonb_each(j) o(k, v)), '') || '}'
        ELSE coalesce(j::text, 'null')
    END
$$;

-- cs_task_body(row, tz): one task_rows row as JSON, each column written by its type.
DO $do$
DECLARE
    fields text;
BEGIN
    SELECT string_agg(format('%L || %s', to_json(attname::text)::text || ':',
               CASE format_type(atttypid, NULL)
                   WHEN 'timestamp with time zone' THEN format('cs_json_instant(r.%I, tz)', attname)
                   WHEN 'numeric' THEN format('cs_json_float(r.%I)', attname)
                   WHEN 'jsonb' THEN format('cs_json_compact(r.%I)', attname)
                   WHEN 'integer' THEN format('coalesce(r.%I::text, ''null'')', attname)
                   WHEN 'bigint' THEN format('coalesce(r.%I::text, ''null'')', attname)
                   WHEN 'boolean' THEN format('coalesce(r.%I::text, ''null'')', attname)
                   ELSE format('coalesce(to_json(r.%I)::text, ''null'')', attname)
               END), $$ || ',' || $$ ORDER BY attnum)
      INTO fields
      FROM pg_attribute
     WHERE attrelid = 'task_rows'::regclass AND attnum > 0 AND NOT attisdropped;
    EXECUTE format($f$
        CREATE FUNCTION cs_task_body(r task_rows, tz text) RETURNS text
        LANGUAGE sql STABLE AS $body$ SELECT '{' || %s || '}' $body$$f$, fields);
END
$do$;

-- The refresh of migration 0014, now also writing the bodies of the rows it changes (the
-- upsert's RETURNING), and of the rows whose body is missing or in another timezone.
DO $do$
DECLARE
    cols text;
    excluded text;
BEGIN
    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum),
           string_agg('EXCLUDED.' || quote_ident(attname), ', ' ORDER BY attnum)
      INTO cols, excluded
      FROM pg_attribute
     WHERE attrelid = 'task_rows'::regclass AND attnum > 0 AND NOT attisdropped;
    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION cs_refresh_task_rows(ids text[]) RETURNS void
        LANGUAGE sql AS $body$
            DELETE FROM task_rows r WHERE r.clickup_task_id = ANY (ids)
               AND NOT EXISTS (SELECT 1 FROM clickup_tasks t WHERE t.id = r.clickup_task_id);
            WITH changed AS (
                INSERT INTO task_rows AS r SELECT * FROM tasks WHERE clickup_task_id = ANY (ids)
                ON CONFLICT (clickup_task_id) DO UPDATE SET (%s) = ROW(%s)
                 WHERE ROW(r.*) IS DISTINCT FROM ROW(EXCLUDED.*)
                RETURNING r)
            INSERT INTO task_bodies (task_id, tz, body)
            SELECT (c.r).clickup_task_id, cs_timezone(), cs_task_body(c.r, cs_timezone())
              FROM changed c
            ON CONFLICT (task_id) DO UPDATE SET (tz, body) = (EXCLUDED.tz, EXCLUDED.body);
            INSERT INTO task_bodies (task_id, tz, body)
            SELECT r.clickup_task_id, cs_timezone(), cs_task_body(r, cs_timezone())
              FROM task_rows r
             WHERE r.clickup_task_id = ANY (ids)
               AND NOT EXISTS (SELECT 1 FROM task_bodies b WHERE b.task_id = r.clickup_task_id
                                  AND b.tz = cs_timezone())
            ON CONFLICT (task_id) DO UPDATE SET (tz, body) = (EXCLUDED.tz, EXCLUDED.body);
        $body$$f$, cols, excluded);
END
$do$;

INSERT INTO task_bodies (task_id, tz, body)
SELECT r.clickup_task_id, cs_timezone(), cs_task_body(r, cs_timezone()) FROM task_rows r;
ANALYZE task_bodies;
