"""With REDIS_URL set, rate-limit counters live in Redis: shared by every worker, kept across processes."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REDIS = os.environ.get("CATALOG_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# The workers import this checkout's code, whichever directory they run in.
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[1]),
                                                    os.environ.get("PYTHONPATH", "")])}


def _redis_answers() -> bool:
    host, port = REDIS.split("//", 1)[1].split("/", 1)[0].split(":")
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not _redis_answers(), reason=f"Redis tests skipped: nothing answers at {REDIS}")

# Two separate processes (two "workers") share one Redis: the second sees the first one's count.
WORKER = textwrap.dedent("""
    import sys
    from catalog import create_app
    app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x", "REDIS_URL": sys.argv[1],
                      "CATALOG_SCAN_RATE_LIMIT": "3 per minute"})
    client = app.test_client()
    codes = [client.get("/api/v1/stamps/NOT-A-CODE", environ_base={"REMOTE_ADDR": sys.argv[2]}).status_code
             for _ in range(int(sys.argv[3]))]
    print(" ".join(map(str, codes)))
""")


def test_limits_are_shared_across_processes_through_redis(tmp_path):
    import redis
    client = redis.Redis.from_url(REDIS)
    client.flushdb()
    address = "198.51.100.77"
    run = [sys.executable, "-c", WORKER, REDIS, address]
    first, second = (subprocess.run([*run, "2"], capture_output=True, text=True, cwd=tmp_path, check=True,
                                    env=ENV).stdout.split() for _ in range(2))
    assert first == ["200", "200"] and second == ["200", "429"]
    assert client.dbsize() > 0                  # the counters are in Redis, not in either process
    client.flushdb()


# Keys invented by the caller: the stamp check counts in the network's scan budget, the refused partner
# call in the network's API budget; no key of theirs makes a counter.
INVENTED_KEYS = textwrap.dedent("""
    import secrets, sys
    from flask_migrate import upgrade
    from catalog import create_app
    app = create_app({"DATABASE_URL": "sqlite:///" + sys.argv[2], "SECRET_KEY": "x", "REDIS_URL": sys.argv[1],
                      "CATALOG_JOBS_IMMEDIATE": True})
    with app.app_context():
        upgrade()
    client = app.test_client()
    for _ in range(5):
        key, network = {"Authorization": "Bearer ocop_" + secrets.token_urlsafe(32)}, {"REMOTE_ADDR": sys.argv[3]}
        print(client.get("/api/v1/stamps/X", headers=key, environ_base=network).status_code,
              client.get("/api/v1/changes", headers=key, environ_base=network).status_code)
""")


def test_an_invented_key_creates_no_counter_of_its_own(tmp_path):
    import redis
    client = redis.Redis.from_url(REDIS)
    client.flushdb()
    address = "203.0.113.45"
    answers = subprocess.run([sys.executable, "-c", INVENTED_KEYS, REDIS, str(tmp_path / "k.sqlite3"), address],
                             capture_output=True, text=True, cwd=tmp_path, check=True, env=ENV).stdout.split()
    assert answers == ["200", "401"] * 5
    counters = sorted(k.decode() for k in client.keys("*"))
    assert len(counters) == 2 and all(address in k for k in counters), counters    # the network's two budgets
    client.flushdb()
