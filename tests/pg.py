"""Fresh PostgreSQL databases for tests, on a local server or on an embedded one.

``CLICKUP_SYNC_TEST_DSN`` names a server's maintenance database (default
``postgresql://postgres@127.0.0.1:5432/postgres``). When nothing answers there, or when it
is set to ``embedded``, one embedded PostgreSQL is started for the whole test session in
a temporary folder, so the suite also passes on a machine without a server. Each
`fresh_database` is a new, uniquely named database, dropped afterwards.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from clickup_sync.store import EmbeddedPostgres, redact

ENV = "CLICKUP_SYNC_TEST_DSN"
DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"

log = logging.getLogger(__name__)
_admin_dsn: str | None = None
_embedded: EmbeddedPostgres | None = None


def server_dsn() -> str:
    """Return the maintenance DSN of the test server, starting the embedded one if needed."""
    global _admin_dsn, _embedded
    if _admin_dsn is None:
        wanted = os.environ.get(ENV, DEFAULT_DSN)
        if wanted != "embedded" and _answers(wanted):
            _admin_dsn = wanted
        else:
            if wanted != "embedded":
                log.info("no PostgreSQL answers at %s; starting an embedded one", redact(wanted))
            base = Path(tempfile.mkdtemp(prefix="cs-test-pg-"))
            base.chmod(0o755)  # as root the server runs as another user, who must get in
            _embedded = EmbeddedPostgres(base / "data")
            _embedded.start()
            atexit.register(shutdown)
            _admin_dsn = _embedded.dsn_for("postgres")
    return _admin_dsn


def shutdown() -> None:
    """Stop the embedded server of this session, if one was started, and delete its files."""
    global _admin_dsn, _embedded
    if _embedded is not None:
        _embedded.stop()
        shutil.rmtree(_embedded.data_dir.parent, ignore_errors=True)
        _embedded = None
        _admin_dsn = None


def with_database(dsn: str, name: str) -> str:
    """Return `dsn` pointing at database `name` instead."""
    if "://" in dsn:
        return urlunsplit(urlsplit(dsn)._replace(path=f"/{name}"))
    return make_conninfo(dsn, dbname=name)


@contextmanager
def fresh_database() -> Iterator[str]:
    """Create an empty database named ``cs_test_<random>``, yield its DSN, then drop it."""
    admin = server_dsn()
    name = f"cs_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        # template0: never connected to, so concurrent creations do not collide.
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(
            sql.Identifier(name)))
    try:
        yield with_database(admin, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))


def _answers(dsn: str) -> bool:
    try:
        psycopg.connect(dsn, connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True
