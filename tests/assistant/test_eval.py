"""The evaluation (bench/assistant_eval) on the real catalogue and a synced workspace: its
SQL facts compute, the analytics state them (the oracle), and routing recall holds."""

from __future__ import annotations

import pytest
from bench.assistant_eval.evaluate import (
    arguments_match,
    oracle,
    prepare,
    recall_at,
    route_all,
    states,
)
from bench.assistant_eval.questions import QUESTIONS

from clickup_sync.assistant.names import load_entities
from clickup_sync.assistant.router import ToolRouter
from clickup_sync.assistant.toolbelt import ToolBelt
from clickup_sync.store import connect

RECALL_FLOOR = 0.95
"""Routing recall@8 may not fall below this. Seed 1 measures 100% (docs/benchmarks.md);
this workspace is another seed, so its picked names differ; 95% leaves room for two of the
47 questions to miss on a name before the test fails, and no more."""
RECALL_AT_3_FLOOR = 0.85


@pytest.fixture()
def cases(dsn: str):
    with connect(dsn, autocommit=True) as conn:
        return prepare(conn)


def test_the_questions_cover_the_brief() -> None:
    assert len(QUESTIONS) >= 40
    assert sum(q.original for q in QUESTIONS) == 4
    assert len({q.id for q in QUESTIONS}) == len(QUESTIONS)


def test_every_fact_computes_and_is_not_empty(cases) -> None:
    for case in cases:
        assert "{" not in case.text, case.text
        if case.question.answer:
            assert case.facts, f"{case.question.id}: no facts"
            assert all(str(f).strip() for f in case.facts), case.question.id


async def test_routing_recall_on_the_real_catalogue(belt: ToolBelt, cases) -> None:
    router = ToolRouter(await belt.list_tools(), await load_entities(belt.call))
    known = {t.name for t in router.tools}
    assert all(set(c.tools) <= known for c in cases), "a question expects an unknown tool"
    scores = route_all(router, cases, k=8)
    missed = [(s.case.question.id, s.offered) for s in scores if not s.routed]
    assert recall_at(scores, 8) >= RECALL_FLOOR, missed
    assert recall_at(scores, 3) >= RECALL_AT_3_FLOOR


async def test_the_preferred_tool_states_every_sql_fact(belt: ToolBelt, cases) -> None:
    """The oracle: expected tool + expected arguments → the SQL facts are in its text."""
    router = ToolRouter(await belt.list_tools(), await load_entities(belt.call))
    scores = route_all(router, cases, k=8)
    await oracle(belt.call, scores)
    failed = [(s.case.question.id, s.detail) for s in scores if s.oracle is False]
    assert not failed


def test_answers_are_matched_by_value_and_arguments_forgivingly() -> None:
    from decimal import Decimal

    assert states("Felix logged 141.07 h over 12 tasks", ["felix", 12, Decimal("141.1")]) == []
    assert states("Felix logged 141 h", [Decimal("150.5"), 13]) == ["150.5", "13"]
    assert states("1,234 tasks", [1234]) == []
    assert arguments_match({"folder": "Q4 Roadmap"}, {"project": "q4 roadmap", "limit": 5})
    assert not arguments_match({"folder": "Q4 Roadmap"}, {"space": "Engineering"})
    assert arguments_match({"days": 3}, {"days": 3}) and not arguments_match({"days": 3}, {})
