"""Names in a question: who and what it is about, matched to the Workspace's own names.

The names come from the MCP server's ``list_names`` tool (`load_entities`), so the
assistant knows them the same way in-process or over ``--mcp-url``. `NameIndex.find` looks
for them in a question forgivingly (case, possessives, a typo: rapidfuzz), and also by a
person's first or last name alone when only one person has it.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, cast, get_args

from rapidfuzz import fuzz, process

from .catalog import Entity, EntityKind, ToolOutput
from .vocabulary import STOPWORDS, words

NAMES_TOOL = "list_names"
Call = Callable[[str, dict[str, Any]], Awaitable[ToolOutput]]

FUZZY = 88.0
"""A span this similar to a name (rapidfuzz ratio, 0-100) is taken to mean it."""
MIN_FUZZY_CHARS = 5
"""Shorter spans must match exactly: "Ops" and "Obs" are different words."""
MAX_SPAN = 6
COMMON = STOPWORDS | words(
    "task tasks team project projects list lists space spaces folder folders report week "
    "time hours status open done new")
"""Words never taken alone as a name, even when a List or status is called that."""

_WORD = re.compile(r"[\w'’-]+")
_KINDS = frozenset(get_args(EntityKind))


async def load_entities(call: Call) -> list[Entity]:
    """The names the server knows, read with its ``list_names`` tool through ``call``."""
    output = await call(NAMES_TOOL, {})
    if output.is_error or not output.data:
        raise RuntimeError(f"{NAMES_TOOL} failed: {output.text[:200]}")
    columns = output.data.get("columns", [])
    rows = [dict(zip(columns, row, strict=False)) for row in output.data.get("rows", [])]
    return [Entity(cast(EntityKind, r["kind"]), str(r["name"]), str(r.get("id") or ""))
            for r in rows if r.get("kind") in _KINDS and r.get("name")]


def _normal(text: str) -> str:
    words = (w.lower().replace("’", "'") for w in _WORD.findall(text))
    return " ".join(w[:-2] if w.endswith("'s") else w.strip("'") for w in words)


class NameIndex:
    """Finds the Workspace's names in questions."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.by_name: dict[str, list[Entity]] = {}
        for entity in _unique(entities):
            key = _normal(entity.name)
            if key and key not in COMMON:
                self.by_name.setdefault(key, []).append(entity)
        self.short: dict[str, Entity] = {}
        firsts: dict[str, list[Entity]] = {}
        for entity in _unique(entities):
            if entity.kind == "person":
                parts = _normal(entity.name).split()
                for part in {parts[0], parts[-1]} if len(parts) > 1 else ():
                    firsts.setdefault(part, []).append(entity)
        self.short = {p: es[0] for p, es in firsts.items()
                      if len(es) == 1 and p not in COMMON and p not in self.by_name}
        self._keys = list(self.by_name)

    def find(self, question: str) -> list[Entity]:
        """The names ``question`` mentions, in the order they appear (longest span wins)."""
        words = _normal(question).split()
        hits: list[tuple[float, int, int, list[Entity]]] = []
        for size in range(min(MAX_SPAN, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                span = " ".join(words[start:start + size])
                if all(w in COMMON for w in span.split()):
                    continue
                found = self._match(span, size)
                if found:
                    hits.append((found[0], size, start, found[1]))
        taken: set[int] = set()
        chosen: list[tuple[int, list[Entity]]] = []
        for _, size, start, entities in sorted(hits, key=lambda h: (-h[0], -h[1], h[2])):
            cover = set(range(start, start + size))
            if cover & taken:
                continue
            taken |= cover
            chosen.append((start, entities))
        return [e for _, es in sorted(chosen, key=lambda c: c[0]) for e in es]

    def _match(self, span: str, size: int) -> tuple[float, list[Entity]] | None:
        if span in self.by_name:
            return 100.0, self.by_name[span]
        if size == 1 and span in self.short:
            return 99.0, [self.short[span]]
        if len(span) < MIN_FUZZY_CHARS or not self._keys:
            return None
        best = process.extractOne(span, self._keys, scorer=fuzz.ratio, score_cutoff=FUZZY)
        if best is None:
            return None
        return float(best[1]), self.by_name[best[0]]


def _unique(entities: Sequence[Entity]) -> list[Entity]:
    """One entity per kind and name; the id is kept only when the name is unambiguous."""
    seen: dict[tuple[str, str], Entity] = {}
    for e in entities:
        key = (e.kind, e.name.casefold())
        if key in seen and seen[key].id != e.id:
            seen[key] = Entity(e.kind, seen[key].name, "")
        else:
            seen.setdefault(key, e)
    return list(seen.values())
