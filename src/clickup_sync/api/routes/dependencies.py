"""Dependencies: what a task waits on and what it blocks."""

from __future__ import annotations

import json

from fastapi import APIRouter

from clickup_sync import analytics

from ..deps import Conn
from ..errors import INVALID, NOT_FOUND, NotFound
from ..models import Dependencies
from ..params import TaskIdPath

router = APIRouter(prefix="/dependencies", tags=["tasks"], responses={**INVALID, **NOT_FOUND})


@router.get("/{task_id}", response_model=Dependencies, summary="Get a task's dependencies")
def get_dependencies(conn: Conn, task_id: TaskIdPath) -> Dependencies:
    """The original `{"task_id", "dependencies"}` (the labels as JSON text), with each
    dependency as a record in `waiting_on` and `blocking`; 404 for an unknown task."""
    found = analytics.task_dependencies(conn, task_id)
    if found is None:
        raise NotFound(f"no task with id '{task_id}'")
    labels = found["labels"]
    return Dependencies(task_id=task_id,
                        dependencies=None if labels is None else json.dumps(labels),
                        waiting_on=found["waiting_on"], blocking=found["blocking"])
