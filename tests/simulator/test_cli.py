"""The ``clickup-sync simulator`` command, run as a user runs it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx

from tests.syncing import free_port


def test_simulator_command_serves_clickup_api() -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "clickup_sync.cli", "simulator", "--seed", "1", "--tasks", "300",
         "--port", str(port), "--plan", "business", "--token", "pk_cli"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "COLUMNS": "200"})
    try:
        url = f"http://127.0.0.1:{port}/api/v2"
        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(url + "/team", headers={"Authorization": "pk_cli"})
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline, "simulator did not start"
                time.sleep(0.2)
        assert r.status_code == 200 and r.headers["X-RateLimit-Limit"] == "100"
        assert httpx.get(url + "/team", headers={"Authorization": "pk_x"}).status_code == 401
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert f"http://127.0.0.1:{port}/api/v2" in err


def test_bad_option_is_one_sentence_not_a_traceback() -> None:
    proc = subprocess.run([sys.executable, "-m", "clickup_sync.cli", "simulator", "--plan",
                           "gold"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "unknown plan 'gold'" in proc.stderr and "Traceback" not in proc.stderr
