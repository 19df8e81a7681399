"""Dependencies routes declare: the runtime, and a database connection for the request."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any

import anyio
import psycopg
from fastapi import Depends, Request
from psycopg_pool import PoolTimeout

from .runtime import ApiRuntime

SLOT_WAIT_S = 5.0
"""How long a request may wait for a free database connection."""


async def get_runtime(request: Request) -> ApiRuntime:  # async: no worker thread for this
    runtime: ApiRuntime = request.app.state.runtime
    return runtime


async def database_slot(runtime: Annotated[ApiRuntime, Depends(get_runtime)]
                        ) -> AsyncIterator[ApiRuntime]:
    """Wait (on the event loop) until a pooled connection is free for this request.

    After `SLOT_WAIT_S` the request is answered 503 "busy" (with Retry-After) instead: an
    overloaded server sheds requests rather than queueing them for minutes.
    """
    assert runtime.slots is not None, "the app is not running"
    try:
        with anyio.fail_after(SLOT_WAIT_S):
            await runtime.slots.acquire()
    except TimeoutError:
        raise PoolTimeout(f"no database connection came free in {SLOT_WAIT_S:g} s") from None
    try:
        yield runtime
    finally:
        runtime.slots.release()


Runtime = Annotated[ApiRuntime, Depends(database_slot)]
"""The runtime, with a database connection free for the request."""

LoopRuntime = Annotated[ApiRuntime, Depends(get_runtime)]
"""The runtime without a slot, for routes that read through `ApiRuntime.aread` (its pool
queues the requests on the event loop itself)."""


def read_connection(runtime: Runtime) -> Iterator[psycopg.Connection[Any]]:
    """A connection in a read-only transaction for the request (on a worker thread)."""
    with runtime.connection() as conn:
        yield conn


Conn = Annotated[psycopg.Connection[Any], Depends(read_connection)]
