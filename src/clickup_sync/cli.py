"""The ``clickup-sync`` command: a thin shell over the library.

Errors are one sentence and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import signal
import threading

import typer
from rich.console import Console

from .simulator import FaultConfig, Simulator
from .simulator.state import PLAN_LIMITS

app = typer.Typer(help="Mirror a ClickUp workspace into PostgreSQL and ask it questions.",
                  no_args_is_help=True, add_completion=False)
console = Console(stderr=True)


def _fail(message: str) -> None:
    console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(1)


def _wait_for_interrupt() -> None:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()


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
    _serve(sim, host, port, token)


def _serve(sim: Simulator, host: str, port: int, token: str) -> None:
    try:
        with sim.serve(host, port) as base_url:
            ws = sim.workspace
            console.print(f"[green]ClickUp API v2 simulator[/green] at [bold]{base_url}[/bold]")
            console.print(f"  workspace {ws.name!r} (team id {ws.id}): {len(ws.tasks):,} "
                          f"tasks, {len(ws.members)} members, {len(ws.time_entries):,} time "
                          f"entries, {len(ws.comments):,} comments")
            console.print(f"  token: {token}   plan: {sim.config.plan} "
                          f"({sim.rate_limit_for(sim.config.plan)} requests per "
                          f"{sim.config.rate_window:g} s)")
            console.print(f"  try: curl -H 'Authorization: {token}' {base_url}/team")
            admin = base_url.removesuffix("/api/v2") + "/_simulator"
            console.print(f"  admin: POST {admin}/advance  GET {admin}/stats  "
                          f"GET {admin}/state")
            console.print("Press Ctrl+C to stop.")
            _wait_for_interrupt()
    except OSError as exc:
        _fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
    finally:
        sim.close()


@app.command()
def demo(
    port: int = typer.Option(8900, help="Port of the simulator."),
    tasks: int = typer.Option(5000, min=1, help="Tasks in the demo workspace."),
) -> None:
    """Try clickup-sync with no ClickUp account: starts the ClickUp simulator.

    Example: clickup-sync demo
    """
    console.print("[bold]clickup-sync demo[/bold]: starting the ClickUp API simulator "
                  "(seed 1). Sync into PostgreSQL arrives with the next release.")
    with console.status(f"Generating {tasks:,} tasks…"):
        sim = Simulator.generate(seed=1, tasks=tasks, token="pk_demo")
    _serve(sim, "127.0.0.1", port, "pk_demo")


if __name__ == "__main__":  # pragma: no cover
    app()
