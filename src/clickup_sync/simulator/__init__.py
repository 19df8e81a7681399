"""A faithful ClickUp API v2 simulator: a generated Workspace that answers, changes and fails
like ClickUp. It shares no code with the product's ClickUp client on purpose: each reads
ClickUp's spec on its own, so a misreading in one is caught by the other."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .faults import FaultConfig

if TYPE_CHECKING:
    from .service import Simulator, SimulatorConfig

__all__ = ["FaultConfig", "Simulator", "SimulatorConfig"]


def __getattr__(name: str) -> Any:
    """Load the server (generator, Starlette app, uvicorn) on first use of `Simulator`:
    a command that only reads the plans or builds a `FaultConfig` starts ~0.2 s sooner."""
    if name in ("Simulator", "SimulatorConfig"):
        from . import service

        return getattr(service, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
