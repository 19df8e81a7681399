"""The tools, one module per subject; `TOOLBOXES` lists them in the order they are served."""

from . import flow, intelligence, metrics, names, projects, reports, syncing, tasks, workspace

TOOLBOXES = [workspace.box, tasks.box, metrics.box, flow.box, projects.box, intelligence.box,
             syncing.box, reports.box, names.box]

__all__ = ["TOOLBOXES"]
