"""Write many rows fast: COPY into a staging table, then one INSERT … ON CONFLICT.

Row-by-row upserts cost one round trip per row; COPY streams them. The staging table is a
temporary table with only the given columns, created and dropped inside the caller's
transaction (``ON COMMIT DROP`` as well), so it also works through a transaction pooler
and never outlives the transaction that filled it.

Values are plain Python objects. For ``json``/``jsonb`` columns any value (dict, list,
str, number) is serialized as JSON, unless it already is a psycopg ``Json``/``Jsonb``
wrapper; lists go to array columns, datetimes to ``timestamptz``, `uuid.UUID` or strings to
``uuid``, None to NULL. Names are always quoted as identifiers, never formatted into SQL.
"""

from __future__ import annotations

import uuid
import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import orjson
import psycopg
from psycopg import sql
from psycopg.types.json import Json, Jsonb

Table = str | tuple[str, str]
"""A table name, or (schema, table); a dot inside a string is part of the name."""

_JSON, _JSONB = 114, 3802  # pg_type oids


def _relation(table: Table) -> sql.Identifier:
    return sql.Identifier(*table) if isinstance(table, tuple) else sql.Identifier(table)


def _names(columns: Sequence[str]) -> sql.Composed:
    return sql.SQL(", ").join(sql.Identifier(c) for c in columns)


_OID_CACHE: weakref.WeakKeyDictionary[Any, dict[tuple[Any, ...], list[int]]] = (
    weakref.WeakKeyDictionary())


def _type_oids(cur: psycopg.Cursor[Any], relation: sql.Identifier,
               columns: Sequence[str]) -> list[int]:
    """Ask the server for the column types, without reading a row; remembered per
    connection, since a batch writer asks for the same table again and again."""
    cache = _OID_CACHE.setdefault(cur.connection, {})
    key = (relation.as_string(cur.connection), tuple(columns))
    if key not in cache:
        cur.execute(sql.SQL("SELECT {} FROM {} LIMIT 0").format(_names(columns), relation))
        assert cur.description is not None
        cache[key] = [column.type_code for column in cur.description]
    return cache[key]


def _json_text(value: Any) -> Any:
    if value is None or isinstance(value, Json | Jsonb):
        return value
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def _prepared(rows: Iterable[Sequence[Any]], width: int,
              json_at: list[int]) -> Iterator[Sequence[Any]]:
    """Check each row's width and serialize its JSON values."""
    for number, row in enumerate(rows, 1):
        if len(row) != width:
            raise ValueError(f"Row {number} has {len(row)} values for {width} columns.")
        if json_at:
            row = list(row)
            for i in json_at:
                row[i] = _json_text(row[i])
        yield row


def _copy(cur: psycopg.Cursor[Any], relation: sql.Identifier, columns: Sequence[str],
          rows: Iterable[Sequence[Any]], oids: list[int]) -> int:
    """COPY `rows` into `relation` in text format; return how many were sent."""
    json_at = [i for i, oid in enumerate(oids) if oid in (_JSON, _JSONB)]
    count = 0
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(relation, _names(columns))
    with cur.copy(statement) as copy:
        for row in _prepared(rows, len(columns), json_at):
            copy.write_row(row)
            count += 1
    return count


def _check(columns: Sequence[str], key_columns: Sequence[str],
           update_columns: Sequence[str] | None) -> list[str]:
    """Validate the column lists and return the columns to update on conflict."""
    if not columns or len(set(columns)) != len(columns):
        raise ValueError("columns must be a non-empty list of distinct names.")
    if not key_columns or not set(key_columns) <= set(columns):
        raise ValueError("key_columns must be a non-empty subset of columns.")
    if update_columns is None:
        return [c for c in columns if c not in key_columns]
    if set(update_columns) & set(key_columns):
        raise ValueError("update_columns must not contain key columns.")
    return list(update_columns)


def _in_transaction(conn: psycopg.Connection[Any]) -> AbstractContextManager[Any]:
    """Open a transaction only in autocommit mode; otherwise use (and keep) the caller's."""
    return conn.transaction() if conn.autocommit else nullcontext()


