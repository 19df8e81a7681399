"""A faithful ClickUp API v2 simulator: a generated Workspace that answers, changes and fails
like ClickUp. It shares no code with the product's ClickUp client on purpose: each reads
ClickUp's spec on its own, so a misreading in one is caught by the other."""

from .faults import FaultConfig
from .service import Simulator, SimulatorConfig

__all__ = ["FaultConfig", "Simulator", "SimulatorConfig"]
