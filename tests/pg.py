"""Fresh PostgreSQL databases for tests, on a local server or on an embedded one.

``CLICKUP_SYNC_TEST_DSN`` names a server's maintenance database (default
``postgresql://postgres@127.0.0.1:5432/postgres``). When nothing answers there, or when it
is set to ``embedded``, one embedded PostgreSQL is started for the whole test run in a
temporary folder, so the suite also passes on a machine without a server. Each
`fresh_database` is a new, uniquely named database, dropped afterwards.

Two things keep this cheap. A migrated database is a copy (``CREATE DATABASE ... TEMPLATE``)
of one that was migrated once per run, not a new run of every migration. And a database
is dropped by a background thread, since PostgreSQL checkpoints on each ``DROP DATABASE``
(seconds when other work has left the buffers dirty): `finish` waits for the drops and
drops the template, at the end of the session.

Under pytest-xdist the controller owns the run: it picks the server (starting the embedded
one itself, so all workers share it) and names the run; workers `join` it. The migrated
template is named after the run and made once, by whichever worker needs it first, under
an advisory lock; only the owner drops it, when every worker is done.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from clickup_sync.store import EmbeddedPostgres, connect, redact, upgrade

ENV = "CLICKUP_SYNC_TEST_DSN"
DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"

log = logging.getLogger(__name__)
_admin_dsn: str | None = None
_embedded: EmbeddedPostgres | None = None
_drops: queue.Queue[tuple[str, str]] = queue.Queue()
_droppers: list[threading.Thread] = []
_run = uuid.uuid4().hex[:12]  # names this run's template; a worker takes the controller's
_owner = True  # this process drops the template at the end (False in an xdist worker)
_template: str | None = None
_template_lock = threading.Lock()


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


def share() -> dict[str, str]:
    """What a worker process needs to `join` this run: the server and the run's name."""
    return {"dsn": server_dsn(), "run": _run}


def join(shared: dict[str, str]) -> None:
    """Use the server and the template of the run `share` described (in a worker)."""
    global _admin_dsn, _run, _owner
    _admin_dsn, _run, _owner = shared["dsn"], shared["run"], False


def shutdown() -> None:
    """Stop the embedded server of this session, if one was started, and delete its files."""
    global _admin_dsn, _embedded
    finish()
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
def fresh_database(*, migrated: bool = False) -> Iterator[str]:
    """Create a database named ``cs_test_<random>``, yield its DSN, then drop it (in the
    background). Empty, or with every migration applied when ``migrated``."""
    admin = server_dsn()
    template = _migrated_template(admin) if migrated else "template0"
    name = _create(admin, template)
    try:
        yield with_database(admin, name)
    finally:
        _drop_later(admin, name)


def drops_done() -> None:
    """Wait for the databases still being dropped (each drop's checkpoint writes to disk)."""
    _drops.join()


def finish() -> None:
    """Wait for the databases still being dropped, then (in the run's owner) drop the
    migrated template."""
    global _template
    drops_done()
    with _template_lock:
        if _owner and _admin_dsn is not None:
            _drop(_admin_dsn, _template_name())
        _template = None


def _template_name() -> str:
    return f"cs_test_template_{_run}"


def _create(admin: str, template: str, name: str | None = None) -> str:
    name = name or f"cs_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        # The template takes no connections (template0, and ours once migrated), so
        # concurrent creations do not collide.
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(template)))
        # Commits need not wait for the WAL to reach the disk: no test crashes the server,
        # and what other sessions see at commit is the same.
        conn.execute(sql.SQL("ALTER DATABASE {} SET synchronous_commit = off").format(
            sql.Identifier(name)))
    return name


def _migrated_template(admin: str) -> str:
    """A database with every migration applied, made once per run by the first process
    that needs it, copied by each migrated `fresh_database` (all of them see the
    migrations of the run's start)."""
    global _template
    with _template_lock:
        if _template is None:
            name = _template_name()
            with psycopg.connect(admin, autocommit=True) as conn:
                # Workers wait for the one making it; a lock of this run's name only.
                conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (name,))
                try:
                    if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                    (name,)).fetchone() is None:
                        _make_template(admin, conn, name)
                finally:
                    conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (name,))
            _template = name
        return _template


def _make_template(admin: str, conn: psycopg.Connection, name: str) -> None:
    """Migrate a new database, then give it the template's name: a migration that fails
    leaves no template for the next process to take as complete."""
    made = _create(admin, "template0")
    with connect(with_database(admin, made)) as migrating:
        upgrade(migrating)
    conn.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
        sql.Identifier(made), sql.Identifier(name)))
    # Nor autovacuum, now: concurrent copies need a template no one is connected to.
    conn.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(
        sql.Identifier(name)))


def _drop(admin: str, name: str) -> None:
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))


def _drop_later(admin: str, name: str) -> None:
    # A few threads: drops that wait together share one checkpoint (as the session's
    # databases do at its end).
    while len(_droppers) < 4:
        _droppers.append(threading.Thread(target=_drop_queued, name="drop-databases",
                                          daemon=True))
        _droppers[-1].start()
    _drops.put((admin, name))


def _drop_queued() -> None:
    while True:
        admin, name = _drops.get()
        try:
            _drop(admin, name)
        except psycopg.Error as exc:  # a database left behind fails no test
            log.warning("could not drop test database %s: %s", name, exc)
        finally:
            _drops.task_done()


def _answers(dsn: str) -> bool:
    try:
        psycopg.connect(dsn, connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True
