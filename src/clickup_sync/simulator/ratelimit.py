"""ClickUp's per-token rate limit: a fixed window (60 s by default) keyed by token.

REFERENCE.md §3: 100 / 1,000 / 10,000 requests a minute by plan; ``X-RateLimit-Limit``,
``-Remaining`` and ``-Reset`` (epoch seconds) on every response; 429 past the limit. The window
length is a setting so a benchmark can run the same rules on a one-second window.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    reset: int  # epoch seconds when the window ends

    def headers(self) -> dict[str, str]:
        return {"X-RateLimit-Limit": str(self.limit),
                "X-RateLimit-Remaining": str(self.remaining),
                "X-RateLimit-Reset": str(self.reset)}


class FixedWindowLimiter:
    """Counts requests per token in windows aligned to multiples of ``window`` seconds."""

    def __init__(self, window: float = 60.0, clock: Callable[[], float] = time.time) -> None:
        if window <= 0:
            raise ValueError("rate window must be positive")
        self.window = window
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}

    def hit(self, token: str, limit: int) -> RateDecision:
        """Count one request for ``token`` and say whether it may be served."""
        now = self._clock()
        start = math.floor(now / self.window) * self.window
        with self._lock:
            window_start, used = self._windows.get(token, (start, 0))
            if window_start != start:
                used = 0
            used += 1
            self._windows[token] = (start, used)
        reset = math.ceil(start + self.window)
        return RateDecision(used <= limit, limit, max(0, limit - used), reset)
