"""Every error path answers the one error shape, with the right status and no secrets."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest
from psycopg_pool import PoolTimeout
from pydantic import SecretStr

from clickup_sync import analytics
from clickup_sync.api import create_app, running
from clickup_sync.api.runtime import ApiRuntime
from clickup_sync.config import Settings
from clickup_sync.simulator import Simulator
from clickup_sync.store.db import APPLICATION_NAME
from tests.syncing import free_port


def assert_error(answer: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert set(body) == {"error", "detail", "errors"} and body["error"] == code, body
    assert isinstance(body["detail"], str) and body["detail"]
    return body


@pytest.mark.parametrize(("method", "path", "params", "status", "code"), [
    ("GET", "/no/such/route", {}, 404, "not_found"),
    ("GET", "/tasks/86zzzzzzz", {}, 404, "not_found"),
    ("GET", "/dependencies/86zzzzzzz", {}, 404, "not_found"),
    ("GET", "/sync/runs/987654321", {}, 404, "not_found"),
    ("DELETE", "/tasks", {}, 405, "method_not_allowed"),
    ("PUT", "/sync/tasks", {}, 405, "method_not_allowed"),
    ("GET", "/tasks", {"limit": "ten"}, 422, "invalid_request"),
    ("GET", "/tasks", {"offset": -1}, 422, "invalid_request"),
    ("GET", "/tasks", {"assignee": "-5"}, 422, "invalid_request"),
    ("GET", "/tasks", {"assignee": str(2**64)}, 422, "invalid_request"),
    ("GET", "/tasks", {"status_type": "finished"}, 422, "invalid_request"),
    ("GET", "/tasks", {"space": "1; DROP TABLE tasks"}, 422, "invalid_request"),
    ("GET", "/tasks", {"tag": "a\x00b"}, 422, "invalid_request"),
    ("GET", "/tasks", {"status": ["x"] * 51}, 422, "invalid_request"),
    ("GET", "/tasks", {"include_deleted": "maybe"}, 422, "invalid_request"),
    ("GET", "/tasks/by-employee", {"employee_id": "1234"}, 422, "invalid_request"),
    ("GET", "/time-entries", {"since": "not a time"}, 422, "invalid_request"),
    ("GET", "/comments", {"resolved": "perhaps"}, 422, "invalid_request"),
    ("GET", "/analytics/throughput", {"weeks": 105}, 422, "invalid_request"),
    ("GET", "/analytics/at-risk", {"list": "x" * 201}, 422, "invalid_request"),
])
def test_error_paths(api: httpx.Client, method: str, path: str, params: dict[str, Any],
                     status: int, code: str) -> None:
    body = assert_error(api.request(method, path, params=params), status, code)
    if status == 422:
        assert body["errors"] or "after" in body["detail"]


def test_a_validation_error_names_each_parameter(api: httpx.Client) -> None:
    body = assert_error(api.get("/tasks", params={"limit": 0, "offset": -1}), 422,
                        "invalid_request")
    assert {e["loc"] for e in body["errors"]} == {"query.limit", "query.offset"}


@pytest.fixture()
def failing(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Make `GET /tasks/{id}` fail the way the test says."""

    def fail_with(exc: BaseException | None = None, sql: str | None = None) -> None:
        def task_row(conn: psycopg.Connection, task_id: str) -> Any:
            if sql:
                conn.execute(sql)
            raise exc or AssertionError("unreachable")

        monkeypatch.setattr(analytics, "task_row", task_row)

    yield fail_with


def test_unexpected_errors_are_masked(api: httpx.Client, failing: Any) -> None:
    failing(RuntimeError("connection to postgres://app:hunter2@db failed"))
    body = assert_error(api.get("/tasks/86abc"), 500, "internal")
    assert "hunter2" not in str(body) and body["detail"] == "internal error; see the server log"


