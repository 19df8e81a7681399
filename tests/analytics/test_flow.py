"""Flow metrics, checked three ways: against the simulator's own records (completions,
creation dates, today's statuses), against plain SQL over the history tables the simulator
does not keep (status history, snapshots), and on a hand-built database with known times."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest
from psycopg.types.json import Jsonb

from clickup_sync.analytics import WORKSPACE, AnalyticsError, Scope, resolve_scope
from clickup_sync.analytics.flow import burndown, cumulative_flow, progress_since, throughput
from clickup_sync.analytics.history import aging, bottlenecks, lead_cycle_time, time_in_status
from clickup_sync.simulator import Simulator
from clickup_sync.store import connect
from clickup_sync.store.snapshots import set_timezone
from tests.pg import fresh_database

DONE = ("done", "closed")
DAY_S = 86400


def _at(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _pct(values: list[float], p: float) -> float | None:
    """percentile_cont: linear interpolation between the sorted values."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * p
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def _close(got: Any, want: float | None, tol: float = 0.06) -> bool:
    return (got is None) == (want is None) and (want is None or abs(got - want) <= tol)


def _kind(sim: Simulator, task: Any) -> str:
    return sim.state.task_status(task).type


def _live(sim: Simulator) -> list[Any]:
    return [t for t in sim.workspace.tasks.values() if not t.archived]


def _rows(result: Any) -> list[dict[str, Any]]:
    return [dict(zip(result.columns, r, strict=True)) for r in result.rows]


# -- against the simulator ---------------------------------------------------------------------
def test_throughput_counts_completions_per_iso_week(synced: tuple[Simulator, str],
                                                    conn: psycopg.Connection) -> None:
    sim, _ = synced
    this_week = _monday(datetime.now(UTC).date())
    per_week: Counter[date] = Counter()
    for t in _live(sim):
        if _kind(sim, t) in DONE:
            per_week[_monday(_at(t.date_done or t.date_closed).date())] += 1
    weeks = [this_week - timedelta(weeks=k) for k in range(9, -1, -1)]
    result = throughput(conn, weeks=10)
    assert [(r["week_start"], r["completed"]) for r in _rows(result)] == \
        [(w.isoformat(), per_week[w]) for w in weeks]
    assert result.rows[-1][0] == f"{this_week.isocalendar()[0]}-W{this_week.isocalendar()[1]:02d}"
    last4 = sum(per_week[w] for w in weeks[-5:-1]) / 4
    prev4 = sum(per_week[w] for w in weeks[-9:-5]) / 4
    assert result.summary["last_4_weeks_average"] == last4
    assert result.summary["previous_4_weeks_average"] == prev4
    assert result.summary["completed"] == sum(per_week[w] for w in weeks)
    assert result.summary["this_week_so_far"] == per_week[this_week]
    short = throughput(conn, weeks=2, limit=1)  # the trend still looks 9 weeks back
    assert short.summary["last_4_weeks_average"] == last4
    assert short.rows == [result.rows[-1]] and short.total_rows == 2 and short.truncated


def test_lead_time_from_the_simulator_and_cycle_time_from_history(
        synced: tuple[Simulator, str], conn: psycopg.Connection) -> None:
    sim, _ = synced
    since = datetime.now(UTC).date() - timedelta(days=30)
    start = datetime.combine(since, time(), UTC)
    finished = {t.id: t for t in _live(sim) if _kind(sim, t) in DONE
                and _at(t.date_done or t.date_closed) >= start}
    lead = {i: ((t.date_done or t.date_closed) - t.date_created) / 1000 / DAY_S
            for i, t in finished.items()}
    started: dict[str, datetime] = dict(conn.execute(
        "SELECT task_id, min(changed_at) FROM task_status_history "
        "WHERE status_type = 'custom' GROUP BY task_id").fetchall())
    cycle = {}
    for i, t in finished.items():
        done_at = _at(t.date_done or t.date_closed)
        if i in started and started[i] <= done_at:
            cycle[i] = (done_at - started[i]).total_seconds() / DAY_S
    result = lead_cycle_time(conn, since=since, limit=500)
    assert result.summary["completed"] == len(finished) == result.total_rows
    assert result.summary["with_cycle_time"] == len(cycle) > 0
    rows = {r["task_id"]: r for r in _rows(result)}
    assert set(rows) == set(finished)
    for i, r in rows.items():
        assert _close(r["lead_days"], lead[i]) and _close(r["cycle_days"], cycle.get(i))
    assert _close(result.summary["lead_time_median_days"],
                  _pct([round(x, 1) for x in lead.values()], 0.5))
    assert _close(result.summary["cycle_time_p85_days"],
                  _pct([round(x, 1) for x in cycle.values()], 0.85))
    completed = [r["completed"] for r in _rows(result)]
    assert completed == sorted(completed, reverse=True)


