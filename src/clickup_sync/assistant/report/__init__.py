"""The weekly executive report: numbers from analytics, charts, and the model's words.

``collect`` computes the numbers (`data`), ``draw`` the charts (`charts`), ``write`` the
narrative (`narrative`: the model when one answers, else the numbers' own words), and
`save` renders Markdown (charts as PNG files beside it) or one self-contained HTML file.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal
from urllib.parse import quote

import psycopg

from clickup_sync.analytics import Scope, resolve_scope
from clickup_sync.config import Settings
from clickup_sync.store import connect

from .charts import Chart, draw
from .data import WeeklyData, collect
from .facts import facts as facts_sheet
from .narrative import Narrative, write
from .render import markdown, to_html

Format = Literal["md", "html"]
SUFFIXES: dict[str, Format] = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}

__all__ = ["Format", "Narrative", "WeeklyData", "WeeklyReport", "collect", "draw", "facts_sheet",
           "make_weekly", "pick_format", "weekly_report", "write"]


@dataclass(slots=True)
class WeeklyReport:
    """A computed report, ready to render in either format."""

    data: WeeklyData
    narrative: Narrative
    charts: list[Chart]

    def html(self) -> str:
        return to_html(self.data, self.narrative, self.charts)

    def markdown(self, out: Path | None = None) -> str:
        """Markdown whose images are the PNG files `save` writes beside ``out``
        (no ``out``: no images, since standard output has nowhere to put them)."""
        if out is None:
            return markdown(self.data, self.narrative, self.charts, None)
        return markdown(self.data, self.narrative, self.charts,
                        lambda chart: quote(chart_path(out, chart).name))

    def save(self, out: Path, fmt: Format) -> list[Path]:
        """Write the report to ``out`` (and, for Markdown, its charts beside it)."""
        out.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "html":
            out.write_text(self.html(), encoding="utf-8")
            return [out]
        written = []
        for chart in self.charts:
            path = chart_path(out, chart)
            path.write_bytes(chart.png)
            written.append(path)
        out.write_text(self.markdown(out), encoding="utf-8")
        return [out, *written]


def chart_path(out: Path, chart: Chart) -> Path:
    """Where a chart of the Markdown report ``out`` goes: ``<stem>-<chart>.png`` beside it."""
    return out.with_name(f"{out.stem}-{chart.name}.png")


def pick_format(fmt: str | None, out: Path | None) -> Format:
    """The format asked for, else the one ``out``'s suffix names, else Markdown."""
    if fmt:
        if fmt not in ("md", "html"):
            raise ValueError(f"unknown format {fmt!r}; choose md or html")
        return fmt  # type: ignore[return-value]
    if out is not None and out.suffix.lower() in SUFFIXES:
        return SUFFIXES[out.suffix.lower()]
    return "md"


async def weekly_report(conn: psycopg.Connection, scope: Scope, *,
                        week: date | str | None = None, settings: Settings | None = None,
                        timeout: float | None = None) -> WeeklyReport:
    """Compute the report of the ISO week holding ``week`` (None: the last complete one);
    with ``settings`` the configured model writes the narrative, without them (or when
    it cannot be reached) the numbers do."""
    data = await asyncio.to_thread(collect, conn, scope, week)
    charts = await asyncio.to_thread(draw, data)
    return WeeklyReport(data, await write(data, settings, timeout=timeout), charts)


def make_weekly(settings: Settings, dsn: str, *, space: str | None = None,
                folder: str | None = None, list_: str | None = None,
                week: date | str | None = None, ai: bool = True,
                timeout: float | None = None) -> WeeklyReport:
    """Compute the weekly report of a Space, Folder or List (names or ids, resolved as the
    MCP tools resolve them; none: the Workspace), with the model's words when ``ai``."""
    with connect(dsn, autocommit=True) as conn:
        scope = resolve_scope(conn, space=space, folder=folder, list_=list_)
        return asyncio.run(weekly_report(conn, scope, week=week,
                                         settings=settings if ai else None, timeout=timeout))
