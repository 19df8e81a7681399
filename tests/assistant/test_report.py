"""`clickup-sync report weekly` on a synced simulator workspace: its numbers against SQL
written here (not the report's code), its scope and weeks, its two formats, and its words
with a scripted model, with none reachable, and as a process."""

from __future__ import annotations

import asyncio
import base64
import os
import re
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from clickup_sync.analytics import WORKSPACE, AnalyticsError, lead_cycle_time, resolve_scope
from clickup_sync.analytics.weekly import lead_cycle_between
from clickup_sync.assistant.report import WeeklyData, collect, facts_sheet, weekly_report
from clickup_sync.assistant.report.facts import delta
from clickup_sync.config import Settings
from clickup_sync.store import connect
from tests.assistant.llm_server import ScriptedLLM, text

PNG = b"\x89PNG\r\n\x1a\n"
LIVE = "NOT t.is_deleted AND NOT t.archived"
OPEN = f"{LIVE} AND coalesce(t.status_type, '') NOT IN ('done', 'closed')"
COMPLETED = "coalesce(t.date_done, t.date_closed)"


@pytest.fixture(scope="module")
def db(dsn: str) -> Iterator[psycopg.Connection]:
    with connect(dsn, autocommit=True) as conn:
        yield conn


@pytest.fixture(scope="module")
def data(db: psycopg.Connection) -> WeeklyData:
    return collect(db, WORKSPACE)


@pytest.fixture(scope="module")
def space(db: psycopg.Connection) -> tuple[str, str]:
    """(id, name) of the Space holding the most live tasks."""
    row = db.execute(f"""SELECT s.id, s.name FROM clickup_tasks t JOIN spaces s
                          ON s.id = t.space_id WHERE {LIVE} GROUP BY s.id, s.name
                         ORDER BY count(*) DESC LIMIT 1""").fetchone()
    assert row is not None
    return row[0], row[1]


def one(db: psycopg.Connection, query: str, **params: Any) -> Any:
    row = db.execute(query, params).fetchone()
    assert row is not None
    return row[0]


def window(db: psycopg.Connection, start: date) -> dict[str, Any]:
    """The instants the local week starting ``start`` begins and ends."""
    a, b = db.execute("SELECT %(a)s::timestamp AT TIME ZONE cs_timezone(), "
                      "%(b)s::timestamp AT TIME ZONE cs_timezone()",
                      {"a": start, "b": start + timedelta(days=7)}).fetchone() or (None, None)
    return {"a": a, "b": b}


def completed(db: psycopg.Connection, start: date, where: str = "true", **p: Any) -> int:
    return one(db, f"""SELECT count(*) FROM clickup_tasks t WHERE {LIVE} AND {where}
                        AND t.status_type IN ('done', 'closed')
                        AND {COMPLETED} >= %(a)s AND {COMPLETED} < %(b)s""",
               **window(db, start), **p)


def hours(db: psycopg.Connection, start: date, where: str | None = None,
          **p: Any) -> dict[str, float]:
    """Hours of intervals started in the week, per person (a running timer up to now); on
    no task or a deleted one too for the Workspace (``where`` None)."""
    place = ("(e.task_id IS NULL OR (t.id IS NOT NULL AND (t.is_deleted OR NOT t.archived)))"
             if where is None else f"{LIVE} AND {where}")
    rows = db.execute(
        f"""SELECT coalesce(m.name, 'user ' || e.user_id),
                   sum(greatest(0, coalesce(e.duration_ms, extract(epoch FROM
                       coalesce(e.end_at, now()) - e.start_at) * 1000))) / 3600000.0
              FROM time_entries e LEFT JOIN clickup_tasks t ON t.id = e.task_id
              LEFT JOIN employees m ON m.clickup_user_id = e.user_id
             WHERE NOT e.is_deleted AND e.start_at >= %(a)s AND e.start_at < %(b)s
               AND {place} GROUP BY 1""", {**window(db, start), **p}).fetchall()
    return {name: float(h) for name, h in rows}