def test_time_in_status_adds_up_the_history_rows(synced: tuple[Simulator, str],
                                                 conn: psycopg.Connection) -> None:
    sim, _ = synced
    space = next(s for s in sim.workspace.spaces.values() if not s.archived)
    since = datetime.now(UTC).date() - timedelta(days=20)
    start = datetime.combine(since, time(), UTC)
    history = conn.execute(
        """SELECT h.task_id, h.status, h.status_type, h.changed_at
             FROM task_status_history h JOIN clickup_tasks t ON t.id = h.task_id
            WHERE NOT t.is_deleted AND NOT t.archived AND t.space_id = %s
            ORDER BY h.task_id, h.changed_at, h.id""", (space.id,)).fetchall()
    now = datetime.now(UTC)
    seconds: Counter[str] = Counter()
    tasks: dict[str, set[str]] = defaultdict(set)
    stays: Counter[str] = Counter()
    for i, (task, status, kind, entered) in enumerate(history):
        nxt = history[i + 1] if i + 1 < len(history) else None
        left = nxt[3] if nxt and nxt[0] == task else now
        lo, hi = max(entered, start), min(left, now)
        if kind not in DONE and hi > lo:
            seconds[status] += (hi - lo).total_seconds()
            tasks[status].add(task)
            stays[status] += 1
    result = time_in_status(conn, resolve_scope(conn, space=space.id), since=since, limit=500)
    got = {r["status"]: r for r in _rows(result)}
    assert set(got) == set(seconds) and result.summary["statuses"] == len(seconds)
    for status, r in got.items():
        assert (r["tasks"], r["stays"]) == (len(tasks[status]), stays[status])
        assert _close(r["total_days"], seconds[status] / DAY_S, 0.1)
        assert _close(r["avg_days_per_task"], seconds[status] / DAY_S / len(tasks[status]), 0.1)


def test_aging_and_bottlenecks_match_open_tasks(synced: tuple[Simulator, str],
                                                conn: psycopg.Connection) -> None:
    sim, _ = synced
    open_tasks = {t.id: t for t in _live(sim) if _kind(sim, t) not in DONE}
    last: dict[str, datetime] = dict(conn.execute(
        "SELECT task_id, max(changed_at) FROM task_status_history GROUP BY task_id").fetchall())
    now = datetime.now(UTC)
    waited = {i: (now - last[i]).total_seconds() / DAY_S for i in open_tasks}
    result = aging(conn, limit=500)
    kinds = Counter(_kind(sim, t) for t in open_tasks.values())
    assert result.summary["open_tasks"] == len(open_tasks) == result.total_rows
    assert (result.summary["not_started"], result.summary["active"]) == \
        (kinds["open"], kinds["custom"])
    assert _close(result.summary["median_days_in_status"],
                  statistics.median(waited.values()), 0.1)
    rows = _rows(result)
    assert [r["days_in_status"] for r in rows] == \
        sorted((r["days_in_status"] for r in rows), reverse=True)
    for r in rows:
        t = open_tasks[r["task_id"]]
        assert r["status"] == t.status
        assert _close(r["days_in_status"], waited[t.id])
        assert _close(r["age_days"], (now - _at(t.date_created)).total_seconds() / DAY_S)

    blocked_words = ("block", "wait", "hold", "stuck", "paus", "pending", "imped", "depend")
    waiting: dict[tuple[str, str], list[float]] = defaultdict(list)
    for t in open_tasks.values():
        if _kind(sim, t) == "custom" or any(w in t.status.lower() for w in blocked_words):
            waiting[t.status, _kind(sim, t)].append(waited[t.id])
    necks = bottlenecks(conn, limit=500)
    got = {(r["status"], r["type"]): r for r in _rows(necks)}
    assert {k: r["tasks_waiting"] for k, r in got.items()} == \
        {k: len(v) for k, v in waiting.items()}
    for k, r in got.items():
        assert _close(r["median_days_waiting"], statistics.median(waiting[k]))
    scores = [r["score"] for r in _rows(necks)]
    assert scores == sorted(scores, reverse=True)
    assert necks.summary["worst_status"] == necks.rows[0][0]
    assert any(r["looks_blocked"] for r in got.values())


