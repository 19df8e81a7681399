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
        if not self.accepts(given):
            self._refuse(given)

    def accepts(self, given: str | None) -> bool:
        """Whether ``given`` is the key (compared in constant time)."""
        return given is not None and hmac.compare_digest(given.encode(), self._expected)

    def accepts_headers(self, headers: list[tuple[bytes, bytes]]) -> bool:
        """Whether an ASGI request's headers carry the key, the way the dependency reads
        them: ``X-API-Key`` first, else an ``Authorization: Bearer`` token."""
        named = dict(reversed(headers))  # the first of repeated headers, as Starlette reads
        key = named.get(HEADER.lower().encode())
        if key is None:
            scheme, _, token = named.get(b"authorization", b"").partition(b" ")
            key = token if scheme.lower() == b"bearer" and token else None
        return key is not None and self.accepts(key.decode("latin-1"))

    @staticmethod
    def _refuse(given: str | None) -> None:
        if given is None:
            raise HTTPException(401, f"send the API key in the {HEADER} header",
                                headers={"WWW-Authenticate": 'Bearer realm="clickup-sync"'})
        raise HTTPException(401, "wrong API key",
                            headers={"WWW-Authenticate": 'Bearer realm="clickup-sync"'})