def test_week_over_week_numbers_are_the_databases(db: psycopg.Connection,
                                                  data: WeeklyData) -> None:
    today = one(db, "SELECT (now() AT TIME ZONE cs_timezone())::date")
    monday = today - timedelta(days=today.weekday())
    assert data.week.start == monday - timedelta(days=7)  # the last complete week
    assert data.before.start == data.week.start - timedelta(days=7)
    assert not data.partial
    for week in (data.week, data.before):
        assert week.completed == completed(db, week.start)
        assert week.created == one(db, f"""SELECT count(*) FROM clickup_tasks t WHERE {LIVE}
                                           AND t.date_created >= %(a)s
                                           AND t.date_created < %(b)s""",
                                   **window(db, week.start))
        assert week.hours == pytest.approx(sum(hours(db, week.start).values()), abs=0.05)
    assert data.week.completed + data.week.created + data.week.hours > 0, "an empty week"
    per_person = hours(db, data.week.start)
    assert {p.name: p.hours for p in data.people if p.hours} == pytest.approx(
        {k: round(v, 2) for k, v in per_person.items() if round(v, 2)}, abs=0.05)
    assert {p.name: p.hours_before for p in data.people if p.hours_before} == pytest.approx(
        {k: round(v, 2) for k, v in hours(db, data.before.start).items() if round(v, 2)},
        abs=0.05)
    done_by = dict(db.execute(
        f"""SELECT coalesce(m.name, m.email, a.user_id::text), count(*)
              FROM clickup_tasks t JOIN task_assignees a ON a.task_id = t.id
              LEFT JOIN employees m ON m.clickup_user_id = a.user_id
             WHERE {LIVE} AND t.status_type IN ('done', 'closed')
               AND {COMPLETED} >= %(a)s AND {COMPLETED} < %(b)s GROUP BY 1""",
        window(db, data.week.start)).fetchall())
    assert {p.name: p.completed for p in data.people if p.completed} == done_by


def test_state_of_the_work_is_the_databases(db: psycopg.Connection, data: WeeklyData) -> None:
    by_status = dict(db.execute(f"SELECT t.status, count(*) FROM clickup_tasks t "
                                f"WHERE {LIVE} GROUP BY 1").fetchall())
    assert {r[0]: r[2] for r in data.status.rows} == by_status
    assert data.workload.summary["open_tasks"] == one(
        db, f"SELECT count(*) FROM clickup_tasks t WHERE {OPEN}")
    assert data.overdue.summary["overdue"] == one(
        db, f"SELECT count(*) FROM clickup_tasks t WHERE {OPEN} AND t.due_date < now()")
    assert data.at_risk.summary["due_soon"] == one(
        db, f"""SELECT count(*) FROM clickup_tasks t WHERE {OPEN} AND t.due_date >= now()
                AND t.due_date < now() + interval '7 days'""")
    weekly = dict(db.execute(
        f"""SELECT to_char(date_trunc('week', {COMPLETED} AT TIME ZONE cs_timezone()),
                           'IYYY-"W"IW'), count(*)
              FROM clickup_tasks t WHERE {LIVE} AND t.status_type IN ('done', 'closed')
             GROUP BY 1""").fetchall())
    assert len(data.throughput) == 8
    assert data.throughput == [(w, weekly.get(w, 0)) for w, _ in data.throughput]
    assert data.throughput[-2:] == [(data.before.label, data.before.completed),
                                    (data.week.label, data.week.completed)]


def test_lead_time_of_a_week_is_the_databases_and_agrees_with_lead_cycle_time(
        db: psycopg.Connection, data: WeeklyData) -> None:
    median = one(db, f"""SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY round(
                             extract(epoch FROM {COMPLETED} - t.date_created) / 86400, 1)
                             )::numeric, 1)
                           FROM clickup_tasks t WHERE {LIVE}
                            AND t.status_type IN ('done', 'closed')
                            AND {COMPLETED} >= %(a)s AND {COMPLETED} < %(b)s""",
                 **window(db, data.week.start))
    assert data.week.lead_median_days == (float(median) if median is not None else None)
    today = data.today
    since = today - timedelta(days=30)
    upto_now = lead_cycle_between(db, WORKSPACE, start=since, end=today + timedelta(days=1))
    whole = lead_cycle_time(db, WORKSPACE, since=since).summary
    for key in ("completed", "lead_time_median_days", "lead_time_p85_days",
                "cycle_time_median_days", "with_cycle_time"):
        assert upto_now.summary[key] == whole[key], key


