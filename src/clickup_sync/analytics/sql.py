"""A read-only SQL console for power users: one query, a time limit, a row cap.

Guards, each enough for most mistakes and together a fence for deliberate ones:

- one statement, and it must be a query (SELECT, WITH, VALUES, TABLE, EXPLAIN or SHOW):
  text is split into code, strings and comments first, so ``;`` inside a string is fine;
- it runs in a ``READ ONLY`` transaction (PostgreSQL refuses INSERT, CREATE, ``nextval()``,
  ``SELECT … FOR UPDATE``…), with ``SET LOCAL statement_timeout``, that is always rolled
  back; a snapshot is taken first, so the query cannot switch the transaction to read-write;
- it goes through the extended protocol (``DECLARE … CURSOR``, or binary results for EXPLAIN
  and SHOW), which refuses a second statement such as ``COMMIT; …`` even if the split above
  were fooled (psycopg sends a query without parameters as a simple query otherwise);
- functions that act outside the transaction (end sessions, read or write server files, take
  session locks, run SQL given as text, change settings) are refused by name.

Against a hostile user with a superuser DSN this is defence in depth, not a sandbox: give the
console a database role that can only read (see docs/metrics/workspace.md).
"""

from __future__ import annotations

import json
import re
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from typing import Any

import psycopg

from .result import Result
from .scope import AnalyticsError
from .workspace import bounded

QUERY_STARTS = ("select", "with", "values", "table", "explain", "show")
MAX_TIMEOUT_MS = 60_000
MAX_TEXT = 2000
"""Longer text values (and JSON values whose text is longer) are cut to this many characters."""

_DENIED = re.compile(
    r"\b(pg_terminate_backend|pg_cancel_backend|pg_reload_conf|pg_rotate_logfile|pg_promote"
    r"|pg_read_file|pg_read_binary_file|pg_ls_\w*|pg_stat_file|pg_file_\w+|pg_\w*advisory\w*"
    r"|pg_logical_\w+|pg_replication_\w+|pg_create_\w+|pg_drop_replication_slot|pg_switch_wal"
    r"|pg_\w*backup\w*|pg_stat_reset\w*|pg_log_backend_memory_contexts|pg_import_\w+"
    r"|pg_notify|lo_\w+|dblink\w*|query_to_xml\w*|cursor_to_xml\w*|query_to_xmlschema"
    r"|ts_stat|set_config|pg_sleep_until)\b", re.IGNORECASE)
_DOLLAR = re.compile(r"\$([A-Za-z_\x80-\U0010ffff][\w\x80-\U0010ffff]*)?\$")


def _word(ch: str) -> bool:
    """Whether ``ch`` (one character or none) continues a name."""
    return ch != "" and (ch.isalnum() or ch in "_$")


def _split(query: str) -> tuple[str, str]:
    """(code with strings and comments blanked, text without comments or identifier quotes)."""
    code: list[str] = []
    scan: list[str] = []
    i, n = 0, len(query)
    while i < n:
        ch, two = query[i], query[i:i + 2]
        if two == "--":
            end = query.find("\n", i)
            i = n if end < 0 else end
            code.append(" ")
            scan.append(" ")
        elif two == "/*":
            depth, i = 1, i + 2
            while i < n and depth:
                depth += {"/*": 1, "*/": -1}.get(query[i:i + 2], 0)
                i += 2 if query[i:i + 2] in ("/*", "*/") else 1
            code.append(" ")
            scan.append(" ")
        elif ch in "'\"":
            escapes = ch == "'" and query[i - 1:i] in ("e", "E") and not _word(query[i - 2:i - 1])
            j = i + 1
            while j < n:
                if escapes and query[j] == "\\":
                    j += 2
                    continue
                if query[j] == ch:
                    if query[j + 1:j + 2] == ch:
                        j += 2
                        continue
                    break
                j += 1
            body = query[i + 1:j]
            code.append(" 's' " if ch == "'" else ' "i" ')
            scan.append(f" '{body}' " if ch == "'" else f" {body} ")
            i = j + 1
        elif ch == "$" and (tag := _DOLLAR.match(query, i)) and not _word(query[i - 1:i]):
            end = query.find(tag.group(0), tag.end())
            end = n if end < 0 else end
            code.append(" 's' ")
            scan.append(" " + query[tag.end():end] + " ")
            i = end + len(tag.group(0))
        else:
            code.append(ch)
            scan.append(ch)
            i += 1
    return "".join(code), "".join(scan)


