"""Retry by error type: transient failures back off exponentially, 429s wait for the reset.

Permanent errors are never retried. A POST (creating a task, a webhook) is retried only when
ClickUp certainly did not act on it (a 429, or a connection that never opened): repeating a
POST whose answer was lost could create the thing twice.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from .errors import ClickUpError, RateLimited, TransientError

T = TypeVar("T")


@dataclass
class RetryPolicy:
    """How many times, and after how long, a failed request is tried again."""

    max_attempts: int = 6
    base_delay: float = 0.5  # first transient backoff (before jitter), doubling each attempt
    max_delay: float = 30.0
    rate_limit_margin: float = 0.25  # seconds past the window's reset before trying again
    max_rate_limit_wait: float = 90.0
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    clock: Callable[[], float] = time.time
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, error: ClickUpError, attempt: int, *, idempotent: bool = True) -> float | None:
        """Seconds to wait after failed attempt number ``attempt`` (1-based); None: give up."""
        if attempt >= self.max_attempts:
            return None
        if isinstance(error, RateLimited):
            if error.reset is None:
                return self.backoff(attempt)
            wait = error.reset - self.clock() + self.rate_limit_margin
            return min(self.max_rate_limit_wait, max(self.rate_limit_margin, wait))
        if isinstance(error, TransientError) and (idempotent or not error.request_sent):
            return self.backoff(attempt)
        return None

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with "equal jitter": between half and all of the cap."""
        cap = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return self.rng.uniform(cap / 2, cap)

    async def run(self, call: Callable[[], Awaitable[T]], *, idempotent: bool = True) -> T:
        """Await ``call()`` until it succeeds or the policy gives up (re-raising the last)."""
        attempt = 1
        while True:
            try:
                return await call()
            except ClickUpError as exc:
                wait = self.delay(exc, attempt, idempotent=idempotent)
                if wait is None:
                    raise
            await self.sleep(wait)
            attempt += 1
