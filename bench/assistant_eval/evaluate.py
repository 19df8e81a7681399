"""Score the assistant on the questions: routing, the oracle, and a model when one is set.

- routing recall@k: an acceptable tool is among the ``k`` the router offers (no model).
- oracle: the preferred tool, called with the expected arguments, states the SQL facts; this
  checks the questions and the analytics against each other (no model).
- with a model (`Assistant.ask`): tool choice (the first call is an acceptable tool),
  arguments (the expected ones, given to that tool) and answer (the facts in the answer).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import psycopg
from rapidfuzz import fuzz

from clickup_sync.assistant.catalog import ToolOutput
from clickup_sync.assistant.router import ToolRouter

from .facts import PICKS
from .questions import QUESTIONS, Question

SCOPE = ("space", "folder", "list", "project")
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


@dataclass
class Case:
    """A question made concrete for one workspace: its text, arguments and facts."""

    question: Question
    text: str
    tools: dict[str, dict[str, Any]]
    facts: list[Any]


@dataclass
class Score:
    """What one question scored; ``None`` where it was not measured."""

    case: Case
    offered: list[str]
    routed: bool
    rank: int | None = None
    oracle: bool | None = None
    chose: str | None = None
    tool_ok: bool | None = None
    args_ok: bool | None = None
    answer_ok: bool | None = None
    detail: list[str] = field(default_factory=list)


def prepare(conn: psycopg.Connection[Any], *, tz: str = "UTC",
            questions: Sequence[Question] = QUESTIONS) -> list[Case]:
    """Fill every question's names from this workspace and compute its facts by SQL."""
    values: dict[str, Any] = {"tz": tz}
    for key, query in PICKS.items():
        row = conn.execute(query, values).fetchone()
        if row is None or row[0] is None:
            raise RuntimeError(f"the workspace has nothing to pick for {{{key}}}")
        values[key] = str(row[0])
    cases = []
    for q in questions:
        facts: list[Any] = []
        if q.answer:
            row = conn.execute(q.answer, values).fetchone()
            facts = [v for v in (row or ()) if v is not None]
        tools = {name: {k: _fill(v, values) for k, v in args.items()}
                 for name, args in q.tools.items()}
        cases.append(Case(q, q.text.format(**values), tools, facts))
    return cases


def _fill(value: Any, values: dict[str, Any]) -> Any:
    return value.format(**values) if isinstance(value, str) else value


def states(text: str, facts: Sequence[Any]) -> list[str]:
    """The facts ``text`` fails to state (names by text, numbers by value, with rounding)."""
    numbers = [float(n.replace(",", "")) for n in _NUMBER.findall(text)]
    lowered = text.casefold()
    missing = []
    for fact in facts:
        if isinstance(fact, bool) or not isinstance(fact, int | float | Decimal):
            ok = all(part.strip().casefold() in lowered for part in str(fact).split(","))
        elif isinstance(fact, int):
            ok = any(n == fact for n in numbers)
        else:
            ok = any(abs(n - float(fact)) <= max(0.06, 0.005 * abs(float(fact)))
                     for n in numbers)
        if not ok:
            missing.append(str(fact))
    return missing


def arguments_match(expected: dict[str, Any], given: dict[str, Any]) -> bool:
    """``given`` holds every expected argument (scope keys interchangeable, names forgiving)."""
    for key, want in expected.items():
        keys = SCOPE if key in SCOPE else (key,)
        got = [given[k] for k in keys if given.get(k) not in (None, "")]
        if not any(_same(want, g) for g in got):
            return False
    return True


def _same(want: Any, got: Any) -> bool:
    if isinstance(want, str):
        return fuzz.ratio(want.casefold(), str(got).strip().casefold()) >= 90
    return bool(want == got)


def route_all(router: ToolRouter, cases: Sequence[Case], k: int) -> list[Score]:
    """Routing recall per question: is an acceptable tool among the ``k`` offered?"""
    scores = []
    for case in cases:
        ranked = router.route(case.text, k=len(router.tools)).tools
        rank = next((i + 1 for i, name in enumerate(ranked) if name in case.tools), None)
        offered = ranked[:k]
        scores.append(Score(case, offered, bool(set(offered) & set(case.tools)), rank))
    return scores


def recall_at(scores: Sequence[Score], k: int) -> float:
    """Share of questions with an acceptable tool among the first ``k`` offered."""
    return sum(1 for s in scores if s.rank is not None and s.rank <= k) / max(len(scores), 1)


Call = Callable[[str, dict[str, Any]], Awaitable[ToolOutput]]


async def oracle(call: Call, scores: Sequence[Score]) -> None:
    """Call each question's preferred tool with the expected arguments; check the facts."""
    for score in scores:
        case = score.case
        if not case.question.answer:
            continue
        name, args = next(iter(case.tools.items()))
        output = await call(name, args)
        missing = ["error: " + output.text[:120]] if output.is_error else \
            states(output.text, case.facts)
        score.oracle = not missing
        score.detail += [f"oracle missing {m}" for m in missing]


async def ask_all(make_assistant: Callable[[Any], Any], scores: Sequence[Score]) -> None:
    """Ask the model each question (`Assistant.ask`); score its call and its answer.

    ``make_assistant(confirm)`` builds the assistant; ``confirm`` records a write the model
    asked for and refuses it, so writes are scored without changing anything.
    """
    refused: list[tuple[str, dict[str, Any]]] = []

    def confirm(name: str, arguments: dict[str, Any]) -> bool:
        refused.append((name, arguments))
        return False

    assistant = make_assistant(confirm)
    for score in scores:
        case = score.case
        refused.clear()
        answer = await assistant.ask(case.text)
        calls = [(c.name, c.arguments) for c in answer.calls] + refused
        name, args = calls[0] if calls else (None, {})
        score.chose = name
        score.tool_ok = name in case.tools
        score.args_ok = bool(name in case.tools and arguments_match(case.tools[name], args))
        if case.question.answer:
            missing = states(answer.text, case.facts)
            score.answer_ok = not missing and not answer.error
            score.detail += [f"answer missing {m}" for m in missing]
        if answer.error:
            score.detail.append(f"error: {answer.error}")
        if name:
            score.detail.append(f"called {name} {args}")
