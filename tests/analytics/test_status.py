"""Status summary and name resolution, checked against the simulator's own records."""

from __future__ import annotations

from collections import Counter

import psycopg
import pytest

from clickup_sync.analytics import UnknownName, resolve_person, resolve_scope, status_summary
from clickup_sync.simulator import Simulator


def test_status_summary_of_a_space_matches_ground_truth(synced: tuple[Simulator, str],
                                                        conn: psycopg.Connection) -> None:
    sim, _ = synced
    ws = sim.workspace
    space = next(s for s in ws.spaces.values() if not s.archived)
    scope = resolve_scope(conn, space=space.name.upper())
    result = status_summary(conn, scope)
    want = Counter(sim.state.task_status(t).status for t in ws.tasks.values()
                   if ws.lists[t.list_id].space_id == space.id and not t.archived)
    assert {r[0]: r[2] for r in result.rows} == dict(want)
    assert result.summary["total_tasks"] == sum(want.values())


def test_names_resolve_forgivingly_and_unknown_names_suggest(
        synced: tuple[Simulator, str], conn: psycopg.Connection) -> None:
    sim, _ = synced
    lst = max(sim.workspace.lists.values(), key=lambda x: len(x.name))
    typo = lst.name[:-1]  # one letter short
    assert resolve_scope(conn, list_=typo).id == lst.id
    assert resolve_scope(conn, list_=lst.id).id == lst.id
    with pytest.raises(UnknownName, match="did you mean"):
        resolve_scope(conn, list_=lst.name[: len(lst.name) // 2] + "zzq")
    with pytest.raises(UnknownName):
        resolve_scope(conn, space="'; DROP TABLE clickup_tasks; --")
    member = next(iter(sim.workspace.members.values()))
    assert resolve_person(conn, member.email).user_id == member.id
    assert resolve_person(conn, (member.username or "").lower()).user_id == member.id
