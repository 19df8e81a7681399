"""Recurring reports: the daily standup and the weekly digest.

Days and weeks are calendar days and ISO weeks (Monday first) in the configured timezone.
Completed means a status of type done or closed now, dated by date_done (else date_closed);
time counts by the day its interval started; a task with several assignees counts for each.
Definitions are in docs/metrics/risk-and-reports.md.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import psycopg

from clickup_sync.store.snapshots import local_today

from ._args import check_limit, check_scope
from ._risk_base import (
    DONE_AT,
    between,
    blocked_ctes,
    check_date,
    finished_task,
    local_date,
    open_task,
    params,
    person_name,
    scope_first,
    span,
)
from .result import Result
from .risk import blockers
from .scope import WORKSPACE, AnalyticsError, Scope
from .time import ENTRY_MS, reads
from .workload import OPEN_WORK_LEVEL

Tally = dict[int | None, tuple[Any, list[str]]]
"""Per user id (None: nobody / unassigned) an amount and a few task names."""
TOTAL = -1  # key of the grand total in a `Tally`


def _tally(conn: psycopg.Connection, args: dict[str, Any], *, source: str, who: str,
           amount: str, names: str | None = None) -> Tally:
    """Run ``SELECT amount, names source`` per ``who`` and in total (key `TOTAL`)."""
    rows = conn.execute(
        f"""SELECT GROUPING({who}) = 1, {who}, {amount}, ({names or 'NULL::text[]'})[1:3]
             {source} GROUP BY GROUPING SETS (({who}), ())""", args).fetchall()
    return {TOTAL if total else user: (value, list(found or [])) for total, user, value, found
            in rows}


def _by_assignee(conn: psycopg.Connection, args: dict[str, Any], base: str,
                 ctes: str = "") -> Tally:
    """Count the tasks of ``base`` (columns id, name, recency) per assignee, with the
    three most recent names; also in total (`TOTAL`) and unassigned (None)."""
    rows = conn.execute(
        f"""WITH {ctes + ',' if ctes else ''}
                 base AS MATERIALIZED ({base}),
                 pairs AS (SELECT a.user_id, base.name,
                                  row_number() OVER (PARTITION BY a.user_id
                                                     ORDER BY base.recency DESC, base.id) AS n
                             FROM base LEFT JOIN LATERAL (
                                  -- probed per task by key: a hash of every assignment
                                  -- would read the whole table for a few thousand tasks
                                  SELECT a.user_id FROM task_assignees a
                                   WHERE a.task_id = base.id OFFSET 0) a ON true)
            SELECT user_id, max(n), array_agg(name ORDER BY n) FILTER (WHERE n <= 3)
              FROM pairs GROUP BY user_id
            UNION ALL
            SELECT %(total_key)s, count(*), NULL FROM base""",
        {**args, "total_key": TOTAL}).fetchall()
    return {user: (value, list(found or [])) for user, value, found in rows}


def live_task(ref: str, *, probe: bool = True) -> str:
    """Join the live, unarchived task ``t`` of a time entry or comment (``ref``: its task id).

    ``probe`` reads each one by key: a day's entries are a couple of thousand, and a hash of
    a Space's tasks reads 25k rows; a week's entries outnumber them, and the hash wins.
    """
    if not probe:
        return f"LEFT JOIN clickup_tasks t ON t.id = {ref} AND NOT t.is_deleted AND NOT t.archived"
    return f"""LEFT JOIN LATERAL (
                  SELECT t.id, t.name, t.list_id, t.folder_id, t.space_id FROM clickup_tasks t
                   WHERE t.id = {ref} AND NOT t.is_deleted AND NOT t.archived OFFSET 0) t
                ON true"""


def entry_scope(scope: Scope, task_ref: str) -> str:
    """Condition on time entries or comments (``t``: their task, joined by `live_task`).

    As `time_tracked` counts: those on live, unarchived tasks in scope, and in the
    Workspace also those on no task (``task_ref`` IS NULL: meetings, List comments).
    """
    no_task = f"OR {task_ref} IS NULL" if scope.kind == "workspace" else ""
    return f"((t.id IS NOT NULL AND {scope.condition()}) {no_task})"


WORKSPACE_COUNTED = """(e.task_id IS NULL
    OR NOT EXISTS (SELECT FROM time_task_states s WHERE s.task_id = e.task_id
                          AND s.state <> 'deleted'))"""
"""Condition on an interval ``e`` the Workspace counts, as `time_tracked` does: on no task,
a live task or a deleted one (as on no task), not on an archived or unknown task. Those
few tasks with time that are not live are kept by the database (migration 0031's
``time_task_states``), so no interval is met with a hash of every task (~100k ids)."""


def counted_entries(scope: Scope) -> str:
    """Condition on an interval ``e`` (its task ``t`` joined by `live_task` outside the
    Workspace) that `hours_by_person` counts in ``scope``."""
    return WORKSPACE_COUNTED if scope.kind == "workspace" else entry_scope(scope, "e.task_id")


def hours_by_person(conn: psycopg.Connection, scope: Scope, days: dict[str, Any], *,
                    names: bool = True) -> Tally:
    """Hours of intervals started in the `span` ``days``, per person (a running
    timer counts up to now, as in `time_tracked`), with the tasks worked on.

    As `time_tracked` counts them, the Workspace also counts the intervals on no task and,
    as ClickUp keeps them, those on a deleted task (as time on no task: no name shown)."""
    counted = counted_entries(scope)
    one_day = days["end"] - days["start"] <= timedelta(days=1)
    joined = live_task("e.task_id", probe=one_day) if names or scope.kind != "workspace" else ""
    return _tally(
        conn, {**scope.params, **days}, who="e.user_id",
        amount=f"round(coalesce(sum({ENTRY_MS}), 0) / 3600000.0, 2)",
        names="array_agg(DISTINCT t.name ORDER BY t.name) FILTER (WHERE t.name IS NOT NULL)"
        if names else None,
        source=f"""FROM time_entries e {joined}
                   WHERE NOT e.is_deleted AND {between('e.start_at')} AND {counted}""")


def comments_by_person(conn: psycopg.Connection, scope: Scope, days: dict[str, Any]) -> Tally:
    """Comments written in the `span` ``days``, per author and in total."""
    return _tally(
        conn, {**scope.params, **days}, who="c.user_id", amount="count(*)",
        source=f"""FROM comments c {live_task('c.task_id')}
                   WHERE NOT c.is_deleted AND {between('c.date')}
                     AND {entry_scope(scope, 'c.task_id')}""")


def completed_by_person(conn: psycopg.Connection, scope: Scope,
                        days: dict[str, Any]) -> Tally:
    """Tasks completed in the `span` ``days``, per assignee and in total."""
    return _by_assignee(
        conn, {**scope.params, **days},
        f"""SELECT t.id, t.name, {DONE_AT} AS recency FROM clickup_tasks t
             WHERE {finished_task()} AND {scope.condition()} AND {between(DONE_AT)}""")


def open_by_person(conn: psycopg.Connection, scope: Scope, condition: str) -> Tally:
    """Open tasks in scope passing ``condition``, per assignee and in total."""
    return open_by_person_each(conn, scope, [condition])[0]


def open_by_person_each(conn: psycopg.Connection, scope: Scope,
                        conditions: list[str]) -> list[Tally]:
    """`open_by_person` for each of ``conditions`` (on ``t``: its status_type, due_date…),
    in one pass over the open work the database keeps per task and assignee (migration
    0021: one row per pair, user 0 for nobody, ``first`` once per task), so no assignee is
    probed; task names are read last, for the three shown per person."""
    hits = ", ".join(f"coalesce({c}, false)" for c in conditions)
    rows = conn.execute(
        f"""WITH base AS MATERIALIZED (
                SELECT t.id, nullif(t.user_id, 0) AS user_id, t.first,
                       t.date_updated AS recency, ARRAY[{hits}] AS hit
                  FROM open_assignments t
                 WHERE {scope.condition()} AND ({' OR '.join(f'({c})' for c in conditions)})),
            ranked AS (SELECT k.kind, o.user_id, o.id,
                              row_number() OVER (PARTITION BY k.kind, o.user_id
                                                 ORDER BY o.recency DESC, o.id) AS n
                         FROM base o, generate_subscripts(o.hit, 1) AS k(kind)
                        WHERE o.hit[k.kind]),
            per AS (SELECT kind, user_id, max(n) AS n,
                           array_agg(id ORDER BY n) FILTER (WHERE n <= 3) AS ids
                      FROM ranked GROUP BY kind, user_id)
            SELECT per.kind, per.user_id, per.n,
                   ARRAY(SELECT t.name FROM unnest(per.ids) WITH ORDINALITY AS u(id, i)
                           JOIN clickup_tasks t ON t.id = u.id ORDER BY u.i)
              FROM per
            UNION ALL
            SELECT k.kind, %(total_key)s, count(base.id), NULL
              FROM generate_series(1, %(kinds)s) AS k(kind)
              LEFT JOIN base ON base.hit[k.kind] AND base.first GROUP BY k.kind""",
        params(scope, total_key=TOTAL, kinds=len(conditions))).fetchall()
    tallies: list[Tally] = [{} for _ in conditions]
    for kind, user, value, found in rows:
        tallies[kind - 1][user] = (value, list(found or []))
    return tallies


DOING_NAMES = """ARRAY(SELECT t.name FROM (
        SELECT o.id, o.date_updated FROM open_assignments o
         WHERE o.user_id = {user} AND o.status_type = 'custom' AND {scope}
         ORDER BY o.date_updated DESC, o.id LIMIT 3) o
        JOIN clickup_tasks t ON t.id = o.id ORDER BY o.date_updated DESC, o.id)"""
"""The three in-progress tasks of ``{user}`` in ``{scope}`` (on ``o``) updated last, by
migration 0030's index: a few entries of one person's, not a ranking of every open task."""


def doing_and_late(conn: psycopg.Connection, scope: Scope) -> tuple[Tally, Tally]:
    """`open_by_person` of the in-progress (status type custom) and the overdue (due before
    now) open tasks in ``scope``, names only for the in-progress ones (the standup shows
    no overdue names).

    A Space, a Folder or the Workspace is counted from the open work the database keeps
    per person (migration 0021's ``open_work_counts``, as `workload` reads it: whole UTC
    weeks of due dates before the current one, this week's tasks one by one), and only
    the three names each person shows are read; a List (its tasks may live in other Lists
    too, which the counts do not know) is ranked from its open tasks as before."""
    if scope.kind == "list":
        doing, late = open_by_person_each(conn, scope,
                                          ["t.status_type = 'custom'", "t.due_date < now()"])
        return doing, {user: (n, []) for user, (n, _) in late.items()}
    rows = conn.execute(
        f"""WITH c AS (
                SELECT c.user_id, coalesce(sum(c.tasks) FILTER (WHERE c.doing), 0) AS doing,
                       coalesce(sum(c.tasks) FILTER (WHERE c.due_week < w.week0), 0) AS late
                  FROM open_work_counts c,
                       (SELECT date_trunc('week', now() AT TIME ZONE 'UTC')::date AS week0) w
                 WHERE {OPEN_WORK_LEVEL[scope.kind]} GROUP BY c.user_id),
            e AS (  -- due this UTC week, before now: overdue one by one
                SELECT u.user_id, count(*) AS late
                  FROM open_assignments o,
                       unnest(CASE WHEN o.first THEN ARRAY[o.user_id, -1]
                                   ELSE ARRAY[o.user_id] END) AS u(user_id)
                 WHERE o.due_date >= date_trunc('week', now() AT TIME ZONE 'UTC')
                                     AT TIME ZONE 'UTC'
                   AND o.due_date < now() AND {scope.condition('o')}
                 GROUP BY u.user_id),
            n AS (SELECT c.user_id, c.doing::bigint AS doing,
                         (c.late + coalesce(e.late, 0))::bigint AS late
                    FROM c LEFT JOIN e ON e.user_id = c.user_id)
            SELECT n.user_id, n.doing, n.late,
                   CASE WHEN n.doing > 0 AND n.user_id > 0
                        THEN {DOING_NAMES.format(user="n.user_id",
                                                 scope=scope.condition("o"))} END
              FROM n""", scope.params).fetchall()
    doing: Tally = {}
    late: Tally = {}
    for user, n_doing, n_late, names in rows:
        key = TOTAL if user == TOTAL else (user or None)
        if n_doing or key == TOTAL:
            doing[key] = (n_doing, list(names or []))
        if n_late or key == TOTAL:
            late[key] = (n_late, [])
    return doing, late


def blocked_by_person(conn: psycopg.Connection, scope: Scope) -> Tally:
    """Blocked tasks (as `blockers`), per assignee and in total."""
    return _by_assignee(conn, params(scope), "SELECT id, name, date_updated AS recency FROM b",
                        ctes=blocked_ctes(scope, first=scope_first(conn, scope)))


def people(conn: psycopg.Connection) -> dict[int, str]:
    """Every known person's display name by ClickUp user id."""
    return {r[0]: r[1] for r in conn.execute(
        f"SELECT clickup_user_id, {person_name('e', 'e.clickup_user_id')} FROM employees e")}


def total(tally: Tally) -> Any:
    return tally.get(TOTAL, (0, []))[0]


def _names(label: str, tally: Tally, user: int) -> str | None:
    n, names = tally.get(user, (0, []))
    if not n:
        return None
    more = f" +{n - len(names)}" if isinstance(n, int) and n > len(names) else ""
    return f"{label}: {', '.join(names)}{more}"


@reads
def daily_standup(conn: psycopg.Connection, scope: Scope = WORKSPACE, *, limit: int = 50,
                  day: date | None = None) -> Result:
    """Tell per person what they completed yesterday, what is in progress, what is stuck."""
    scope, limit = check_scope(scope), check_limit(limit)
    today = local_today(conn)
    day = check_date(day, "day") or today - timedelta(days=1)
    if day > today:
        raise AnalyticsError(f"day ({day}) is in the future; today is {today}")
    days = span(conn, day, day + timedelta(days=1))
    done = completed_by_person(conn, scope, days)
    hours = hours_by_person(conn, scope, days)
    said = comments_by_person(conn, scope, days)
    doing, late = doing_and_late(conn, scope)
    stuck = blocked_by_person(conn, scope)
    names = people(conn)
    users = {u for tally in (done, hours, said, doing, late, stuck) for u in tally
             if u not in (TOTAL, None)}
    rows = []
    for user in sorted(users, key=lambda u: (names.get(u, str(u)).casefold(), u)):
        parts = [_names("done", done, user), _names("worked on", hours, user),
                 _names("doing", doing, user), _names("blocked", stuck, user)]
        rows.append((names.get(user, str(user)), done.get(user, (0,))[0],
                     hours.get(user, (0,))[0], said.get(user, (0,))[0],
                     doing.get(user, (0,))[0], late.get(user, (0,))[0],
                     stuck.get(user, (0,))[0], "; ".join(p for p in parts if p)))
    label = f"yesterday ({day})" if day == today - timedelta(days=1) else str(day)
    return Result.table(
        f"Standup for {label} in {scope.label}",
        ["person", "completed", "hours", "comments", "in_progress", "overdue", "blocked",
         "highlights"], rows, limit=limit,
        summary={"day": day, "people": len(rows), "completed": total(done),
                 "hours_tracked": total(hours), "comments": total(said),
                 "in_progress_now": total(doing), "overdue_now": total(late),
                 "blocked_now": total(stuck)},
        notes=[f"completed, hours and comments are of {day} (local calendar day); "
               "in progress, overdue and blocked are as of now",
               "totals count each task once (unassigned ones too); a person's row counts "
               "the tasks assigned to them; hours = time intervals started that day (a "
               "running timer up to now)"])


def week_bounds(conn: psycopg.Connection, week: date | str | None) -> tuple[date, date, date]:
    """(Monday, next Monday, today) of the ISO week holding ``week`` (None: last full week)."""
    today = local_today(conn)
    this_monday = today - timedelta(days=today.weekday())
    day = check_date(week, "week") or this_monday - timedelta(days=7)
    monday = day - timedelta(days=day.weekday())
    if monday > this_monday:
        raise AnalyticsError(f"week {monday:%G-W%V} is in the future; this week is "
                             f"{this_monday:%G-W%V}")
    return monday, monday + timedelta(days=7), today


def overdue_at(conn: psycopg.Connection, scope: Scope, end: date,
               limit: int) -> tuple[int, list[tuple[Any, ...]]]:
    """Tasks that were open and past due at local midnight ``end``: count, oldest first.

    Those still open now, and those completed since; a completed task without a completion
    date counts as completed before.
    """
    cutoff = "%(end_at)s"
    rows = conn.execute(
        f"""WITH late AS MATERIALIZED (
                SELECT t.id, t.due_date FROM clickup_tasks t
                 WHERE {open_task()} AND {scope.condition()}
                   AND t.due_date < {cutoff} AND t.date_created < {cutoff}
                UNION ALL
                -- completed since: found by completion time (a week's worth) before the
                -- scope is tested, not by reading the scope's every task
                SELECT t.id, t.due_date FROM (
                       SELECT t.id, t.list_id, t.folder_id, t.space_id, t.due_date,
                              t.date_created
                         FROM clickup_tasks t
                        WHERE {finished_task()} AND {DONE_AT} >= {cutoff} OFFSET 0) t
                 WHERE {scope.condition()} AND t.due_date < {cutoff}
                   AND t.date_created < {cutoff})
            SELECT p.id, t.name, %(end)s::date - 1 - {local_date('p.due_date')}, p.total
              FROM (SELECT late.*, count(*) OVER () AS total FROM late
                     ORDER BY late.due_date, late.id LIMIT %(limit)s) p
              JOIN clickup_tasks t ON t.id = p.id
             ORDER BY p.due_date, p.id""",
        {**scope.params, **span(conn, end, end), "limit": limit}).fetchall()
    return (rows[0][3] if rows else 0), [r[:3] for r in rows]


def week_numbers(conn: psycopg.Connection, scope: Scope, start: date) -> dict[str, Any]:
    """The counts of the ISO week starting ``start``: created, plus the `Tally` of tasks
    completed, hours tracked and comments written (as weekly_digest reports them)."""
    days = span(conn, start, start + timedelta(days=7))
    created = conn.execute(
        f"""SELECT count(*) FROM clickup_tasks t
             WHERE NOT t.is_deleted AND NOT t.archived AND {scope.condition()}
               AND {between('t.date_created')}""", {**scope.params, **days}).fetchone()
    return {"span": days, "created": created[0] if created else 0,
            "done": completed_by_person(conn, scope, days),
            "hours": hours_by_person(conn, scope, days, names=False),
            "comments": comments_by_person(conn, scope, days)}


def hours_by_person_each(conn: psycopg.Connection, scope: Scope,
                         spans: list[dict[str, Any]]) -> list[Tally]:
    """`hours_by_person` (no names) of each of the consecutive periods ``spans`` (each a
    `span`), in one pass over their intervals: the weekly report's two weeks read their
    ~45k intervals once, not each week's apart."""
    counted = counted_entries(scope)
    joined = live_task("e.task_id", probe=False) if scope.kind != "workspace" else ""
    cuts = {f"cut{i}": s["start_at"] for i, s in enumerate(spans)}
    period = " + ".join(f"(e.start_at >= %(cut{i})s)::int" for i in range(1, len(spans))) or "0"
    rows = conn.execute(
        f"""SELECT {period} AS period, GROUPING(e.user_id) = 1, e.user_id,
                   round(coalesce(sum({ENTRY_MS}), 0) / 3600000.0, 2)
              FROM time_entries e {joined}
             WHERE NOT e.is_deleted AND e.start_at >= %(cut0)s AND e.start_at < %(end_at)s
               AND {counted}
             GROUP BY GROUPING SETS ((1, e.user_id), (1))""",
        {**scope.params, **cuts, "end_at": spans[-1]["end_at"]}).fetchall()
    # hours_by_person's total row comes from its empty grouping set, 0.00 when no interval
    tallies: list[Tally] = [{TOTAL: (Decimal("0.00"), [])} for _ in spans]
    for n, whole, user, hours in rows:
        tallies[n][TOTAL if whole else user] = (hours, [])
    return tallies


def spans(conn: psycopg.Connection, starts: list[date], end: date) -> list[dict[str, Any]]:
    """The `span` of each consecutive period from ``starts[i]`` to the next start (the last
    to ``end``), their instants read in one statement."""
    days = [*starts, end]
    row = conn.execute(
        "SELECT " + ", ".join(f"%(d{i})s::date::timestamp AT TIME ZONE cs_timezone()"
                              for i in range(len(days))),
        {f"d{i}": d for i, d in enumerate(days)}).fetchone()
    assert row is not None
    return [{"start": days[i], "end": days[i + 1], "start_at": row[i], "end_at": row[i + 1]}
            for i in range(len(starts))]


def week_and_before(conn: psycopg.Connection, scope: Scope,
                    start: date) -> tuple[dict[str, Any], dict[str, Any]]:
    """`week_numbers` of the ISO week starting ``start`` and of the week before, as the weekly
    report uses them: no comments, and for the week before the completed total alone (a
    `Tally` holding only `TOTAL`). Both weeks' created (one pass over their tasks) and the
    earlier week's completed are one statement, their hours one pass
    (`hours_by_person_each`)."""
    before, week = spans(conn, [start - timedelta(days=7), start], start + timedelta(days=7))
    created = f"NOT t.is_deleted AND NOT t.archived AND {scope.condition()}"
    counts = conn.execute(
        f"""SELECT c.*, (SELECT count(*) FROM clickup_tasks t
                          WHERE {finished_task()} AND {scope.condition()}
                            AND {DONE_AT} >= %(cut0)s AND {DONE_AT} < %(cut1)s)
              FROM (SELECT count(*) FILTER (WHERE t.date_created >= %(cut1)s),
                           count(*) FILTER (WHERE t.date_created < %(cut1)s)
                      FROM clickup_tasks t WHERE {created}
                       AND t.date_created >= %(cut0)s AND t.date_created < %(end_at)s) c""",
        {**scope.params, "cut0": before["start_at"], "cut1": week["start_at"],
         "end_at": week["end_at"]}).fetchone()
    assert counts is not None
    hours_before, hours = hours_by_person_each(conn, scope, [before, week])
    return ({"span": week, "created": counts[0], "hours": hours,
             "done": completed_by_person(conn, scope, week)},
            {"span": before, "created": counts[1], "hours": hours_before,
             "done": {TOTAL: (counts[2], [])}})


@reads
def weekly_digest(conn: psycopg.Connection, scope: Scope = WORKSPACE, *,
                  week: date | None = None, limit: int = 50) -> Result:
    """Sum up an ISO week: created, completed, hours, top contributors, overdue, blockers."""
    scope, limit = check_scope(scope), check_limit(limit)
    start, end, today = week_bounds(conn, week)
    numbers = week_numbers(conn, scope, start)
    done, hours, said = numbers["done"], numbers["hours"], numbers["comments"]
    late_n, late = overdue_at(conn, scope, end, 5)
    stuck = blockers(conn, scope, limit=5)
    names = people(conn)
    finished = conn.execute(
        f"""SELECT t.id, t.name, to_char({DONE_AT} AT TIME ZONE cs_timezone(), 'Dy YYYY-MM-DD')
              FROM clickup_tasks t
             WHERE {finished_task()} AND {scope.condition()} AND {between(DONE_AT)}
             ORDER BY {DONE_AT} DESC, t.id LIMIT 10""",
        {**scope.params, **numbers["span"]}).fetchall()
    users = {u for tally in (done, hours) for u in tally if u not in (TOTAL, None)}
    ranked = sorted(users, key=lambda u: (-float(hours.get(u, (0,))[0]),
                                          -done.get(u, (0,))[0], names.get(u, str(u))))
    rows: list[tuple[Any, ...]] = [
        ("contributor", names.get(u, str(u)), hours.get(u, (0,))[0],
         f"{done.get(u, (0,))[0]} completed, {said.get(u, (0,))[0]} comments")
        for u in ranked[:8]]
    rows += [("completed", name, task_id, when) for task_id, name, when in finished]
    rows += [("overdue at week end", name, task_id, f"{n} days overdue")
             for task_id, name, n in late]
    rows += [("blocked now", r[1], r[0], r[5]) for r in stuck.rows]
    return Result.table(
        f"Week {start:%G-W%V} in {scope.label}" + (" (so far)" if end > today else ""),
        ["section", "item", "value", "detail"], rows, limit=limit,
        summary={"week": f"{start:%G-W%V}", "from": start, "to": end - timedelta(days=1),
                 "created": numbers["created"], "completed": total(done),
                 "hours_tracked": total(hours), "comments": total(said),
                 "contributors": len(users), "overdue_at_week_end": late_n,
                 "blocked_now": stuck.summary.get("blocked", 0)},
        notes=["created / completed / hours / comments fall in the ISO week (local time); "
               "hours as time_tracked counts them; contributors: value = hours tracked, "
               "ranked by hours then tasks completed",
               "overdue at week end = created and due before the week ended and not "
               "completed by then (reconstructed from today's task dates)",
               "blocked now = as blockers() shows them today"])