def test_a_space_narrows_every_section(db: psycopg.Connection, data: WeeklyData,
                                       space: tuple[str, str]) -> None:
    space_id, name = space
    scoped = collect(db, resolve_scope(db, space=name.upper()))  # names match forgivingly
    assert scoped.scope.id == space_id
    assert scoped.week.completed == completed(db, data.week.start, "t.space_id = %(s)s",
                                              s=space_id)
    assert scoped.week.hours == pytest.approx(sum(hours(
        db, data.week.start, "t.space_id = %(s)s", s=space_id).values()), abs=0.05)
    assert sum(r[2] for r in scoped.status.rows) == one(
        db, f"SELECT count(*) FROM clickup_tasks t WHERE {LIVE} AND t.space_id = %(s)s",
        s=space_id)
    assert scoped.overdue.summary["overdue"] <= data.overdue.summary["overdue"]
    assert list(scoped.hours_by) == ["person", "folder", "list"]
    assert sum(r[2] for r in scoped.status.rows) < sum(r[2] for r in data.status.rows)
    with pytest.raises(AnalyticsError, match="did you mean"):
        resolve_scope(db, space=name + " zzz qq")


def test_a_chosen_week_and_a_day_in_it_give_the_same_report(db: psycopg.Connection,
                                                            data: WeeklyData) -> None:
    start = data.week.start - timedelta(days=21)
    by_week = collect(db, WORKSPACE, f"{start:%G-W%V}")
    by_day = collect(db, WORKSPACE, start + timedelta(days=3))
    assert by_week.week == by_day.week and by_week.week.start == start
    assert by_week.week.completed == completed(db, start)
    assert by_week.before.completed == completed(db, start - timedelta(days=7))
    assert by_week.throughput[-1] == (by_week.week.label, by_week.week.completed)
    with pytest.raises(AnalyticsError, match="future"):
        collect(db, WORKSPACE, data.today + timedelta(days=8))


def report(db: psycopg.Connection, settings: Settings | None, **kw: Any) -> Any:
    return asyncio.run(weekly_report(db, WORKSPACE, settings=settings, **kw))


def test_markdown_references_charts_that_exist_and_shows_the_deltas(
        db: psycopg.Connection, tmp_path: Path) -> None:
    made = report(db, None)
    out = tmp_path / "weekly.md"
    written = made.save(out, "md")
    body = out.read_text()
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", body)
    assert len(images) == len(made.charts) >= 4
    for name in images:
        assert (tmp_path / name).read_bytes().startswith(PNG)
    assert sorted(written[1:]) == sorted(tmp_path / n for n in images)
    w, b = made.data.week, made.data.before
    change = delta(w.completed, b.completed)
    assert f"| Tasks completed | {w.completed} | {b.completed} | {change} |" in body
    for heading in ("Summary", "Week over week", "Task distribution", "Time spent",
                    "Throughput and cycle time", "Bottlenecks and blockers",
                    "Overdue and at-risk work", "Team workload (now)", "Recommendations"):
        assert f"## {heading}\n" in body
    assert "Note: written without a model (--no-ai)." in body
    assert "![" not in made.markdown()  # standard output: no files to point at


def test_html_is_one_well_formed_file_with_its_charts_inside(db: psycopg.Connection) -> None:
    made = report(db, None)
    page = made.html()
    root = ET.fromstring(page.split("\n", 1)[1])  # strict XML: every tag closed, escaped
    images = root.findall(".//img")
    assert len(images) == len(made.charts)
    for img in images:
        src = img.get("src", "")
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1]).startswith(PNG)
    assert root.find(".//table") is not None and "<script" not in page


def refused_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"  # closed again: connecting is refused


