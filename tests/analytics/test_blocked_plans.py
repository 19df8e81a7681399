"""Blocked tasks are found by two plans, chosen by the scope's size: both give one answer.

The test workspace is small, so every project is found scope-first unless the threshold is
lowered; each scope is asked both ways and checked against the simulator's ground truth.
"""

from __future__ import annotations

import psycopg
import pytest

from clickup_sync.analytics import WORKSPACE, Scope, _risk_base
from clickup_sync.analytics.health import health_score
from clickup_sync.analytics.reports import daily_standup
from clickup_sync.analytics.risk import blockers
from clickup_sync.simulator import Simulator
from tests.analytics.test_risk_reports import blocked_truth

Synced = tuple[Simulator, str]


def scopes(sim: Simulator) -> list[tuple[Scope, set[str]]]:
    """The Workspace, a Space, a Folder and a List, with the ids of their blocked tasks."""
    lists = sim.workspace.lists
    space = next(s for s in sim.workspace.spaces.values() if not s.archived)
    folder = next(lst.folder_id for lst in lists.values()
                  if lst.folder_id and lst.space_id == space.id)
    home = next(lst for lst in lists.values() if lst.space_id == space.id)
    truth = {
        "space": blocked_truth(sim, lambda t: lists[t.list_id].space_id == space.id),
        "folder": blocked_truth(sim, lambda t: lists[t.list_id].folder_id == folder),
        "list": blocked_truth(sim, lambda t: home.id in (t.list_id, *t.locations)),
    }
    return [(WORKSPACE, set(blocked_truth(sim))),
            (Scope("space", space.id, space.name), set(truth["space"])),
            (Scope("folder", folder, "a folder"), set(truth["folder"])),
            (Scope("list", home.id, home.name), set(truth["list"]))]


@pytest.mark.parametrize("threshold", [0, 10**9])
def test_both_plans_find_the_blocked_tasks(synced: Synced, conn: psycopg.Connection,
                                           monkeypatch: pytest.MonkeyPatch,
                                           threshold: int) -> None:
    sim, _ = synced
    found = {}
    for scope, want in scopes(sim):
        result = blockers(conn, scope, limit=500)
        assert {r[0] for r in result.rows} == want, scope
        found[scope] = result
    monkeypatch.setattr(_risk_base, "SCOPE_FIRST_MAX", threshold)
    for scope, want in scopes(sim):
        other = blockers(conn, scope, limit=500)
        assert other.rows == found[scope].rows, scope
        assert other.summary == found[scope].summary, scope
        assert health_score(conn, scope).summary["blocked"] == len(want), scope
        assert daily_standup(conn, scope).summary["blocked_now"] == len(want), scope
