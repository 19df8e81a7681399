"""The units of work pytest-xdist hands to its workers (tests/scheduling.py)."""

from __future__ import annotations

import pytest

from tests.scheduling import scope_of


@pytest.mark.parametrize(("nodeid", "scope"), [
    ("tests/api/test_schema.py::test_generated_requests_get_documented_answers",
     "tests/api"),
    ("tests/mcp/test_answers.py::test_status_summary_of_a_space_by_name", "tests/mcp"),
    ("tests/analytics/test_flow.py::test_x[a::b/c]", "tests/analytics"),
    ("tests/assistant/test_cli.py::TestChat::test_y", "tests/assistant"),
    ("tests/sync/test_processes.py::test_killed_syncs_resume_and_converge",
     "tests/sync/test_processes.py"),
    ("tests/store/test_bulk.py::TestUpsert::test_z[1]", "tests/store/test_bulk.py"),
    ("tests/test_docs.py::test_every_command_is_documented_with_an_example",
     "tests/test_docs.py"),
])
def test_rooms_with_synced_workspaces_are_one_unit_other_tests_go_by_module(
        nodeid: str, scope: str) -> None:
    assert scope_of(nodeid) == scope
