"""Pick the few tools a question needs, so a small model chooses among 8, not 67.

Each tool becomes a short document (its name, description, argument names and the words
users say for it, `vocabulary.KEYWORDS`) indexed with BM25 (bm25s). A question is scored
against them; names the workspace knows (people, Spaces, Folders, Lists, projects,
statuses, recognised by `names.NameIndex`) raise the tools that take such an argument;
the composite tools (weekly report, person and project summaries) get a small lead, since
one of them answers a broad question in one call. Tools that change anything are withheld
unless the question asks for a change, and aliases (original names kept for old clients)
are offered only when their tool is not.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import bm25s
import numpy as np

from .catalog import Entity, EntityKind, ToolInfo
from .names import NameIndex
from .vocabulary import ALIAS_OF, COMPOSITE, KEYWORDS, terms

# bm25s sets its own logger to DEBUG on import; its index-building chatter is not ours to show.
logging.getLogger("bm25s").setLevel(logging.WARNING)

DEFAULT_K = 8
HIDDEN = frozenset({"list_names"})
"""Tools the router never offers: the names source feeds the router, not the model."""

WRITE_INTENT = re.compile(
    r"\b(create|add|make|update|change|set|rename|assign|reassign|unassign|move|mark|close|"
    r"reopen|edit|register|unregister|remove|delete|map|unmap|resync|re-sync|refresh)\b|"
    r"\b(run|start|trigger|do|force)\b.{0,20}\bsync\b|\bsync\b.{0,12}\b(now|again)\b",
    re.IGNORECASE)
"""Words that ask for a change; without one, no tool that writes is offered."""

ARGUMENTS_FOR: dict[EntityKind, tuple[str, ...]] = {
    "person": ("person", "assignee", "assignees"),
    "space": ("space", "project"),
    "folder": ("folder", "project"),
    "list": ("list", "project"),
    "project": ("project",),
    "status": ("status",),
}
"""Which tool arguments take a recognised name of each kind."""

ENTITY_BOOST: dict[EntityKind, float] = {
    "person": 0.35, "project": 0.25, "space": 0.15, "folder": 0.15, "list": 0.15,
    "status": 0.25}
"""How much a recognised name lifts a tool taking it, relative to the best text score."""
SCOPES = frozenset({"space", "folder", "list", "project"})

COMPOSITE_BOOST = 0.12
COMPOSITE_FOR: dict[EntityKind, str] = {
    "person": "get_person_summary", "project": "get_project_summary",
    "space": "get_project_summary", "folder": "get_project_summary",
    "list": "get_project_summary"}
"""The composite tool that answers "tell me about <this>" for each kind of name."""

CUES: tuple[tuple[re.Pattern[str], frozenset[str], float], ...] = (
    (re.compile(r"\b(?=[a-z]*\d)(?=\d*[a-z])[0-9a-z]{6,12}\b|\b[A-Z]{2,6}-\d+\b|app\.clickup"
                r"\.com/t/"), frozenset({"task_id"}), 0.5),
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), frozenset({"since", "until", "week", "day"}), 0.15),
)
"""Shapes in a question (a task id, a date) and the arguments that take them."""


@dataclass(frozen=True, slots=True)
class Route:
    """The tools offered for one question, best first, and the names found in it."""

    tools: list[str]
    entities: list[Entity] = field(default_factory=list)


class ToolRouter:
    """Routes questions to at most ``k`` tools of ``tools`` (the server's ``tools/list``)."""

    def __init__(self, tools: Sequence[ToolInfo], entities: Sequence[Entity] = ()) -> None:
        self.tools = [t for t in tools if t.name not in HIDDEN]
        self.names = NameIndex(entities)
        by_name = {t.name for t in self.tools}
        self._alias_of = {t.name: m.group(1) for t in self.tools
                          if (m := ALIAS_OF.search(t.description)) and m.group(1) in by_name}
        self._takes = [_arguments(t) for t in self.tools]
        self._bm25 = bm25s.BM25()
        self._bm25.index([_document(t) for t in self.tools], show_progress=False)

    def route(self, question: str, k: int = DEFAULT_K) -> Route:
        """The ``k`` tools most likely to answer ``question``, and the names it mentions."""
        entities = self.names.find(question)
        scores = self.scores(question, entities)
        writes = bool(WRITE_INTENT.search(question))
        chosen: list[str] = []
        for i in np.argsort(-scores, kind="stable"):
            tool = self.tools[int(i)]
            if len(chosen) >= k:
                break
            if not tool.read_only and not writes:
                continue
            if self._alias_of.get(tool.name) in chosen or tool.name in (
                    self._alias_of.get(c) for c in chosen):
                continue
            chosen.append(tool.name)
        return Route(chosen, entities)

    def scores(self, question: str, entities: Iterable[Entity] = ()) -> np.ndarray:
        """Each tool's score for ``question``: BM25, then name and composite boosts."""
        query = [t for t in terms(question) if t in self._bm25.vocab_dict]
        raw = np.asarray(self._bm25.get_scores(query), dtype=float) if query else \
            np.zeros(len(self.tools))
        top = float(raw.max()) if raw.size and raw.max() > 0 else 1.0
        scores = raw / top
        kinds = {e.kind for e in entities}
        cues = [(args, boost) for pattern, args, boost in CUES if pattern.search(question)]
        for i, tool in enumerate(self.tools):
            takes = self._takes[i]
            scores[i] += sum(boost for args, boost in cues if takes & args)
            lifts = [(kind, ENTITY_BOOST[kind]) for kind in kinds
                     if takes & set(ARGUMENTS_FOR[kind])]
            scores[i] += sum(b for kind, b in lifts if kind not in SCOPES)  # one scope counts
            scores[i] += max((b for kind, b in lifts if kind in SCOPES), default=0.0)
            if tool.name in COMPOSITE:
                scores[i] += COMPOSITE_BOOST
                if any(COMPOSITE_FOR.get(kind) == tool.name for kind in kinds):
                    scores[i] += COMPOSITE_BOOST
            if tool.name in self._alias_of:
                scores[i] -= 0.01  # the tool it copies ranks first
        return scores


def _arguments(tool: ToolInfo) -> frozenset[str]:
    return frozenset(tool.input_schema.get("properties", {}))


def _document(tool: ToolInfo) -> list[str]:
    """The words a tool is found by: name, description, arguments, users' words."""
    first = tool.description.split("\n", 1)[0]
    words = [tool.name, first, first, " ".join(_arguments(tool) - {"limit"}),
             KEYWORDS.get(tool.name, "")]
    return terms(" ".join(words)) or ["tool"]
