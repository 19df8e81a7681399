"""A running server keeps its startup objects out of the garbage collector's full walks."""

from __future__ import annotations

import gc

import httpx


def test_the_running_app_has_set_its_startup_objects_aside(api: httpx.Client) -> None:
    assert api.get("/health").status_code == 200
    assert gc.get_freeze_count() > 10_000  # the modules, the app, its routes
