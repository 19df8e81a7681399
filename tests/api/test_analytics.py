"""Each analytics route answers exactly what its analytics function answers (the function
the MCP tool serves), with its arguments passed through; bad arguments are 422."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import httpx
import psycopg
import pytest

from clickup_sync import analytics
from clickup_sync.analytics import WORKSPACE, Result

from .conftest import column, get

Call = Callable[[psycopg.Connection, dict[str, Any]], Result]


def _space(conn: psycopg.Connection) -> tuple[str, str]:
    row = conn.execute("SELECT s.id, s.name FROM spaces s JOIN clickup_tasks t "
                       "ON t.space_id = s.id GROUP BY 1, 2 ORDER BY count(*) DESC "
                       "LIMIT 1").fetchone()
    return row[0], row[1]


def _person(conn: psycopg.Connection) -> tuple[int, str]:
    row = conn.execute("SELECT e.clickup_user_id, e.name FROM employees e JOIN "
                       "task_assignees a ON a.user_id = e.clickup_user_id GROUP BY 1, 2 "
                       "ORDER BY count(*) DESC LIMIT 1").fetchone()
    return row[0], row[1]


def scope(conn: psycopg.Connection, name: str | None) -> Any:
    return analytics.resolve_scope(conn, space=name) if name else WORKSPACE


def person(conn: psycopg.Connection, name: str | None) -> Any:
    return analytics.resolve_person(conn, name) if name else None


WEEK_AGO = (date.today() - timedelta(days=7)).isoformat()
CASES: list[tuple[str, dict[str, Any], Call]] = [
    ("status-summary", {"include_archived": True, "limit": 5}, lambda c, a: analytics.
     status_summary(c, scope(c, a.get("space")), include_archived=True, limit=5)),
    ("progress-since", {"since": WEEK_AGO}, lambda c, a: analytics.progress_since(
        c, scope(c, a.get("space")), since=date.fromisoformat(WEEK_AGO))),
    ("throughput", {"weeks": 4}, lambda c, a: analytics.throughput(
        c, scope(c, a.get("space")), weeks=4)),
    ("cumulative-flow", {"days": 3}, lambda c, a: analytics.cumulative_flow(
        c, scope(c, a.get("space")), days=3)),
    ("burndown", {}, lambda c, a: analytics.burndown(c, scope(c, a.get("space")))),
    ("lead-cycle-time", {}, lambda c, a: analytics.lead_cycle_time(
        c, scope(c, a.get("space")))),
    ("time-in-status", {}, lambda c, a: analytics.time_in_status(c, scope(c, a.get("space")))),
    ("aging", {"limit": 7}, lambda c, a: analytics.aging(c, scope(c, a.get("space")), limit=7)),
    ("bottlenecks", {}, lambda c, a: analytics.bottlenecks(c, scope(c, a.get("space")))),
    ("time-tracked", {"group_by": "task", "person": "PERSON"}, lambda c, a: analytics.
     time_tracked(c, scope(c, a.get("space")), group_by="task", person=person(c, a["person"]))),
    ("estimation-accuracy", {"group_by": "task"}, lambda c, a: analytics.estimation_accuracy(
        c, scope(c, a.get("space")), group_by="task")),
    ("overdue", {"person": "PERSON"}, lambda c, a: analytics.overdue_tasks(
        c, scope(c, a.get("space")), person=person(c, a["person"]))),
    ("at-risk", {"days": 30}, lambda c, a: analytics.at_risk_tasks(
        c, scope(c, a.get("space")), days=30)),
    ("stale", {"days": 2}, lambda c, a: analytics.stale_tasks(
        c, scope(c, a.get("space")), days=2)),
    ("blockers", {}, lambda c, a: analytics.blockers(c, scope(c, a.get("space")))),
    ("untracked", {"status": "any"}, lambda c, a: analytics.untracked_tasks(
        c, scope(c, a.get("space")), status="any")),
    ("inactive-assignees", {"days": 1}, lambda c, a: analytics.inactive_assignees(
        c, scope(c, a.get("space")), days=1)),
    ("workload", {}, lambda c, a: analytics.workload(c, scope(c, a.get("space")))),
    ("assigned-comments", {}, lambda c, a: analytics.assigned_comments(
        c, scope(c, a.get("space")))),
    ("health-score", {}, lambda c, a: analytics.health_score(c, scope(c, a.get("space")))),
    ("daily-standup", {}, lambda c, a: analytics.daily_standup(c, scope(c, a.get("space")))),
    ("weekly-digest", {"week": WEEK_AGO}, lambda c, a: analytics.weekly_digest(
        c, scope(c, a.get("space")), week=date.fromisoformat(WEEK_AGO))),
    ("weekly-report", {}, lambda c, a: analytics.weekly_report(
        c, scope(c, a.get("space")), limit=20)),
    ("project-summary", {}, lambda c, a: analytics.project_summary(
        c, scope(c, a.get("space")), limit=20)),
    ("person-summary", {"person": "PERSON"}, lambda c, a: analytics.person_summary(
        c, person(c, a["person"]), limit=20)),
    ("projects", {}, lambda c, a: analytics.list_projects(c)),
    ("projects/status", {}, lambda c, a: analytics.all_projects_status(c)),
    ("projects/candidates", {"limit": 3}, lambda c, a: analytics.discover_projects(c, limit=3)),
    ("project-status", {"project": "SPACE"}, lambda c, a: analytics.project_status(
        c, a["project"])),
]
UNSCOPED = {"person-summary", "projects", "projects/status", "projects/candidates",
            "project-status"}


def same_while_stable(expected: Callable[[], Any], answer: Callable[[], Any],
                      tries: int = 3) -> None:
    """``answer()`` equals ``expected()``, compared while the expected answer holds still
    from just before to just after it: answers read the clock (a due date passing, a
    running timer), so two calls a few milliseconds apart may rightly differ."""
    for _ in range(tries):
        before, got, after = expected(), answer(), expected()
        if before == after:
            assert got == before
            return
    raise AssertionError(f"the expected answer moved in each of {tries} tries")


@pytest.mark.parametrize(("route", "params", "call"), CASES, ids=[c[0] for c in CASES])
def test_route_answers_as_its_function(api: httpx.Client, conn: psycopg.Connection,
                                       route: str, params: dict[str, Any], call: Call) -> None:
    space_id, space_name = _space(conn)
    _, person_name = _person(conn)
    given = {k: {"PERSON": person_name, "SPACE": space_name}.get(v, v)
             for k, v in params.items()}
    scoped = [{}] if route in UNSCOPED else [{}, {"space": space_name}]
    for extra in scoped:
        same_while_stable(
            lambda extra=extra: call(conn, {**given, **extra}).model_dump(mode="json"),
            lambda extra=extra: get(api, f"/analytics/{route}", **given, **extra))
    if route not in UNSCOPED:  # a Space by id answers as by name
        same_while_stable(lambda: get(api, f"/analytics/{route}", **given, space=space_name),
                          lambda: get(api, f"/analytics/{route}", **given, space=space_id))


def test_task_time_and_sync_status(api: httpx.Client, conn: psycopg.Connection) -> None:
    task = column(conn, "SELECT task_id FROM time_entries WHERE task_id IS NOT NULL "
                        "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")[0]
    assert get(api, f"/analytics/task-time/{task}") == analytics.task_time_breakdown(
        conn, task).model_dump(mode="json")
    status = get(api, "/analytics/sync-status", limit=3)
    assert status["summary"]["tasks"] == column(
        conn, "SELECT count(*) FROM clickup_tasks WHERE NOT is_deleted AND NOT archived")[0]


@pytest.mark.parametrize(("route", "params", "says"), [
    ("status-summary", {"space": "No Such Space Anywhere"}, "no space named"),
    ("time-tracked", {"person": "Nobody McNoname"}, "no person named"),
    ("time-tracked", {"since": "2026-02-01", "until": "2026-01-01"}, "swap them"),
    ("progress-since", {"since": "2999-01-01"}, "in the future"),
    ("throughput", {"weeks": 0}, "greater than or equal to 1"),
    ("time-tracked", {"group_by": "planet"}, "group_by"),
    ("task-time/86zzzzzzz", {}, "no task"),
    ("progress-since", {}, "since"),
    ("person-summary", {"person": "x\x00y"}, "person"),
])
def test_bad_arguments_are_422(api: httpx.Client, route: str, params: dict[str, Any],
                               says: str) -> None:
    answer = api.get(f"/analytics/{route}", params=params)
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["error"] == "invalid_request" and says in body["detail"], body
