"""Time and workload metrics, checked against the simulator's own records.

Every expected number is recomputed here from ``sim.workspace`` (tasks, intervals, comments,
members), never from the database. Hours are rounded to 0.01 h in results, and a running
timer keeps growing while a test runs, hence the small tolerances. Changes a test needs
(a person who left, a deleted interval, another timezone, a cycle of parents) are made in a
transaction that is rolled back.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest

from clickup_sync.analytics import (
    AnalyticsError,
    Person,
    Scope,
    UnknownName,
    assigned_comments,
    estimation_accuracy,
    inactive_assignees,
    resolve_scope,
    task_time_breakdown,
    time_tracked,
    untracked_tasks,
    workload,
)
from clickup_sync.analytics.time import accuracy_of
from clickup_sync.simulator import Simulator
from clickup_sync.simulator.model import Task, TimeEntry, Workspace
from clickup_sync.store import connect

HOUR = 3_600_000
DAY = 24 * HOUR
TOL = 0.03  # hours: 0.01 rounding plus a running timer growing while the test runs


# -- ground truth from the simulator ----------------------------------------------------------
def now_ms() -> int:
    return int(time.time() * 1000)


def local_day(ms: int, tz: Any = UTC) -> date:
    return datetime.fromtimestamp(ms / 1000, tz).date()


def midnight(day: date, tz: Any = UTC) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=tz).timestamp() * 1000)


def length(e: TimeEntry, now: int) -> int:
    return max(0, (e.end if e.end is not None else now) - e.start)


def name_of(ws: Workspace, uid: int) -> str:
    m = ws.members[uid]
    return m.username or m.email


def live(ws: Workspace, task_id: str | None) -> Task | None:
    """The task if it exists and is not archived (the metrics' live tasks)."""
    t = ws.tasks.get(task_id) if task_id else None
    return t if t is not None and not t.archived else None


def in_scope(ws: Workspace, t: Task, scope: Scope) -> bool:
    lst = ws.lists[t.list_id]
    return {"workspace": True, "space": lst.space_id == scope.id,
            "folder": lst.folder_id == scope.id,
            "list": t.list_id == scope.id or scope.id in t.locations}[scope.kind]


def status_type(sim: Simulator, t: Task) -> str:
    return sim.state.task_status(t).type


def descendants(ws: Workspace, task_id: str) -> list[str]:
    children: dict[str, list[str]] = defaultdict(list)
    for t in ws.tasks.values():
        if t.parent:
            children[t.parent].append(t.id)
    out, stack = [], list(children[task_id])
    while stack:
        tid = stack.pop()
        out.append(tid)
        stack.extend(children[tid])
    return out


def entries_by_task(ws: Workspace) -> dict[str, list[TimeEntry]]:
    by: dict[str, list[TimeEntry]] = defaultdict(list)
    for e in ws.time_entries.values():
        if e.task_id:
            by[e.task_id].append(e)
    return by


def window_entries(ws: Workspace, since: date, until: date, scope: Scope, *,
                   no_task: bool, tz: Any = UTC) -> list[tuple[TimeEntry, Task | None]]:
    """Intervals started on local dates since..until on live tasks in scope, plus (when
    ``no_task``) those on no task or on a deleted task."""
    out = []
    for e in ws.time_entries.values():
        if not since <= local_day(e.start, tz) <= until:
            continue
        task = ws.tasks.get(e.task_id) if e.task_id else None
        if task is None:
            if no_task:
                out.append((e, None))
        elif not task.archived and in_scope(ws, task, scope):
            out.append((e, task))
    return out


def hours_by(pairs: list[tuple[TimeEntry, Task | None]], key: Any,
             now: int) -> dict[Any, float]:
    sums: dict[Any, int] = defaultdict(int)
    for e, t in pairs:
        sums[key(e, t)] += length(e, now)
    return {k: v / HOUR for k, v in sums.items()}


def assert_hours(got: dict[Any, float], want: dict[Any, float]) -> None:
    assert set(got) == set(want)
    for k, v in want.items():
        assert got[k] == pytest.approx(v, abs=TOL), k


def today(conn: psycopg.Connection) -> date:
    return conn.execute("SELECT (now() AT TIME ZONE cs_timezone())::date").fetchone()[0]


@pytest.fixture()
def scratch(synced: tuple[Simulator, str]) -> Iterator[psycopg.Connection]:
    """A connection in a transaction that is rolled back: for changes a test needs."""
    c = connect(synced[1])
    try:
        yield c
    finally:
        c.rollback()
        c.close()


def multi_list(ws: Workspace) -> str:
    """A List that holds tasks from other Lists too (Tasks in Multiple Lists)."""
    counts = Counter(loc for t in ws.tasks.values() for loc in t.locations
                     if loc != t.list_id)
    return counts.most_common(1)[0][0]


# -- hours tracked ----------------------------------------------------------------------------
def test_hours_per_person_in_the_workspace_match_the_intervals(
        synced: tuple[Simulator, str], conn: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    result = time_tracked(conn)
    now = now_ms()
    end = today(conn)
    pairs = window_entries(ws, end - timedelta(days=29), end, Scope("workspace", None, ""),
                           no_task=True)
    want = hours_by(pairs, lambda e, t: name_of(ws, e.user_id), now)
    assert_hours({r[0]: r[1] for r in result.rows}, want)
    entries = Counter(name_of(ws, e.user_id) for e, _ in pairs)
    assert {r[0]: r[2] for r in result.rows} == dict(entries)
    assert result.columns == ["person", "hours", "entries", "tasks", "percent"]
    s = result.summary
    assert s["entries"] == len(pairs) and s["people"] == len(want)
    assert s["total_hours"] == pytest.approx(sum(want.values()), abs=TOL)
    assert s["hours_on_no_task"] == pytest.approx(
        sum(length(e, now) for e, t in pairs if t is None) / HOUR, abs=TOL)
    assert s["since"] == (end - timedelta(days=29)).isoformat()
    assert [r[1] for r in result.rows] == sorted((r[1] for r in result.rows), reverse=True)
    assert any("running" in n for n in result.notes)


def test_hours_by_day_and_week_match_and_add_up(synced: tuple[Simulator, str],
                                                conn: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    end = today(conn) - timedelta(days=2)
    since = end - timedelta(days=40)
    days = time_tracked(conn, group_by="day", since=since, until=end, limit=500)
    weeks = time_tracked(conn, group_by="week", since=since, until=end)
    pairs = window_entries(ws, since, end, Scope("workspace", None, ""), no_task=True)
    now = now_ms()
    assert_hours({r[0]: r[1] for r in days.rows},
                 hours_by(pairs, lambda e, t: local_day(e.start).isoformat(), now))
    monday = hours_by(pairs, lambda e, t: (local_day(e.start) - timedelta(
        days=local_day(e.start).weekday())).isoformat(), now)
    assert_hours({r[1]: r[2] for r in weeks.rows}, monday)
    label = date.fromisoformat(weeks.rows[0][1]).isocalendar()
    assert weeks.rows[0][0] == f"{label[0]}-W{label[1]:02d}"
    assert [r[0] for r in days.rows] == sorted(r[0] for r in days.rows)
    assert days.summary["total_hours"] == weeks.summary["total_hours"]
    assert sum(r[1] for r in days.rows) == pytest.approx(days.summary["total_hours"], abs=0.3)


def test_hours_in_a_space_by_list_and_folder(synced: tuple[Simulator, str],
                                             conn: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    end = today(conn)
    since = end - timedelta(days=120)
    by_space = Counter(ws.lists[e_task.list_id].space_id
                       for e in ws.time_entries.values()
                       if (e_task := live(ws, e.task_id)) is not None)
    space = ws.spaces[by_space.most_common(1)[0][0]]
    scope = resolve_scope(conn, space=space.name)
    pairs = window_entries(ws, since, end, scope, no_task=False)
    now = now_ms()
    lists = time_tracked(conn, scope, group_by="list", since=since, until=end)
    assert lists.columns[-1] == "list_id"
    assert_hours({r[-1]: r[1] for r in lists.rows},
                 hours_by(pairs, lambda e, t: t.list_id, now))
    assert all(r[0] == ws.lists[r[-1]].name for r in lists.rows)

    def folder(e: TimeEntry, t: Task) -> tuple[str | None, str]:
        f = ws.lists[t.list_id].folder_id
        return (f, ws.folders[f].name) if f else (None, f"(no Folder) in {space.name}")

    folders = time_tracked(conn, scope, group_by="folder", since=since, until=end)
    assert_hours({(r[-1], r[0]): r[1] for r in folders.rows}, hours_by(pairs, folder, now))
    assert lists.summary["entries"] == len(pairs)
    assert "hours_on_no_task" not in lists.summary  # no-task time belongs to no Space


def test_hours_in_a_list_count_tasks_it_shares_with_other_lists(
        synced: tuple[Simulator, str], conn: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    scope = resolve_scope(conn, list_=multi_list(ws))
    end = today(conn)
    since = end - timedelta(days=365)
    pairs = window_entries(ws, since, end, scope, no_task=False)
    result = time_tracked(conn, scope, group_by="task", since=since, until=end, limit=500)
    now = now_ms()
    assert_hours({r[0]: r[3] for r in result.rows}, hours_by(pairs, lambda e, t: t.id, now))
    assert any(ws.tasks[r[0]].list_id != scope.id for r in result.rows)


def test_hours_of_one_person_per_space(synced: tuple[Simulator, str],
                                       conn: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    uid = Counter(e.user_id for e in ws.time_entries.values()).most_common(1)[0][0]
    end = today(conn)
    since = end - timedelta(days=60)
    result = time_tracked(conn, group_by="space", since=since, until=end,
                          person=Person(uid, name_of(ws, uid)))
    pairs = [(e, t) for e, t in window_entries(ws, since, end, Scope("workspace", None, ""),
                                               no_task=False) if e.user_id == uid]
    assert_hours({r[0]: r[1] for r in result.rows},
                 hours_by(pairs, lambda e, t: ws.spaces[ws.lists[t.list_id].space_id].name,
                          now_ms()))
    assert result.summary["people"] == 1 and result.summary["person"] == name_of(ws, uid)
    by_name = time_tracked(conn, group_by="space", since=since, until=end,
                           person=name_of(ws, uid).upper())
    assert by_name.rows == result.rows


def test_days_follow_the_configured_timezone(synced: tuple[Simulator, str],
                                             scratch: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    tz = "Pacific/Kiritimati"  # UTC+14: most intervals land on another local date
    scratch.execute("UPDATE app_settings SET value = %s WHERE key = 'timezone'", (tz,))
    end = today(scratch) - timedelta(days=1)
    since = end - timedelta(days=20)
    result = time_tracked(scratch, group_by="day", since=since, until=end)
    pairs = window_entries(ws, since, end, Scope("workspace", None, ""), no_task=True,
                           tz=ZoneInfo(tz))
    assert_hours({r[0]: r[1] for r in result.rows},
                 hours_by(pairs, lambda e, t: local_day(e.start, ZoneInfo(tz)).isoformat(),
                          now_ms()))


def test_deleted_intervals_and_running_timers(synced: tuple[Simulator, str],
                                              scratch: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    end = today(scratch)
    before = time_tracked(scratch, since=end, until=end)
    running = [e for e in ws.time_entries.values() if e.end is None]
    assert running and before.summary["entries"] >= len(running)
    assert f"({len(running)} running now)" in " ".join(before.notes)
    done = next(e for e in ws.time_entries.values()
                if e.end is not None and local_day(e.start) == end and live(ws, e.task_id))
    scratch.execute("UPDATE time_entries SET is_deleted = true WHERE id = %s", (done.id,))
    after = time_tracked(scratch, since=end, until=end)
    assert after.summary["entries"] == before.summary["entries"] - 1
    assert after.summary["total_hours"] == pytest.approx(
        before.summary["total_hours"] - (done.end - done.start) / HOUR, abs=TOL)


# -- one task ---------------------------------------------------------------------------------
def test_task_time_breakdown_rolls_up_every_level(synced: tuple[Simulator, str],
                                                  conn: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    by_task = entries_by_task(ws)
    root = max((t for t in ws.tasks.values() if not t.parent),
               key=lambda t: (len(descendants(ws, t.id)), t.id))
    subs = descendants(ws, root.id)
    result = task_time_breakdown(conn, root.id)
    now = now_ms()
    own: dict[str, float] = defaultdict(float)
    below: dict[str, float] = defaultdict(float)
    count: Counter[str] = Counter()
    for tid in [root.id, *subs]:
        for e in by_task[tid]:
            (own if tid == root.id else below)[name_of(ws, e.user_id)] += length(e, now) / HOUR
            count[name_of(ws, e.user_id)] += 1
    assert_hours({r[0]: r[1] for r in result.rows}, {k: own[k] for k in count})
    assert_hours({r[0]: r[2] for r in result.rows}, {k: below[k] for k in count})
    assert {r[0]: r[4] for r in result.rows} == dict(count)
    s = result.summary
    assert s["subtasks"] == len(subs) and s["task"] == root.name
    assert s["estimate_hours"] == pytest.approx((root.time_estimate or 0) / HOUR, abs=0.01)
    assert s["subtask_estimate_hours"] == pytest.approx(
        sum(ws.tasks[x].time_estimate or 0 for x in subs) / HOUR, abs=0.01)
    assert s["tracked_hours"] == pytest.approx(sum(own.values()) + sum(below.values()),
                                               abs=TOL * 3)
    assert task_time_breakdown(conn, f" #{root.id} ").summary["task_id"] == root.id


def test_task_time_breakdown_survives_a_cycle_of_parents(synced: tuple[Simulator, str],
                                                         scratch: psycopg.Connection) -> None:
    sim, _ = synced
    child = next(t for t in sim.workspace.tasks.values() if t.parent)
    scratch.execute("UPDATE clickup_tasks SET parent_id = %s WHERE id = %s",
                    (child.id, child.parent))
    result = task_time_breakdown(scratch, child.parent)
    assert result.summary["subtasks"] >= 1


@pytest.mark.parametrize("bad", ["nope123", "'; DROP TABLE clickup_tasks; --", "", "  ",
                                 "x" * 5000, None, 42])
def test_task_time_breakdown_rejects_unknown_tasks(conn: psycopg.Connection, bad: Any) -> None:
    with pytest.raises(AnalyticsError):
        task_time_breakdown(conn, bad)


# -- estimates --------------------------------------------------------------------------------
def test_estimation_accuracy_matches_rolled_up_time(synced: tuple[Simulator, str],
                                                    conn: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    by_task = entries_by_task(ws)
    since = today(conn) - timedelta(days=89)
    result = estimation_accuracy(conn, group_by="task", limit=500)
    now = now_ms()
    want: dict[str, float] = {}
    untracked = 0
    for t in ws.tasks.values():
        done_at = t.date_done or t.date_closed
        if (t.archived or status_type(sim, t) not in ("done", "closed") or not t.time_estimate
                or done_at is None or not midnight(since) <= done_at < now):
            continue
        tree = [t.id, *descendants(ws, t.id)]
        tracked = sum(length(e, now) for x in tree for e in by_task[x])
        if tracked == 0:
            untracked += 1
            continue
        want[t.id] = tracked / sum(ws.tasks[x].time_estimate or 0 for x in tree)
    assert {r[0]: r[6] for r in result.rows} == pytest.approx(
        {k: round(v, 2) for k, v in want.items()}, abs=0.011)
    s = result.summary
    assert s["tasks_measured"] == len(want) and s["estimated_but_untracked"] == untracked
    assert s["median_ratio"] == pytest.approx(median(want.values()), abs=0.006)
    within = sum(0.8 <= r <= 1.2 for r in want.values())
    assert s["within_20_percent"] == pytest.approx(100 * within / len(want), abs=0.06)
    people = estimation_accuracy(conn, group_by="person")
    per: dict[str, list[float]] = defaultdict(list)
    for tid, ratio in want.items():
        for uid in ws.tasks[tid].assignees or [None]:
            per[name_of(ws, uid) if uid else "(unassigned)"].append(ratio)
    assert {r[0]: r[1] for r in people.rows} == {k: len(v) for k, v in per.items()}
    assert {r[0]: r[2] for r in people.rows} == pytest.approx(
        {k: median(v) for k, v in per.items()}, abs=0.006)
    assert people.summary == s
    # one person's row, read from their tasks only (person_summary), is the same row
    for uid in {u for tid in want for u in ws.tasks[tid].assignees}:
        who = Person(uid, name_of(ws, uid))
        first, theirs = accuracy_of(conn, who)
        ratios = per[who.name]
        assert first == since and theirs["tasks"] == len(ratios)
        row = next(r for r in people.rows if r[0] == who.name)
        assert (theirs["tasks"], theirs["median_ratio"], theirs["within_20_percent"],
                theirs["over"], theirs["under"]) == tuple(row[1:6])
    nobody = next(u for u in ws.members if u not in {
        a for tid in want for a in ws.tasks[tid].assignees})
    assert accuracy_of(conn, Person(nobody, name_of(ws, nobody))) == (since, {})


# -- untracked tasks --------------------------------------------------------------------------
@pytest.mark.parametrize("status", ["active", "done", "any"])
def test_untracked_tasks_have_no_time_on_them_or_below(
        synced: tuple[Simulator, str], conn: psycopg.Connection, status: str) -> None:
    sim, _ = synced
    ws = sim.workspace
    by_task = entries_by_task(ws)
    kinds = {"active": ("custom",), "done": ("done", "closed"),
             "any": ("open", "custom", "done", "closed")}[status]
    considered = [t for t in ws.tasks.values() if not t.archived and t.custom_item_id != 1
                  and status_type(sim, t) in kinds]
    want = {t.id for t in considered
            if not any(by_task[x] for x in [t.id, *descendants(ws, t.id)])}
    result = untracked_tasks(conn, status=status, limit=500)  # type: ignore[arg-type]
    assert {r[0] for r in result.rows} == want
    assert result.summary["untracked"] == len(want)
    assert result.summary["tasks_considered"] == len(considered)
    last = [r[7] for r in result.rows]
    assert last == sorted(last, reverse=True)


def test_untracked_tasks_in_a_list_and_when_none_are_left(
        synced: tuple[Simulator, str], conn: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    scope = resolve_scope(conn, list_=multi_list(ws))
    result = untracked_tasks(conn, scope, status="any", limit=2)
    by_task = entries_by_task(ws)
    want = {t.id for t in ws.tasks.values() if not t.archived and t.custom_item_id != 1
            and in_scope(ws, t, scope)
            and not any(by_task[x] for x in [t.id, *descendants(ws, t.id)])}
    assert result.summary["untracked"] == len(want) == result.total_rows
    assert len(result.rows) == min(2, len(want)) and {r[0] for r in result.rows} <= want
    assert result.truncated == (len(want) > 2)


# -- workload ---------------------------------------------------------------------------------
def test_workload_per_person(synced: tuple[Simulator, str], conn: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    result = workload(conn)
    now = now_ms()
    by_task = entries_by_task(ws)
    day = today(conn)
    next_monday = midnight(day - timedelta(days=day.weekday()) + timedelta(days=7))
    stats: dict[str, Counter[str]] = defaultdict(Counter)
    left: dict[str, float] = defaultdict(float)
    open_tasks = [t for t in ws.tasks.values() if not t.archived
                  and status_type(sim, t) not in ("done", "closed")]
    for t in open_tasks:
        rest = None
        if t.time_estimate:
            rest = max(0, t.time_estimate - sum(length(e, now) for e in by_task[t.id]))
        for uid in t.assignees:
            c = stats[name_of(ws, uid)]
            c["open"] += 1
            c["doing"] += status_type(sim, t) == "custom"
            c["overdue"] += t.due_date is not None and t.due_date < now
            c["soon"] += t.due_date is not None and now <= t.due_date < next_monday
            c["no_estimate"] += rest is None
            left[name_of(ws, uid)] += (rest or 0) / HOUR
    got = {r[0]: r for r in result.rows if r[1]}
    assert set(got) == set(stats)
    for person, c in stats.items():
        row = got[person]
        assert (row[1], row[2], row[3], row[4], row[6]) == (
            c["open"], c["doing"], c["overdue"], c["soon"], c["no_estimate"]), person
        assert row[5] == pytest.approx(left[person], abs=TOL * 3)
    s = result.summary
    assert s["open_tasks"] == len(open_tasks)
    assert s["unassigned_open"] == sum(not t.assignees for t in open_tasks)
    top = max(stats, key=lambda p: (stats[p]["open"], left[p]))
    assert s["most_loaded"].startswith(top) and result.rows[0][0] == top
    week = time_tracked(conn, since=day - timedelta(days=6), until=day)
    hours = {r[0]: r[1] for r in week.rows}
    assert {r[0]: r[7] for r in result.rows if r[7]} == pytest.approx(hours, abs=0.02)


def test_workload_of_a_list_counts_its_shared_tasks(synced: tuple[Simulator, str],
                                                    conn: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    scope = resolve_scope(conn, list_=multi_list(ws))
    result = workload(conn, scope)
    open_tasks = [t for t in ws.tasks.values() if not t.archived and in_scope(ws, t, scope)
                  and status_type(sim, t) not in ("done", "closed")]
    per = Counter(name_of(ws, u) for t in open_tasks for u in t.assignees)
    assert {r[0]: r[1] for r in result.rows if r[1]} == dict(per)
    assert result.summary["open_tasks"] == len(open_tasks)


# -- inactive assignees -----------------------------------------------------------------------
def inactive_truth(sim: Simulator, scope: Scope, days: int) -> dict[str, int]:
    """Holders of open tasks in scope with no interval, comment or created task in scope
    since now - days: name → open tasks held."""
    ws = sim.workspace
    cutoff = now_ms() - days * DAY
    held: Counter[int] = Counter(
        u for t in ws.tasks.values() if not t.archived and in_scope(ws, t, scope)
        and status_type(sim, t) not in ("done", "closed") for u in t.assignees)
    workspace = scope.kind == "workspace"

    def here(task_id: str | None) -> bool:
        t = ws.tasks.get(task_id) if task_id else None
        return workspace or (t is not None and in_scope(ws, t, scope))

    active = {e.user_id for e in ws.time_entries.values()
              if e.start >= cutoff and here(e.task_id)}
    active |= {c.user_id for c in ws.comments.values()
               if c.task_id and c.date >= cutoff and here(c.task_id)}
    active |= {t.creator for t in ws.tasks.values()
               if t.date_created >= cutoff and here(t.id)}
    return {name_of(ws, u): n for u, n in held.items() if u not in active}


def test_inactive_assignees_match_activity_in_each_scope(
        synced: tuple[Simulator, str], conn: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    lists = [Scope("list", lst.id, lst.name) for lst in ws.lists.values()]
    scopes = [Scope("workspace", None, "the Workspace"), *lists[:12]]
    found_any = False
    for scope in scopes:
        for days in (1, 7, 30):
            result = inactive_assignees(conn, scope, days=days)
            want = inactive_truth(sim, scope, days)
            assert {r[0]: r[1] for r in result.rows} == want, (scope, days)
            found_any |= bool(want)
            assert all(r[5] == f"no activity in {days} days" for r in result.rows)
    assert found_any


def test_inactive_assignees_list_people_who_left(synced: tuple[Simulator, str],
                                                 scratch: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    holder = Counter(u for t in ws.tasks.values() if not t.archived
                     and status_type(sim, t) not in ("done", "closed")
                     for u in t.assignees).most_common(1)[0][0]
    scratch.execute("UPDATE employees SET is_active = false WHERE clickup_user_id = %s",
                    (holder,))
    result = inactive_assignees(scratch, days=3650)
    assert [r[5] for r in result.rows if r[0] == name_of(ws, holder)] == ["left the Workspace"]


# -- assigned comments ------------------------------------------------------------------------
def test_assigned_comments_per_person_and_for_one(synced: tuple[Simulator, str],
                                                  conn: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    open_ones = [c for c in ws.comments.values() if c.assignee and not c.resolved
                 and live(ws, c.task_id)]
    per = Counter(name_of(ws, c.assignee) for c in open_ones)  # type: ignore[arg-type]
    result = assigned_comments(conn)
    assert {r[0]: r[1] for r in result.rows} == dict(per)
    assert result.summary["comments"] == len(open_ones)
    uid = Counter(c.assignee for c in open_ones).most_common(1)[0][0]
    assert uid is not None
    mine = assigned_comments(conn, person=Person(uid, name_of(ws, uid)), limit=500)
    want = {(c.task_id, c.text[:200]) for c in open_ones if c.assignee == uid}
    assert {(r[1], r[3].rstrip("…")) for r in mine.rows} == want
    assert mine.summary["comments"] == len(want) == mine.total_rows
    by = {c.task_id: name_of(ws, c.assigned_by) for c in open_ones  # type: ignore[arg-type]
          if c.assignee == uid}
    assert all(r[4] == by[r[1]] for r in mine.rows)
    scope = resolve_scope(conn, list_=multi_list(ws))
    scoped = assigned_comments(conn, scope)
    assert scoped.summary["comments"] == sum(in_scope(ws, ws.tasks[c.task_id], scope)
                                             for c in open_ones)  # type: ignore[index]


# -- empty answers and hostile arguments ------------------------------------------------------
def test_empty_windows_and_people_without_time(synced: tuple[Simulator, str],
                                               conn: psycopg.Connection) -> None:
    later = today(conn) + timedelta(days=30)
    empty = time_tracked(conn, group_by="week", since=later, until=later + timedelta(days=6))
    assert empty.rows == [] and empty.summary["total_hours"] == 0 and not empty.truncated
    with pytest.raises(AnalyticsError, match="in the future"):
        estimation_accuracy(conn, since=later)
    nobody = Person(999_999_999, "Nobody")
    assert time_tracked(conn, person=nobody).summary["entries"] == 0
    assert assigned_comments(conn, person=nobody).rows == []


HOSTILE: list[tuple[Any, dict[str, Any]]] = [
    (time_tracked, {"limit": 0}), (time_tracked, {"limit": -5}),
    (time_tracked, {"limit": True}), (time_tracked, {"limit": "50"}),
    (time_tracked, {"group_by": "person; DROP TABLE time_entries"}),
    (time_tracked, {"group_by": "month"}),
    (time_tracked, {"since": date(2025, 3, 2), "until": date(2025, 3, 1)}),
    (time_tracked, {"since": "2025-13-01"}), (time_tracked, {"since": "yesterday'--"}),
    (time_tracked, {"since": date(2020, 1, 1), "until": date(2025, 1, 1)}),
    (time_tracked, {"until": date.max}), (time_tracked, {"since": 20250101}),
    (time_tracked, {"person": 12}),
    (estimation_accuracy, {"group_by": "list"}), (estimation_accuracy, {"since": "soon"}),
    (untracked_tasks, {"status": "open') OR 1=1 --"}),
    (inactive_assignees, {"days": 0}), (inactive_assignees, {"days": -3}),
    (inactive_assignees, {"days": 10**9}), (inactive_assignees, {"days": "14"}),
    (workload, {"limit": 0}), (assigned_comments, {"person": 3.5}),
]


@pytest.mark.parametrize(("fn", "kwargs"), HOSTILE)
def test_hostile_arguments_are_refused(conn: psycopg.Connection, fn: Any,
                                       kwargs: dict[str, Any]) -> None:
    with pytest.raises(AnalyticsError):
        fn(conn, **kwargs)


def test_names_and_limits_that_look_like_sql(conn: psycopg.Connection) -> None:
    with pytest.raises(UnknownName):
        time_tracked(conn, person="Robert'); DROP TABLE employees; --")
    with pytest.raises(AnalyticsError):
        workload(conn, "space 1")  # type: ignore[arg-type]
    huge = time_tracked(conn, group_by="task", limit=10**9)
    assert len(huge.rows) <= 500
    ghost = Scope("list", "'; DROP TABLE lists; --", "a List that is not there")
    assert workload(conn, ghost).summary["open_tasks"] == 0
    assert conn.execute("SELECT count(*) FROM lists").fetchone()[0] > 0