def test_cumulative_flow_today_matches_the_simulator_and_every_day_the_snapshots(
        synced: tuple[Simulator, str], conn: psycopg.Connection) -> None:
    sim, _ = synced
    result = cumulative_flow(conn, days=7)
    assert result.summary["days_with_snapshot"] == 7 == len(result.rows)
    today = _rows(result)[-1]
    kinds = Counter(_kind(sim, t) for t in _live(sim))
    assert (today["not_started"], today["active"], today["done"], today["closed"]) == \
        (kinds["open"], kinds["custom"], kinds["done"], kinds["closed"])
    assert today["total"] == len(_live(sim)) == result.summary["total_now"]
    by_day: dict[str, Counter[str]] = defaultdict(Counter)
    for day, kind, n in conn.execute(
            "SELECT snapshot_date, status_type, count(*) FROM task_snapshots "
            "WHERE NOT archived GROUP BY 1, 2").fetchall():
        by_day[day.isoformat()][kind] = n
    for r in _rows(result):
        want = by_day[r["date"]]
        assert (r["not_started"], r["active"], r["done"], r["closed"]) == \
            (want["open"], want["custom"], want["done"], want["closed"])
    # per status, in a Space small enough for a column per status
    space = next(s for s in sim.workspace.spaces.values() if not s.archived)
    in_space = [t for t in _live(sim) if sim.workspace.lists[t.list_id].space_id == space.id]
    flow = cumulative_flow(conn, resolve_scope(conn, space=space.id), days=1)
    statuses = {c.removeprefix("status:"): v for c, v in _rows(flow)[0].items()
                if c.startswith("status:")}
    want_status = Counter(t.status for t in in_space)
    if "other" in statuses:  # more statuses than columns: the big ones shown, the rest summed
        assert sum(statuses.values()) == len(in_space)
        statuses.pop("other")
    assert statuses == {s: want_status[s] for s in statuses}


