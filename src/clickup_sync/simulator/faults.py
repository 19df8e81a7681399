"""Faults on demand: server errors, 429 bursts, slow answers, dropped connections, cut bodies.

Each request draws once from a seeded generator, so a run with the same settings and the same
request order fails the same way. Later issues use this to prove the sync survives ClickUp's
bad days.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import asdict, dataclass
from typing import Any, Literal

FaultKind = Literal["error", "rate_limit", "slow", "drop", "truncate"]


@dataclass(slots=True)
class FaultConfig:
    """Shares (0..1) of requests that meet each fault; they add up to at most 1."""

    error_rate: float = 0.0       # 500/502/503
    rate_limit_rate: float = 0.0  # start of a 429 burst
    rate_limit_burst: int = 3     # requests answered 429 in a row once a burst starts
    # Seconds from an injected 429 to the X-RateLimit-Reset it sends; None: the window's end,
    # as ClickUp. A short reset lets a test meet many 429s without waiting out windows.
    rate_limit_reset: float | None = None
    slow_rate: float = 0.0
    slow_seconds: float = 2.0
    drop_rate: float = 0.0        # connection closed mid-body
    truncate_rate: float = 0.0    # a 200 whose JSON body is cut short
    seed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def total(self) -> float:
        return (self.error_rate + self.rate_limit_rate + self.slow_rate + self.drop_rate
                + self.truncate_rate)


class FaultInjector:
    """Decides, request by request, which fault (if any) to apply."""

    def __init__(self, config: FaultConfig | None = None) -> None:
        self._lock = threading.Lock()
        self.configure(config or FaultConfig())

    def configure(self, config: FaultConfig) -> None:
        if not 0 <= config.total <= 1:
            raise ValueError("fault rates must add up to a share between 0 and 1")
        with self._lock:
            self.config = config
            self._rng = random.Random(config.seed)
            self._burst_left = 0
            self.injected: dict[str, int] = {}

    def draw(self) -> tuple[FaultKind | None, int]:
        """Return the fault for this request and, for errors, the status code."""
        with self._lock:
            cfg = self.config
            if self._burst_left > 0:
                self._burst_left -= 1
                return self._count("rate_limit"), 429
            if cfg.total == 0:
                return None, 200
            x = self._rng.random()
            for kind, rate in (("error", cfg.error_rate), ("rate_limit", cfg.rate_limit_rate),
                               ("slow", cfg.slow_rate), ("drop", cfg.drop_rate),
                               ("truncate", cfg.truncate_rate)):
                if x < rate:
                    if kind == "rate_limit":
                        self._burst_left = max(0, cfg.rate_limit_burst - 1)
                        return self._count("rate_limit"), 429
                    code = self._rng.choice((500, 502, 503)) if kind == "error" else 200
                    return self._count(kind), code
                x -= rate
            return None, 200

    def reset_header(self, window_reset: int) -> str:
        """``X-RateLimit-Reset`` of an injected 429: the window's end (epoch seconds), or
        ``rate_limit_reset`` seconds from now, in epoch seconds with milliseconds."""
        wait = self.config.rate_limit_reset
        return str(window_reset) if wait is None else f"{time.time() + wait:.3f}"

    def _count(self, kind: FaultKind) -> FaultKind:
        self.injected[kind] = self.injected.get(kind, 0) + 1
        return kind
