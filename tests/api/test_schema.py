"""Schemathesis against the served OpenAPI document: generated requests, valid and invalid,
never get a server error or a response the document does not describe.

Every read operation is exercised (with the API key, over a real socket); the sync triggers
are left out because each call starts real work (they are covered in test_sync). The
number of examples per operation is bounded so the whole run stays short.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from .conftest import API_KEY

TRIGGERS = r"^/sync/(tasks|employees|daily)$"


@pytest.fixture(scope="session")
def api_schema(api_url: str) -> Any:
    return schemathesis.openapi.from_url(f"{api_url}/openapi.json")


@pytest.fixture(scope="session")
def session() -> Iterator[requests.Session]:
    """One HTTP session for all the generated requests: kept-alive connections, so each
    case costs a request to the API, not a new connection as well."""
    with requests.Session() as http:
        yield http


schema = schemathesis.pytest.from_fixture("api_schema").exclude(path_regex=TRIGGERS)


@schema.parametrize()
@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_generated_requests_get_documented_answers(case: schemathesis.Case,
                                                   session: requests.Session) -> None:
    # Every check but "schema-valid data is accepted": a well-formed name that names
    # nothing (a Space, a person) or a date in the future is rightly refused with 422.
    case.call_and_validate(session=session, headers={"X-API-Key": API_KEY},
                           excluded_checks=[positive_data_acceptance])


def test_the_document_covers_every_route(api_schema: Any) -> None:
    paths = {op.path for op in api_schema.get_all_operations() if hasattr(op, "path")} | {
        result.ok().path for result in api_schema.get_all_operations()
        if hasattr(result, "ok")}
    for path in ("/employees", "/tasks", "/tasks/by-employee", "/tasks/with-time",
                 "/tasks/with-comments", "/tasks/{task_id}", "/dependencies/{task_id}",
                 "/daily-sync", "/time-entries", "/comments", "/hierarchy", "/sync/runs",
                 "/sync/runs/{run_id}", "/metrics", "/health", "/analytics/workload"):
        assert path in paths, path
