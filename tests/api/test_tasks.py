"""The original tool's task routes, answered from the database: paths, keys, rows, paging."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import httpx
import psycopg
import pytest
from psycopg.rows import dict_row

from clickup_sync.api.models import CommentTaskPage, TaskPage, TaskRow, TimeTaskPage

from .conftest import column, get

ORDER = "date_updated DESC NULLS LAST, clickup_task_id"


def plain(value: Any) -> Any:
    """A database value as JSON carries it (instants compared as instants)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def assert_row(api_row: dict[str, Any], db_row: dict[str, Any]) -> None:
    assert set(api_row) == set(db_row), set(api_row) ^ set(db_row)
    for key, value in db_row.items():
        got = api_row[key]
        if isinstance(value, datetime):
            assert datetime.fromisoformat(got) == value, key
        else:
            assert got == plain(value), key


def view_rows(conn: psycopg.Connection, where: str, params: Any = None,
              columns: str = "*", order: str = ORDER) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(f"SELECT {columns} FROM tasks WHERE {where} ORDER BY {order}",
                           params).fetchall()


def walk(api: httpx.Client, path: str, key: str = "tasks", **params: Any
         ) -> list[dict[str, Any]]:
    """Every row of a listing, following `next` links; checks the paging fields."""
    rows: list[dict[str, Any]] = []
    url: str | None = path
    query: dict[str, Any] | None = params
    while url:
        page = get(api, url, **(query or {}))
        assert page["count"] == len(page[key]) <= page["limit"]
        assert page["offset"] == len(rows)
        rows += page[key]
        url, query = page["next"], None
        assert (url is None) == (len(rows) >= page["total"])
    assert len(rows) == page["total"]
    return rows


def test_tasks_page_is_the_original_shape_with_total_and_next(
        api: httpx.Client, conn: psycopg.Connection) -> None:
    page = get(api, "/tasks")
    assert list(page) == ["count", "limit", "offset", "total", "next", "tasks"]
    expected = view_rows(conn, "NOT is_deleted")
    assert (page["count"], page["limit"], page["offset"]) == (100, 100, 0)
    assert page["total"] == len(expected)
    assert page["next"] == "/tasks?offset=100&limit=100"
    for got, want in zip(page["tasks"], expected[:100], strict=True):
        assert_row(got, want)


@pytest.mark.parametrize("path", ["/tasks?limit=500", "/tasks/with-time?limit=500",
                                  "/tasks/with-comments?limit=500"])
def test_task_bodies_are_the_bytes_the_response_model_writes(api: httpx.Client,
                                                             path: str) -> None:
    """The task routes write rows with orjson; the model would write the same bytes."""
    model = {"/tasks": TaskPage, "/tasks/with-time": TimeTaskPage,
             "/tasks/with-comments": CommentTaskPage}[path.split("?")[0]]
    response = api.get(path)
    assert response.status_code == 200 and response.json()["count"] > 0
    assert response.content == model.model_validate_json(response.content).model_dump_json(
        ).encode()
    one = api.get(f"/tasks/{response.json()['tasks'][0]['clickup_task_id']}")
    assert one.content == TaskRow.model_validate_json(one.content).model_dump_json().encode()


def test_paging_walks_every_task_once_in_order(api: httpx.Client,
                                               conn: psycopg.Connection) -> None:
    ids = [r["clickup_task_id"] for r in walk(api, "/tasks", limit=170)]
    assert ids == column(conn, f"SELECT clickup_task_id FROM tasks WHERE NOT is_deleted "
                               f"ORDER BY {ORDER}")


def test_page_size_is_capped_at_500(api: httpx.Client) -> None:
    page = get(api, "/tasks", limit=100_000)
    assert page["limit"] == 500 and page["count"] == 500
    assert page["next"] == "/tasks?offset=500&limit=500"
    last = get(api, "/tasks", offset=page["total"] - 1)
    assert last["count"] == 1 and last["next"] is None
    beyond = get(api, "/tasks", offset=page["total"] + 10)
    assert beyond["tasks"] == [] and beyond["next"] is None


