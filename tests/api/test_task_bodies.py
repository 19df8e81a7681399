"""Pages of the unfiltered listing built from the bodies held (`TaskBodies`, store
migration 0034) are the pages a full read gives, through every kind of change, and after
a change they read only the bodies that changed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import psycopg
import pytest

from clickup_sync import analytics
from clickup_sync.api.task_bodies import TaskBodies
from clickup_sync.simulator import Simulator
from tests.pg import fresh_database
from tests.syncing import sync_exactly

TOKEN = "pk_bodies"
SLICES = [(100, 0), (100, 100), (7, 13), (50, 250), (100, 10_000)]


@pytest.fixture(scope="module")
def dsn() -> Iterator[str]:
    sim = Simulator.generate(seed=41, tasks=300, plan="enterprise", token=TOKEN,
                             rate_window=1.0)
    with fresh_database(migrated=True) as url:
        asyncio.run(sync_exactly(sim, url, TOKEN))
        yield url
    sim.close()


@pytest.fixture()
async def aconn(dsn: str) -> AsyncIterator[psycopg.AsyncConnection]:
    async with await psycopg.AsyncConnection.connect(dsn, autocommit=True) as conn:
        yield conn


async def _same_as_a_full_read(bodies: TaskBodies, conn: psycopg.AsyncConnection) -> None:
    for limit, offset in SLICES:
        built = await bodies.page(conn, limit=limit, offset=offset)
        read = await analytics.task_page_async(conn, analytics.TaskFilter(), limit=limit,
                                               offset=offset)
        assert built == read, (limit, offset)


def _ids(conn: psycopg.Connection, where: str = "true") -> list[str]:
    return [i for (i,) in conn.execute(
        f"SELECT id FROM clickup_tasks WHERE NOT is_deleted AND {where} "
        "ORDER BY date_updated DESC NULLS LAST, id")]


async def test_pages_built_from_held_bodies_equal_full_reads_through_changes(
        dsn: str, aconn: psycopg.AsyncConnection) -> None:
    bodies = TaskBodies()
    await _same_as_a_full_read(bodies, aconn)
    assert len(bodies) > 200 and bodies.version > 0
    with psycopg.connect(dsn, autocommit=True) as conn:
        order = _ids(conn)
        changes = [
            ("a name on the first page, in place",
             "UPDATE clickup_tasks SET name = name || ' (edited)' WHERE id = %s", order[3]),
            ("a task from deep in the list moved to the top",
             "UPDATE clickup_tasks SET date_updated = now() WHERE id = %s", order[-5]),
            ("a task deleted", "UPDATE clickup_tasks SET is_deleted = true WHERE id = %s",
             order[40]),
            ("a deleted task back", "UPDATE clickup_tasks SET is_deleted = false "
                                    "WHERE id = %s", order[40]),
            ("an assignee's name, which shows on many rows",
             "UPDATE employees SET name = name || ' Jr' WHERE clickup_user_id = "
             "(SELECT user_id FROM task_assignees WHERE task_id = %s LIMIT 1)", order[0]),
        ]
        for what, statement, task_id in changes:
            before = bodies.version
            conn.execute(statement, (task_id,))
            await _same_as_a_full_read(bodies, aconn)
            assert bodies.version > before, what


async def test_after_an_in_place_change_only_the_changed_body_is_read(
        dsn: str, aconn: psycopg.AsyncConnection, monkeypatch: pytest.MonkeyPatch) -> None:
    bodies = TaskBodies()
    await bodies.page(aconn, limit=100, offset=0)
    since = bodies.version
    with psycopg.connect(dsn, autocommit=True) as conn:
        task_id = _ids(conn)[10]
        conn.execute("UPDATE clickup_tasks SET name = name || '!' WHERE id = %s", (task_id,))
    assert await analytics.changed_since(aconn, since) == (since + 1,
                                                           frozenset({task_id.encode()}))
    read: list[int] = []
    bodies_by_id = analytics.bodies_by_id

    async def counted(conn: psycopg.AsyncConnection, ids: list[bytes]) -> object:
        read.extend([len(ids)])
        return await bodies_by_id(conn, ids)

    monkeypatch.setattr(analytics, "bodies_by_id", counted)
    page = await bodies.page(aconn, limit=100, offset=0)
    assert read == [1], "only the changed body is read again"
    assert page == await analytics.task_page_async(aconn, analytics.TaskFilter(), limit=100,
                                                   offset=0)


async def test_a_reader_behind_the_held_bodies_reads_its_page_whole(
        aconn: psycopg.AsyncConnection) -> None:
    bodies = TaskBodies()
    await bodies.page(aconn, limit=100, offset=0)
    bodies.version += 10  # as if a newer read had moved the bodies on
    held = len(bodies)
    assert await bodies.page(aconn, limit=100, offset=100) == \
        await analytics.task_page_async(aconn, analytics.TaskFilter(), limit=100, offset=100)
    assert len(bodies) == held, "a page read behind the bodies adds none of its own"


def test_the_change_log_says_when_it_cannot_tell(dsn: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        def since(n: int, most: int = 5000) -> list[str] | None:
            return conn.execute("SELECT cs_task_body_changes_since(%s, %s)",
                                (n, most)).fetchone()[0]

        now = conn.execute("SELECT n FROM task_listing_version").fetchone()[0]
        assert since(now) == []
        task_id = _ids(conn)[20]
        conn.execute("UPDATE clickup_tasks SET name = name || '?' WHERE id = %s", (task_id,))
        assert since(now) == [task_id]
        assert since(now, most=0) is None, "more changed ids than asked for"
        assert since(now - 1000) is None, "further back than the log keeps"
        conn.execute("INSERT INTO task_body_changes (n, task_id) VALUES (%s, 'old')",
                     (now - 1500,))
        conn.execute("UPDATE clickup_tasks SET name = name || '?' WHERE id = %s", (task_id,))
        assert conn.execute("SELECT count(*) FROM task_body_changes WHERE task_id = 'old'"
                            ).fetchone() == (0,), "each step drops what is 1,000 steps old"
        with conn.transaction():
            conn.execute("CREATE TEMP TABLE saved AS SELECT * FROM task_bodies")
            conn.execute("TRUNCATE task_bodies")
            assert since(now + 2) is None, "a TRUNCATE changed everything"
            conn.execute("INSERT INTO task_bodies SELECT * FROM saved")


async def test_pages_waiting_on_one_step_read_the_change_log_once(
        dsn: str, monkeypatch: pytest.MonkeyPatch) -> None:
    bodies = TaskBodies()
    reads: list[int] = []
    changed_since = analytics.changed_since

    async def counted(conn: psycopg.AsyncConnection, since: int) -> object:
        reads.append(since)
        await asyncio.sleep(0.3)  # the other pages arrive while the log is being read
        return await changed_since(conn, since)

    monkeypatch.setattr(analytics, "changed_since", counted)
    conns = [await psycopg.AsyncConnection.connect(dsn, autocommit=True) for _ in range(4)]
    try:
        await bodies.page(conns[0], limit=100, offset=0)
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("UPDATE clickup_tasks SET name = name || '.' WHERE id = %s",
                         (_ids(conn)[1],))
        reads.clear()
        pages = await asyncio.gather(*(bodies.page(c, limit=50, offset=50 * k)
                                       for k, c in enumerate(conns)))
        assert len(reads) == 1, reads
        for k, page in enumerate(pages):
            assert page == await analytics.task_page_async(
                conns[0], analytics.TaskFilter(), limit=50, offset=50 * k)
    finally:
        for c in conns:
            await c.close()
