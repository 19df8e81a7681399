"""`clickup-sync serve` as users run it: a process, configured from the environment."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx

from clickup_sync.simulator import Simulator
from tests.syncing import free_port


def test_serve_answers_with_the_key_from_the_environment_and_stops_cleanly(
        synced: tuple[Simulator, str]) -> None:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": synced[1], "API_KEY": "from-env",
           "CLICKUP_API_TOKEN": ""}
    proc = subprocess.Popen([sys.executable, "-m", "clickup_sync.cli", "serve", "--port",
                             str(port), "--cors-origin", "https://bi.example.com"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, proc.communicate()[1].decode()
            try:
                if httpx.get(f"{base}/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.1)
        assert httpx.get(f"{base}/tasks").status_code == 401
        answer = httpx.get(f"{base}/tasks", params={"limit": 1},
                           headers={"X-API-Key": "from-env",
                                    "Origin": "https://bi.example.com"})
        assert answer.status_code == 200 and answer.json()["count"] == 1
        assert answer.headers["access-control-allow-origin"] == "https://bi.example.com"
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err.decode()
    assert "Traceback" not in err.decode()
    assert f"REST API at http://127.0.0.1:{port}" in err.decode()
    assert "API key required" in err.decode()
