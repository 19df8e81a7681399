"""The API key guards every route but /health once set; CORS is off unless configured."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import API_KEY

SAMPLE = {"task_id": "86zzzzzzz", "run_id": "1"}


def operations(base_url: str) -> list[tuple[str, str]]:
    schema = httpx.get(f"{base_url}/openapi.json").json()
    return [(method.upper(), path.format(**SAMPLE))
            for path, item in schema["paths"].items() for method in item]


def test_every_route_but_health_needs_the_key(api_url: str) -> None:
    routes = operations(api_url)
    assert len(routes) > 40
    with httpx.Client(base_url=api_url, timeout=30) as anonymous:
        for method, path in routes:
            for headers in ({}, {"X-API-Key": "wrong"}, {"Authorization": "Bearer wrong"},
                            {"Authorization": API_KEY}):
                answer = anonymous.request(method, path, headers=headers)
                if path == "/health":
                    assert answer.status_code == 200
                    continue
                assert answer.status_code == 401, (method, path, headers)
                assert answer.json()["error"] == "unauthorized"
                assert answer.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("headers", [{"X-API-Key": API_KEY},
                                     {"Authorization": f"Bearer {API_KEY}"}])
def test_the_key_in_either_header_lets_requests_in(api_url: str,
                                                   headers: dict[str, str]) -> None:
    for path in ("/tasks", "/metrics", "/analytics/workload", "/employees"):
        assert httpx.get(f"{api_url}{path}", headers=headers).status_code == 200, path


def test_without_a_configured_key_nothing_is_asked(open_url: str) -> None:
    for path in ("/tasks", "/metrics", "/sync/runs", "/health"):
        assert httpx.get(f"{open_url}{path}").status_code == 200, path


def security(base_url: str) -> tuple[dict[str, Any], list[str]]:
    schema = httpx.get(f"{base_url}/openapi.json").json()
    guarded = [path for path, item in schema["paths"].items()
               for op in item.values() if op.get("security")]
    return schema["components"].get("securitySchemes", {}), guarded


def test_openapi_says_which_routes_need_the_key(api_url: str, open_url: str) -> None:
    schemes, guarded = security(api_url)
    assert schemes["ApiKey"] == {"type": "apiKey", "in": "header", "name": "X-API-Key",
                                 "description": schemes["ApiKey"]["description"]}
    assert schemes["Bearer"]["scheme"] == "bearer"
    assert "/health" not in guarded and "/tasks" in guarded and "/metrics" in guarded
    assert security(open_url) == ({}, [])


def test_cors_only_for_configured_origins(api_url: str, open_url: str) -> None:
    preflight = {"Origin": "https://bi.example.com", "Access-Control-Request-Method": "GET",
                 "Access-Control-Request-Headers": "x-api-key"}
    allowed = httpx.options(f"{open_url}/tasks", headers=preflight)
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://bi.example.com"
    other = httpx.options(f"{open_url}/tasks", headers={**preflight,
                                                        "Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    simple = httpx.get(f"{open_url}/health", headers={"Origin": "https://bi.example.com"})
    assert simple.headers["access-control-allow-origin"] == "https://bi.example.com"
    off = httpx.get(f"{api_url}/health", headers={"Origin": "https://bi.example.com"})
    assert "access-control-allow-origin" not in off.headers
