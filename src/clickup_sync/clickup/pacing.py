"""Pace requests by ClickUp's ``X-RateLimit-*`` headers so the plan's limit is never hit.

ClickUp counts requests per token in windows (60 s; the simulator can shorten them) and tells
on every response how many are left (``Remaining``) until the window ends (``Reset``, epoch
seconds). The pacer spreads what is left evenly over the time left, so a long sync runs at the
plan's rate instead of bursting into a 429:

- Budget: the lowest ``Remaining`` seen in the window, minus the requests still in flight.
  Within a window ClickUp's count only grows, so the lowest report is the latest, and it
  counts every request already answered; only those in flight may be missing from it. The
  estimate is therefore never optimistic, and exact whenever nothing is in flight.
- With ``r`` left and ``T`` seconds until reset, requests start ``T / r`` apart: the whole
  budget is used by the window's end, whether the window is 60 s or 1 s.
- With nothing left, wait until reset plus a small margin (clock skew). A new window starts
  unknown: one probe request goes alone, and its headers set the new budget.
- A server that sends no rate-limit headers is not paced at all.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping


class RateLimitPacer:
    """Decide when each request may start; share one instance among all tasks of a token."""

    def __init__(
        self,
        *,
        margin: float | None = None,
        reserve: int = 0,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        """``margin``: seconds past ``Reset`` before a new window is trusted (default: 2% of
        the window, 10 ms to 1 s); ``reserve``: requests of each window left unused."""
        self._margin = margin
        self._reserve = reserve
        self._clock = clock
        self._sleep = sleep
        self._lock = asyncio.Lock()
        self._news: asyncio.Event | None = None
        self.metered: bool | None = None  # None until a response says either way
        self.limit: int | None = None
        self.reset: float | None = None  # end of the current window, epoch seconds
        self.window = 0.0  # longest time to a reset seen (a lower bound of the window length)
        self.waited = 0.0  # seconds spent waiting, for reports
        self._server_left: int | None = None  # lowest Remaining reported in this window
        self._newest_reset = 0.0
        self._in_flight = 0
        self._next_at = 0.0

    @property
    def margin(self) -> float:
        if self._margin is not None:
            return self._margin
        return min(1.0, max(0.01, 0.02 * self.window))

    @property
    def remaining(self) -> int | None:
        """Requests that may still start in this window (None: unknown)."""
        if self._server_left is None:
            return None
        return self._server_left - self._in_flight

    async def acquire(self) -> None:
        """Wait until one more request may start, and count it as in flight."""
        async with self._lock:
            while True:
                now = self._clock()
                delay = self._delay(now)
                if delay is None:  # a probe is out; its headers tell the new budget
                    self._news = asyncio.Event()
                    await self._news.wait()
                elif delay > 0:
                    self.waited += delay
                    await self._sleep(delay)
                else:
                    break
            left = self.remaining
            if left is not None and self.reset is not None:
                self._next_at = now + max(0.0, self.reset - now) / max(1, left)
            self._in_flight += 1

    def release(self, headers: Mapping[str, str] | None) -> None:
        """Mark a request finished, with its response's headers, or None if none came."""
        self._in_flight -= 1
        if headers is not None:
            self._observe(headers)
        elif self._server_left is not None:
            self._server_left -= 1  # it may have been counted; assume it was
        if self._news is not None:
            self._news.set()

    def _delay(self, now: float) -> float | None:
        """Seconds to wait before the next request (0: go; None: wait for a response)."""
        if self.reset is not None and now >= self.reset + self.margin:
            self.reset = self._server_left = None  # the window is over; the next is unknown
        if self.metered is False:
            return 0.0
        left = self.remaining
        if left is None or self.reset is None:
            return 0.0 if self._in_flight == 0 else None
        if left <= self._reserve:
            return self.reset + self.margin - now
        return max(0.0, self._next_at - now)

    def _observe(self, headers: Mapping[str, str]) -> None:
        parsed = _rate_headers(headers)
        if parsed is None:
            if self.metered is None:
                self.metered = False
            return
        self.limit, left, reset = parsed
        self.metered = True
        if reset < self._newest_reset:
            return  # a straggler from a window already over
        self._newest_reset = reset
        self.window = max(self.window, reset - self._clock())
        if reset != self.reset or self._server_left is None:
            self.reset, self._server_left = reset, left
        else:
            self._server_left = min(self._server_left, left)


def reset_seconds(value: str | None) -> float | None:
    """``X-RateLimit-Reset`` as epoch seconds. ClickUp sends seconds; a value in milliseconds
    (one third-party note says so) is converted rather than read as a far-future time."""
    try:
        reset = float(value) if value is not None else None
    except ValueError:
        return None
    return reset / 1000 if reset is not None and reset > 1e11 else reset


def _rate_headers(headers: Mapping[str, str]) -> tuple[int, int, float] | None:
    """``(limit, remaining, reset)`` from response headers, or None if absent or garbled."""
    lower = {k.lower(): v for k, v in headers.items()}
    try:
        limit, left = int(lower["x-ratelimit-limit"]), int(lower["x-ratelimit-remaining"])
    except (KeyError, ValueError):
        return None
    reset = reset_seconds(lower.get("x-ratelimit-reset"))
    return None if reset is None else (limit, left, reset)
