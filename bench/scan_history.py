"""Benchmark: a scan's latency does not grow with the stamp's history of scans.

Builds a small demo catalog (SQLite, or the empty PostgreSQL database of --database),
takes two genuine stamps of one batch and gives the second --history earlier scans
(one phone, a minute apart, inserted in bulk with one SQL statement; the tallies the
scan reads are then rebuilt from them as the migration's backfill does). Serves the app
with gunicorn (1 sync worker) and, from one keep-alive client, asks in turn for the scan
page of each stamp, the partner API's verdict on each (``/api/v1/stamps/<code>``) and
the bare ``/ping`` of the same app. Prints p50 and p95 of each and the ratio of the
stamp with history to the stamp without (target: p95 within 20%).

    .venv/bin/python bench/scan_history.py [--history 1000000] [--requests 400] [--database URL]
"""
from __future__ import annotations

import argparse
import http.client
import os
import tempfile
import time

from common import build_demo, connect, gunicorn, percentile


def timed(connection: http.client.HTTPConnection, path: str) -> float:
    started = time.perf_counter()
    connection.request("GET", path, headers={"Accept": "text/html"})
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status}")
    return (time.perf_counter() - started) * 1000


def add_history(app, stamp_id: int, code: str, n: int) -> float:
    """``n`` scans of the stamp before now, a minute apart, from one phone; the seconds it took."""
    from sqlalchemy import text

    from catalog.kernel.db import db
    from catalog.trace.models import scans
    started = time.perf_counter()
    with app.app_context():
        values = {"stamp_id": stamp_id, "code": code, "n": n}
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text(
                "INSERT INTO scans (stamp_id, code, verdict, scanned_at, network, agent) "
                "SELECT :stamp_id, :code, 'genuine', now() - interval '1 day' - (i * interval '1 minute'), "
                "'203.0.113.0/24', 'Zalo/Android' FROM generate_series(1, :n) AS i"), values)
        else:
            db.session.execute(text(
                "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < :n) "
                "INSERT INTO scans (stamp_id, code, verdict, scanned_at, network, agent) "
                "SELECT :stamp_id, :code, 'genuine', "
                "strftime('%Y-%m-%d %H:%M:%f000', 'now', '-1 day', '-' || i || ' minutes'), "
                "'203.0.113.0/24', 'Zalo/Android' FROM s"), values)
        if hasattr(scans, "recount"):           # the tallies, rebuilt from the log (absent before them)
            scans.recount()
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=400, help="requests to each path")
    parser.add_argument("--database", help="an empty PostgreSQL database (default: a fresh SQLite file)")
    args = parser.parse_args()
    url = args.database or f"sqlite:///{tempfile.mkdtemp(prefix='bench-history-')}/bench.sqlite3"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench",
           "CATALOG_SCAN_RATE_LIMIT": "10000000 per minute"}
    build_demo(30, env)
    os.environ.update(DATABASE_URL=url, SECRET_KEY="bench")
    from sqlalchemy import select

    from catalog import create_app
    from catalog.kernel.db import db
    from catalog.trace.models.stamps import Stamp
    app = create_app()
    with app.app_context():
        first_batch = db.session.scalar(select(Stamp.batch_id).order_by(Stamp.id).limit(1))
        (_, fresh), (old_id, old) = db.session.execute(
            select(Stamp.id, Stamp.code).where(Stamp.batch_id == first_batch).order_by(Stamp.serial).limit(2)).all()
    seconds = add_history(app, old_id, old, args.history)
    print(f"{url.split(':')[0]}: {args.history:,} earlier scans of one stamp "
          f"inserted (and tallied) in {seconds:.1f} s")

    paths = {"scan page, no history": f"/s/{fresh}", f"scan page, {args.history:,} earlier": f"/s/{old}",
             "API, no history": f"/api/v1/stamps/{fresh}", f"API, {args.history:,} earlier": f"/api/v1/stamps/{old}",
             "bare /ping": "/ping"}
    times: dict[str, list[float]] = {name: [] for name in paths}
    with gunicorn("catalog:create_app()", 5097, env):
        connection = connect(5097, timeout=60)
        for _ in range(min(20, args.requests)):                 # warm-up
            for path in paths.values():
                timed(connection, path)
        for _ in range(args.requests):                          # in turn, so that noise hits all alike
            for name, path in paths.items():
                times[name].append(timed(connection, path))
    for name, values in times.items():
        print(f"{name:>36}: p50 {percentile(values, 50):6.2f} ms  p95 {percentile(values, 95):6.2f} ms")
    names = list(paths)
    for kind, (empty, full) in (("scan page", names[:2]), ("API", names[2:4])):
        ratio = percentile(times[full], 95) / percentile(times[empty], 95)
        print(f"{kind}: p95 with history / without = {ratio:.2f} (target < 1.20)")


if __name__ == "__main__":
    main()
