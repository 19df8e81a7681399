"""JSON bodies written straight from database rows, for the listings that carry many rows.

FastAPI validates a route's return value against its response model and then serializes
it: for a page of 100 task rows of 45 columns that is most of a request's Python time.
The task routes build their body here instead, with orjson, in the shape and format the
response model gives (the model still documents the route; tests/api/test_tasks.py checks
that both give the same bytes for real rows): datetimes ISO 8601 with ``Z`` for UTC, UUIDs
as text, ``numeric`` as a float. Whole task rows come from the database already written in
that format (`analytics.JsonPage`), and are spliced in as they are.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from fastapi import Response


def _other(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dumps(content: Any) -> bytes:
    """``content`` as the response model would write it."""
    return orjson.dumps(content, default=_other, option=orjson.OPT_UTC_Z)


def json_response(content: Any, status_code: int = 200) -> Response:
    """A JSON response of ``content``, serialized once, without revalidation."""
    return Response(dumps(content), status_code=status_code, media_type="application/json")


def json_body(body: bytes) -> Response:
    """A JSON response of bytes written already."""
    return Response(body, media_type="application/json")


def with_rows(fields: dict[str, Any], key: str, rows: bytes) -> bytes:
    """``fields`` and then ``key``: the rows, a JSON array written already (not re-read)."""
    head = dumps(fields)
    return head[:-1] + (b',"' if fields else b'"') + key.encode() + b'":' + rows + b"}"
