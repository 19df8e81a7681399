"""Bulk upsert through COPY: correct values, conflict handling, safe names, and speed."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from psycopg import sql
from psycopg.types.json import Jsonb

from clickup_sync.store import connect, copy_rows, upsert
from tests import pg

COLUMNS = ("id", "name", "tags", "data", "meta", "due", "ref", "points")
WHEN = datetime(2024, 5, 17, 9, 30, tzinfo=UTC)
EVIL = "Robert'); DROP TABLE x;--"


@pytest.fixture()
def items(conn: psycopg.Connection[Any]) -> psycopg.Connection[Any]:
    conn.execute("""
        CREATE TABLE x (id int);
        CREATE TABLE items (
            id text PRIMARY KEY, name text, tags text[], data jsonb, meta json,
            due timestamptz, ref uuid, points int,
            synced_at timestamptz NOT NULL DEFAULT clock_timestamp());""")
    conn.commit()
    return conn


def _row(i: int, **changes: Any) -> tuple[Any, ...]:
    values = {"id": f"t{i}", "name": f"task {i}", "tags": ["a", "b c", '"q"'],
              "data": {"n": i, "nested": {"ok": True}, "list": [1, None]},
              "meta": ["x", i], "due": WHEN + timedelta(minutes=i),
              "ref": uuid.UUID(int=i), "points": i}
    values.update(changes)
    return tuple(values[c] for c in COLUMNS)


def _read(conn: psycopg.Connection[Any], table: str = "items") -> list[tuple[Any, ...]]:
    query = sql.SQL("SELECT {} FROM {} ORDER BY id").format(
        sql.SQL(", ").join(map(sql.Identifier, COLUMNS)), sql.Identifier(table))
    return conn.execute(query).fetchall()


def test_upsert_inserts_then_updates(items: psycopg.Connection[Any]) -> None:
    rows = [_row(1), _row(2), _row(3, tags=[], data=None, meta=None, due=None, ref=None)]
    assert upsert(items, "items", COLUMNS, rows, ["id"]) == 3
    assert _read(items) == rows
    changed = [_row(1, name="renamed", data={"n": 10}), _row(4)]
    assert upsert(items, "items", COLUMNS, changed, ["id"]) == 2
    assert _read(items) == [changed[0], rows[1], rows[2], changed[1]]


def test_where_changed_skips_identical_rows(items: psycopg.Connection[Any]) -> None:
    rows = [_row(i) for i in range(5)]
    upsert(items, "items", COLUMNS, rows, ["id"])
    assert upsert(items, "items", COLUMNS, rows, ["id"], where_changed=True) == 0
    rows[2] = _row(2, meta={"json": "column"})
    rows[4] = _row(4, tags=None)
    assert upsert(items, "items", COLUMNS, rows, ["id"], where_changed=True) == 2
    assert _read(items) == rows


def test_update_columns_limit_what_changes(items: psycopg.Connection[Any]) -> None:
    upsert(items, "items", COLUMNS, [_row(1)], ["id"])
    before = items.execute("SELECT synced_at FROM items").fetchone()
    upsert(items, "items", COLUMNS, [_row(1, name="new", points=99)], ["id"],
           update_columns=["name", "synced_at"])
    assert _read(items) == [_row(1, name="new")]
    after = items.execute("SELECT synced_at FROM items").fetchone()
    assert before is not None and after is not None and after[0] > before[0]
    assert upsert(items, "items", COLUMNS, [_row(1, name="other")], ["id"],
                  update_columns=[]) == 0
    assert _read(items) == [_row(1, name="new")]


def test_a_repeated_key_keeps_the_last_row(items: psycopg.Connection[Any]) -> None:
    rows = [_row(1, name="first"), _row(2), _row(1, name="last")]
    assert upsert(items, "items", COLUMNS, rows, ["id"]) == 2
    assert _read(items)[0][1] == "last"


def test_json_wrappers_and_strings_in_json_columns(items: psycopg.Connection[Any]) -> None:
    rows = [_row(1, data="just a string", meta=Jsonb({"wrapped": 1})), _row(2, data=[1, 2])]
    upsert(items, "items", COLUMNS, rows, ["id"])
    assert [r[3:5] for r in _read(items)] == [("just a string", {"wrapped": 1}), ([1, 2],
                                                                                  ["x", 2])]


def test_text_values_for_typed_columns(items: psycopg.Connection[Any]) -> None:
    ref = uuid.UUID(int=7)
    rows = [_row(1, ref=str(ref), due="2024-05-17T09:30:00Z",
                 data={"at": WHEN, "id": ref})]  # JSON values may hold datetimes and UUIDs
    upsert(items, "items", COLUMNS, rows, ["id"])
    got = _read(items)[0]
    assert (got[3], got[5], got[6]) == ({"at": "2024-05-17T09:30:00+00:00", "id": str(ref)},
                                        WHEN, ref)


def test_names_and_values_with_sql_stay_data(conn: psycopg.Connection[Any]) -> None:
    conn.execute(sql.SQL("CREATE TABLE x (id int); CREATE TABLE {} ({} text PRIMARY KEY, "
                         "{} text)").format(sql.Identifier(EVIL), sql.Identifier(EVIL),
                                            sql.Identifier("na\"me")))
    rows = [(EVIL, EVIL), ("tab\there", "new\nline \\ backslash")]
    assert upsert(conn, EVIL, (EVIL, 'na"me'), rows, [EVIL], where_changed=True) == 2
    assert upsert(conn, ("public", EVIL), (EVIL, 'na"me'), rows, [EVIL]) == 2
    conn.commit()
    got = conn.execute(sql.SQL("SELECT * FROM {} ORDER BY 1").format(sql.Identifier(EVIL)))
    assert sorted(got.fetchall()) == sorted(rows)
    assert conn.execute("SELECT to_regclass('x') IS NOT NULL").fetchone() == (True,)


def test_upsert_stays_in_the_callers_transaction(items: psycopg.Connection[Any]) -> None:
    upsert(items, "items", COLUMNS, [_row(1)], ["id"])
    assert items.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
    items.rollback()
    assert _read(items) == []
    upsert(items, "items", COLUMNS, [_row(1)], ["id"])
    items.commit()
    staged = items.execute("SELECT count(*) FROM pg_class WHERE relname LIKE '\\_upsert\\_%' "
                           "AND relpersistence = 't'").fetchone()
    assert staged == (0,)


def test_upsert_in_autocommit_mode(fresh_dsn: str) -> None:
    with connect(fresh_dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE t (id int PRIMARY KEY, v text)")
        assert upsert(conn, "t", ("id", "v"), [(1, "a"), (2, "b")], ["id"]) == 2
    with connect(fresh_dsn) as other:
        assert other.execute("SELECT count(*) FROM t").fetchone() == (2,)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"columns": ("id", "id")}, "distinct names"),
    ({"key_columns": ["nope"]}, "subset of columns"),
    ({"update_columns": ["id"]}, "must not contain key columns"),
    ({"rows": [("t1",)]}, "Row 1 has 1 values for 8 columns"),
])
def test_bad_arguments_are_refused(items: psycopg.Connection[Any], kwargs: dict[str, Any],
                                   message: str) -> None:
    call: dict[str, Any] = {"columns": COLUMNS, "rows": [_row(1)], "key_columns": ["id"]}
    call.update(kwargs)
    with pytest.raises(ValueError, match=message):
        upsert(items, "items", **call)


def test_copy_rows_appends(items: psycopg.Connection[Any]) -> None:
    rows = [_row(i) for i in range(3)]
    assert copy_rows(items, "items", COLUMNS, rows) == 3
    assert _read(items) == rows


def test_upsert_of_200k_rows_takes_seconds(items: psycopg.Connection[Any]) -> None:
    count = 200_000

    def rows(version: int) -> Any:
        for i in range(count):
            yield (f"t{i}", f"task {i} v{version}" if i % 10 == 0 else f"task {i}",
                   ["x", "y"], {"n": i, "tags": ["a"]}, None, WHEN, uuid.UUID(int=i), i)

    pg.drops_done()  # the earlier tests' databases are gone: their checkpoints are not timed
    started = time.perf_counter()
    assert upsert(items, "items", COLUMNS, rows(1), ["id"]) == count
    items.commit()
    first = time.perf_counter() - started
    started = time.perf_counter()
    written = upsert(items, "items", COLUMNS, rows(2), ["id"], where_changed=True)
    items.commit()
    second = time.perf_counter() - started
    assert written == count // 10
    assert first < 15 and second < 15, (first, second)