def test_without_a_reachable_model_the_report_is_complete_with_a_note(
        db: psycopg.Connection, settings: Settings) -> None:
    made = report(db, settings.model_copy(update={"lm_studio_base_url": refused_url()}))
    assert made.narrative.model is None
    assert made.narrative.note.startswith("no model was reachable at http://127.0.0.1:")
    body = made.markdown()
    assert f"completed {made.data.week.completed} tasks" in made.narrative.summary
    assert "> Note: no model was reachable" in body and "## Recommendations" in body
    assert made.narrative.recommendations


def test_the_model_writes_the_narrative_from_the_facts(db: psycopg.Connection,
                                                       settings: Settings,
                                                       llm: ScriptedLLM) -> None:
    llm.script(text("**Summary:**\nA steady week <script>alert(1)</script> for the team.\n\n"
                    "**Recommendations:**\n1. Clear the overdue backlog.\n2. Unblock QA."))
    made = report(db, settings.model_copy(update={"lm_studio_base_url": llm.url}))
    assert made.narrative.summary == "A steady week <script>alert(1)</script> for the team."
    assert made.narrative.recommendations == ["Clear the overdue backlog.", "Unblock QA."]
    assert made.narrative.model == settings.lm_studio_model and made.narrative.note is None
    (request,) = llm.requests
    assert request["model"] == settings.lm_studio_model
    sent = request["messages"][-1]["content"]
    assert facts_sheet(made.data) in sent
    w, b = made.data.week, made.data.before
    assert f"tasks completed: {w.completed} | {b.completed}" in sent
    assert "only the facts" in request["messages"][0]["content"]
    page = made.html()
    assert "A steady week &lt;script&gt;" in page and "<script>" not in page
    assert "<li>Unblock QA.</li>" in page


def test_a_slow_or_failing_model_falls_back_with_the_reason(db: psycopg.Connection,
                                                             settings: Settings,
                                                             llm: ScriptedLLM) -> None:
    slow = settings.model_copy(update={"lm_studio_base_url": llm.url})
    llm.script(text("Summary: late", delay=3))
    made = report(db, slow, timeout=0.5)
    assert "within 0.5 s" in (made.narrative.note or "") and made.narrative.model is None
    made = report(db, slow)  # the queue is empty: the server answers 500
    assert "answered HTTP 500" in (made.narrative.note or "")
    assert made.narrative.summary.startswith(f"In {made.data.week.label}")


def run_cli(dsn: str, cwd: Path, *runs: tuple[str, ...]
            ) -> list[subprocess.CompletedProcess[str]]:
    """``report weekly`` with each of ``runs``' arguments, the processes side by side (they
    write different files), in order."""
    env = {**os.environ, "DATABASE_URL": dsn, "LM_STUDIO_BASE_URL": refused_url()}
    started = [subprocess.Popen(
        [sys.executable, "-m", "clickup_sync.cli", "report", "weekly", *args], env=env,
        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for args in runs]
    done = []
    for proc in started:
        out, err = proc.communicate(timeout=180)
        done.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return done


def test_the_command_writes_html_and_markdown_files(dsn: str, tmp_path: Path,
                                                    space: tuple[str, str]) -> None:
    html, md, stdout, unknown = run_cli(
        dsn, tmp_path, ("--space", space[1], "--out", "weekly.html"),
        ("--no-ai", "--out", "out/report.md"), ("--no-ai", "--format", "md"),
        ("--no-ai", "--list", "no such list qqq"))
    assert html.returncode == 0, html.stderr
    assert "no model was reachable" in html.stderr
    page = (tmp_path / "weekly.html").read_text()
    assert f"space {space[1]}" in page and "data:image/png;base64," in page
    assert md.returncode == 0, md.stderr
    assert (tmp_path / "out" / "report-trend.png").read_bytes().startswith(PNG)
    assert stdout.returncode == 0 and stdout.stdout.startswith("# Weekly report ")
    assert unknown.returncode == 1 and "no list named 'no such list qqq'" in unknown.stderr
    assert "Traceback" not in unknown.stderr
