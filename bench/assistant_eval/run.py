"""Evaluate the assistant on management questions over the seeded workspace.

    python bench/assistant_eval/run.py                       # routing recall + oracle
    python bench/assistant_eval/run.py --base-url http://127.0.0.1:8080/v1 --model gemma
    python bench/assistant_eval/run.py --dsn postgresql://…/clickup   # an existing database

Without ``--dsn`` it builds the workspace (seed 1, 800 tasks: simulator in-process, synced
into a fresh database that is dropped afterwards). Routing recall and the oracle need no
model; with ``--base-url`` each question is also asked through `Assistant.ask`. Prints a
Markdown table per question, then the totals.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench.assistant_eval` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.assistant_eval.evaluate import Score, ask_all, oracle, prepare, recall_at, route_all
from bench.assistant_eval.workspace import DEFAULT_ADMIN_DSN, fresh_workspace
from pydantic import SecretStr

from clickup_sync.assistant.llm import open_client
from clickup_sync.assistant.names import load_entities
from clickup_sync.assistant.router import ToolRouter
from clickup_sync.assistant.toolbelt import ToolBelt
from clickup_sync.config import Settings
from clickup_sync.store import connect


def _mark(value: bool | None) -> str:
    return "–" if value is None else ("yes" if value else "**no**")


def _share(values: Sequence[bool | None]) -> str:
    measured = [v for v in values if v is not None]
    if not measured:
        return "–"
    return f"{sum(measured)}/{len(measured)} ({100 * sum(measured) / len(measured):.0f}%)"


def table(scores: Sequence[Score], k: int) -> str:
    """The per-question table and the totals, in Markdown."""
    lines = [f"| question | expected tool | routed@{k} | oracle | chose | tool | args | answer |",
             "|---|---|---|---|---|---|---|---|"]
    for s in scores:
        text = s.case.text if len(s.case.text) <= 70 else s.case.text[:67] + "…"
        lines.append(f"| {text} | {' / '.join(s.case.tools)} | {_mark(s.routed)} | "
                     f"{_mark(s.oracle)} | {s.chose or '–'} | {_mark(s.tool_ok)} | "
                     f"{_mark(s.args_ok)} | {_mark(s.answer_ok)} |")
    lines.append(f"| **total ({len(scores)})** | | {_share([s.routed for s in scores])} | "
                 f"{_share([s.oracle for s in scores])} | | {_share([s.tool_ok for s in scores])}"
                 f" | {_share([s.args_ok for s in scores])} | "
                 f"{_share([s.answer_ok for s in scores])} |")
    return "\n".join(lines)


async def evaluate(dsn: str, *, k: int, base_url: str | None, model: str | None,
                   mode: str, timeout: float, ask: set[str] | None = None) -> list[Score]:
    """Route every question, check the oracle, and ask the model when one is given."""
    settings = Settings(_env_file=None, database_url=SecretStr(dsn),  # type: ignore[call-arg]
                        data_dir=None)
    with connect(dsn, autocommit=True) as conn:
        cases = prepare(conn, tz=settings.timezone)
    async with ToolBelt.in_process(settings, dsn) as belt:
        router = ToolRouter(await belt.list_tools(), await load_entities(belt.call))
        scores = route_all(router, cases, k)
        await oracle(belt.call, scores)
        if base_url:
            from clickup_sync.assistant.loop import Assistant

            client = open_client(settings, base_url=base_url, timeout=timeout)

            def make(confirm: Any) -> Assistant:
                return Assistant(belt, client, model or settings.lm_studio_model, router=router,
                                 max_tools=k, mode=mode, confirm=confirm)  # type: ignore[arg-type]

            await ask_all(make, [s for s in scores if not ask or s.case.question.id in ask])
    return scores


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dsn", help="an existing synced database (default: build one)")
    ap.add_argument("--admin-dsn", default=DEFAULT_ADMIN_DSN,
                    help="server to build the workspace on (without --dsn)")
    ap.add_argument("--tasks", type=int, default=800)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--k", type=int, default=8, help="tools offered per question")
    ap.add_argument("--base-url", help="OpenAI-compatible model server, e.g. …:1234/v1")
    ap.add_argument("--model", help="model name on that server")
    ap.add_argument("--mode", default="auto", choices=["auto", "tools", "json"])
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--details", action="store_true", help="print what each question missed")
    ap.add_argument("--ask", help="comma-separated question ids to ask the model (default: all)")
    args = ap.parse_args()
    started = time.monotonic()
    where = nullcontext(args.dsn) if args.dsn else fresh_workspace(
        args.admin_dsn, seed=args.seed, tasks=args.tasks)
    with where as dsn:
        scores = asyncio.run(evaluate(dsn, k=args.k, base_url=args.base_url, model=args.model,
                                      mode=args.mode, timeout=args.timeout,
                                      ask=set(args.ask.split(",")) if args.ask else None))
    print(table(scores, args.k))
    print("\nrouting recall: " + ", ".join(f"@{n} {100 * recall_at(scores, n):.0f}%"
                                         for n in (1, 3, 5, args.k)))
    if args.details:
        for s in scores:
            if s.detail or not s.routed:
                print(f"- {s.case.question.id}: offered {s.offered}; " + "; ".join(s.detail))
    print(f"\n{time.monotonic() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
