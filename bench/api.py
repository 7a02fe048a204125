"""Benchmark: the partner API over 20,000 demo products, against a bare endpoint of the same app.

Builds a fresh SQLite catalog with `demo-data` (or uses --database), creates a partner
key with `flask partners create`, serves the app with gunicorn (1 sync worker) and,
from one keep-alive client:
- times the full export `GET /api/v1/export.ndjson` (read to the end) and the worker's
  peak resident memory (VmHWM) before and after it, against the export's size (resident
  memory includes the SQLite file pages the export reads through mmap);
- then, in process, the Python heap's peak (tracemalloc) while the same export streams,
  next to the peak of building the same documents as one list: what "memory flat" means;
- times --requests pages of 100 products (`/api/v1/products?limit=100&cursor=...`, random
  cursors) and of 100 change-feed events (`/api/v1/changes?after=...&limit=100`), and the
  bare `/ping` of the same app, and prints p50/p95 of each.

    .venv/bin/python bench/api.py [--products 20000] [--requests 500] [--database URL]
"""
from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

from common import build_demo, connect, flask, gunicorn, percentile


def peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def timed(connection, path: str, headers: dict) -> tuple[float, int, bytes]:
    started = time.perf_counter()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    return (time.perf_counter() - started) * 1000, response.status, body


def heap_peaks(env: dict, headers: dict) -> None:
    """Python heap peak while the export streams, against holding every document at once."""
    import tracemalloc

    os.environ.update({k: v for k, v in env.items() if k in ("DATABASE_URL", "SECRET_KEY", "CATALOG_API_RATE_LIMIT")})
    from catalog import create_app
    from catalog.kernel import clock, visibility
    from catalog.kernel.db import db
    from catalog.kernel.models.products import Product
    from catalog.partners.api import listings
    app = create_app()
    client = app.test_client()
    tracemalloc.start()
    response = client.get("/api/v1/export.ndjson", headers=headers, buffered=False)
    streamed = sum(len(chunk) for chunk in response.response)
    response.close()
    _, streaming_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    with app.test_request_context():
        now = clock.now()
        ids = list(db.session.scalars(visibility.visible_listings(now).with_only_columns(Product.id)))
        every = listings.documents(ids, now)
        _, list_peak = tracemalloc.get_traced_memory()
        del every
    tracemalloc.stop()
    print(f"export in process: {streamed / 2**20:.1f} MiB streamed with a Python heap peak of "
          f"{streaming_peak / 2**20:.1f} MiB; the same documents held as one list: {list_peak / 2**20:.1f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--database", help="use this already loaded database instead of building one")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-api-")
    url = args.database or f"sqlite:///{tmp}/bench.sqlite3"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench", "CATALOG_API_RATE_LIMIT": "1000000 per minute"}
    if not args.database:
        print(f"built {args.products:,} products in {build_demo(args.products, env):.1f} s")
    key = flask(["partners", "create", f"bench-{time.time_ns()}"], env).split("keep it secret): ")[1].split()[0]
    headers = {"Authorization": f"Bearer {key}"}

    port = 5097
    with gunicorn("catalog:create_app()", port, env) as server:
        connection = connect(port, timeout=30)
        for path in ("/ping", "/api/v1/products?limit=100", "/api/v1/changes?limit=100"):
            timed(connection, path, headers)                      # warm-up (and the feed catches up)
        worker = worker_pid(server.pid)
        before = peak_kib(worker)
        export_ms, status, body = timed(connection, "/api/v1/export.ndjson", headers)
        assert status == 200, status
        after = peak_kib(worker)
        lines = body.count(b"\n")
        print(f"export: {lines:,} products, {len(body) / 2**20:.1f} MiB of NDJSON in {export_ms / 1000:.2f} s "
              f"(target < 2 s); worker peak memory {before / 1024:.0f} -> {after / 1024:.0f} MiB "
              f"(+{(after - before) / 1024:.1f} MiB while streaming {len(body) / 2**20:.1f} MiB)")

        _, _, first = timed(connection, "/api/v1/products?limit=1", headers)
        top = int(first.split(b'"id":', 1)[1].split(b",", 1)[0]) if b'"id":' in first else 1
        head = int(timed(connection, "/api/v1/changes?after=0&limit=1", headers)[2].split(b'"position":"')[1]
                   .split(b'"')[0])
        rng = random.Random(1)
        timings: dict[str, list[float]] = {"bare /ping": [], "products, page of 100": [],
                                           "changes, page of 100": []}
        total_events = _feed_length(connection, headers)
        for _ in range(args.requests):
            for label, path in (("bare /ping", "/ping"),
                                ("products, page of 100",
                                 f"/api/v1/products?limit=100&cursor={rng.randrange(top, top + args.products)}"),
                                ("changes, page of 100", "/api/v1/changes?limit=100&after="
                                 f"{rng.randrange(head - 1, max(head, total_events - 100))}")):
                elapsed, status, _ = timed(connection, path, headers)
                assert status == 200, (path, status)
                timings[label].append(elapsed)
    bare95 = percentile(timings["bare /ping"], 95)
    heap_peaks(env, headers)
    print(f"{args.requests} requests each, gunicorn 1 worker, keep-alive client; {total_events:,} feed events")
    for label, values in timings.items():
        p95 = percentile(values, 95)
        print(f"  {label:24s} p50 {percentile(values, 50):6.2f} ms   p95 {p95:6.2f} ms   p95/bare {p95 / bare95:5.1f}x")


def _feed_length(connection, headers) -> int:
    after = 0
    while True:
        _, _, body = timed(connection, f"/api/v1/changes?after={after}&limit=500", headers)
        cursor = int(body.rsplit(b'"next_cursor":"', 1)[1].split(b'"')[0])
        if cursor == after:
            return after
        after = cursor


if __name__ == "__main__":
    main()
