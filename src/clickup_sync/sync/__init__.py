"""The sync engine: ClickUp → PostgreSQL, incremental, rate-aware, and never wrong on failure.

`SyncEngine.run()` syncs once; `scheduler` runs it every 45 s with the daily snapshot.
"""

from .context import SyncOptions
from .engine import RunResult, SyncEngine

__all__ = ["RunResult", "SyncEngine", "SyncOptions"]
