"""The ``clickup-sync`` command: a thin shell over the library.

Human-readable output by default, ``--json`` where a machine reads it. An error is one
sentence and a non-zero exit, never a traceback. What only some commands need (the
simulator's server, the schedule, the verifier, the MCP SDK, the model client, the report's
charts) is imported inside them, so every command starts without loading the others'.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console

from .clickup import ClickUpError
from .config import Settings
from .simulator.state import PLAN_LIMITS  # not the simulator's server: see `simulator`
from .store import StoreError, connect, pending, redact, resolve_dsn, runs
from .store.snapshots import take_snapshot
from .sync import RunResult
from .sync.runner import NotConfigured, lower_priority, open_engine, prepare_database

if TYPE_CHECKING:
    from rich.progress import Progress

    from .simulator import Simulator

app = typer.Typer(help="Mirror a ClickUp workspace into PostgreSQL and ask it questions.",
                  no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="The database: migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")
report_app = typer.Typer(help="Executive reports from the synced data.", no_args_is_help=True)
app.add_typer(report_app, name="report")
console = Console(stderr=True)
out = Console()


def _fail(message: str) -> None:
    console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(1)


@app.callback()
def main(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log each API call.")
         ) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _settings(**overrides: Any) -> Settings:
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        _fail(f"setting {'.'.join(str(p) for p in first['loc']).upper()}: {first['msg']}")
        raise  # unreachable: _fail exits


@contextmanager
def _errors() -> Iterator[None]:
    """Turn the library's expected failures into one sentence."""
    try:
        yield
    except (StoreError, NotConfigured, ClickUpError, LookupError) as exc:
        _fail(str(exc))


def _database(settings: Settings) -> str:
    with _errors():
        return prepare_database(settings)
    raise AssertionError  # pragma: no cover


class _Progress:
    """Rich progress bars, one per sync stage."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.bars: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if stage not in self.bars:
            self.bars[stage] = self.progress.add_task(stage, total=total)
        self.progress.update(self.bars[stage], completed=done, total=total)


def _run_sync(settings: Settings, dsn: str, *, full: bool, comments: float | None,
              show: bool) -> RunResult:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (TextColumn("{task.description:>14}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=console, disable=not show, transient=False) as progress:

        async def go() -> RunResult:
            async with open_engine(settings, dsn, _Progress(progress)) as engine:
                return await engine.run(full=full, comments_seconds=comments)

        with _errors():
            return asyncio.run(go())
    raise AssertionError  # pragma: no cover


def _print_result(result: RunResult, as_json: bool) -> None:
    if as_json:
        out.print_json(json.dumps({"run_id": result.run_id, "status": result.status,
                                   "kind": result.kind, "counts": result.counts,
                                   "api_calls": result.api_calls, "errors": result.errors,
                                   "seconds": round(result.seconds, 2),
                                   "comments_waiting": result.comments_waiting}))
        return
    counts = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in result.counts.items())
    colour = {"ok": "green", "skipped": "yellow"}.get(result.status, "red")
    console.print(f"[{colour}]{result.kind} sync {result.status}[/{colour}] "
                  f"in {result.seconds:.1f} s with {result.api_calls:,} API calls: {counts}")
    if result.comments_waiting:
        console.print(f"  comments of {result.comments_waiting:,} tasks are still to read; "
                      "later runs read them")
    for err in result.errors[:10]:
        console.print(f"  [yellow]•[/yellow] {err}")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply pending migrations (start-up does this too).

    Example: clickup-sync db upgrade
    """
    settings = _settings()
    with _errors():
        url = settings.database_url.get_secret_value() if settings.database_url else None
        with connect(resolve_dsn(url, settings.data_dir)) as conn:
            todo = [m.version for m in pending(conn)]
    _database(settings)
    console.print(f"applied: {', '.join(todo)}" if todo else "the database is up to date")


@app.command()
def sync(full: bool = typer.Option(False, help="Re-read everything and find deletions."),
         all_comments: bool = typer.Option(False, "--all-comments",
                                           help="Read every waiting task's comments now."),
         as_json: bool = typer.Option(False, "--json", help="Print the result as JSON.")
         ) -> None:
    """Sync once: only what changed, or everything with --full.

    Example: clickup-sync sync --full
    """
    settings = _settings()
    dsn = _database(settings)  # an embedded server started here keeps full priority
    lower_priority(settings)  # batch work: API and MCP readers on these cores come first
    result = _run_sync(settings, dsn, full=full, comments=None if all_comments else -1.0,
                       show=not as_json)
    _print_result(result, as_json)
    if result.status == "failed":
        raise typer.Exit(1)


