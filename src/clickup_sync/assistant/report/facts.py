"""The report's numbers as words: a compact facts sheet, a summary and recommendations.

The facts sheet is what the model reads (a few hundred tokens, every number it may quote);
the summary and the recommendations here are what the report says when no model writes
them: plain sentences and simple rules over the same numbers.
"""

from __future__ import annotations

from typing import Any

from clickup_sync.analytics import Result

from .data import WeeklyData


def delta(now: float | None, before: float | None) -> str:
    """A change as ``+3`` or ``-1.5 (-20%)``; ``n/a`` when a side is unknown."""
    if now is None or before is None:
        return "n/a"
    change = round(float(now) - float(before), 2)
    text = f"{change:+g}"
    if before:
        text += f" ({100 * change / float(before):+.0f}%)"
    return text


def hours_of(result: Result, row: list[Any]) -> Any:
    """The ``hours`` cell of a `time_tracked` row."""
    return row[result.columns.index("hours")]


def place_of(level: str, row: list[Any]) -> Any:
    """The name cell of a `time_tracked` row grouped by ``level`` (a task: its name)."""
    return row[1] if level == "task" else row[0]


def pairs(mapping: Any, most: int = 3) -> str:
    """``a (3), b (2)`` from a name → count mapping; ``none`` when empty."""
    if not isinstance(mapping, dict) or not mapping:
        return "none"
    return ", ".join(f"{k} ({v})" for k, v in list(mapping.items())[:most])


def _compare(label: str, now: Any, before: Any) -> str:
    def shown(x: Any) -> Any:
        return "n/a" if x is None else x

    return f"- {label}: {shown(now)} | {shown(before)} ({delta(now, before)})"


def facts(data: WeeklyData) -> str:
    """The facts sheet: every headline number, one short line each."""
    w, b = data.week, data.before
    status, load = data.status.summary, data.workload.summary
    late, risk, stuck = data.overdue.summary, data.at_risk.summary, data.blockers.summary
    waits = data.bottlenecks.summary
    lines = [f"Weekly report {w.label} ({w.start} to {w.last_day}) for {data.scope.label}"
             + (" (week not over yet)" if data.partial else ""),
             f"Week over week ({w.label} | {b.label} (change)):",
             _compare("tasks completed", w.completed, b.completed),
             _compare("tasks created", w.created, b.created),
             _compare("hours tracked", w.hours, b.hours),
             _compare("comments written", w.comments, b.comments),
             _compare("tasks overdue at week end", w.overdue_at_end, b.overdue_at_end),
             _compare("median cycle time, days", w.cycle_median_days, b.cycle_median_days),
             _compare("median lead time, days", w.lead_median_days, b.lead_median_days),
             _compare("people active", w.contributors, b.contributors)]
    if data.people:
        lines.append("Hours (tasks completed) by person this week: " + "; ".join(
            f"{p.name} {p.hours} h ({p.completed})" for p in data.people[:8]))
    for level, result in data.hours_by.items():
        if level != "person" and result.rows:
            lines.append(f"Hours by {level} this week: " + "; ".join(
                f"{place_of(level, r)} {hours_of(result, r)} h" for r in result.rows[:5]))
    lines += [
        "Completed per week: " + ", ".join(f"{week} {n}" for week, n in data.throughput),
        f"Tasks now: {status.get('total_tasks')}, done {status.get('done')} "
        f"({status.get('percent_done')}%); by status: "
        + ", ".join(f"{r[0]} {r[2]}" for r in data.status.rows[:8]),
        f"Open work now: {load.get('open_tasks')} open, {load.get('in_progress')} in "
        f"progress, {load.get('unassigned_open')} unassigned; most loaded: "
        f"{load.get('most_loaded')}",
        "Open / in progress / overdue by person: "
        + "; ".join(f"{r[0]} {r[1]}/{r[2]}/{r[3]}" for r in data.workload.rows[:8]),
        f"Overdue now: {late.get('overdue')}; most by person: "
        f"{pairs(late.get('most_overdue_people'))}; oldest: {late.get('oldest_task')} "
        f"({late.get('oldest_days_overdue')} days)",
        f"Due in the next {risk.get('window_days')} days: {risk.get('due_soon')}, "
        f"{risk.get('with_risk_flags')} with a risk flag (not started "
        f"{risk.get('not_started')}, no assignee {risk.get('no_assignee')})",
        f"Blocked now: {stuck.get('blocked')} (waiting on a task "
        f"{stuck.get('waiting_on_tasks')}, in a blocked status {stuck.get('blocked_status')}, "
        f"with an open assigned comment {stuck.get('unresolved_assigned_comments')}); "
        f"blocking the most: {pairs(stuck.get('top_blocking_tasks'))}",
        f"Worst bottleneck: {waits.get('worst_status')} ({waits.get('worst_tasks_waiting')} "
        f"tasks, median {waits.get('worst_median_days')} days waiting)"]
    return "\n".join(lines)


