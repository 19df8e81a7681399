"""Results the tools build themselves: notes on an analytics result, a sync run, a message."""

from __future__ import annotations

from typing import Any

from clickup_sync.analytics import Result
from clickup_sync.sync import RunResult

from .runtime import ToolFailure


def noted(result: Result, *notes: str) -> Result:
    """``result`` with ``notes`` first among its notes (why this tool answers this way)."""
    return result.model_copy(update={"notes": [*notes, *result.notes]})


def message(title: str, summary: dict[str, Any] | None = None, *notes: str) -> Result:
    """A result without a table: a title, a few numbers, and what they mean."""
    return Result(title=title, summary=summary or {}, notes=list(notes))


def from_run(run: RunResult, *notes: str) -> Result:
    """What a sync run did; a failed run is a tool error carrying its first reasons."""
    if run.status == "failed":
        raise ToolFailure("the sync failed: " + "; ".join(run.errors[:3] or ["no reason given"]))
    summary: dict[str, Any] = {"status": run.status, "kind": run.kind,
                               "seconds": round(run.seconds, 1), "api_calls": run.api_calls}
    summary.update(run.counts)
    extra = [f"not done: {e}" for e in run.errors[:5]]
    if run.status == "skipped":
        extra = ["another sync of this Workspace is running; the data is current once it ends"]
    return message(f"{run.kind.capitalize()} sync {run.status}", summary, *notes, *extra)
