"""The documented gunicorn command, run for real: a client cannot make the app believe it came over HTTPS."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
pytestmark = pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed beside this Python")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _serve(app: str, env: dict[str, str], *options: str):
    port = _free_port()
    process = subprocess.Popen([str(GUNICORN), *options, "-w", "1", "-b", f"127.0.0.1:{port}", app], cwd=ROOT,
                               env={**os.environ, "PYTHONPATH": str(ROOT), **env},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, f"http://127.0.0.1:{port}"
        except OSError:
            if process.poll() is not None:
                raise AssertionError(process.stderr.read().decode() if process.stderr else "gunicorn exited") from None
            time.sleep(0.1)
    process.kill()
    raise AssertionError("gunicorn did not start")


def _stop(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


SPOOFS = [{"X-Forwarded-Proto": "https"}, {"X-Forwarded-Ssl": "on"}, {"X-Forwarded-Protocol": "ssl"}]


@pytest.mark.parametrize("options", [(), ("-c", "gunicorn.conf.py")], ids=["default-config-file", "named"])
def test_without_proxies_forwarded_scheme_headers_from_loopback_are_ignored(options):
    process, base = _serve("tests.gunicorn_probe:app", {"CATALOG_PROXIES": "0"}, *options)
    try:
        for spoof in SPOOFS:
            assert _get(base + "/", spoof) == (200, "http"), spoof
    finally:
        _stop(process)


def test_with_a_proxy_its_forwarded_proto_is_honoured():
    process, base = _serve("tests.gunicorn_probe:app", {"CATALOG_PROXIES": "1"}, "-c", "gunicorn.conf.py")
    try:
        assert _get(base + "/", {"X-Forwarded-Proto": "https"}) == (200, "https")
        assert _get(base + "/", {}) == (200, "http")
    finally:
        _stop(process)


def test_the_catalog_under_gunicorn_answers_its_hosts_and_refuses_others(tmp_path):
    env = {"CATALOG_PROXIES": "0", "DATABASE_URL": f"sqlite:///{tmp_path / 'catalog.sqlite3'}",
           "SECRET_KEY": "gunicorn-test", "CATALOG_JOBS_SQLITE": str(tmp_path / "jobs.sqlite3")}
    process, base = _serve("catalog:create_app()", env, "-c", "gunicorn.conf.py")
    try:
        assert _get(base + "/ping", {}) == (200, "pong")
        status, body = _get(base + "/ping", {"Host": "evil.example"})
        assert status == 400 and "evil.example" in body
    finally:
        _stop(process)