def summary(data: WeeklyData) -> str:
    """A few plain sentences from the numbers, for when no model writes the summary."""
    w, b = data.week, data.before
    top = data.people[0] if data.people else None
    late, stuck = data.overdue.summary, data.blockers.summary
    text = [f"In {w.label} {data.scope.label} completed {w.completed} tasks "
            f"({delta(w.completed, b.completed)} on {b.label}) and created {w.created}; "
            f"{w.contributors} people tracked {w.hours} hours "
            f"({delta(w.hours, b.hours)})."]
    if top and top.hours:
        text.append(f"{top.name} tracked the most time ({top.hours} h).")
    if w.cycle_median_days is not None:
        before = "n/a" if b.cycle_median_days is None else b.cycle_median_days
        text.append(f"The median cycle time was {w.cycle_median_days} days "
                    f"(week before: {before}).")
    text.append(f"Now {late.get('overdue', 0)} open tasks are overdue, "
                f"{data.at_risk.summary.get('due_soon', 0)} are due in the next "
                f"{data.at_risk.summary.get('window_days')} days and "
                f"{stuck.get('blocked', 0)} are blocked.")
    if data.partial:
        text.append("The week is not over yet: its numbers are so far.")
    return " ".join(text)


def recommendations(data: WeeklyData, most: int = 5) -> list[str]:
    """Actions the numbers point to, most pressing first (rules, not judgement)."""
    late, risk, stuck = data.overdue.summary, data.at_risk.summary, data.blockers.summary
    waits, load = data.bottlenecks.summary, data.workload.summary
    found: list[str] = []
    if late.get("overdue"):
        found.append(f"Triage the {late['overdue']} overdue tasks, starting with those of "
                     f"{pairs(late.get('most_overdue_people'), 2)} and the oldest, "
                     f"'{late.get('oldest_task')}' ({late.get('oldest_days_overdue')} days).")
    if stuck.get("blocked"):
        top = next(iter((stuck.get("top_blocking_tasks") or {}).items()), None)
        found.append(f"Unblock the {stuck['blocked']} blocked tasks"
                     + (f"; finishing {top[0]} would free {top[1]} of them." if top else "."))
    if waits.get("worst_status"):
        found.append(f"Look at status '{waits['worst_status']}': "
                     f"{waits.get('worst_tasks_waiting')} tasks wait there, median "
                     f"{waits.get('worst_median_days')} days.")
    if risk.get("with_risk_flags"):
        found.append(f"Check the {risk['with_risk_flags']} tasks due within "
                     f"{risk.get('window_days')} days that carry a risk flag (not started, "
                     "no assignee, estimate beyond the time left, or blocked).")
    if load.get("unassigned_open"):
        found.append(f"Give an owner to the {load['unassigned_open']} open tasks nobody holds.")
    opens = sorted(int(r[1]) for r in data.workload.rows if r[1])
    if len(opens) >= 3 and opens[-1] > 2 * opens[len(opens) // 2]:
        found.append(f"Rebalance work: {load.get('most_loaded')} against a median of "
                     f"{opens[len(opens) // 2]} open tasks a person.")
    if data.week.completed < data.before.completed:
        found.append(f"Find out why completions fell from {data.before.completed} to "
                     f"{data.week.completed}.")
    return found[:most] or ["Nothing stands out: no overdue, blocked or at-risk work."]
