"""The report as Markdown, and as one self-contained HTML file made from that Markdown.

Markdown is written once; its images point at PNG files beside it, or (for HTML) at
``data:image/png;base64,…`` URIs, so the HTML file carries its charts inside. HTML comes
from markdown-it-py with raw HTML off (a task named ``<script>`` stays text) and XHTML
output, so the file is well-formed XML as well as HTML.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable
from typing import Any

from markdown_it import MarkdownIt

from clickup_sync.analytics import Result

from .charts import Chart
from .data import WeeklyData
from .facts import delta, hours_of, place_of
from .narrative import Narrative

ImageSource = Callable[[Chart], str]
_SPECIAL = str.maketrans({c: "\\" + c for c in "\\|*`[]<>"} | {"\n": " ", "\r": " "})


def cell(value: Any) -> str:
    """A table cell's Markdown: empty for None, specials escaped, on one line."""
    return "" if value is None else str(value).translate(_SPECIAL)


def table(columns: list[str], rows: list[list[Any]] | list[tuple[Any, ...]]) -> list[str]:
    """A Markdown table (a line saying so when there are no rows)."""
    if not rows:
        return ["_None._", ""]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return [*lines, ""]


def _pick(result: Result, *names: str) -> list[list[Any]]:
    at = [result.columns.index(n) for n in names]
    return [[row[i] for i in at] for row in result.rows]


def _more(result: Result) -> list[str]:
    left = result.total_rows - len(result.rows)
    return [f"_{left} more not shown._", ""] if left > 0 else []


def _image(charts: dict[str, Chart], name: str, source: ImageSource | None) -> list[str]:
    chart = charts.get(name)
    if chart is None or source is None:
        return []
    return [f"![{chart.title}]({source(chart)})", ""]


def _narrative(story: Narrative) -> list[str]:
    who = (f"_Written by the model `{story.model}` from the numbers below._" if story.model
           else "_Computed from the numbers below._")
    lines = ["## Summary", "", story.summary, "", who, ""]
    if story.note:
        lines += [f"> Note: {story.note}.", ""]
    return lines


def _week_over_week(data: WeeklyData) -> list[str]:
    w, b = data.week, data.before
    def shown(x: Any) -> Any:
        return "n/a" if x is None else x

    rows = [(label, shown(now), shown(before), delta(now, before)) for label, now, before in (
        ("Tasks completed", w.completed, b.completed),
        ("Tasks created", w.created, b.created),
        ("Hours tracked", w.hours, b.hours),
        ("Comments written", w.comments, b.comments),
        ("Tasks overdue at week end", w.overdue_at_end, b.overdue_at_end),
        ("Median cycle time (days)", w.cycle_median_days, b.cycle_median_days),
        ("Median lead time (days)", w.lead_median_days, b.lead_median_days),
        ("People active", w.contributors, b.contributors))]
    return ["## Week over week", "", *table(["", w.label, b.label, "change"], rows)]


def _distribution(data: WeeklyData) -> list[str]:
    done = {p.name: p.completed for p in data.people}
    by_person = [(r[0], r[1], r[2], int(r[1]) - int(r[2]), done.get(str(r[0]), 0))
                 for r in data.workload.rows]
    s = data.status.summary
    return ["## Task distribution", "",
            f"{s.get('total_tasks')} tasks, {s.get('done')} done ({s.get('percent_done')}%), "
            f"{s.get('not_done')} not done.", "",
            "### By status (now)", "",
            *table(["status", "type", "tasks", "percent"], data.status.rows),
            "### By assignee", "",
            *table(["person", "open now", "in progress", "not in progress",
                    f"completed in {data.week.label}"], by_person),
            f"Unassigned open tasks: {data.workload.summary.get('unassigned_open')}.", ""]


def _time(data: WeeklyData) -> list[str]:
    w, b = data.week.label, data.before.label
    people = [(p.name, p.hours, p.hours_before, delta(p.hours, p.hours_before), p.completed,
               p.completed_before) for p in data.people]
    lines = ["## Time spent", "", f"{data.week.hours} hours tracked in {w}.", "",
             "### By person", "",
             *table(["person", f"hours {w}", f"hours {b}", "change", f"completed {w}",
                     f"completed {b}"], people)]
    for level, result in data.hours_by.items():
        if level == "person":
            continue
        rows = [(place_of(level, r), hours_of(result, r), r[result.columns.index("percent")])
                for r in result.rows]
        lines += [f"### By {level}", "", *table([level, "hours", "percent"], rows),
                  *_more(result)]
    return lines


def _flow(data: WeeklyData) -> list[str]:
    c = data.cycle.summary
    hours = dict(data.hours_per_week)
    lines = ["## Throughput and cycle time", "",
             *table(["week", "tasks completed", "hours tracked"],
                    [(w, n, hours.get(w, 0.0)) for w, n in data.throughput]),
             f"Of the {c.get('completed')} tasks completed in {data.week.label}: lead time "
             f"median {c.get('lead_time_median_days')} days (85th percentile "
             f"{c.get('lead_time_p85_days')})."]
    if c.get("with_cycle_time"):
        lines[-1] += (f" Cycle time median {c.get('cycle_time_median_days')} days (85th "
                      f"percentile {c.get('cycle_time_p85_days')}), over the "
                      f"{c.get('with_cycle_time')} seen in progress.")
    elif c.get("completed"):
        lines[-1] += (" No cycle time: none of them was seen in progress by the sync "
                      "(cycle time needs the status history the sync records).")
    return [*lines, ""]


