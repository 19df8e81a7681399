"""Kept /tasks pages: served again only while no task they could show has changed."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import psycopg
import pytest

from clickup_sync.api.page_cache import PageCache

from .conftest import API_KEY, column, get


def version(conn: psycopg.Connection) -> int:
    return int(column(conn, "SELECT n FROM task_listing_version")[0])


def test_a_newer_version_empties_the_cache_and_an_older_page_is_not_kept() -> None:
    cache = PageCache()
    cache.put("/tasks?", 5, b"five")
    assert cache.get("/tasks?", 5) == b"five" and cache.hits == 1
    assert cache.get("/tasks?", 4) is None, "a reader on an older snapshot reads afresh"
    assert cache.get("/tasks?", 6) is None and len(cache) == 0
    cache.put("/tasks?", 5, b"five again")
    assert cache.get("/tasks?", 6) is None, "a page of an older version is not kept"
    assert (cache.hits, cache.misses) == (1, 3)


def test_the_least_recently_used_pages_go_first_when_full() -> None:
    cache = PageCache(max_bytes=10)
    for key in "abc":
        cache.put(key, 1, b"xxxx")
    assert len(cache) == 2 and cache.size == 8 and cache.get("a", 1) is None
    assert cache.get("b", 1) == b"xxxx"  # b is now the most recently used
    cache.put("d", 1, b"xxxx")
    assert cache.get("c", 1) is None and cache.get("b", 1) == b"xxxx"
    cache.put("huge", 1, b"x" * 11)
    assert cache.get("huge", 1) is None and cache.size == 8


def hits(api: httpx.Client) -> float:
    """The kept pages' hit counter, from /metrics."""
    for line in api.get("/metrics").text.splitlines():
        if line.startswith("clickup_sync_task_page_cache_hits_total "):
            return float(line.split()[1])
    raise AssertionError("no cache hit counter in /metrics")


async def test_requests_arriving_during_a_read_wait_for_its_page() -> None:
    cache, reads = PageCache(), []

    async def read() -> tuple[int, bytes]:
        reads.append(1)
        await asyncio.sleep(0.05)
        return 3, b"page"

    bodies = await asyncio.gather(*(cache.kept_or_read("/tasks?", 3, read) for _ in range(5)))
    assert bodies == [b"page"] * 5 and len(reads) == 1
    assert await cache.kept_or_read("/tasks?", 4, read) == b"page" and len(reads) == 2


async def test_a_failed_read_fails_its_waiters_and_is_not_kept() -> None:
    cache = PageCache()

    async def fail() -> tuple[int, bytes]:
        await asyncio.sleep(0.02)
        raise TimeoutError("slow database")

    results = await asyncio.gather(*(cache.kept_or_read("k", 1, fail) for _ in range(3)),
                                   return_exceptions=True)
    assert all(isinstance(r, TimeoutError) for r in results)

    async def read() -> tuple[int, bytes]:
        return 1, b"fresh"

    assert await cache.kept_or_read("k", 1, read) == b"fresh"


@pytest.fixture()
def renamed(conn: psycopg.Connection) -> Iterator[str]:
    """The most recently updated task (renamed by the test, and back afterwards)."""
    task_id, name = conn.execute(
        "SELECT id, name FROM clickup_tasks WHERE NOT is_deleted "
        "ORDER BY date_updated DESC NULLS LAST, id LIMIT 1").fetchone() or ("", "")
    yield task_id
    conn.execute("UPDATE clickup_tasks SET name = %s WHERE id = %s", (name, task_id))


def test_a_change_reaches_the_next_request(api: httpx.Client, conn: psycopg.Connection,
                                           renamed: str) -> None:
    task_id = renamed
    first = api.get("/tasks", params={"limit": 5})
    kept = hits(api)
    assert api.get("/tasks", params={"limit": 5}).content == first.content
    assert hits(api) == kept + 1, "the second request is answered with the kept page"
    before = version(conn)
    conn.execute("UPDATE clickup_tasks SET name = name WHERE id = %s", (task_id,))
    assert version(conn) == before, "a write that changes no row keeps the pages"
    conn.execute("UPDATE clickup_tasks SET name = %s WHERE id = %s",
                 ("Renamed while kept", task_id))
    assert version(conn) == before + 1
    page = get(api, "/tasks", limit=5)
    assert hits(api) == kept + 1, "read afresh"
    assert page["tasks"][0]["clickup_task_id"] == task_id
    assert page["tasks"][0]["title"] == "Renamed while kept"
    assert page != first.json()


def metric(api: httpx.Client, prefix: str) -> float:
    """The value of the /metrics line that starts with ``prefix`` (0 when absent)."""
    for line in api.get("/metrics").text.splitlines():
        if line.startswith(prefix):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_a_kept_page_is_answered_as_the_route_answers_it(api: httpx.Client,
                                                        api_url: str) -> None:
    """Kept pages are served ahead of FastAPI (`KeptTaskPages`): same bytes and headers as
    the route's, the same key rules, counted under the route."""
    path, query = "/tasks", {"limit": 4, "offset": 9, "include_deleted": "true"}
    counted = 'clickup_sync_http_requests_total{method="GET",route="/tasks",status="200"}'
    first = api.get(path, params=query)  # read by the route, and kept
    kept, requests = hits(api), metric(api, counted)
    again = api.get(path, params=query)
    assert again.status_code == 200 and again.content == first.content
    assert {k: again.headers[k] for k in ("content-type", "content-length")} == \
        {k: first.headers[k] for k in ("content-type", "content-length")}
    assert hits(api) == kept + 1 and metric(api, counted) == requests + 1
    bearer = httpx.get(f"{api_url}{path}", params=query,
                       headers={"Authorization": f"Bearer {API_KEY}"})
    assert bearer.content == first.content
    uncached = httpx.get(f"{api_url}{path}", params={"limit": 3})
    for headers in ({}, {"X-API-Key": "wrong"}, {"X-API-Key": "wrong", "Authorization":
                                                  f"Bearer {API_KEY}"}):
        refused = httpx.get(f"{api_url}{path}", params=query, headers=headers)
        assert refused.status_code == 401, headers
        assert refused.json()["error"] == uncached.json()["error"] == "unauthorized"
    assert hits(api) == kept + 2


def test_a_list_filter_follows_tasks_added_to_other_lists(api: httpx.Client,
                                                          conn: psycopg.Connection) -> None:
    """A List's tasks include those added to it from other Lists (`task_locations`), which
    the listing version does not follow: such requests are always read afresh."""
    task_id, home, other = conn.execute(
        "SELECT t.id, t.list_id, l.id FROM clickup_tasks t JOIN lists l ON l.id <> t.list_id "
        "WHERE NOT t.is_deleted AND NOT EXISTS (SELECT 1 FROM task_locations x "
        "WHERE x.task_id = t.id AND x.list_id = l.id) ORDER BY t.id, l.id LIMIT 1"
    ).fetchone() or ("", "", "")
    ids = [t["clickup_task_id"] for t in get(api, "/tasks", list=other, limit=500)["tasks"]]
    assert task_id not in ids
    conn.execute("INSERT INTO task_locations (task_id, list_id) VALUES (%s, %s)",
                 (task_id, other))
    try:
        ids = [t["clickup_task_id"] for t in get(api, "/tasks", list=other, limit=500)["tasks"]]
        assert task_id in ids and home != other
    finally:
        conn.execute("DELETE FROM task_locations WHERE task_id = %s AND list_id = %s",
                     (task_id, other))