def test_burndown_of_a_list_counts_its_extra_tasks_and_estimates(
        synced: tuple[Simulator, str], conn: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    homes = Counter(t.list_id for t in _live(sim))
    extra = Counter(x for t in _live(sim) for x in t.locations)
    lst = max(ws.lists, key=lambda i: (extra[i] > 0, homes[i] + extra[i], i))
    mine = [t for t in _live(sim) if t.list_id == lst or lst in t.locations]
    left = [t for t in mine if _kind(sim, t) not in DONE]
    result = burndown(conn, Scope("list", lst, "the list"), days=7)
    today = _rows(result)[-1]
    assert (today["total"], today["done"], today["remaining"]) == \
        (len(mine), len(mine) - len(left), len(left))
    hours = sum(t.time_estimate or 0 for t in left) / 3_600_000
    assert _close(today["remaining_estimate_hours"], hours, 0.05)
    sql = dict((d.isoformat(), (n, k)) for d, n, k in conn.execute(
        """SELECT snapshot_date, count(*), count(*) FILTER (WHERE status_type IN ('done', 'closed'))
             FROM task_snapshots WHERE NOT archived AND (list_id = %(l)s OR task_id IN
                  (SELECT task_id FROM task_locations WHERE list_id = %(l)s))
            GROUP BY 1""", {"l": lst}).fetchall())
    first_done = _rows(result)[0]["done"]
    for r in _rows(result):
        assert (r["total"], r["done"]) == sql[r["date"]]
        assert r["remaining"] == r["total"] - r["done"]
        assert r["done_in_window"] == r["done"] - first_done


def test_progress_since_counts_creations_completions_and_observed_changes(
        synced: tuple[Simulator, str], conn: psycopg.Connection) -> None:
    sim, _ = synced
    since = datetime.now(UTC).date() - timedelta(days=3)
    start = datetime.combine(since, time(), UTC)
    result = progress_since(conn, since=since, limit=500)
    created = [t for t in _live(sim) if _at(t.date_created) >= start]
    completed = {t.id for t in _live(sim) if _kind(sim, t) in DONE
                 and _at(t.date_done or t.date_closed) >= start}
    changes = conn.execute(
        """SELECT count(*), count(DISTINCT h.task_id) FROM task_status_history h
             JOIN clickup_tasks t ON t.id = h.task_id
            WHERE h.changed_at >= %s AND h.previous_status IS NOT NULL
              AND NOT t.is_deleted AND NOT t.archived""", (start,)).fetchone()
    assert result.summary["created"] == len(created)
    assert result.summary["completed"] == len(completed)
    assert (result.summary["status_changes"], result.summary["tasks_moved"]) == changes
    assert changes[0] > 0
    rows = _rows(result)
    assert {r["task_id"] for r in rows if r["event"] == "completed"} == completed
    assert all(r["status_now"] == sim.workspace.tasks[r["task_id"]].status for r in rows)


# -- a hand-built database with known times ----------------------------------------------------
@pytest.fixture(scope="module")
def handmade() -> Iterator[tuple[str, datetime]]:
    """(dsn, base): a few tasks whose history starts at ``base``, midnight UTC 10 days ago."""
    base = datetime.combine(datetime.now(UTC).date() - timedelta(days=10), time(), UTC)

    def at(days: float) -> datetime:
        return base + timedelta(days=days)

    # id: (status, type, created, done, archived, deleted, [(status, type, days)])
    tasks: dict[str, tuple[Any, ...]] = {
        "A": ("done", "done", 0, 4.5, False, False,
              [("to do", "open", 0), ("in progress", "custom", 1), ("review", "custom", 3),
               ("done", "done", 4.5)]),
        "B": ("done", "done", 1, 2, False, False, [("to do", "open", 1), ("done", "done", 2)]),
        "C": ("in progress", "custom", 0, None, False, False,
              [("to do", "open", 0), ("in progress", "custom", 2), ("done", "done", 3),
               ("in progress", "custom", 5)]),
        "F": ("blocked", "custom", 4, None, False, False,
              [("to do", "open", 4), ("blocked", "custom", 6)]),
        "D": ("in progress", "custom", 0, None, True, False,
              [("to do", "open", 0), ("in progress", "custom", 1)]),
        "E": ("done", "done", 0, 1, False, True, [("to do", "open", 0), ("done", "done", 1)]),
    }
    with fresh_database(migrated=True) as dsn:
        with connect(dsn, autocommit=True) as c:
            c.execute("INSERT INTO employees (clickup_user_id, name, raw) "
                      "VALUES (1, 'Ann', '{}'), (2, 'Bo', '{}')")
            for tid, (status, kind, made, done, archived, deleted, history) in tasks.items():
                c.execute(
                    """INSERT INTO clickup_tasks (id, name, status, status_type, list_id,
                              space_id, date_created, date_updated, date_done, archived,
                              is_deleted, raw)
                       VALUES (%s, %s, %s, %s, 'L1', 'S1', %s, %s, %s, %s, %s, '{}')""",
                    (tid, f"Task {tid}", status, kind, at(made), at(history[-1][2]),
                     None if done is None else at(done), archived, deleted))
                previous = None
                for name, typ, days in history:
                    c.execute("INSERT INTO task_status_history (task_id, status, status_type, "
                              "previous_status, changed_at) VALUES (%s, %s, %s, %s, %s)",
                              (tid, name, typ, previous, at(days)))
                    previous = name
            c.execute("INSERT INTO task_assignees VALUES ('A', 1), ('C', 1), ('C', 2)")
            c.execute("INSERT INTO task_locations VALUES ('X', 'L1')")
            today = base.date() + timedelta(days=10)
            # snapshots: none 3 days ago; X lives in L2 but is also in L1
            snaps: list[tuple[Any, ...]] = [(2, "A", "review", "custom", "L1", False, 60),
                     (2, "C", "to do", "open", "L1", False, 120),
                     (2, "D", "to do", "open", "L1", True, 600),
                     (1, "A", "done", "done", "L1", False, 60),
                     (1, "C", "in progress", "custom", "L1", False, "abc"),
                     (1, "X", "to do", "open", "L2", False, 30),
                     (0, "A", "done", "done", "L1", False, 60),
                     (0, "C", "in progress", "custom", "L1", False, 90),
                     (0, "F", "blocked", "custom", "L1", False, None),
                     (0, "X", "closed", "closed", "L2", False, 30)]
            for back, tid, status, kind, lst, archived, minutes in snaps:
                c.execute("INSERT INTO task_snapshots (snapshot_date, task_id, status, "
                          "status_type, list_id, space_id, archived, data) "
                          "VALUES (%s, %s, %s, %s, %s, 'S1', %s, %s)",
                          (today - timedelta(days=back), tid, status, kind, lst, archived,
                           Jsonb({"time_estimate_minutes": minutes})))
        yield dsn, base


@pytest.fixture()
def hand(handmade: tuple[str, datetime]) -> Iterator[tuple[psycopg.Connection, datetime]]:
    with connect(handmade[0], autocommit=True) as c:
        set_timezone(c, "UTC")
        yield c, handmade[1]


def _days_since(moment: datetime) -> float:
    return (datetime.now(UTC) - moment).total_seconds() / DAY_S


def test_handmade_lead_and_cycle_time(hand: tuple[psycopg.Connection, datetime]) -> None:
    c, base = hand
    result = lead_cycle_time(c, since=base.date())
    assert [(r["task_id"], r["lead_days"], r["cycle_days"]) for r in _rows(result)] == \
        [("A", 4.5, 3.5), ("B", 1.0, None)]
    assert _rows(result)[0]["started"] == (base + timedelta(days=1)).date().isoformat()
    s = result.summary
    assert (s["completed"], s["with_cycle_time"], s["never_seen_active"]) == (2, 1, 1)
    assert (s["lead_time_median_days"], s["cycle_time_median_days"]) == (2.8, 3.5)
    assert any("never seen in an active status" in n for n in result.notes)


def test_handmade_time_in_status_whole_and_cut(hand: tuple[psycopg.Connection, datetime]) -> None:
    c, base = hand
    c_now = _days_since(base + timedelta(days=5))  # C back in progress since day 5
    got = {r["status"]: r for r in _rows(time_in_status(c, since=base.date()))}
    assert set(got) == {"to do", "in progress", "review", "blocked"}  # done left out
    assert (got["to do"]["tasks"], got["to do"]["stays"], got["to do"]["total_days"],
            got["to do"]["avg_days_per_task"]) == (4, 4, 6.0, 1.5)
    assert (got["in progress"]["tasks"], got["in progress"]["stays"]) == (2, 3)
    assert _close(got["in progress"]["total_days"], 2 + 1 + c_now)
    assert got["review"]["total_days"] == 1.5
    assert _close(got["blocked"]["total_days"], _days_since(base + timedelta(days=6)))
    cut = {r["status"]: r for r in _rows(time_in_status(c, since=base.date() + timedelta(2)))}
    assert (cut["to do"]["tasks"], cut["to do"]["total_days"]) == (1, 2.0)  # only F's
    assert (cut["in progress"]["tasks"], cut["in progress"]["stays"]) == (2, 3)
    assert _close(cut["in progress"]["total_days"], 1 + 1 + c_now)  # A cut at day 2


def test_handmade_aging_bottlenecks_and_progress(
        hand: tuple[psycopg.Connection, datetime]) -> None:
    c, base = hand
    rows = _rows(aging(c))
    assert [(r["task_id"], r["status"], r["assignees"]) for r in rows] == \
        [("C", "in progress", "Ann, Bo"), ("F", "blocked", None)]
    assert _close(rows[0]["days_in_status"], _days_since(base + timedelta(days=5)))
    assert _close(rows[0]["age_days"], _days_since(base))
    assert _close(rows[1]["days_in_status"], _days_since(base + timedelta(days=6)))
    necks = bottlenecks(c)
    assert [(r[0], r[2], r[6]) for r in necks.rows] == \
        [("in progress", 1, False), ("blocked", 1, True)]
    assert necks.summary["worst_status"] == "in progress"
    assert necks.summary["in_blocked_looking_statuses"] == 1
    progress = progress_since(c, since=base.date() + timedelta(days=1))
    assert progress.summary == {"since": (base.date() + timedelta(days=1)).isoformat(),
                                "created": 2, "completed": 2, "status_changes": 8,
                                "tasks_moved": 4, "reopened": 1}
    assert [(r["task_id"], r["event"], r["status_changes"]) for r in _rows(progress)] == \
        [("F", "moved", 1), ("C", "reopened", 3), ("A", "completed", 3), ("B", "completed", 1)]


def test_handmade_snapshots_burndown_and_flow(hand: tuple[psycopg.Connection, datetime]) -> None:
    c, base = hand
    today = base.date() + timedelta(days=10)
    day = [(today - timedelta(days=k)).isoformat() for k in (2, 1, 0)]
    result = burndown(c, Scope("list", "L1", "list L1"), days=4)
    assert result.rows == [[day[0], 2, 0, 2, 0, 3.0],    # D archived: left out
                           [day[1], 3, 1, 2, 1, 0.5],    # X via its extra List; "abc" ignored
                           [day[2], 4, 2, 2, 2, 1.5]]    # F has no estimate
    assert result.summary["days_with_snapshot"] == 3
    assert result.summary["scope_change"] == 2
    assert result.summary["days_to_finish_at_this_pace"] is None
    assert burndown(c, Scope("list", "L2", "list L2"), days=4).rows == \
        [[day[1], 1, 0, 1, 0, 0.5], [day[2], 1, 1, 0, 1, None]]
    flow = cumulative_flow(c, days=4)
    assert flow.columns[:6] == ["date", "not_started", "active", "done", "closed", "total"]
    assert [r[:6] for r in flow.rows] == [[day[0], 1, 1, 0, 0, 2], [day[1], 1, 1, 1, 0, 3],
                                          [day[2], 0, 2, 1, 1, 4]]
    assert flow.summary["days_without_snapshot"] == 1
    assert dict(zip(flow.columns, flow.rows[-1], strict=True))["status:blocked"] == 1


def test_handmade_weeks_follow_the_configured_timezone(
        hand: tuple[psycopg.Connection, datetime]) -> None:
    c, _ = hand
    monday = _monday(datetime.now(UTC).date())
    late_sunday = datetime.combine(monday, time(), UTC) - timedelta(hours=2)
    c.execute("UPDATE clickup_tasks SET date_done = %s WHERE id = 'B'", (late_sunday,))
    try:
        for tz in ("UTC", "Asia/Tokyo", "America/Los_Angeles"):
            set_timezone(c, tz)
            want: Counter[str] = Counter()
            for (done,) in c.execute("SELECT date_done FROM clickup_tasks WHERE status_type "
                                     "= 'done' AND NOT is_deleted AND NOT archived"):
                want[_monday(done.astimezone(ZoneInfo(tz)).date()).isoformat()] += 1
            got = {r["week_start"]: r["completed"] for r in _rows(throughput(c, weeks=4))}
            assert {w: n for w, n in got.items() if n} == dict(want), tz
    finally:
        c.execute("UPDATE clickup_tasks SET date_done = %s WHERE id = 'B'",
                  (datetime.combine(datetime.now(UTC).date() - timedelta(days=8), time(), UTC),))
        set_timezone(c, "UTC")


# -- arguments ---------------------------------------------------------------------------------
HOSTILE = "'; DROP TABLE clickup_tasks; --"


@pytest.mark.parametrize(("call", "match"), [
    (lambda c: throughput(c, weeks=0), "weeks"),
    (lambda c: throughput(c, weeks=10**9), "weeks"),
    (lambda c: throughput(c, weeks="8"), "weeks"),  # type: ignore[arg-type]
    (lambda c: throughput(c, weeks=True), "weeks"),
    (lambda c: cumulative_flow(c, days=-1), "days"),
    (lambda c: burndown(c, WORKSPACE, days=367), "days"),
    (lambda c: lead_cycle_time(c, since=HOSTILE), "since"),  # type: ignore[arg-type]
    (lambda c: time_in_status(c, since="2026-02-30"), "since"),  # type: ignore[arg-type]
    (lambda c: progress_since(c, since=date(9999, 1, 1)), "future"),
    (lambda c: progress_since(c, since=None), "required"),  # type: ignore[arg-type]
    (lambda c: aging(c, limit=0), "limit"),
    (lambda c: bottlenecks(c, limit="5; DROP"), "limit"),  # type: ignore[arg-type]
])
def test_bad_arguments_are_analytics_errors(hand: tuple[psycopg.Connection, datetime],
                                            call: Any, match: str) -> None:
    with pytest.raises(AnalyticsError, match=match):
        call(hand[0])


def test_hostile_scope_ids_are_only_data(hand: tuple[psycopg.Connection, datetime]) -> None:
    c, _ = hand
    for kind in ("space", "folder", "list"):
        scope = Scope(kind, HOSTILE, "x")  # type: ignore[arg-type]
        assert throughput(c, scope).summary["completed"] == 0
        for metric in (lead_cycle_time, time_in_status, aging, bottlenecks, cumulative_flow,
                       burndown):
            assert metric(c, scope).rows == []
        assert progress_since(c, scope, since=date(2020, 1, 1)).summary["created"] == 0
    assert c.execute("SELECT count(*) FROM clickup_tasks").fetchone() == (6,)
    big = aging(c, limit=10**9)  # capped at 500, not refused
    assert big.total_rows == 2


# -- task_first_active (migration 0013), kept by triggers --------------------------------------
_FIRST_ACTIVE = """SELECT task_id, min(changed_at) FROM task_status_history
                    WHERE status_type = 'custom' GROUP BY task_id ORDER BY 1"""


def _first_active(c: psycopg.Connection) -> list[tuple[Any, ...]]:
    return c.execute("SELECT task_id, at FROM task_first_active ORDER BY 1").fetchall()


def test_first_active_equals_the_history_after_repeated_syncs(
        conn: psycopg.Connection) -> None:
    assert _first_active(conn) == conn.execute(_FIRST_ACTIVE).fetchall()
    assert _first_active(conn)  # the synced workspace has tasks seen active


def test_first_active_follows_inserts_updates_deletions_and_truncation() -> None:
    with fresh_database(migrated=True) as dsn, connect(dsn, autocommit=True) as c:
        def add(rows: list[tuple[str, str, str, int]]) -> None:
            with c.cursor() as cur:
                cur.executemany(
                    "INSERT INTO task_status_history (task_id, status, status_type, "
                    "changed_at) VALUES (%s, %s, %s, now() - %s * interval '1 day')", rows)
                # a statement that inserts nothing fires the trigger too
                c.execute("INSERT INTO task_status_history (task_id, status, status_type, "
                          "changed_at) SELECT task_id, status, status_type, changed_at "
                          "FROM task_status_history WHERE false")

        def check() -> list[tuple[Any, ...]]:
            found = _first_active(c)
            assert found == c.execute(_FIRST_ACTIVE).fetchall()
            return found

        c.execute("""INSERT INTO task_status_history (task_id, status, status_type,
                                changed_at)
                         VALUES ('A', 'doing', 'custom', now() - interval '5 days'),
                                ('A', 'review', 'custom', now() - interval '3 days'),
                                ('B', 'to do', 'open', now() - interval '4 days'),
                                ('C', 'doing', 'custom', now() - interval '2 days')""")
        assert [r[0] for r in check()] == ["A", "C"]
        add([("A", "doing", "custom", 9), ("B", "doing", "custom", 1),
             ("C", "doing", "custom", 1)])  # earlier for A, first for B, later for C
        assert [r[0] for r in check()] == ["A", "B", "C"]
        c.execute("UPDATE task_status_history SET status_type = 'open' "
                  "WHERE task_id = 'A' AND changed_at < now() - interval '8 days'")
        check()
        c.execute("UPDATE task_status_history SET task_id = 'D' WHERE task_id = 'C'")
        assert [r[0] for r in check()] == ["A", "B", "D"]
        c.execute("DELETE FROM task_status_history WHERE task_id = 'B'")
        assert [r[0] for r in check()] == ["A", "D"]
        c.execute("DELETE FROM task_status_history WHERE task_id = 'A' "
                  "AND status = 'review'")
        check()
        c.execute("TRUNCATE task_status_history")
        assert check() == []
