"""The REST API: the mirror's records and analytics over HTTP, with sync triggers.

`create_app` builds the FastAPI app (tests and embedding); `serve` runs it until
interrupted (``clickup-sync serve``); `running` serves it on a thread beside other work.
Routes are listed in docs/api.md and in the app's OpenAPI document (``/openapi.json``).
"""

from .app import create_app
from .auth import HEADER
from .server import running, serve

__all__ = ["HEADER", "create_app", "running", "serve"]
