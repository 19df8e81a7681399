"""One error tree for everything the ClickUp client raises, shaped by what a caller can do.

``RateLimited`` means wait until ``reset``; ``TransientError`` means try again later;
``PermanentError`` means trying again will not help. ClickUp answers 401 ``OAUTH_027``
("Team not authorized") for unknown task and List ids too, so only the token-dead codes make
an `AuthError`; the rest of the authorization family is `NotFoundOrForbidden`.
"""

from __future__ import annotations

# ECODEs that mean the token itself is missing, invalid or revoked (REFERENCE.md §2).
TOKEN_DEAD_ECODES = frozenset({"OAUTH_017", "OAUTH_019", "OAUTH_021", "OAUTH_025", "OAUTH_077"})
# ECODEs of "this Workspace / id is not yours to see", answered for unknown ids as well.
NOT_AUTHORIZED_ECODES = frozenset(
    {"OAUTH_023", "OAUTH_026", "OAUTH_027", *(f"OAUTH_{n:03d}" for n in range(29, 46))}
)


class ClickUpError(Exception):
    """Root of every error the ClickUp client raises."""


class RepeatedPageError(ClickUpError):
    """A paginator received a page it had already seen; stopping beats looping forever."""


class ClickUpAPIError(ClickUpError):
    """A request that failed, with where it went and what ClickUp said (never the token)."""

    def __init__(
        self,
        message: str,
        *,
        method: str,
        path: str,
        status: int | None = None,
        err: str | None = None,
        ecode: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.path = path
        self.status = status
        self.err = err
        self.ecode = ecode

    def __str__(self) -> str:
        where = f"{self.method} {self.path}"
        status = f" → {self.status}" if self.status is not None else ""
        code = f" {self.ecode}" if self.ecode else ""
        return f"{where}{status}{code}: {self.message}"

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(method={self.method!r}, path={self.path!r}, "
                f"status={self.status!r}, ecode={self.ecode!r}, message={self.message!r})")


class RateLimited(ClickUpAPIError):
    """HTTP 429: the token's rate limit is spent until ``reset`` (epoch seconds, if known)."""

    reset: float | None = None


class TransientError(ClickUpAPIError):
    """A failure worth retrying: 5xx, timeout, dropped connection, cut or garbled body.

    ``request_sent`` is False only when the request certainly never reached ClickUp (a
    connect failure), which is when retrying a non-idempotent POST is still safe.
    """

    request_sent: bool = True


class PermanentError(ClickUpAPIError):
    """A 4xx other than 429: the same request will fail the same way."""


class NotFoundOrForbidden(PermanentError):
    """The id does not exist or the token may not see it (ClickUp does not say which)."""


class AuthError(PermanentError):
    """The token is missing, invalid or revoked: nothing will work until it is replaced."""


def error_class(status: int, ecode: str | None) -> type[ClickUpAPIError] | None:
    """The error class for a response status, refined by ClickUp's ECODE (None: success)."""
    if status < 400:
        return None
    if status == 429:
        return RateLimited
    if status >= 500 or status == 408:
        return TransientError
    if ecode in TOKEN_DEAD_ECODES:
        return AuthError
    if status == 404 or (status in (401, 403) and ecode in NOT_AUTHORIZED_ECODES):
        return NotFoundOrForbidden
    return PermanentError
