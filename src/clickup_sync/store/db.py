"""Open PostgreSQL connections and pools that also work through a transaction pooler.

Supabase's pooler on port 6543 and PgBouncer in transaction mode hand each transaction to
any server connection, so a statement prepared on one may be missing on the next: every
connection made here disables server-side prepared statements (``prepare_threshold=None``).
Autocommit stays off, so a caller's writes are one transaction until it commits.

Connection failures become one `StoreError` whose sentence names the server with the
password removed (`redact`), because DSNs end up in logs and error output.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import AsyncConnectionPool, ConnectionPool, PoolTimeout

CONNECT_TIMEOUT = 10
"""Seconds to wait for a server, unless the DSN says otherwise."""

APPLICATION_NAME = "clickup-sync"

_KV_PASSWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)
_URL_PASSWORD = re.compile(r"^([a-z][a-z0-9+.-]*://[^:/@]*:)([^@/]*)(@)", re.IGNORECASE)


class StoreError(Exception):
    """The store could not do what was asked; the message is one sentence without secrets."""


def redact(dsn: str) -> str:
    """Return `dsn` with its password replaced by ``***``, for logs and error messages.

    Handles URLs (``postgresql://user:pw@host/db?password=…``) and key/value strings
    (``host=… password=…``); from a URL too broken to parse, the query part is dropped.
    """
    if "://" not in dsn:
        return _KV_PASSWORD.sub(r"\1***", dsn)
    try:
        parts = urlsplit(dsn)
    except ValueError:
        return _URL_PASSWORD.sub(r"\1***\3", dsn.split("?", 1)[0])
    user_info, at, host_info = parts.netloc.rpartition("@")
    netloc = parts.netloc
    if at and ":" in user_info:
        netloc = f"{user_info.split(':', 1)[0]}:***@{host_info}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, "***" if k.lower() == "password" else v) for k, v in pairs],
                          safe="*/:")
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def _password(dsn: str) -> str | None:
    """Find the password in `dsn`, even when libpq would reject the string."""
    try:
        value = conninfo_to_dict(dsn).get("password")
        if value:
            return str(value)
    except psycopg.Error:
        pass
    match = _URL_PASSWORD.match(dsn) or _KV_PASSWORD.search(dsn)
    if match is None:
        return None
    return unquote(match.group(2)).strip("'") or None


def scrub(text: str, dsn: str) -> str:
    """Remove `dsn`'s password (and the DSN itself) from a message such as libpq's."""
    text = text.replace(dsn, redact(dsn))
    secret = _password(dsn)
    if secret:
        text = text.replace(secret, "***")
    return text


def connection_error(dsn: str, exc: Exception) -> StoreError:
    """Translate a failure to connect into one `StoreError` naming the server, not the secret.

    libpq repeats the host and port before its reason and adds hints on further lines;
    the sentence keeps only the reason, e.g. "Connection refused".
    """
    lines = scrub(str(exc), dsn).strip().splitlines()
    first = lines[0] if lines else type(exc).__name__
    reason = first.rpartition(" failed: ")[2].replace("FATAL:", "").strip()
    reason = " ".join(reason.split()).rstrip(".") or type(exc).__name__
    return StoreError(f"Cannot connect to PostgreSQL at {redact(dsn)}: {reason}.")


def _leaks(exc: BaseException, dsn: str) -> bool:
    secret = _password(dsn)
    return secret is not None and secret in str(exc)


def connection_kwargs(dsn: str, *, autocommit: bool = False) -> dict[str, Any]:
    """Return the keyword arguments every connection here is opened with."""
    kwargs: dict[str, Any] = {"prepare_threshold": None, "autocommit": autocommit}
    try:
        given = conninfo_to_dict(dsn)
    except psycopg.Error:
        given = {}
    if "connect_timeout" not in given:
        kwargs["connect_timeout"] = CONNECT_TIMEOUT
    if "application_name" not in given:
        kwargs["application_name"] = APPLICATION_NAME
    return kwargs


def connect(dsn: str, *, autocommit: bool = False) -> psycopg.Connection[Any]:
    """Open one connection, safe behind a transaction pooler; failures raise `StoreError`."""
    try:
        return psycopg.Connection.connect(dsn, **connection_kwargs(dsn, autocommit=autocommit))
    except psycopg.Error as exc:
        raise connection_error(dsn, exc) from (None if _leaks(exc, dsn) else exc)


async def aconnect(dsn: str, *, autocommit: bool = False) -> psycopg.AsyncConnection[Any]:
    """Open one asyncio connection, configured like `connect`."""
    try:
        return await psycopg.AsyncConnection.connect(
            dsn, **connection_kwargs(dsn, autocommit=autocommit))
    except psycopg.Error as exc:
        raise connection_error(dsn, exc) from (None if _leaks(exc, dsn) else exc)


def _configure(conn: psycopg.Connection[Any]) -> None:
    """Turn JIT off for pooled (query-serving) sessions: the analytics queries are short, and
    JIT compilation, triggered by high cost estimates, can turn 10 ms into most of a second."""
    conn.execute("SET jit = off")
    if not conn.autocommit:
        conn.commit()


def make_pool(dsn: str, min_size: int = 1, max_size: int = 10, *,
              timeout: float = 30.0) -> ConnectionPool[psycopg.Connection[Any]]:
    """Open a connection pool once one direct connection succeeds, so a bad DSN fails fast.

    Connections are checked before they are handed out, since a pooler or a restart may
    have closed them while idle.
    """
    connect(dsn).close()
    pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
        dsn, min_size=min_size, max_size=max_size, open=False, timeout=timeout,
        kwargs=connection_kwargs(dsn), check=ConnectionPool.check_connection,
        configure=_configure, name=APPLICATION_NAME)
    try:
        pool.open(wait=True, timeout=timeout)
    except PoolTimeout as exc:
        pool.close()
        raise _pool_error(dsn, timeout) from exc
    return pool


async def make_async_pool(dsn: str, min_size: int = 1, max_size: int = 10, *,
                          timeout: float = 30.0, autocommit: bool = False,
                          session: dict[str, str] | None = None
                          ) -> AsyncConnectionPool[psycopg.AsyncConnection[Any]]:
    """Open an asyncio connection pool, configured like `make_pool`; ``session``: settings
    each connection takes for its whole life (``{"statement_timeout": "15000"}``).

    Unlike `make_pool`'s, its connections are not checked at each checkout: the check is a
    round trip, as long as the one-row reads this pool serves. A connection the server
    dropped fails its next statement and leaves the pool broken; callers retry once on a
    fresh one (`ApiRuntime.aread`)."""
    settings = {"jit": "off", **(session or {})}

    async def configure(conn: psycopg.AsyncConnection[Any]) -> None:
        for name, value in settings.items():
            await conn.execute("SELECT set_config(%s, %s, false)", (name, value))
        if not conn.autocommit:
            await conn.commit()

    await (await aconnect(dsn)).close()
    pool: AsyncConnectionPool[psycopg.AsyncConnection[Any]] = AsyncConnectionPool(
        dsn, min_size=min_size, max_size=max_size, open=False, timeout=timeout,
        kwargs=connection_kwargs(dsn, autocommit=autocommit), configure=configure,
        name=APPLICATION_NAME)
    try:
        await pool.open(wait=True, timeout=timeout)
    except PoolTimeout as exc:
        await pool.close()
        raise _pool_error(dsn, timeout) from exc
    return pool


def _pool_error(dsn: str, timeout: float) -> StoreError:
    return StoreError(f"Cannot fill a pool of connections to PostgreSQL at {redact(dsn)} "
                      f"within {timeout:g} s; is max_connections reached?")