def test_a_busy_or_slow_database_is_503(api: httpx.Client, failing: Any) -> None:
    failing(PoolTimeout("no connection"))
    busy = api.get("/tasks/86abc")
    assert assert_error(busy, 503, "unavailable")["detail"].startswith("the database is busy")
    assert busy.headers["retry-after"] == "5"
    failing(sql="SET LOCAL statement_timeout = 20; SELECT pg_sleep(1)")
    slow = assert_error(api.get("/tasks/86abc"), 503, "unavailable")
    assert "took too long" in slow["detail"]


def test_the_event_loop_pool_is_read_only_and_times_out(
        api: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    """`GET /tasks` reads on the event loop's own pool (`ApiRuntime.aread`): its sessions
    refuse writes, and a slow statement is 503 like on the worker threads' pool."""
    settings: dict[str, str] = {}

    async def task_page_async(conn: psycopg.AsyncConnection, *args: Any, **kwargs: Any
                              ) -> Any:
        for name in ("default_transaction_read_only", "statement_timeout", "jit"):
            row = await (await conn.execute(f"SHOW {name}")).fetchone()
            assert row is not None
            settings[name] = row[0]
        async with conn.transaction():
            await conn.execute("SET LOCAL statement_timeout = 20")
            await conn.execute("SELECT pg_sleep(1)")

    monkeypatch.setattr(analytics, "task_page_async", task_page_async)
    # A query no other test sends: its page is not kept yet (and a filter: the unfiltered
    # listing is read through the bodies held, `TaskBodies`).
    slow = assert_error(api.get("/tasks", params={"offset": 3, "limit": 7,
                                                  "include_deleted": "true"}), 503,
                        "unavailable")
    assert "took too long" in slow["detail"]
    assert settings == {"default_transaction_read_only": "on", "statement_timeout": "15s",
                        "jit": "off"}


def test_a_dropped_connection_is_replaced(api: httpx.Client,
                                         synced: tuple[Simulator, str]) -> None:
    """The event loop's pool does not test a connection at each checkout (a round trip as
    long as the read): when the server has dropped its sessions, the read that finds one
    broken runs again on a fresh one."""
    assert api.get("/tasks", params={"offset": 5, "limit": 2}).status_code == 200
    with psycopg.connect(synced[1], autocommit=True) as admin:
        dropped = admin.execute(
            """SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE datname = current_database() AND application_name = %s
                  AND pid <> pg_backend_pid()""", (APPLICATION_NAME,)).fetchone()
    assert dropped is not None and dropped[0] >= 2, dropped
    for offset in (5, 6, 7):  # kept, then read afresh
        answer = api.get("/tasks", params={"offset": offset, "limit": 2})
        assert answer.status_code == 200, answer.text
        assert answer.json()["offset"] == offset


def test_health_says_when_the_database_is_gone(api_url: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def ping(self: ApiRuntime) -> None:
        raise psycopg.OperationalError("server closed the connection")

    monkeypatch.setattr(ApiRuntime, "ping", ping)
    answer = httpx.get(f"{api_url}/health")
    assert answer.status_code == 503
    assert answer.json() == {"status": "unavailable", "database": "unreachable",
                             "version": answer.json()["version"]}


def test_without_clickup_a_sync_trigger_is_503_but_the_snapshot_works(
        synced: tuple[Simulator, str]) -> None:
    settings = Settings(_env_file=None, clickup_api_token=None,  # type: ignore[call-arg]
                        database_url=SecretStr(synced[1]))
    with running(create_app(settings, synced[1]), port=free_port()) as url:
        body = assert_error(httpx.post(f"{url}/sync/tasks"), 503, "unavailable")
        assert "CLICKUP_API_TOKEN" in body["detail"]
        assert httpx.post(f"{url}/sync/daily").status_code == 202


def test_the_app_does_not_start_without_its_database() -> None:
    app = create_app(Settings(_env_file=None),  # type: ignore[call-arg]
                     "postgresql://nobody@127.0.0.1:9/none?connect_timeout=2")
    with pytest.raises(RuntimeError, match="did not start"), running(app, port=free_port()):
        pass
