"""The client reads ClickUp from the spec on its own: it imports nothing of the simulator."""

from __future__ import annotations

import ast
from pathlib import Path

import clickup_sync.clickup

PACKAGE = Path(clickup_sync.clickup.__file__).parent


def test_the_client_imports_no_simulator_code() -> None:
    imported: set[str] = set()
    for source in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                imported.add("." * node.level + (node.module or ""))
    assert imported and not [name for name in imported if "simulator" in name]
    assert not [name for name in imported if name.startswith("clickup_sync.")
                or name.startswith("..")]
