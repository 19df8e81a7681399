"""Serve the API: in the foreground (``clickup-sync serve``) or on a background thread
beside other work (``clickup-sync run`` and the demo, tests)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

from clickup_sync.config import Settings

from .app import create_app


def _config(app: FastAPI, host: str, port: int) -> uvicorn.Config:
    """One process, uvloop and httptools (uvicorn's picks when installed), no access log:
    the metrics middleware counts requests, and a log line per request costs more than
    serving a page. One process, because the Prometheus counters live in it."""
    return uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                          loop="auto", http="auto")


def serve(settings: Settings, dsn: str, *, host: str = "127.0.0.1", port: int = 8000,
          api_key: str | None = None, cors_origins: Sequence[str] | None = None) -> None:
    """Serve until interrupted (Ctrl+C or SIGTERM); key and origins default to settings'."""
    app = create_app(settings, dsn, api_key=api_key, cors_origins=cors_origins)
    uvicorn.Server(_config(app, host, port)).run()


@contextmanager
def running(app: FastAPI, host: str = "127.0.0.1", port: int = 8000, *,
            start_timeout: float = 30.0) -> Iterator[str]:
    """Serve ``app`` on a thread for the block; yield its base URL once it listens.

    Raises `OSError` when the port cannot be bound, `RuntimeError` when the app fails to
    start (its lifespan raised: the database is unreachable).
    """
    server = uvicorn.Server(_config(app, host, port))
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]  # not main
    failure: list[BaseException] = []

    def run() -> None:
        try:
            server.run()
        except BaseException as exc:  # reported to the caller below
            failure.append(exc)

    thread = threading.Thread(target=run, name="clickup-sync-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            if failure and isinstance(failure[0], OSError):
                raise failure[0]
            raise RuntimeError(f"the API did not start on {host}:{port}")
        time.sleep(0.02)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
