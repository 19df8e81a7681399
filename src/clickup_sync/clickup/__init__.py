"""An async ClickUp API v2 client: paced by the rate-limit headers, retried by error type,
paged per ClickUp's two paging styles, with lenient typed models of the wire objects.

It imports nothing from the simulator: both are written from ClickUp's spec on their own.
"""

from . import models
from .client import DEFAULT_BASE_URL, ClickUpClient
from .errors import (
    AuthError,
    ClickUpAPIError,
    ClickUpError,
    NotFoundOrForbidden,
    PermanentError,
    RateLimited,
    RepeatedPageError,
    TransientError,
)
from .pacing import RateLimitPacer
from .paging import comment_pages, task_pages
from .retry import RetryPolicy

__all__ = [
    "DEFAULT_BASE_URL",
    "AuthError",
    "ClickUpAPIError",
    "ClickUpClient",
    "ClickUpError",
    "NotFoundOrForbidden",
    "PermanentError",
    "RateLimitPacer",
    "RateLimited",
    "RepeatedPageError",
    "RetryPolicy",
    "TransientError",
    "comment_pages",
    "models",
    "task_pages",
]