@app.command()
def snapshot() -> None:
    """Take today's snapshot of every task (the schedule does this daily).

    Example: clickup-sync snapshot
    """
    dsn = _database(_settings())
    with _errors(), connect(dsn, autocommit=True) as conn, conn.transaction():
        rows = take_snapshot(conn)
    console.print(f"snapshot of {rows:,} tasks taken")


@app.command()
def status(as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Show the last sync runs, the sync lag and the API calls they used.

    Example: clickup-sync status
    """
    from rich.table import Table

    dsn = _database(_settings())
    with _errors(), connect(dsn, autocommit=True) as conn:
        recent = runs.recent_runs(conn, 10)
        counts = conn.execute(
            """SELECT (SELECT count(*) FROM clickup_tasks WHERE NOT is_deleted),
                      (SELECT count(*) FROM time_entries WHERE NOT is_deleted),
                      (SELECT count(*) FROM comments WHERE NOT is_deleted),
                      (SELECT extract(epoch FROM now() - max(finished_at))::int
                         FROM sync_runs WHERE status = 'ok')""").fetchone()
    assert counts is not None
    if as_json:
        out.print_json(json.dumps({
            "tasks": counts[0], "time_entries": counts[1], "comments": counts[2],
            "lag_seconds": counts[3],
            "runs": [{"id": r.id, "kind": r.kind, "status": r.status,
                      "started_at": r.started_at.isoformat(), "api_calls": r.api_calls,
                      "tasks": r.tasks_upserted, "errors": r.errors} for r in recent]}))
        return
    lag = "never synced" if counts[3] is None else f"last good sync {counts[3]} s ago"
    console.print(f"{counts[0]:,} tasks, {counts[1]:,} time entries, {counts[2]:,} comments; "
                  f"{lag}")
    table = Table("run", "kind", "status", "started", "seconds", "API calls", "tasks")
    for r in recent:
        took = (r.finished_at - r.started_at).total_seconds() if r.finished_at else None
        table.add_row(str(r.id), r.kind, r.status, f"{r.started_at:%Y-%m-%d %H:%M:%S}",
                      "-" if took is None else f"{took:.1f}", f"{r.api_calls:,}",
                      f"{r.tasks_upserted:,}")
    out.print(table)


@app.command()
def verify(comments: bool = typer.Option(False, help="Compare comments too (a call a task)."),
           limit: int = typer.Option(50, help="Differences to print.")) -> None:
    """Re-read ClickUp fully and list every difference; exit 1 if there are any.

    Example: clickup-sync verify
    """
    from .sync.verify import verify as verify_sync

    settings = _settings()
    dsn = _database(settings)

    async def go() -> Any:
        async with open_engine(settings, dsn) as engine:
            team = await engine.resolve_team()
            return await verify_sync(engine.client, dsn, team, comments=comments)

    with _errors():
        report = asyncio.run(go())
    checked = ", ".join(f"{v:,} {k}s" for k, v in report.checked.items())
    if not report.differences:
        console.print(f"[green]no differences[/green] ({checked})")
        return
    for line in report.differences[:limit]:
        out.print(line)
    console.print(f"[red]{len(report.differences):,} differences[/red] ({checked})")
    raise typer.Exit(1)


def _wait_for_interrupt() -> None:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()


def _schedule(settings: Settings, dsn: str, on_result: Callable[[RunResult], None],
              ready: str) -> None:
    """Run the schedule until Ctrl+C; print ``ready`` once Ctrl+C stops it cleanly."""
    from .sync.scheduler import run_forever

    async def go() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        console.print(ready)
        async with open_engine(settings, dsn) as engine:
            await run_forever(settings, engine, dsn, on_result, stop)

    with _errors():
        asyncio.run(go())


ApiKey = Annotated[str | None, typer.Option(
    "--api-key", show_default=False,
    help="Key every REST route but /health requires (X-API-Key header or Bearer); "
         "default: API_KEY.")]
CorsOrigin = Annotated[list[str], typer.Option(
    "--cors-origin", show_default=False,
    help="Browser origin allowed to call the REST API; repeat for several; default: "
         "CORS_ORIGINS (none: CORS off).")]
ApiHost = Annotated[str, typer.Option("--host", help="Address the REST API binds.")]
ApiPort = Annotated[int, typer.Option("--port", help="Port the REST API listens on.")]


def _api_settings(api_key: str | None, cors_origin: list[str]) -> Settings:
    """Settings, with the command line's key and origins over API_KEY and CORS_ORIGINS."""
    overrides: dict[str, Any] = {"api_key": api_key} if api_key else {}
    if cors_origin:
        overrides["cors_origins"] = cors_origin
    return _settings(**overrides)


def _warn_if_open(settings: Settings, host: str) -> None:
    if not settings.api_key and host not in ("127.0.0.1", "localhost", "::1"):
        console.print("[yellow]warning:[/yellow] no --api-key: anyone reaching this address "
                      "can read the data and start syncs")


@contextmanager
def _rest_api(settings: Settings, dsn: str, host: str, port: int) -> Iterator[str]:
    """Serve the REST API from its own process for the block (``run``, ``demo``), so syncs
    here never hold up its requests; yield its URL."""
    from .api.process import ApiStartError, serving_in_process

    try:
        with serving_in_process(settings, dsn, host, port) as url:
            console.print(f"REST API at {url} (docs at {url}/docs)"
                          f"{'; API key required' if settings.api_key else ''}")
            _warn_if_open(settings, host)
            yield url
    except ApiStartError as exc:
        _fail(str(exc))


@app.command()
def run(
    api: bool = typer.Option(True, "--api/--no-api", help="Serve the REST API beside the "
                                                          "schedule."),
    host: ApiHost = "127.0.0.1", port: ApiPort = 8000,
    api_key: ApiKey = None, cors_origin: CorsOrigin = [],  # noqa: B006
) -> None:
    """Keep the database current (sync every 45 s, daily snapshot) and serve the REST API.

    Example: clickup-sync run --port 8000   (with CLICKUP_API_TOKEN set; --no-api: sync only)
    """
    settings = _api_settings(api_key, cors_origin)
    dsn = _database(settings)
    with _rest_api(settings, dsn, host, port) if api else nullcontext():
        _schedule(settings, dsn, lambda r: _print_result(r, False),
                  f"syncing every {settings.sync_interval_seconds:g} s; daily snapshot at "
                  f"{settings.snapshot_time} {settings.timezone}. Ctrl+C stops.")


@app.command("mcp")
def mcp_server(
    transport: str = typer.Option("stdio", help="stdio (the client starts this command), "
                                  "http (streamable HTTP at /mcp) or sse (/sse, older clients)."),
    host: str = typer.Option("127.0.0.1", help="Address to bind (http, sse)."),
    port: int = typer.Option(8001, help="Port to listen on (http, sse)."),
    token: str | None = typer.Option(None, envvar="MCP_TOKEN",
                                     help="Bearer token HTTP and SSE clients must send."),
) -> None:
    """Serve the analytics as MCP tools to an LLM client (LM Studio, Claude Desktop, ...).

    Example: clickup-sync mcp --transport http
    """
    from .mcp import run_server  # the MCP SDK loads only for this command

    if transport not in ("stdio", "http", "sse"):
        _fail(f"unknown transport {transport!r}; choose stdio, http or sse")
    settings = _settings()
    dsn = _database(settings)
    if transport != "stdio":  # stdout belongs to the protocol on stdio; this goes to stderr
        path = "/mcp" if transport == "http" else "/sse"
        console.print(f"MCP server ({transport}) at http://{host}:{port}{path}"
                      f"{'; bearer token required' if token else ''}. Ctrl+C stops.")
        if not token and host not in ("127.0.0.1", "localhost", "::1"):
            console.print("[yellow]warning:[/yellow] no --token: anyone reaching this address "
                          "can use every tool, create_task and update_task included")
    try:
        with _errors():
            run_server(settings, dsn, transport=transport,  # type: ignore[arg-type]
                       host=host, port=port, token=token)
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        _fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")


@report_app.command("weekly")
def report_weekly(
    space: str | None = typer.Option(None, help="Only this Space (name or id)."),
    folder: str | None = typer.Option(None, help="Only this Folder (name or id)."),
    list_: str | None = typer.Option(None, "--list", help="Only this List (name or id)."),
    week: str | None = typer.Option(None, help="ISO week (2026-W47) or a date inside it; "
                                    "default: the last complete week, in TIMEZONE."),
    output: Path | None = typer.Option(None, "--out", "-o", help="File to write (.md or "
                                       ".html); Markdown charts go beside it as PNG files. "
                                       "Default: standard output."),
    fmt: str | None = typer.Option(None, "--format", help="md or html; default: from --out's "
                                   "suffix, else md."),
    no_ai: bool = typer.Option(False, "--no-ai", help="Do not ask the model: the summary and "
                               "recommendations come from the numbers."),
) -> None:
    """Write the weekly executive report: task distribution, time spent, throughput, cycle
    time, blockers, overdue and at-risk work, workload, week over week, with charts.

    Example: clickup-sync report weekly --space Engineering --week 2026-W47 --out weekly.html
    """
    from .analytics import AnalyticsError
    from .assistant.report import make_weekly, pick_format  # matplotlib loads only here

    try:
        kind = pick_format(fmt, output)
    except ValueError as exc:
        _fail(str(exc))
    settings = _settings()
    dsn = _database(settings)
    if not no_ai:
        console.print(f"Asking {settings.lm_studio_model} at {settings.lm_studio_base_url} "
                      "for the summary…")
    try:
        with _errors():
            report = make_weekly(settings, dsn, space=space, folder=folder, list_=list_,
                                 week=week, ai=not no_ai)
    except AnalyticsError as exc:
        _fail(str(exc))
    if report.narrative.note and not no_ai:
        console.print(f"[yellow]note:[/yellow] {report.narrative.note}; the summary and "
                      "recommendations come from the numbers")
    if output is None:
        typer.echo(report.html() if kind == "html" else report.markdown())
        return
    written = report.save(output, kind)
    console.print(f"Wrote {output}" + (f" and {len(written) - 1} charts beside it"
                                       if len(written) > 1 else ""))


@app.command()
def serve(
    host: ApiHost = "127.0.0.1", port: ApiPort = 8000,
    api_key: ApiKey = None, cors_origin: CorsOrigin = [],  # noqa: B006
) -> None:
    """Serve the synced data and the analytics as a REST API (OpenAPI docs at /docs).

    Example: clickup-sync serve --port 8000
    """
    from .api import serve as serve_api

    settings = _api_settings(api_key, cors_origin)
    dsn = _database(settings)
    console.print(f"REST API at http://{host}:{port} (docs at /docs)"
                  f"{'; API key required' if settings.api_key else ''}. Ctrl+C stops.")
    _warn_if_open(settings, host)
    try:
        with _errors():
            serve_api(settings, dsn, host=host, port=port)
    except KeyboardInterrupt:
        pass
    except OSError as exc:
        _fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")


@app.command()
def simulator(
    seed: int = typer.Option(1, help="Seed of the generated workspace (same seed, same data)."),
    tasks: int = typer.Option(5000, min=1, help="How many tasks (subtasks included)."),
    host: str = typer.Option("127.0.0.1", help="Address to bind."),
    port: int = typer.Option(8900, help="Port to listen on."),
    plan: str = typer.Option("business", help=f"ClickUp plan: {', '.join(PLAN_LIMITS)}."),
    token: str = typer.Option("pk_demo", help="The API token the simulator accepts."),
    rate_window: float = typer.Option(60.0, help="Rate-limit window in seconds (ClickUp: 60)."),
    unknown_id_status: int = typer.Option(401, help="Status for unknown ids: 401 (ClickUp) "
                                                    "or 404."),
    error_rate: float = typer.Option(0.0, help="Share of requests answered 500/502/503."),
    rate_limit_rate: float = typer.Option(0.0, help="Share of requests starting a 429 burst."),
    slow_rate: float = typer.Option(0.0, help="Share of slow responses."),
    drop_rate: float = typer.Option(0.0, help="Share of connections dropped mid-body."),
    truncate_rate: float = typer.Option(0.0, help="Share of 200s with a cut JSON body."),
) -> None:
    """Serve a generated ClickUp workspace as ClickUp API v2.

    Example: clickup-sync simulator --seed 1 --tasks 5000 --port 8900 --plan business
    --token pk_demo
    """
    from .simulator import FaultConfig, Simulator

    if plan not in PLAN_LIMITS:
        _fail(f"unknown plan {plan!r}; choose one of {', '.join(PLAN_LIMITS)}")
    if unknown_id_status not in (401, 404):
        _fail("--unknown-id-status must be 401 or 404")
    try:
        faults = FaultConfig(error_rate=error_rate, rate_limit_rate=rate_limit_rate,
                             slow_rate=slow_rate, drop_rate=drop_rate,
                             truncate_rate=truncate_rate, seed=seed)
        with console.status(f"Generating {tasks:,} tasks (seed {seed})…"):
            sim = Simulator.generate(seed=seed, tasks=tasks, plan=plan, token=token,
                                     rate_window=rate_window,
                                     unknown_id_status=unknown_id_status, faults=faults)
    except ValueError as exc:
        _fail(str(exc))
    try:
        with sim.serve(host, port) as base_url:
            _announce(sim, base_url, token)
            console.print("Press Ctrl+C to stop.")
            _wait_for_interrupt()
    except OSError as exc:
        _fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
    finally:
        sim.close()


def _announce(sim: Simulator, base_url: str, token: str) -> None:
    ws = sim.workspace
    console.print(f"[green]ClickUp API v2 simulator[/green] at [bold]{base_url}[/bold]")
    console.print(f"  workspace {ws.name!r} (team id {ws.id}): {len(ws.tasks):,} tasks, "
                  f"{len(ws.members)} members, {len(ws.time_entries):,} time entries, "
                  f"{len(ws.comments):,} comments")
    console.print(f"  token: {token}   plan: {sim.config.plan} "
                  f"({sim.rate_limit_for(sim.config.plan)} requests per "
                  f"{sim.config.rate_window:g} s)")
    console.print(f"  try: curl -H 'Authorization: {token}' {base_url}/team")
    admin = base_url.removesuffix("/api/v2") + "/_simulator"
    console.print(f"  admin: POST {admin}/advance  GET {admin}/stats  GET {admin}/state")


@app.command()
def demo(
    port: int = typer.Option(8900, help="Port of the simulator."),
    tasks: int = typer.Option(2000, min=1, help="Tasks in the demo workspace."),
    once: bool = typer.Option(False, help="Sync once and stop instead of keeping in sync."),
    api: bool = typer.Option(True, "--api/--no-api", help="Serve the REST API (with a new "
                                                          "API key) while in sync."),
    api_port: int = typer.Option(8000, help="Port of the REST API."),
) -> None:
    """Try clickup-sync with no ClickUp account: simulator + embedded PostgreSQL + sync + API.

    Example: clickup-sync demo
    """
    from .simulator import Simulator

    console.print("[bold]clickup-sync demo[/bold]: a simulated ClickUp workspace (seed 1), "
                  "synced into PostgreSQL.")
    with console.status(f"Generating {tasks:,} tasks…"):
        sim = Simulator.generate(seed=1, tasks=tasks, token="pk_demo", plan="business_plus")
    try:
        with sim.serve("127.0.0.1", port) as base_url:
            _announce(sim, base_url, "pk_demo")
            os.environ.pop("CLICKUP_TEAM_ID", None)
            settings = _settings(clickup_api_token="pk_demo", clickup_api_url=base_url,
                                 clickup_team_id=None, api_key=secrets.token_urlsafe(16))
            with console.status("Starting PostgreSQL…"):
                dsn = _database(settings)
            result = _run_sync(settings, dsn, full=False, comments=None, show=True)
            _print_result(result, False)
            _next_steps(settings, dsn)
            if not once:
                with _rest_api(settings, dsn, "127.0.0.1", api_port) if api \
                        else nullcontext() as api_url:
                    if api_url:
                        _try_the_api(settings, api_url)
                    _schedule(settings, dsn, lambda r: _advance_and_print(sim, r),
                              f"Keeping in sync every {settings.sync_interval_seconds:g} s "
                              "(the simulated team keeps working). Ctrl+C stops.")
    except OSError as exc:
        _fail(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}")
    finally:
        sim.close()


def _try_the_api(settings: Settings, url: str) -> None:
    assert settings.api_key is not None
    key = settings.api_key.get_secret_value()  # the demo's own key, made to be shown
    console.print(f"  API key: {key}")
    console.print(f"  try: curl -H 'X-API-Key: {key}' '{url}/tasks?limit=5'")
    console.print(f"       curl -H 'X-API-Key: {key}' {url}/analytics/status-summary")
    console.print(f"       {url}/docs   # every route, in the browser")


def _advance_and_print(sim: Simulator, result: RunResult) -> None:
    _print_result(result, False)
    sim.advance(30)  # the simulated team works on between two syncs


def _next_steps(settings: Settings, dsn: str) -> None:
    console.print("[bold]Try next[/bold] (in another terminal):")
    console.print("  clickup-sync status          # what was synced, and how it went")
    console.print(f"  CLICKUP_API_URL={settings.clickup_api_url} CLICKUP_API_TOKEN=pk_demo "
                  "clickup-sync verify   # compare the database with ClickUp")
    console.print(f"  psql '{redact(dsn)}'   # password: in the embedded server's data folder")
    console.print("  then: SELECT title, status, assignee_name, tracked_minutes FROM tasks "
                  "ORDER BY date_updated DESC LIMIT 10;")
    console.print(f"  The simulator stays at {settings.clickup_api_url} while the demo runs.")


_MCP_URL = typer.Option(None, "--mcp-url", help="Use a running MCP server "
                        "(clickup-sync mcp --transport http) instead of an in-process one.")
_MCP_TOKEN = typer.Option(None, "--mcp-token", envvar="MCP_TOKEN",
                          help="Bearer token for --mcp-url.")
_MODEL = typer.Option(None, "--model", help="Model name (default: LM_STUDIO_MODEL).")
_BASE_URL = typer.Option(None, "--base-url", help="OpenAI-compatible server "
                         "(default: LM_STUDIO_BASE_URL).")
_MODE = typer.Option(None, "--mode", help="How the model picks a tool: auto, json or tools "
                     "(default: ASSISTANT_TOOL_MODE).")


def _converse(mcp_url: str | None, mcp_token: str | None, model: str | None,
              base_url: str | None, mode: str | None, confirm: Any,
              talk: Callable[[Any], Any]) -> Any:
    """Open the assistant as the options say and run ``talk(assistant)`` in it."""
    from .assistant.chat import open_assistant  # the model client loads only for these
    from .assistant.toolbelt import ToolBeltError

    if mode not in (None, "auto", "json", "tools"):
        _fail(f"unknown mode {mode!r}; choose auto, json or tools")
    settings = _settings()
    dsn = None if mcp_url else _database(settings)

    async def go() -> Any:
        async with open_assistant(settings, dsn=dsn, mcp_url=mcp_url, mcp_token=mcp_token,
                                  model=model, base_url=base_url, mode=mode,  # type: ignore[arg-type]
                                  confirm=confirm) as assistant:
            return await talk(assistant)

    try:
        return asyncio.run(go())
    except ToolBeltError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        raise typer.Exit(130) from None


@app.command()
def ask(question: str = typer.Argument(..., help="The question, in plain words."),
        mcp_url: str | None = _MCP_URL, mcp_token: str | None = _MCP_TOKEN,
        model: str | None = _MODEL, base_url: str | None = _BASE_URL,
        mode: str | None = _MODE,
        yes: bool = typer.Option(False, "--yes", help="Allow calls that change ClickUp "
                                 "(create_task, update_task); refused otherwise."),
        as_json: bool = typer.Option(False, "--json", help="Print the answer, the calls "
                                     "and their results as JSON.")) -> None:
    """Answer one question about the workspace with the local model and the MCP tools.

    Example: clickup-sync ask "Which employee has the most overdue tasks and why?"
    """
    from .assistant.chat import as_json as answer_json
    from .assistant.chat import ask_once

    answer = _converse(mcp_url, mcp_token, model, base_url, mode,
                       (lambda name, arguments: True) if yes else None,
                       lambda assistant: ask_once(assistant, question, console))
    if as_json:
        out.print_json(answer_json(answer))
    elif answer.text:
        out.print(answer.text, markup=False, highlight=False)
    if not yes and any("not confirmed" in note for note in answer.notes):
        console.print("[dim]add --yes to allow calls that change ClickUp[/dim]")
    if answer.error:
        _fail(answer.error)


@app.command()
def chat(mcp_url: str | None = _MCP_URL, mcp_token: str | None = _MCP_TOKEN,
         model: str | None = _MODEL, base_url: str | None = _BASE_URL,
         mode: str | None = _MODE,
         yes: bool = typer.Option(False, "--yes", help="Allow calls that change ClickUp "
                                  "without asking each time.")) -> None:
    """Talk with the assistant: it keeps the conversation and shows each tool it runs.

    Example: clickup-sync chat --model gemma-3-4b
    """
    from .assistant.chat import ask_confirmation, run_chat

    _converse(mcp_url, mcp_token, model, base_url, mode,
              (lambda name, arguments: True) if yes else ask_confirmation(),
              lambda assistant: run_chat(assistant, console, out))


if __name__ == "__main__":  # pragma: no cover
    app()
