"""The MCP server: the analytics as typed tools, over stdio, streamable HTTP or SSE.

`build_server` makes the server (for tests and embedding); `run_server` serves it until
interrupted (the ``clickup-sync mcp`` command). Tools are listed in docs/mcp.md.
"""

from .server import ToolServer, build_server, run_server

__all__ = ["ToolServer", "build_server", "run_server"]
