"""Risk lists, health, standup, weekly digest and composites, checked against the simulator.

Ground truth is computed here from the simulator's own records (`sim.workspace`), in Python,
never with the SQL under test; composites are checked against the single metrics they sum up.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest

from clickup_sync.analytics import WORKSPACE, AnalyticsError, Person, Scope, resolve_scope
from clickup_sync.analytics.composite import person_summary, project_summary, weekly_report
from clickup_sync.analytics.flow import throughput
from clickup_sync.analytics.health import grade, health_score
from clickup_sync.analytics.history import bottlenecks
from clickup_sync.analytics.reports import daily_standup, weekly_digest
from clickup_sync.analytics.risk import at_risk_tasks, blockers, overdue_tasks, stale_tasks
from clickup_sync.analytics.status import status_summary
from clickup_sync.analytics.time import time_tracked
from clickup_sync.analytics.workload import workload
from clickup_sync.simulator import Simulator
from clickup_sync.simulator.model import Task
from clickup_sync.store.snapshots import set_timezone

DAY_MS = 86_400_000
DONE = {"done", "closed"}
BLOCKED_WORDS = re.compile("block|wait|hold|stuck|paus|pending|imped|depend", re.I)
Synced = tuple[Simulator, str]


# -- ground truth from the simulator -----------------------------------------------------------
def kind(sim: Simulator, task: Task) -> str:
    return sim.state.task_status(task).type


def db_now_ms(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT (extract(epoch FROM now()) * 1000)::bigint").fetchone()
    assert row is not None
    return int(row[0])


def in_space(sim: Simulator, space_id: str) -> Callable[[Task], bool]:
    return lambda t: sim.workspace.lists[t.list_id].space_id == space_id


def open_tasks(sim: Simulator, where: Callable[[Task], bool] = lambda t: True) -> list[Task]:
    return [t for t in sim.workspace.tasks.values()
            if not t.archived and kind(sim, t) not in DONE and where(t)]


def blocked_truth(sim: Simulator, where: Callable[[Task], bool] = lambda t: True
                  ) -> dict[str, set[str]]:
    """Task id → reasons ('dependency', 'status', 'comment') for every blocked open task."""
    ws = sim.workspace
    asked = {c.task_id for c in ws.comments.values()
             if c.task_id and c.assignee is not None and not c.resolved}
    found: dict[str, set[str]] = {}
    for t in open_tasks(sim, where):
        why = set()
        if any(d in ws.tasks and kind(sim, ws.tasks[d]) not in DONE for d in t.depends_on):
            why.add("dependency")
        if BLOCKED_WORDS.search(t.status):
            why.add("status")
        if t.id in asked:
            why.add("comment")
        if why:
            found[t.id] = why
    return found


def local_day(ms: int, tz: str = "UTC") -> date:
    return datetime.fromtimestamp(ms / 1000, ZoneInfo(tz)).date()


def done_at(t: Task) -> int | None:
    return t.date_done or t.date_closed


def names(sim: Simulator) -> dict[int, str]:
    return {m.id: m.username or m.email for m in sim.workspace.members.values()}


def ids(result: Any, column: str = "task_id") -> set[str]:
    i = result.columns.index(column)
    return {r[i] for r in result.rows}


def busiest_day(sim: Simulator, today: date) -> date:
    """The day before today (within the last 10 days) on which most tasks were completed."""
    days = Counter(local_day(done_at(t)) for t in sim.workspace.tasks.values()
                   if done_at(t) and kind(sim, t) in DONE and not t.archived)
    recent = {d: n for d, n in days.items() if today - timedelta(days=10) <= d < today}
    return max(recent, key=lambda d: (recent[d], d)) if recent else today - timedelta(days=1)


# -- single metrics ----------------------------------------------------------------------------
def test_overdue_tasks_match_ground_truth(synced: Synced, conn: psycopg.Connection) -> None:
    sim, _ = synced
    now = db_now_ms(conn)
    want = [t for t in open_tasks(sim) if t.due_date is not None and t.due_date < now]
    result = overdue_tasks(conn, limit=500)
    assert want and ids(result) == {t.id for t in want}
    assert result.summary["overdue"] == result.total_rows == len(want)
    per_person = Counter(u for t in want for u in t.assignees)
    who = names(sim)
    top = sorted(((who[u], n) for u, n in per_person.items()), key=lambda p: (-p[1], p[0]))
    assert result.summary["most_overdue_people"] == dict(top[:5])
    assert result.summary["unassigned"] == sum(1 for t in want if not t.assignees)
    oldest = min(want, key=lambda t: (t.due_date or 0, t.id))
    today = local_day(now)
    assert result.summary["oldest_task"] == oldest.name
    assert result.summary["oldest_days_overdue"] == (today - local_day(oldest.due_date or 0)).days
    days = result.columns.index("days_overdue")
    assert [r[days] for r in result.rows] == sorted((r[days] for r in result.rows), reverse=True)
    # one person's, in a Space
    uid = max(per_person, key=lambda u: (per_person[u], u))
    space = next(s for s in sim.workspace.spaces.values() if not s.archived)
    mine = overdue_tasks(conn, resolve_scope(conn, space=space.id),
                         person=Person(uid, who[uid]), limit=3)
    theirs = {t.id for t in want if uid in t.assignees and in_space(sim, space.id)(t)}
    assert mine.total_rows == len(theirs) and len(mine.rows) == min(3, len(theirs))
    assert ids(mine) <= theirs and mine.truncated == (len(theirs) > 3)


def test_at_risk_tasks_flag_the_right_reasons(synced: Synced, conn: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    now = db_now_ms(conn)
    result = at_risk_tasks(conn, days=10, limit=500)
    want = {t.id: t for t in open_tasks(sim)
            if t.due_date is not None and now <= t.due_date < now + 10 * DAY_MS}
    assert want and ids(result) == set(want)
    tracked: dict[str, int] = defaultdict(int)
    for e in ws.time_entries.values():
        if e.task_id:
            tracked[e.task_id] += (e.end or now) - e.start  # a running timer: up to now
    risk = result.columns.index("risk")
    flags: Counter[str] = Counter()
    for row in result.rows:
        t = want[row[0]]
        why = set()
        if not t.assignees:
            why.add("no assignee")
        if kind(sim, t) == "open":
            why.add("not started")
        if t.time_estimate and t.time_estimate - tracked[t.id] > (t.due_date or 0) - now:
            why.add("estimate left exceeds time left")
        if any(d in ws.tasks and kind(sim, ws.tasks[d]) not in DONE for d in t.depends_on):
            why.add("blocked by an unfinished dependency")
        assert set(row[risk].split("; ")) == (why or {"due soon"}), row
        flags.update(why)
    s = result.summary
    assert s["due_soon"] == len(want)
    assert (s["no_assignee"], s["not_started"], s["blocked_by_dependency"]) == (
        flags["no assignee"], flags["not started"], flags["blocked by an unfinished dependency"])
    # the shorter window holds exactly the tasks due sooner
    short = at_risk_tasks(conn, days=1, limit=500)
    assert ids(short) == {i for i, t in want.items() if (t.due_date or 0) < now + DAY_MS}


def test_stale_tasks_are_untouched_open_or_active(synced: Synced,
                                                  conn: psycopg.Connection) -> None:
    sim, _ = synced
    now = db_now_ms(conn)
    for days in (14, 40):
        want = [t for t in open_tasks(sim) if kind(sim, t) in ("open", "custom")
                and t.date_updated < now - days * DAY_MS]
        result = stale_tasks(conn, days=days, limit=500)
        assert want and ids(result) == {t.id for t in want}
        assert result.summary["stale"] == len(want)
        assert result.summary["active"] == sum(1 for t in want if kind(sim, t) == "custom")
    idle = result.columns.index("days_idle")
    assert all(r[idle] >= 40 for r in result.rows)


def test_blockers_name_dependencies_statuses_and_comments(synced: Synced,
                                                         conn: psycopg.Connection) -> None:
    sim, _ = synced
    want = blocked_truth(sim)
    assert {"dependency", "status", "comment"} <= set().union(*want.values())
    result = blockers(conn, limit=500)
    assert ids(result) == set(want)
    because = result.columns.index("blocked_because")
    for row in result.rows:
        text, why = row[because], want[row[0]]
        assert ("waits on" in text) == ("dependency" in why), row
        assert ("status '" in text) == ("status" in why), row
        assert ("assigned comment" in text) == ("comment" in why), row
    s = result.summary
    assert s["blocked"] == len(want)
    assert s["waiting_on_tasks"] == sum("dependency" in w for w in want.values())
    assert s["blocked_status"] == sum("status" in w for w in want.values())
    assert s["unresolved_assigned_comments"] == sum("comment" in w for w in want.values())
    space = next(s for s in sim.workspace.spaces.values() if not s.archived)
    scoped = blockers(conn, resolve_scope(conn, space=space.name), limit=500)
    assert ids(scoped) == set(blocked_truth(sim, in_space(sim, space.id)))
    # A smaller scope finds its blocked tasks by another plan: same rows, same reasons.
    assert scoped.rows == [r for r in result.rows if r[0] in ids(scoped)]
    assert scoped.summary["blocked"] == len(scoped.rows)


def test_health_score_is_the_documented_weighted_mean(synced: Synced,
                                                      conn: psycopg.Connection) -> None:
    sim, _ = synced
    result = health_score(conn)
    s = result.summary
    assert s["open_tasks"] == len(open_tasks(sim))
    assert s["overdue"] == overdue_tasks(conn, limit=1).summary["overdue"]
    assert s["stale"] == stale_tasks(conn, limit=1).summary["stale"]
    assert s["blocked"] == blockers(conn, limit=1).summary["blocked"] == len(blocked_truth(sim))
    rows = {r[0]: r for r in result.rows}
    assert rows["overdue"][2] == round(max(0, 100 - 200 * s["overdue"] / s["open_tasks"]))
    used = [r for r in result.rows if r[2] is not None]
    mean = sum(r[1] * r[2] for r in used) / sum(r[1] for r in used)
    assert abs(s["score"] - mean) <= 1  # components are shown rounded
    assert s["grade"] == grade(s["score"])
    assert 0 <= s["score"] <= 100 and sum(r[1] for r in result.rows) == 100
    assert (grade(75), grade(74.9), grade(50), grade(49)) == (
        "healthy", "at risk", "at risk", "critical")
    empty = health_score(conn, Scope("list", "no-such-list", "list nothing"))
    assert empty.summary["open_tasks"] == 0 and empty.summary["score"] == 100


# -- reports -----------------------------------------------------------------------------------
def _standup_truth(sim: Simulator, day: date, tz: str, now: int) -> tuple[Counter, Counter,
                                                                          Counter]:
    ws = sim.workspace
    done: Counter[int] = Counter()
    for t in ws.tasks.values():
        at = done_at(t)
        if at and not t.archived and kind(sim, t) in DONE and local_day(at, tz) == day:
            done.update(t.assignees)
    def counted(task_id: str | None) -> bool:
        return task_id is None or (task_id in ws.tasks and not ws.tasks[task_id].archived)
    hours: Counter[int] = Counter()
    for e in ws.time_entries.values():
        if local_day(e.start, tz) == day and counted(e.task_id):
            hours[e.user_id] += (e.end or now) - e.start
    said = Counter(c.user_id for c in ws.comments.values()
                   if local_day(c.date, tz) == day and counted(c.task_id))
    return done, hours, said


@pytest.mark.parametrize("tz", ["UTC", "Pacific/Kiritimati"])
def test_daily_standup_counts_the_local_calendar_day(synced: Synced, conn: psycopg.Connection,
                                                     tz: str) -> None:
    sim, _ = synced
    with conn.transaction(force_rollback=True):  # the timezone change never leaves this test
        set_timezone(conn, tz)
        now = db_now_ms(conn)
        today = local_day(now, tz)
        day = busiest_day(sim, today)
        result = daily_standup(conn, day=day, limit=500)
        done, hours, said = _standup_truth(sim, day, tz, now)
        who = names(sim)
        rows = {r[0]: r for r in result.rows}
        assert sum(done.values()) > 0 or tz != "UTC"
        for uid, n in done.items():
            assert rows[who[uid]][1] == n
        for uid, ms in hours.items():
            assert abs(rows[who[uid]][2] - ms / 3_600_000) < 0.02
        for uid, n in said.items():
            assert rows[who[uid]][3] == n
        assert result.summary["completed"] == sum(
            1 for t in sim.workspace.tasks.values() if done_at(t) and not t.archived
            and kind(sim, t) in DONE and local_day(done_at(t) or 0, tz) == day)
        tracked = time_tracked(conn, since=day, until=day)
        assert result.summary["hours_tracked"] == tracked.summary["total_hours"]
        assert result.summary["overdue_now"] == overdue_tasks(conn, limit=1).total_rows
        assert result.summary["blocked_now"] == blockers(conn, limit=1).total_rows
        default = daily_standup(conn, limit=1)
        assert default.summary["day"] == (today - timedelta(days=1)).isoformat()
        assert "yesterday" in default.title


def test_weekly_digest_sums_up_an_iso_week(synced: Synced, conn: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    now = db_now_ms(conn)
    today = local_day(now)
    monday = today - timedelta(days=today.weekday() + 7)
    result = weekly_digest(conn)  # the last full week
    s = result.summary
    assert (s["from"], s["to"]) == (monday.isoformat(), (monday + timedelta(6)).isoformat())
    end_ms = int(datetime.combine(monday + timedelta(7), datetime.min.time(), UTC)
                 .timestamp() * 1000)
    in_week = lambda ms: monday <= local_day(ms) < monday + timedelta(7)  # noqa: E731
    live = [t for t in ws.tasks.values() if not t.archived]
    assert s["created"] == sum(1 for t in live if in_week(t.date_created))
    done = [t for t in live if kind(sim, t) in DONE and done_at(t) and in_week(done_at(t) or 0)]
    assert s["completed"] == len(done)
    week_row = next(r for r in throughput(conn, weeks=4).rows if r[1] == monday.isoformat())
    assert s["completed"] == week_row[2]
    tracked = time_tracked(conn, since=monday, until=monday + timedelta(6))
    assert s["hours_tracked"] == tracked.summary["total_hours"]
    late = [t for t in live if t.date_created < end_ms and t.due_date is not None
            and t.due_date < end_ms
            and not (kind(sim, t) in DONE and (done_at(t) or 0) < end_ms)]
    assert s["overdue_at_week_end"] == len(late)
    sections = Counter(r[0] for r in result.rows)
    assert sections["completed"] == min(10, len(done))
    same = weekly_digest(conn, week=monday + timedelta(days=3))  # any day names its week
    assert same.summary == s
    assert weekly_digest(conn, week=f"{monday:%G-W%V}").summary == s


def test_reports_count_time_on_a_deleted_task_as_time_tracked_does(
        conn: psycopg.Connection) -> None:
    today = local_day(db_now_ms(conn))
    monday = today - timedelta(days=today.weekday() + 7)
    with conn.transaction(force_rollback=True):  # the deletion never leaves this test
        found = conn.execute(
            """SELECT e.task_id, t.name, (e.start_at AT TIME ZONE cs_timezone())::date
                 FROM time_entries e JOIN clickup_tasks t ON t.id = e.task_id
                WHERE NOT e.is_deleted AND NOT t.archived AND e.duration_ms > 0
                  AND e.start_at >= %s::date AND e.start_at < %s::date + 7
                ORDER BY e.duration_ms DESC, e.id LIMIT 1""", (monday, monday)).fetchone()
        assert found is not None
        task_id, name, day = found
        conn.execute("UPDATE clickup_tasks SET is_deleted = true WHERE id = %s", (task_id,))
        week = weekly_digest(conn, week=monday).summary
        tracked = time_tracked(conn, since=monday, until=monday + timedelta(6)).summary
        assert tracked["hours_on_no_task"] > 0
        assert week["hours_tracked"] == tracked["total_hours"]
        standup = daily_standup(conn, day=day, limit=500)
        assert standup.summary["hours_tracked"] == time_tracked(
            conn, since=day, until=day).summary["total_hours"]
        assert not any(f"worked on: {name}" in str(r[-1]) for r in standup.rows)


# -- composites --------------------------------------------------------------------------------
def test_person_summary_agrees_with_the_single_metrics(synced: Synced,
                                                       conn: psycopg.Connection) -> None:
    sim, _ = synced
    per = Counter(u for t in open_tasks(sim) for u in t.assignees)
    uid = max(per, key=lambda u: (per[u], u))
    who = Person(uid, names(sim)[uid])
    result = person_summary(conn, who)
    s = result.summary
    assert s["open_tasks"] == per[uid]
    assert s["overdue"] == overdue_tasks(conn, person=who).summary["overdue"]
    mine = [t for t in open_tasks(sim) if uid in t.assignees]
    assert s["in_progress"] == sum(1 for t in mine if kind(sim, t) == "custom")
    assert s["blocked"] == sum(1 for i in blocked_truth(sim) if uid in sim.workspace.tasks[i]
                               .assignees)
    today = local_day(db_now_ms(conn))
    monday = today - timedelta(days=today.weekday())
    assert s["hours_this_week"] == time_tracked(
        conn, person=who, since=monday, until=today).summary["total_hours"]
    assert s["hours_last_week"] == time_tracked(
        conn, person=who, since=monday - timedelta(7), until=monday - timedelta(1)
    ).summary["total_hours"]
    asked = [c for c in sim.workspace.comments.values() if c.assignee == uid and not c.resolved
             and (c.task_id is None or (c.task_id in sim.workspace.tasks
                                        and not sim.workspace.tasks[c.task_id].archived))]
    assert s["unresolved_assigned_comments"] == len(asked)
    assert len(result.rows) <= 20 and result.columns[0] == "section"
    assert {r[0] for r in result.rows} >= {"overdue", "in progress"}


def test_project_summary_agrees_with_the_single_metrics(synced: Synced,
                                                        conn: psycopg.Connection) -> None:
    sim, _ = synced
    space = max((s for s in sim.workspace.spaces.values() if not s.archived),
                key=lambda s: len(open_tasks(sim, in_space(sim, s.id))))
    scope = resolve_scope(conn, space=space.name)
    result = project_summary(conn, scope)
    s = result.summary
    status = status_summary(conn, scope).summary
    assert (s["tasks"], s["done"], s["percent_done"]) == (
        status["total_tasks"], status["done"], status["percent_done"])
    assert s["open"] == len(open_tasks(sim, in_space(sim, space.id)))
    assert s["overdue"] == overdue_tasks(conn, scope).summary["overdue"]
    assert s["blocked"] == len(blocked_truth(sim, in_space(sim, space.id)))
    health = health_score(conn, scope).summary
    assert (s["health_score"], s["grade"]) == (health["score"], health["grade"])
    today = local_day(db_now_ms(conn))
    hours = time_tracked(conn, scope, since=today - timedelta(today.weekday()), until=today)
    assert s["hours_this_week"] == hours.summary["total_hours"]
    assert len(result.rows) <= 20 and len({r[0] for r in result.rows}) == 5


def test_weekly_report_compares_with_the_week_before(synced: Synced,
                                                     conn: psycopg.Connection) -> None:
    result = weekly_report(conn, limit=500)
    s = result.summary
    digest = weekly_digest(conn).summary
    monday = date.fromisoformat(digest["from"])
    before = weekly_digest(conn, week=monday - timedelta(days=7)).summary
    assert s["week"] == digest["week"]
    assert (s["completed"], s["created"], s["hours_tracked"]) == (
        digest["completed"], digest["created"], digest["hours_tracked"])
    assert (s["completed_week_before"], s["created_week_before"], s["hours_week_before"]) == (
        before["completed"], before["created"], before["hours_tracked"])
    assert s["throughput_trend"] == throughput(conn, weeks=8).summary["trend"]
    assert s["overdue_now"] == overdue_tasks(conn, limit=1).summary["overdue"]
    assert s["due_in_3_days"] == at_risk_tasks(conn, limit=1).summary["due_soon"]
    assert s["blocked_now"] == blockers(conn, limit=1).summary["blocked"]
    assert s["worst_bottleneck"] == bottlenecks(conn, limit=1).summary["worst_status"]
    load = workload(conn, limit=1).summary
    assert (s["open_tasks"], s["unassigned_open"]) == (
        load["open_tasks"], load["unassigned_open"])
    assert len(result.rows) <= 40  # compact however large the limit
    hours = next(r for r in result.rows if r[0] == "hours by person")
    top = time_tracked(conn, since=monday, until=monday + timedelta(6), limit=1).rows[0]
    assert (hours[1], hours[2]) == (top[0], top[1])
    by_space = time_tracked(conn, group_by="space", since=monday, until=monday + timedelta(6),
                            limit=500)
    shares = {r[0]: r[by_space.columns.index("percent")] for r in by_space.rows}
    spaces = [r for r in result.rows if r[0] == "hours by space"]
    assert spaces  # the seeded week has tracked time
    assert all(r[3] == f"{shares[r[1]]}%" for r in spaces)


# -- hostile arguments -------------------------------------------------------------------------
HOSTILE: list[tuple[Callable[..., Any], dict[str, Any]]] = [
    (overdue_tasks, {"limit": 0}), (overdue_tasks, {"limit": "10"}),
    (overdue_tasks, {"limit": True}), (overdue_tasks, {"person": "'; DROP TABLE employees; --"}),
    (overdue_tasks, {"person": 81000001}),
    (overdue_tasks, {"scope": "'; DROP TABLE clickup_tasks; --"}),
    (at_risk_tasks, {"days": -3}), (at_risk_tasks, {"days": 0}),
    (at_risk_tasks, {"days": 10**9}), (at_risk_tasks, {"days": "3; DROP TABLE x"}),
    (at_risk_tasks, {"days": 2.5}), (stale_tasks, {"days": -1}),
    (stale_tasks, {"limit": -5}), (blockers, {"limit": None}),
    (daily_standup, {"day": date(2999, 1, 1)}), (daily_standup, {"day": "yesterday"}),
    (weekly_digest, {"week": "2026-13-45"}), (weekly_digest, {"week": "'; DROP"}),
    (weekly_digest, {"week": date(3000, 1, 5)}), (weekly_digest, {"week": 202647}),
    (weekly_report, {"week": "2999-W01"}), (weekly_report, {"limit": 0}),
    (project_summary, {"scope": None}), (person_summary, {"person": "nobody at all zzq"}),
    (person_summary, {"person": None}),
]


@pytest.mark.parametrize(("fn", "kwargs"), HOSTILE,
                         ids=[f"{f.__name__}-{next(iter(k))}" for f, k in HOSTILE])
def test_hostile_arguments_are_refused_plainly(conn: psycopg.Connection,
                                               fn: Callable[..., Any],
                                               kwargs: dict[str, Any]) -> None:
    args = {"scope": WORKSPACE} if fn is project_summary else {}
    if fn is person_summary:
        args = {}
    with pytest.raises(AnalyticsError):
        fn(conn, **{**args, **kwargs})


def test_sql_in_a_scope_id_is_data_and_limits_are_capped(conn: psycopg.Connection) -> None:
    evil = Scope("list", "x' OR '1'='1'; DROP TABLE clickup_tasks; --", "list evil")
    calls: Iterable[Callable[..., Any]] = (overdue_tasks, at_risk_tasks, stale_tasks, blockers)
    for fn in calls:
        assert fn(conn, evil).total_rows == 0
    assert health_score(conn, evil).summary["open_tasks"] == 0
    assert daily_standup(conn, evil).summary["completed"] == 0
    assert len(overdue_tasks(conn, limit=10**9).rows) <= 500
    assert len(project_summary(conn, WORKSPACE, limit=10**6).rows) <= 40
    row = conn.execute("SELECT count(*) FROM clickup_tasks").fetchone()
    assert row is not None and row[0] > 0
