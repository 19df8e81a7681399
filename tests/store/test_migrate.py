"""Migrations: ordered, recorded, transactional, checked, and applied once under contention."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import psycopg
import pytest

from clickup_sync.store import MigrationError, connect, pending, upgrade
from clickup_sync.store.migrate import load

FILES = {
    "0001_items.sql": "CREATE TABLE items (id int PRIMARY KEY, label text);",
    # Depends on 0002 having run before it: proves numeric order (10 > 2).
    "0010_note.sql": "ALTER TABLE items ADD COLUMN note text;\n"
                     "INSERT INTO runs (migration) VALUES ('0010');",
    "0002_runs.sql": "CREATE TABLE runs (migration text);\n"
                     "INSERT INTO runs (migration) VALUES ('0002');\n"
                     "-- a literal percent sign must not be taken for a parameter: 100%\n",
}


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "README.md").write_text("not a migration")
    return tmp_path


def _versions(conn: psycopg.Connection[Any]) -> list[str]:
    rows = conn.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    conn.commit()
    return [version for (version,) in rows]


def test_upgrade_applies_in_order_and_records(conn: psycopg.Connection[Any],
                                              folder: Path) -> None:
    applied = upgrade(conn, folder)
    assert [m.filename for m in applied] == ["0001_items.sql", "0002_runs.sql",
                                             "0010_note.sql"]
    assert _versions(conn) == ["0001", "0002", "0010"]
    row = conn.execute("SELECT name, length(checksum), applied_at IS NOT NULL "
                       "FROM schema_migrations WHERE version = '0010'").fetchone()
    assert row == ("note", 64, True)
    assert conn.execute("SELECT migration FROM runs ORDER BY 1").fetchall() == [
        ("0002",), ("0010",)]


def test_upgrade_is_idempotent(conn: psycopg.Connection[Any], folder: Path) -> None:
    upgrade(conn, folder)
    assert upgrade(conn, folder) == []
    assert pending(conn, folder) == []
    assert conn.execute("SELECT count(*) FROM runs").fetchone() == (2,)


def test_pending_lists_what_is_left_without_writing(conn: psycopg.Connection[Any],
                                                    folder: Path) -> None:
    assert [m.version for m in pending(conn, folder)] == ["0001", "0002", "0010"]
    assert conn.execute("SELECT to_regclass('schema_migrations')").fetchone() == (None,)
    conn.rollback()
    upgrade(conn, folder)
    (folder / "0011_more.sql").write_text("ALTER TABLE items ADD COLUMN more int;")
    assert [m.filename for m in pending(conn, folder)] == ["0011_more.sql"]
    assert [m.version for m in upgrade(conn, folder)] == ["0011"]


def test_an_edited_applied_migration_is_an_error(conn: psycopg.Connection[Any],
                                                 folder: Path) -> None:
    upgrade(conn, folder)
    (folder / "0001_items.sql").write_text("CREATE TABLE items (id bigint PRIMARY KEY);")
    for check in (pending, upgrade):
        with pytest.raises(MigrationError, match=r"0001_items\.sql changed after it was "
                                                 r"applied .* new migration"):
            check(conn, folder)


def test_line_endings_do_not_count_as_an_edit(conn: psycopg.Connection[Any],
                                              folder: Path) -> None:
    upgrade(conn, folder)
    path = folder / "0002_runs.sql"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert pending(conn, folder) == []


def test_a_failing_migration_is_rolled_back(conn: psycopg.Connection[Any],
                                            folder: Path) -> None:
    (folder / "0011_broken.sql").write_text("CREATE TABLE half (id int);\nSELECT nope;")
    with pytest.raises(MigrationError, match=r"0011_broken\.sql failed and was rolled back"):
        upgrade(conn, folder)
    assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    assert _versions(conn) == ["0001", "0002", "0010"]
    assert conn.execute("SELECT to_regclass('half')").fetchone() == (None,)


@pytest.mark.parametrize(("name", "message"), [
    ("12-bad.sql", "not named like 0001_description.sql"),
    ("001_items_again.sql", "share version 1"),
])
def test_badly_named_files_are_errors(folder: Path, name: str, message: str) -> None:
    (folder / name).write_text("SELECT 1;")
    with pytest.raises(MigrationError, match=message):
        load(folder)


def test_a_database_ahead_of_the_code_is_an_error(conn: psycopg.Connection[Any],
                                                  folder: Path) -> None:
    (folder / "0099_future.sql").write_text("SELECT 1;")
    upgrade(conn, folder)
    (folder / "0099_future.sql").unlink()
    with pytest.raises(MigrationError, match="has migration 0099 applied"):
        pending(conn, folder)


def test_upgrade_refuses_an_open_transaction(conn: psycopg.Connection[Any],
                                             folder: Path) -> None:
    conn.execute("SELECT 1")
    with pytest.raises(MigrationError, match="no transaction open"):
        upgrade(conn, folder)


def test_concurrent_upgrades_apply_each_migration_once(fresh_dsn: str, folder: Path) -> None:
    (folder / "0003_slow.sql").write_text("SELECT pg_sleep(0.3);\n"
                                          "INSERT INTO runs (migration) VALUES ('0003');")
    workers = 4
    barrier = threading.Barrier(workers)
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with connect(fresh_dsn) as own:
                barrier.wait()
                results.append([m.version for m in upgrade(own, folder)])
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(v for applied in results for v in applied) == ["0001", "0002", "0003",
                                                                  "0010"]
    with connect(fresh_dsn) as check:
        assert check.execute("SELECT migration FROM runs ORDER BY 1").fetchall() == [
            ("0002",), ("0003",), ("0010",)]


def test_the_package_migrations_apply_cleanly(conn: psycopg.Connection[Any]) -> None:
    applied = upgrade(conn)
    assert applied, "the package ships migrations"
    assert upgrade(conn) == [] and pending(conn) == []
