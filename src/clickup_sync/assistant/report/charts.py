"""The report's charts, drawn as PNG images with matplotlib (Agg: no display needed).

Each chart is a small figure made from numbers already in `WeeklyData`; a chart with
nothing to show (no hours this week, no open work) is left out rather than drawn empty.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure  # no pyplot: no global state, no GUI backend

from .data import WeeklyData
from .facts import hours_of, place_of

BLUE, GREY, ORANGE, RED = "#3b6ea8", "#b8c2cc", "#e08a2e", "#c0392b"
MAX_BARS = 12


@dataclass(frozen=True, slots=True)
class Chart:
    """One drawn chart: a file-friendly name, a title (its alt text) and the PNG bytes."""

    name: str
    title: str
    png: bytes


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(fig)
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight",
                metadata={"Software": None})  # no version stamp: same data, same bytes
    return buffer.getvalue()


def _short(text: object, width: int = 28) -> str:
    """A label cut to ``width``, with ``$`` escaped (matplotlib reads $…$ as math)."""
    text = str(text)
    text = text if len(text) <= width else text[:width - 1] + "…"
    return text.replace("$", r"\$")


def _hbar(title: str, labels: list[str], series: list[tuple[str, list[float], str]],
          unit: str) -> Figure:
    """Horizontal bars, the first label on top; several series side by side."""
    fig = Figure(figsize=(7, 0.45 * len(labels) + 1.2))
    ax = fig.add_subplot()
    height = 0.8 / len(series)
    for i, (name, values, colour) in enumerate(series):
        ax.barh([y + i * height for y in range(len(labels))], values, height=height,
                label=name, color=colour)
    ax.set_yticks([y + height * (len(series) - 1) / 2 for y in range(len(labels))],
                  [_short(x) for x in labels])
    ax.invert_yaxis()
    ax.set_xlabel(unit)
    ax.set_title(title, loc="left")
    if len(series) > 1:
        ax.legend(loc="lower right", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def status_chart(data: WeeklyData) -> Figure | None:
    rows = data.status.rows[:MAX_BARS]
    if not rows:
        return None
    colours = [{"open": GREY, "custom": BLUE, "done": "#4a9d5b", "closed": "#4a9d5b"}
               .get(str(r[1]), ORANGE) for r in rows]
    fig = _hbar("Tasks by status now (grey: not started, blue: active, green: done)",
                [str(r[0]) for r in rows], [("tasks", [float(r[2]) for r in rows], BLUE)], "tasks")
    for bar, colour in zip(fig.axes[0].patches, colours, strict=True):
        bar.set_color(colour)
    return fig


def people_hours_chart(data: WeeklyData) -> Figure | None:
    shown = [p for p in data.people if p.hours or p.hours_before][:MAX_BARS]
    if not shown:
        return None
    return _hbar(f"Hours by person, {data.week.label} against {data.before.label}",
                 [p.name for p in shown],
                 [(data.week.label, [p.hours for p in shown], BLUE),
                  (data.before.label, [p.hours_before for p in shown], GREY)], "hours")


def place_hours_chart(data: WeeklyData) -> Figure | None:
    level = next((lv for lv in data.hours_by if lv != "person"), None)
    result = data.hours_by.get(level) if level else None
    if result is None or not result.rows:
        return None
    return _hbar(f"Hours by {level}, {data.week.label}",
                 [str(place_of(level or "", r)) for r in result.rows[:MAX_BARS]],
                 [("hours", [float(hours_of(result, r)) for r in result.rows[:MAX_BARS]],
                   BLUE)], "hours")


def trend_chart(data: WeeklyData) -> Figure | None:
    if not data.throughput and not data.hours_per_week:
        return None
    fig = Figure(figsize=(7, 3.6), layout="constrained")
    ax = fig.add_subplot()
    weeks = [w for w, _ in data.throughput]
    ax.bar(weeks, [n for _, n in data.throughput], color=BLUE, label="tasks completed")
    ax.set_ylabel("tasks completed")
    ax.tick_params(axis="x", labelrotation=45)
    hours = dict(data.hours_per_week)
    twin = ax.twinx()
    twin.plot(weeks, [hours.get(w, 0.0) for w in weeks], color=ORANGE, marker="o",
              label="hours tracked")
    twin.set_ylabel("hours tracked")
    ax.set_title(f"Throughput and hours, {len(weeks)} weeks to {data.week.label}", loc="left")
    fig.legend(loc="outside lower center", ncols=2, frameon=False)
    return fig


def workload_chart(data: WeeklyData) -> Figure | None:
    rows = [r for r in data.workload.rows if r[1]][:MAX_BARS]
    if not rows:
        return None
    return _hbar("Open work per person (now)", [str(r[0]) for r in rows],
                 [("open", [float(r[1]) for r in rows], GREY),
                  ("in progress", [float(r[2]) for r in rows], BLUE),
                  ("overdue", [float(r[3]) for r in rows], RED)], "tasks")


CHARTS: list[tuple[str, str, Callable[[WeeklyData], Figure | None]]] = [
    ("trend", "Tasks completed and hours tracked per week", trend_chart),
    ("status", "Tasks by status", status_chart),
    ("hours-by-person", "Hours by person, this week against the week before",
     people_hours_chart),
    ("hours-by-place", "Hours by project", place_hours_chart),
    ("workload", "Open, in-progress and overdue tasks per person", workload_chart),
]


def draw(data: WeeklyData) -> list[Chart]:
    """Every chart that has something to show, as PNG."""
    drawn = []
    with warnings.catch_warnings():  # a name's emoji is drawn as a box, not an error
        warnings.filterwarnings("ignore", message="Glyph .* missing", category=UserWarning)
        for name, title, make in CHARTS:
            fig = make(data)
            if fig is not None:
                drawn.append(Chart(name, title, _png(fig)))
    return drawn
