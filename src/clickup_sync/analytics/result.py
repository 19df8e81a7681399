"""The one result shape every metric returns: totals first, then a capped table.

Small models read results best when they are short and say what they hold: ``summary``
carries the totals and headline numbers, ``rows`` at most ``limit`` rows, and
``truncated``/``total_rows`` say what was left out. REST serves it as JSON, MCP as
structured content plus `as_text()`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

TEXT_BUDGET = 4000
"""Characters `as_text` may use, so one tool result stays small for a 4B model."""


def plain(value: Any) -> Any:
    """JSON-friendly scalars: Decimal → float, datetimes → ISO text."""
    if isinstance(value, Decimal):
        return float(round(value, 2))
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


class Result(BaseModel):
    """A metric's answer."""

    title: str = Field(description="What this answers, in a few words.")
    summary: dict[str, Any] = Field(default_factory=dict,
                                    description="Totals and headline numbers.")
    columns: list[str] = Field(default_factory=list)
    rows: list[list[Any]] = Field(default_factory=list)
    total_rows: int = Field(0, description="Rows before the limit was applied.")
    truncated: bool = Field(False, description="True when rows were left out.")
    notes: list[str] = Field(default_factory=list,
                             description="How the numbers were computed, caveats.")

    @classmethod
    def table(cls, title: str, columns: list[str], rows: list[tuple[Any, ...]] | list[list[Any]],
              *, limit: int, summary: dict[str, Any] | None = None,
              notes: list[str] | None = None, total_rows: int | None = None) -> Result:
        total = len(rows) if total_rows is None else total_rows
        kept = [[plain(v) for v in r] for r in rows[:limit]]
        return cls(title=title, summary={k: plain(v) for k, v in (summary or {}).items()},
                   columns=columns, rows=kept, total_rows=total, truncated=total > len(kept),
                   notes=notes or [])

    def as_text(self, budget: int = TEXT_BUDGET) -> str:
        """A compact Markdown rendering: title, summary line, table, what was left out."""
        lines = [f"## {self.title}"]
        if self.summary:
            lines.append("; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in
                                   self.summary.items()))
        if self.columns:
            lines.append("| " + " | ".join(self.columns) + " |")
            lines.append("|" + "---|" * len(self.columns))
        used = sum(len(x) + 1 for x in lines)
        shown = 0
        for row in self.rows:
            line = "| " + " | ".join("" if v is None else str(v) for v in row) + " |"
            if used + len(line) > budget:
                break
            lines.append(line)
            used += len(line) + 1
            shown += 1
        left = self.total_rows - shown
        if left > 0:
            lines.append(f"({left} more rows not shown)")
        lines += [f"Note: {n}" for n in self.notes]
        return "\n".join(lines)
