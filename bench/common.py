"""What the benchmarks share: the `flask` command of this checkout, gunicorn serving it, percentiles.

The scripts are run as `.venv/bin/python bench/X.py`, so this folder is on sys.path: `from common import ...`.
"""
from __future__ import annotations

import contextlib
import http.client
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def flask(args: list[str], env: dict) -> str:
    """Run `flask --app catalog ARGS` in a fresh process; its output, or exit with it when the command fails."""
    done = subprocess.run([str(BIN / "flask"), "--app", "catalog", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def build_demo(products: int, env: dict) -> float:
    """Migrate the empty database of ``env`` and load ``products`` demo products (seed 1); the seconds it took."""
    started = time.perf_counter()
    flask(["db", "upgrade"], env)
    flask(["demo-data", "--products", str(products), "--seed", "1"], env)
    return time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


@contextlib.contextmanager
def gunicorn(app: str, port: int, env: dict, *, workers: int = 1, cwd: Path = ROOT) -> Iterator[subprocess.Popen]:
    """gunicorn serving ``app`` (sync workers) on 127.0.0.1:``port`` until the block ends."""
    server = subprocess.Popen([str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", app],
                              cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield server
    finally:
        server.terminate()
        server.wait()


def connect(port: int, timeout: float = 10) -> http.client.HTTPConnection:
    """A keep-alive connection to the server on ``port``, once it answers `/ping` (exit if it never does)."""
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            connection.request("GET", "/ping")
            connection.getresponse().read()
            return connection
        except OSError:
            time.sleep(0.1)
    sys.exit("gunicorn did not start")


def baseline(url: str, rows: int) -> float:
    """The bare baseline: the driver's ``executemany`` of ``rows`` three-column rows into one table of ``url``."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE bench_bare (id INTEGER PRIMARY KEY, a INTEGER, b TEXT)")
    data = [(i, i * 7, f"row {i}") for i in range(1, rows + 1)]
    start = time.perf_counter()
    with engine.begin() as connection:
        raw = connection.connection.driver_connection
        cursor = raw.cursor()
        marker = "?" if engine.dialect.name == "sqlite" else "%s"
        cursor.executemany(f"INSERT INTO bench_bare VALUES ({marker}, {marker}, {marker})", data)
    elapsed = time.perf_counter() - start
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE bench_bare")
    engine.dispose()
    return elapsed
