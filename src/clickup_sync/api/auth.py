"""The API key: once one is configured, every route but ``/health`` requires it.

Clients send it as ``X-API-Key: <key>``, or as ``Authorization: Bearer <key>`` (what
Prometheus and most HTTP tools send from their standard settings). Keys are compared in
constant time; a missing or wrong key gets 401 before the route runs.
"""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

HEADER = "X-API-Key"

_key_header = APIKeyHeader(name=HEADER, auto_error=False, scheme_name="ApiKey",
                           description="The API key (`clickup-sync serve --api-key`, or "
                                       "`API_KEY`).")
_bearer = HTTPBearer(auto_error=False, scheme_name="Bearer",
                     description="The same API key as a bearer token.")


class RequireKey:
    """A dependency that lets a request through only with the configured key."""

    def __init__(self, key: str) -> None:
        if not key:
            raise ValueError("the API key cannot be empty")
        self._expected = key.encode()

    async def __call__(self, key: str | None = Security(_key_header),
                       bearer: HTTPAuthorizationCredentials | None = Security(_bearer)
                       ) -> None:
        given = key if key is not None else (bearer.credentials if bearer else None)
        if given is None:
            raise HTTPException(401, f"send the API key in the {HEADER} header",
                                headers={"WWW-Authenticate": 'Bearer realm="clickup-sync"'})
        if not hmac.compare_digest(given.encode(), self._expected):
            raise HTTPException(401, "wrong API key",
                                headers={"WWW-Authenticate": 'Bearer realm="clickup-sync"'})
