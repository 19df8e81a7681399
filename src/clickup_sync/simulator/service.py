"""`Simulator`: a generated Workspace served as ClickUp API v2, in-process or on a socket."""

from __future__ import annotations

import contextlib
import dataclasses
import random
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn

from . import changes
from .app import RequestStats, build_app
from .faults import FaultConfig, FaultInjector
from .generate import generate_workspace
from .ids import IdFactory
from .model import Workspace
from .ratelimit import FixedWindowLimiter
from .state import PLAN_LIMITS, SimState, Token
from .webhooks import WebhookDispatcher


@dataclass(slots=True)
class SimulatorConfig:
    """How the simulator behaves; every unverified ClickUp habit is a setting here."""

    seed: int = 1
    tasks: int = 5000
    plan: str = "business"
    token: str = "pk_demo"
    rate_window: float = 60.0
    unknown_id_status: int = 401  # ClickUp answers 401 OAUTH_027; some mocks use 404
    gt_inclusive: bool = True  # date_*_gt observed to behave as >=
    faults: FaultConfig = field(default_factory=FaultConfig)
    now_ms: int | None = None


class Simulator:
    """A ClickUp Workspace that answers API v2 calls and changes on request."""

    def __init__(self, workspace: Workspace, ids: IdFactory, config: SimulatorConfig) -> None:
        if config.plan not in PLAN_LIMITS:
            raise ValueError(f"unknown plan {config.plan!r}; one of {', '.join(PLAN_LIMITS)}")
        self.config = config
        self.state = SimState(workspace, ids)
        self.limiter = FixedWindowLimiter(config.rate_window)
        self.faults = FaultInjector(config.faults)
        self.stats = RequestStats()
        self.webhooks = WebhookDispatcher(self.state)
        self._rng = random.Random(f"changes-{config.seed}")
        self.add_token(config.token, workspace.owner_id, config.plan)
        self.app = build_app(self)

    @classmethod
    def generate(cls, seed: int = 1, tasks: int = 5000, **options: Any) -> Simulator:
        """Generate the Workspace for ``seed`` and wrap it (options: SimulatorConfig fields)."""
        config = SimulatorConfig(seed=seed, tasks=tasks, **options)
        workspace, ids = generate_workspace(seed, tasks, config.now_ms)
        return cls(workspace, ids, config)

    @property
    def workspace(self) -> Workspace:
        return self.state.ws

    def add_token(self, token: str, user_id: int, plan: str | None = None) -> None:
        """Let ``token`` act as member ``user_id`` (rate limited by ``plan``)."""
        if user_id not in self.state.ws.members:
            raise ValueError(f"no member with id {user_id}")
        plan = plan or self.config.plan
        if plan not in PLAN_LIMITS:
            raise ValueError(f"unknown plan {plan!r}")
        self.state.tokens[token] = Token(token, user_id, plan)

    def rate_limit_for(self, plan: str) -> int:
        return PLAN_LIMITS[plan]

    def advance(self, minutes: float) -> dict[str, Any]:
        """Let the team work for ``minutes``; webhooks fire for each change."""
        summary = changes.advance(self.state, minutes, self._rng)
        return dataclasses.asdict(summary) if dataclasses.is_dataclass(summary) else summary

    def ground_truth(self) -> dict[str, Any]:
        """The full current Workspace as plain data (for tests to compare a sync against)."""
        with self.state.lock:
            return dataclasses.asdict(self.state.ws)

    def close(self) -> None:
        self.webhooks.close()

    @contextlib.contextmanager
    def serve(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        """Serve on a socket in a background thread; yields the API v2 base URL."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning",
                                               access_log=False, lifespan="off"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("simulator server did not start")
            time.sleep(0.01)
        try:
            yield f"http://{host}:{sock.getsockname()[1]}/api/v2"
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            sock.close()
