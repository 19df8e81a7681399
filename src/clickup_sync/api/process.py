"""Serve the API from a process of its own beside other work (``clickup-sync run``, the demo).

A sync parses pages of JSON in Python for seconds on end; on a thread of the same process it
would hold the interpreter's lock while requests wait, so a busy sync would show as slow
pages to every API client. A child process has its own interpreter, pool and event loop, and
the operating system shares the cores between the two. The child gets the parent's
`Settings` object itself (pickled through the start pipe, never the command line or the
environment, where other users could read the keys) and is started with ``spawn``, so it
holds none of the parent's threads, sockets or pool connections.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection

import httpx

from clickup_sync.config import Settings

from .server import serve


class ApiStartError(RuntimeError):
    """The API process could not start; the message says why in a sentence."""


def _serve_child(settings: Settings, dsn: str, host: str, port: int,
                 report: Connection) -> None:
    """The child's body: serve until told to stop; say in one sentence why it could not."""
    try:
        serve(settings, dsn, host=host, port=port)
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        report.send(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
    except SystemExit:  # uvicorn exits when the port is taken, after logging why
        report.send(f"cannot listen on {host}:{port} (see the message above)")
    except Exception as exc:  # one sentence to the parent, not a traceback
        report.send(f"{type(exc).__name__}: {exc}")


def _probe_url(host: str, port: int) -> str:
    """Where the parent checks the child listens: an address it can connect to."""
    if host in ("0.0.0.0", "", "::"):
        host = "127.0.0.1"
    return f"http://{'[' + host + ']' if ':' in host else host}:{port}/health"


@contextmanager
def serving_in_process(settings: Settings, dsn: str, host: str = "127.0.0.1",
                       port: int = 8000, *, start_timeout: float = 60.0) -> Iterator[str]:
    """Serve the API in a child process for the block; yield its base URL once it answers.

    Raises `ApiStartError` when the child exits or does not answer ``/health`` in time.
    """
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_serve_child, name="clickup-sync-api",
                            args=(settings, dsn, host, port, send), daemon=True)
    child.start()
    send.close()
    try:
        _wait_until_answering(child, receive, _probe_url(host, port), start_timeout)
        yield f"http://{host}:{port}"
    finally:
        _stop(child)
        receive.close()


def _wait_until_answering(child: multiprocessing.process.BaseProcess, report: Connection,
                          url: str, seconds: float) -> None:
    """Return once ``url`` answers; raise `ApiStartError` with the child's reason if it
    exits first, or when ``seconds`` pass (the caller stops the child either way)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not child.is_alive():
            reason = report.recv() if report.poll(1.0) else \
                f"the API process exited with code {child.exitcode}"
            raise ApiStartError(reason)
        try:
            httpx.get(url, timeout=1.0)  # any answer: it listens (503 = database down)
            return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise ApiStartError(f"the API did not answer at {url} within {seconds:g} s")


def _stop(child: multiprocessing.process.BaseProcess) -> None:
    """SIGTERM (uvicorn finishes the requests in flight), then SIGKILL if it hangs."""
    if child.is_alive():
        child.terminate()
        child.join(15)
    if child.is_alive():
        child.kill()
        child.join(5)