def check_query(query: str) -> str:
    """The query's first keyword, lower-cased, once it passed the guards above."""
    if not isinstance(query, str) or not query.strip():
        raise AnalyticsError("give one SQL query, e.g. SELECT count(*) FROM tasks")
    if re.search(r"\bU&['\"]", query, re.IGNORECASE):
        raise AnalyticsError("Unicode-escaped names and strings (U&'…') are not accepted here")
    code, scan = _split(query)
    body = code.strip().rstrip(";").strip()
    if ";" in body:
        raise AnalyticsError("run_sql takes a single statement; remove the ';' between "
                             "statements and run them one at a time")
    first = re.match(r"[\s(]*([A-Za-z]+)", body)
    keyword = first.group(1).lower() if first else ""
    if keyword not in QUERY_STARTS:
        raise AnalyticsError(f"run_sql only reads: start with {', '.join(QUERY_STARTS[:-1])} "
                             f"or {QUERY_STARTS[-1]} (got {keyword or body[:20]!r})")
    denied = _DENIED.search(scan)
    if denied:
        raise AnalyticsError(f"{denied.group(1)} is not allowed in run_sql: it acts outside "
                             "a read-only query")
    return keyword


def _json_friendly(value: Any) -> Any:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else str(value)
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else str(value)
    if isinstance(value, str):
        return value if len(value) <= MAX_TEXT else value[:MAX_TEXT] + "…"
    if isinstance(value, datetime | date | clock):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | bytearray | memoryview):
        raw = bytes(value)
        return "\\x" + raw[:MAX_TEXT // 2].hex() + ("…" if len(raw) > MAX_TEXT // 2 else "")
    if isinstance(value, dict | list | tuple):
        text = json.dumps(value, default=str)
        if len(text) > MAX_TEXT:
            return text[:MAX_TEXT] + "…"
        return [_json_friendly(v) for v in value] if not isinstance(value, dict) else \
            {str(k): _json_friendly(v) for k, v in value.items()}
    return str(value)


def run_sql(conn: psycopg.Connection, query: str, *, limit: int = 200,
            timeout_ms: int = 5000) -> Result:
    """Run one read-only SQL query and return its first rows (for power users)."""
    limit = bounded(limit)
    if isinstance(timeout_ms, bool) or not isinstance(timeout_ms, int) or not (
            1 <= timeout_ms <= MAX_TIMEOUT_MS):
        raise AnalyticsError(f"timeout_ms must be a whole number from 1 to {MAX_TIMEOUT_MS}")
    keyword = check_query(query)
    started = time.perf_counter()
    try:
        with conn.transaction(force_rollback=True):
            conn.execute("SET TRANSACTION READ ONLY")
            conn.execute(  # this SELECT also takes the snapshot that pins read-only
                "SELECT set_config('statement_timeout', %(t)s, true), "
                "set_config('lock_timeout', %(t)s, true)", {"t": str(timeout_ms)})
            plain_cursor = keyword in ("explain", "show")  # these cannot be DECLAREd
            with (conn.cursor() if plain_cursor else
                  conn.cursor(name="clickup_sync_run_sql")) as cur:
                if isinstance(cur, psycopg.ServerCursor):
                    cur.execute(query)  # DECLARE … CURSOR FOR: one query, rows read lazily
                else:
                    cur.execute(query, binary=True)  # extended protocol: one statement
                columns = [d.name for d in cur.description or []]
                rows = cur.fetchmany(limit + 1)
    except psycopg.errors.QueryCanceled as exc:
        raise AnalyticsError(f"query stopped after {timeout_ms} ms "
                             f"({exc.diag.message_primary}); narrow it or raise timeout_ms") \
            from None
    except psycopg.Error as exc:
        message = exc.diag.message_primary or str(exc).splitlines()[0]
        hint = f" (hint: {exc.diag.message_hint})" if exc.diag.message_hint else ""
        raise AnalyticsError(f"query failed: {message}{hint}") from None
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    truncated = len(rows) > limit
    kept = [[_json_friendly(v) for v in r] for r in rows[:limit]]
    notes = ["read-only transaction, always rolled back; "
             f"statement timeout {timeout_ms} ms"]
    if truncated:
        notes.append(f"stopped after {limit} rows: the query returns more (total not counted)")
    return Result(title="SQL query result", columns=columns, rows=kept,
                  total_rows=len(rows), truncated=truncated,
                  summary={"rows": len(kept), "more_rows": truncated, "elapsed_ms": elapsed},
                  notes=notes)