def _risks(data: WeeklyData) -> list[str]:
    stuck, late, soon = data.blockers, data.overdue, data.at_risk
    return ["## Bottlenecks and blockers", "",
            *table(["status", "tasks waiting", "median days waiting", "oldest (days)"],
                   _pick(data.bottlenecks, "status", "tasks_waiting", "median_days_waiting",
                         "oldest_days")),
            f"{stuck.summary.get('blocked')} open tasks are blocked now.", "",
            *table(["task", "list", "assignees", "blocked because"],
                   _pick(stuck, "task", "list", "assignees", "blocked_because")),
            *_more(stuck),
            "## Overdue and at-risk work", "",
            f"{late.summary.get('overdue')} open tasks are past their due date now "
            f"({late.summary.get('unassigned')} of them unassigned).", "",
            *table(["task", "list", "assignees", "due", "days overdue"],
                   _pick(late, "task", "list", "assignees", "due", "days_overdue")),
            *_more(late),
            f"{soon.summary.get('due_soon')} open tasks are due in the next "
            f"{soon.summary.get('window_days')} days; {soon.summary.get('with_risk_flags')} "
            "carry a risk flag.", "",
            *table(["task", "assignees", "due", "risk"],
                   _pick(soon, "task", "assignees", "due", "risk")),
            *_more(soon)]


def _workload(data: WeeklyData) -> list[str]:
    s = data.workload.summary
    return ["## Team workload (now)", "",
            f"{s.get('open_tasks')} open tasks, {s.get('in_progress')} in progress, "
            f"{s.get('overdue')} overdue, {s.get('remaining_estimate_hours')} estimated hours "
            f"left; most loaded: {s.get('most_loaded')}.", "",
            *table(["person", "open", "in progress", "overdue", "due this week",
                    "estimate left (h)", "hours last 7 days"],
                   _pick(data.workload, "person", "open", "in_progress", "overdue",
                         "due_this_week", "remaining_hours", "hours_last_7_days"))]


def markdown(data: WeeklyData, story: Narrative, charts: list[Chart],
             source: ImageSource | None) -> str:
    """The whole report in Markdown; charts shown when ``source`` gives their address."""
    drawn = {c.name: c for c in charts}

    def image(name: str) -> list[str]:
        return _image(drawn, name, source)

    partial = " (so far)" if data.partial else ""
    lines = [f"# Weekly report {data.week.label}{partial}: {data.scope.label}", "",
             f"_{data.week.start} to {data.week.last_day}, compared with {data.before.label}; "
             f"state of the work as of {data.today}._", "",
             *_narrative(story), *_week_over_week(data), *image("trend"),
             *_distribution(data), *image("status"), *_time(data),
             *image("hours-by-person"), *image("hours-by-place"), *_flow(data),
             *_risks(data), *_workload(data), *image("workload"),
             "## Recommendations", "", *[f"- {cell(r)}" for r in story.recommendations], "",
             "## About these numbers", "", *[f"- {n}" for n in data.notes],
             "- every number comes from clickup-sync's analytics functions (status_summary, "
             "workload, time_tracked, throughput, bottlenecks, blockers, overdue_tasks, "
             "at_risk_tasks, the weekly digest's week counts), so the MCP tools and the REST "
             "API give the same figures", ""]
    if charts and source is None:
        lines += ["_Charts are left out of Markdown on standard output: write to a file "
                  "(--out report.md) to get them as PNG files beside it, or use "
                  "--format html._", ""]
    return "\n".join(lines)


STYLE = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#1d2430;line-height:1.45}table{border-collapse:collapse;margin:.5rem 0 1rem}
th,td{border:1px solid #d5dbe1;padding:.25rem .6rem;text-align:left}th{background:#f1f4f7}
img{max-width:100%;height:auto}blockquote{border-left:4px solid #e08a2e;margin:0;
padding:.2rem 1rem;background:#fdf6ee}h1{font-size:1.6rem}h2{margin-top:2rem}"""


def to_html(data: WeeklyData, story: Narrative, charts: list[Chart]) -> str:
    """One self-contained HTML page: the Markdown rendered, charts embedded as data URIs."""
    def inline(chart: Chart) -> str:
        return "data:image/png;base64," + base64.b64encode(chart.png).decode("ascii")

    body = MarkdownIt("commonmark", {"html": False, "xhtmlOut": True}).enable("table") \
        .render(markdown(data, story, charts, inline))
    title = html.escape(f"Weekly report {data.week.label}: {data.scope.label}")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8" />'
            f"<title>{title}</title><style>{STYLE}</style></head>\n<body>\n{body}</body></html>\n")