def test_filters_match_sql(api: httpx.Client, conn: psycopg.Connection) -> None:
    status, space, folder = conn.execute(
        "SELECT status, space_id, folder_id FROM clickup_tasks WHERE folder_id IS NOT NULL "
        "AND NOT is_deleted GROUP BY 1, 2, 3 ORDER BY count(*) DESC LIMIT 1").fetchone()
    user = column(conn, "SELECT user_id FROM task_assignees GROUP BY 1 ORDER BY count(*) "
                        "DESC LIMIT 1")[0]
    tag = column(conn, "SELECT name FROM task_tags GROUP BY 1 ORDER BY count(*) DESC "
                       "LIMIT 1")[0]
    in_two = column(conn, "SELECT list_id FROM task_locations LIMIT 1")
    middle = conn.execute("SELECT date_updated FROM clickup_tasks ORDER BY date_updated "
                          "OFFSET 300 LIMIT 1").fetchone()[0]
    day = conn.execute("SELECT (date_created AT TIME ZONE cs_timezone())::date "
                       "FROM clickup_tasks ORDER BY date_created OFFSET 200 LIMIT 1"
                       ).fetchone()[0]
    live = "NOT t.is_deleted"
    cases: list[tuple[dict[str, Any], str, Any]] = [
        ({"status": status.upper()}, f"{live} AND t.status = %s", (status,)),
        ({"status_type": ["open", "custom"]}, f"{live} AND t.status_type IN "
                                              "('open', 'custom')", None),
        ({"assignee": user}, f"{live} AND t.id IN (SELECT task_id FROM task_assignees "
                             "WHERE user_id = %s)", (user,)),
        ({"space": space}, f"{live} AND t.space_id = %s", (space,)),
        ({"folder": folder}, f"{live} AND t.folder_id = %s", (folder,)),
        ({"tag": tag}, f"{live} AND t.id IN (SELECT task_id FROM task_tags WHERE name = %s)",
         (tag,)),
        ({"updated_since": middle.isoformat()}, f"{live} AND t.date_updated >= %s", (middle,)),
        ({"created_from": day.isoformat(), "created_to": day.isoformat()},
         f"{live} AND (t.date_created AT TIME ZONE cs_timezone())::date = %s", (day,)),
        ({"due_to": (day + timedelta(days=30)).isoformat()},
         f"{live} AND (t.due_date AT TIME ZONE cs_timezone())::date <= %s",
         (day + timedelta(days=30),)),
        ({"archived": "true"}, f"{live} AND t.archived", None),
        ({"include_deleted": "true"}, "true", None),
        ({"include_deleted": "true", "archived": "false", "status_type": "done"},
         "NOT t.archived AND t.status_type = 'done'", None),
    ]
    if in_two:
        cases.append(({"list": in_two[0]}, f"{live} AND (t.list_id = %(l)s OR t.id IN "
                      "(SELECT task_id FROM task_locations WHERE list_id = %(l)s))",
                      {"l": in_two[0]}))
    for params, where, args in cases:
        want = column(conn, f"SELECT t.id FROM clickup_tasks t WHERE {where} "
                            "ORDER BY t.date_updated DESC NULLS LAST, t.id", args)
        got = [r["clickup_task_id"] for r in walk(api, "/tasks", limit=500, **params)]
        assert got == want, params
        assert want or params.get("archived"), f"{params} selects nothing in the fixture"


def test_deleted_tasks_are_hidden_but_readable(api: httpx.Client,
                                               conn: psycopg.Connection) -> None:
    deleted = column(conn, "SELECT id FROM clickup_tasks WHERE is_deleted ORDER BY id")
    assert deleted, "the fixture's second sync should have seen deletions"
    listed = {r["clickup_task_id"] for r in walk(api, "/tasks", limit=500)}
    assert not listed & set(deleted)
    row = get(api, f"/tasks/{deleted[0]}")
    assert row["is_deleted"] is True
    assert_row(row, view_rows(conn, "clickup_task_id = %s", (deleted[0],))[0])


def test_one_task_and_its_errors(api: httpx.Client, conn: psycopg.Connection) -> None:
    task_id = column(conn, "SELECT id FROM clickup_tasks WHERE parent_id IS NOT NULL "
                           "LIMIT 1")[0]
    assert_row(get(api, f"/tasks/{task_id}"), view_rows(conn, "clickup_task_id = %s",
                                                        (task_id,))[0])
    missing = api.get("/tasks/86zzzzzzz")
    assert missing.status_code == 404
    assert missing.json() == {"error": "not_found", "detail": "no task with id '86zzzzzzz'",
                              "errors": []}
    for bad in ("bad%20id", "x" * 65, "-leading-dash"):
        answer = api.get(f"/tasks/{bad}")
        assert answer.status_code == 422, bad
        assert answer.json()["errors"][0]["loc"] == "path.task_id"


def test_by_employee_matches_the_original_query(api: httpx.Client,
                                                conn: psycopg.Connection) -> None:
    employee = column(conn, "SELECT e.id FROM employees e JOIN task_assignees a "
                            "ON a.user_id = e.clickup_user_id GROUP BY e.id "
                            "ORDER BY count(*) DESC LIMIT 1")[0]
    rows = walk(api, "/tasks/by-employee", employee_id=str(employee), limit=50)
    want = view_rows(conn, "%s::uuid = ANY(employee_ids) AND NOT is_deleted", (employee,))
    assert [r["clickup_task_id"] for r in rows] == [r["clickup_task_id"] for r in want]
    assert_row(rows[0], want[0])
    page = get(api, "/tasks/by-employee", employee_id=str(employee))
    assert page["employee_id"] == str(employee)
    assert api.get("/tasks/by-employee", params={"employee_id": "not-a-uuid"}
                   ).status_code == 422
    assert api.get("/tasks/by-employee").status_code == 422
    unknown = api.get("/tasks/by-employee",
                      params={"employee_id": "00000000-0000-0000-0000-000000000000"})
    assert unknown.status_code == 404 and unknown.json()["error"] == "not_found"