def copy_rows(conn: psycopg.Connection[Any], table: Table, columns: Sequence[str],
              rows: Iterable[Sequence[Any]]) -> int:
    """COPY `rows` straight into `table` (no conflict handling); return the row count.

    Runs in the caller's transaction and does not commit.
    """
    relation = _relation(table)
    with _in_transaction(conn), conn.cursor() as cur:
        return _copy(cur, relation, columns, rows, _type_oids(cur, relation, columns))


def upsert(conn: psycopg.Connection[Any], table: Table, columns: Sequence[str],
           rows: Iterable[Sequence[Any]], key_columns: Sequence[str], *,
           update_columns: Sequence[str] | None = None, where_changed: bool = False) -> int:
    """Insert `rows`, updating those whose key exists; return how many rows were written.

    `key_columns` must match a unique index of `table`. On conflict the `update_columns`
    (default: every non-key column) take the new values; an update column missing from
    `columns` takes its default (say ``synced_at DEFAULT now()``). With ``where_changed``
    a row is left alone, and not counted, when none of the updated `columns` differs
    (``IS DISTINCT FROM``; ``json`` compared as ``jsonb``). When a key repeats within
    `rows`, the last row wins. Runs in the caller's transaction and does not commit.
    """
    updates = _check(columns, key_columns, update_columns)
    relation = _relation(table)
    stage = sql.Identifier(f"_upsert_{uuid.uuid4().hex[:16]}")
    with _in_transaction(conn), conn.cursor() as cur:
        cur.execute(sql.SQL("CREATE TEMP TABLE {} ON COMMIT DROP AS SELECT {} FROM {} "
                            "WITH NO DATA").format(stage, _names(columns), relation))
        # The stage has the target's column types, which are cached; no need to ask again.
        oids = dict(zip(columns, _type_oids(cur, relation, columns), strict=True))
        _copy(cur, stage, columns, rows, list(oids.values()))
        compared = {c: oids[c] for c in updates if c in oids} if where_changed else None
        cur.execute(_insert(relation, stage, columns, key_columns, updates, compared))
        written = cur.rowcount
        cur.execute(sql.SQL("DROP TABLE {}").format(stage))
    return written


def _insert(relation: sql.Identifier, stage: sql.Identifier, columns: Sequence[str],
            key_columns: Sequence[str], updates: list[str],
            compared: dict[str, int] | None) -> sql.Composed:
    """Build INSERT … SELECT … ON CONFLICT; `compared` (column → type oid) adds the WHERE."""
    cols, keys = _names(columns), _names(key_columns)
    # The staging table was filled by one COPY, so ctid follows input order: keep the last.
    select = sql.SQL("SELECT DISTINCT ON ({keys}) {cols} FROM {stage} "
                     "ORDER BY {keys}, ctid DESC").format(keys=keys, cols=cols, stage=stage)
    action: sql.Composable
    if not updates:
        action = sql.SQL("DO NOTHING")
    else:
        assignments = sql.SQL(", ").join(
            sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(c)) for c in updates)
        action = sql.SQL("DO UPDATE SET {}").format(assignments)
        if compared:
            action = sql.SQL("{} WHERE ROW({}) IS DISTINCT FROM ROW({})").format(
                action, _compared("t", compared), _compared("excluded", compared))
    return sql.SQL("INSERT INTO {relation} AS t ({cols}) {select} ON CONFLICT ({keys}) "
                   "{action}").format(relation=relation, cols=cols, select=select, keys=keys,
                                      action=action)


def _compared(alias: str, columns: dict[str, int]) -> sql.Composed:
    """List ``alias.column`` for each column, cast json to jsonb, which has equality."""
    return sql.SQL(", ").join(
        sql.SQL("{}.{}{}").format(sql.Identifier(alias), sql.Identifier(c),
                                  sql.SQL("::jsonb" if oid == _JSON else ""))
        for c, oid in columns.items())
