"""With REDIS_URL set, rate-limit counters live in Redis: shared by every worker, kept across processes."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap

import pytest

REDIS = os.environ.get("CATALOG_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


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
    first = subprocess.run([*run, "2"], capture_output=True, text=True, cwd=tmp_path, check=True).stdout.split()
    second = subprocess.run([*run, "2"], capture_output=True, text=True, cwd=tmp_path, check=True).stdout.split()
    assert first == ["200", "200"] and second == ["200", "429"]
    assert client.dbsize() > 0                  # the counters are in Redis, not in either process
    client.flushdb()
