"""The embedded PostgreSQL: starts, serves, is reused, stops; refuses unsafe folders."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from clickup_sync.store import EmbeddedPostgres, StoreError, connect, resolve_dsn
from clickup_sync.store.embedded import default_data_dir

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture()
def base() -> Iterator[Path]:
    """A folder that the server's own user can enter (pytest's tmp_path is private)."""
    folder = Path(tempfile.mkdtemp(prefix="cs-embedded-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_embedded_server_starts_serves_is_reused_and_stops(base: Path) -> None:
    with EmbeddedPostgres(base / "pg") as server:
        dsn = server.dsn
        assert dsn.startswith("postgresql://postgres:") and "@127.0.0.1:" in dsn
        with connect(dsn) as conn:
            row = conn.execute("SELECT current_database(), host(inet_server_addr()), "
                               "current_setting('server_version_num')::int").fetchone()
        assert row is not None and row[:2] == ("clickup_sync", "127.0.0.1")
        assert row[2] >= 180000

        started = time.monotonic()
        again = EmbeddedPostgres(base / "pg")
        assert again.start() == dsn  # same server, found running
        assert time.monotonic() - started < 1
        password = urlsplit(dsn).password
        assert password and len(password) >= 20
        with pytest.raises(StoreError, match="password authentication failed") as refused:
            connect(dsn.replace(f":{password}@", ":wrong@"))
        assert password not in str(refused.value)
    with pytest.raises(StoreError, match="Cannot connect"):
        connect(dsn)
    assert (base / "pg" / "PG_VERSION").exists()
    server.stop()  # idempotent


def test_resolve_dsn_prefers_a_given_url(tmp_path: Path) -> None:
    url = "postgresql://app@db.example.com:6543/postgres"
    assert resolve_dsn(f"  {url} ", tmp_path / "never-created") == url
    assert not (tmp_path / "never-created").exists()


def test_default_data_dir_is_not_in_a_private_home() -> None:
    expected = Path("/var/lib/clickup-sync/postgres") if ROOT else None
    assert default_data_dir().name == "postgres"
    if expected is not None:
        assert default_data_dir() == expected


@pytest.mark.skipif(not ROOT, reason="only root hands the server to another user")
def test_root_refuses_a_data_dir_the_server_user_cannot_reach(tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    with pytest.raises(StoreError, match=r"cannot reach .* outside private folders"):
        EmbeddedPostgres(private / "pg").start()
    assert oct(private.stat().st_mode & 0o777) == oct(0o700)  # nobody's permissions loosened