def test_with_time_and_with_comments_match_the_view(api: httpx.Client,
                                                    conn: psycopg.Connection) -> None:
    timed = walk(api, "/tasks/with-time", limit=500)
    want = view_rows(conn, "tracked_minutes > 0 AND NOT is_deleted",
                     columns="clickup_task_id, title, status, assignee_name, start_times, "
                             "end_times, tracked_minutes, assigned_comment",
                     order="tracked_minutes DESC, clickup_task_id")
    assert len(timed) == len(want) > 0
    for got, row in zip(timed, want, strict=True):
        assert_row(got, row)
    commented = walk(api, "/tasks/with-comments", limit=500)
    want = view_rows(conn, "assigned_comment IS NOT NULL AND NOT is_deleted",
                     columns="clickup_task_id, title, status, assignee_name, "
                             "assigned_comment")
    assert len(commented) == len(want) > 0
    for got, row in zip(commented, want, strict=True):
        assert_row(got, row)


def test_dependencies_keep_the_original_json_text(api: httpx.Client,
                                                  conn: psycopg.Connection) -> None:
    task_id = column(conn, "SELECT task_id FROM task_dependencies GROUP BY 1 "
                           "ORDER BY count(*) DESC LIMIT 1")[0]
    answer = get(api, f"/dependencies/{task_id}")
    labels = column(conn, "SELECT dependencies FROM tasks WHERE clickup_task_id = %s",
                    (task_id,))[0]
    assert json.loads(answer["dependencies"]) == labels
    assert [e["task_id"] for e in answer["waiting_on"]] == column(
        conn, "SELECT depends_on FROM task_dependencies WHERE task_id = %s ORDER BY 1",
        (task_id,))
    assert [e["task_id"] for e in answer["blocking"]] == column(
        conn, "SELECT task_id FROM task_dependencies WHERE depends_on = %s ORDER BY 1",
        (task_id,))
    lone = column(conn, "SELECT id FROM clickup_tasks t WHERE NOT EXISTS (SELECT 1 FROM "
                        "task_dependencies d WHERE t.id IN (d.task_id, d.depends_on)) "
                        "LIMIT 1")[0]
    assert get(api, f"/dependencies/{lone}") == {"task_id": lone, "dependencies": None,
                                                 "waiting_on": [], "blocking": []}
    assert api.get("/dependencies/86zzzzzzz").status_code == 404


def test_daily_sync_serves_todays_snapshot(api: httpx.Client,
                                           conn: psycopg.Connection) -> None:
    rows = walk(api, "/daily-sync", limit=500)
    with conn.cursor(row_factory=dict_row) as cur:
        want = cur.execute("SELECT * FROM daily_syncs ORDER BY last_status_change DESC "
                           "NULLS LAST, clickup_task_id").fetchall()
    assert len(rows) == len(want) > 0
    for got, row in zip(rows, want, strict=True):
        assert_row(got, row)


def test_employees_as_the_original(api: httpx.Client, conn: psycopg.Connection) -> None:
    answer = get(api, "/employees")
    with conn.cursor(row_factory=dict_row) as cur:
        want = cur.execute("SELECT id, name, email, role, clickup_user_id, is_active "
                           "FROM employees ORDER BY name, clickup_user_id").fetchall()
    assert answer["count"] == len(want) == len(answer["employees"]) > 0
    for got, row in zip(answer["employees"], want, strict=True):
        assert got == {**row, "id": str(row["id"]),
                       "clickup_user_id": str(row["clickup_user_id"])}
    active = get(api, "/employees", include_inactive="false")
    assert all(e["is_active"] for e in active["employees"])
    assert active["count"] == sum(1 for r in want if r["is_active"])


def test_dates_are_whole_local_days(api: httpx.Client) -> None:
    today = date.today().isoformat()
    assert get(api, "/tasks", created_from="1990-01-01", created_to=today)["total"] > 0
    wrong = api.get("/tasks", params={"due_from": today, "due_to": "2000-01-01"})
    assert wrong.status_code == 422 and "after the end" in wrong.json()["detail"]
    assert api.get("/tasks", params={"created_from": "31/12/2026"}).status_code == 422
    assert api.get("/tasks", params={"updated_since": "yesterday"}).status_code == 422
