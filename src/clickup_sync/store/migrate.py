"""Bring a database's schema up to date from numbered SQL files, once each and in order.

A migration is a file ``NNNN_name.sql`` (default folder: ``clickup_sync/store/migrations``).
Each one runs in its own transaction together with its row in ``schema_migrations``, so a
failure leaves no half-applied step. Files must not contain ``BEGIN``/``COMMIT`` or
statements that refuse a transaction (``CREATE INDEX CONCURRENTLY``).

Every step first takes a transaction-level advisory lock and re-reads what is applied, so
processes starting together apply each file once, also through a transaction pooler.
A recorded checksum catches a file edited after it was applied: fix it with a new file.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import time
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import psycopg
from psycopg import pq

from clickup_sync.store.db import StoreError
from clickup_sync.store.locks import advisory_xact_lock

log = logging.getLogger(__name__)

LOCK_KEY = "clickup-sync:migrate"
_FILE_NAME = re.compile(r"^(?P<version>\d+)_(?P<name>[A-Za-z0-9_-]+)\.sql$")

_CREATE_TABLE = b"""
CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)"""

Folder = str | os.PathLike[str] | Traversable


class MigrationError(StoreError):
    """The migration files and the database's record of them disagree."""


@dataclass(frozen=True)
class Migration:
    """One SQL file: its version (the leading digits), name, text and checksum."""

    version: str
    name: str
    sql: str
    checksum: str

    @property
    def filename(self) -> str:
        return f"{self.version}_{self.name}.sql"


def default_folder() -> Traversable:
    """Return the package's own migrations folder."""
    return files("clickup_sync.store") / "migrations"


def load(folder: Folder | None = None) -> list[Migration]:
    """Read the migrations in `folder`, ordered by version number."""
    root = default_folder() if folder is None else _traversable(folder)
    if not root.is_dir():
        raise MigrationError(f"The migrations folder {root} does not exist.")
    found: dict[int, Migration] = {}
    for entry in root.iterdir():
        if not entry.name.endswith(".sql"):
            continue
        match = _FILE_NAME.match(entry.name)
        if match is None:
            raise MigrationError(f"The migration file {entry.name} is not named like "
                                 "0001_description.sql.")
        # Hash with Unix line endings so a Windows checkout does not look edited.
        text = entry.read_bytes().decode("utf-8").replace("\r\n", "\n")
        migration = Migration(match["version"], match["name"], text,
                              hashlib.sha256(text.encode()).hexdigest())
        number = int(migration.version)
        if number in found:
            raise MigrationError(f"The migration files {found[number].filename} and "
                                 f"{migration.filename} share version {number}.")
        found[number] = migration
    return [found[number] for number in sorted(found)]


def _traversable(folder: Folder) -> Traversable:
    return folder if isinstance(folder, Traversable) else Path(folder)


def _applied(conn: psycopg.Connection[Any]) -> dict[str, str]:
    """Map each recorded version to its checksum; empty before the first upgrade."""
    row = conn.execute(b"SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
    if not (row and row[0]):
        return {}
    rows = conn.execute(b"SELECT version, checksum FROM schema_migrations").fetchall()
    return {version: checksum for version, checksum in rows}


def _verify(migrations: list[Migration], applied: dict[str, str]) -> list[Migration]:
    """Check the record against the files and return the migrations still to apply."""
    known = {m.version for m in migrations}
    unknown = sorted(set(applied) - known)
    if unknown:
        raise MigrationError(f"The database has migration {unknown[-1]} applied, which this "
                             "version of clickup-sync does not have; upgrade clickup-sync.")
    for m in migrations:
        if m.version in applied and applied[m.version] != m.checksum:
            raise MigrationError(
                f"Migration {m.filename} changed after it was applied (checksum "
                f"{applied[m.version][:12]}… recorded, {m.checksum[:12]}… on disk); restore "
                "the file and put the change in a new migration.")
    return [m for m in migrations if m.version not in applied]


def pending(conn: psycopg.Connection[Any], folder: Folder | None = None) -> list[Migration]:
    """List the migrations `upgrade` would apply, without changing the database."""
    migrations = load(folder)
    with conn.transaction(force_rollback=True):
        return _verify(migrations, _applied(conn))


def upgrade(conn: psycopg.Connection[Any], folder: Folder | None = None) -> list[Migration]:
    """Apply the pending migrations, each in its own transaction; return those applied here.

    Needs a connection with no transaction open, since it commits after every step.
    """
    if conn.info.transaction_status != pq.TransactionStatus.IDLE:
        raise MigrationError("Migrations need a connection with no transaction open; "
                             "commit or roll back first.")
    migrations = load(folder)
    with conn.transaction():
        advisory_xact_lock(conn, LOCK_KEY)
        conn.execute(_CREATE_TABLE)
        todo = _verify(migrations, _applied(conn))
    done: list[Migration] = []
    for migration in todo:
        if _apply(conn, migration):
            done.append(migration)
    return done


def _apply(conn: psycopg.Connection[Any], migration: Migration) -> bool:
    """Apply one migration unless another process did meanwhile; return whether it ran."""
    started = time.perf_counter()
    with conn.transaction():
        advisory_xact_lock(conn, LOCK_KEY)
        row = conn.execute(b"SELECT checksum FROM schema_migrations WHERE version = %s",
                           (migration.version,)).fetchone()
        if row is not None:
            _verify([migration], {migration.version: row[0]})
            return False
        try:
            conn.execute(migration.sql.encode())
        except psycopg.Error as exc:
            reason = str(exc).strip().splitlines()[0].rstrip(".")
            raise MigrationError(f"Migration {migration.filename} failed and was rolled "
                                 f"back: {reason}.") from exc
        conn.execute(b"INSERT INTO schema_migrations (version, name, checksum) "
                     b"VALUES (%s, %s, %s)",
                     (migration.version, migration.name, migration.checksum))
    log.info("applied migration %s in %.0f ms", migration.filename,
             (time.perf_counter() - started) * 1000)
    return True
