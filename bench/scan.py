"""Benchmark: QR scans with 1,000,000 stamps stored, and issuing and printing stamps.

1. Builds a SQLite catalog (demo data), issues 100,000 stamps and times it, then
   issues more up to --stamps in total.
2. Serves the app with gunicorn (2 sync workers) and, from 4 client threads with
   keep-alive connections, requests for --seconds each: the scan page of random
   stamps (verdict, product, lot, events, scan logged) and the bare `/ping`
   endpoint of the same app. Prints both throughputs and their ratio.
3. Renders a 1,000-stamp PDF sheet, and the same 1,000 URLs as bare
   qrcode+Pillow images, and prints both times.

    .venv/bin/python bench/scan.py [--stamps 1000000] [--seconds 10]
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import tempfile
import threading
import time
from pathlib import Path

from common import ROOT, build_demo, connect, flask, gunicorn


def hammer(port: int, paths: list[str], seconds: float, threads: int = 4) -> tuple[int, int]:
    """Requests answered (and how many were not 200) in ``seconds`` from ``threads`` keep-alive clients."""
    counts, failures = [0] * threads, [0] * threads
    deadline = time.perf_counter() + seconds

    def run(i: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        rng = random.Random(i)
        while time.perf_counter() < deadline:
            connection.request("GET", rng.choice(paths))
            response = connection.getresponse()
            response.read()
            counts[i] += 1
            failures[i] += response.status != 200

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(counts), sum(failures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stamps", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-scan-")
    url = f"sqlite:///{tmp}/bench.sqlite3"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench", "CATALOG_SCAN_RATE_LIMIT": "10000000 per minute"}
    build_demo(300, env)
    os.environ.update(DATABASE_URL=url, SECRET_KEY="bench")
    from sqlalchemy import select

    from catalog import create_app
    from catalog.kernel.db import db
    from catalog.kernel.models.products import Product
    from catalog.trace.models.stamps import Stamp
    app = create_app()
    with app.app_context():
        slug = db.session.scalar(select(Product.slug).where(Product.name == "Cam sành Hà Giang (hộp 5kg)"))
    started = time.perf_counter()
    flask(["stamps", "issue", slug, "--count", "100000", "--lot", _lot(app)], env)
    issue_100k = time.perf_counter() - started
    remaining = args.stamps - 100_000
    while remaining > 0:
        flask(["stamps", "issue", slug, "--count", str(min(remaining, 300_000))], env)
        remaining -= 300_000
    with app.app_context():
        codes = list(db.session.scalars(select(Stamp.code).order_by(Stamp.id.desc()).limit(20_000)))
        total = db.session.query(Stamp).count()
    print(f"issued 100,000 stamps in {issue_100k:.1f} s (flask stamps issue, fresh process); {total:,} stored")

    port = 5098
    stamp_paths = lambda prefix: [f"{prefix}{c}" for c in codes]  # noqa: E731
    with gunicorn("scan_floor:create_app()", port, {**env, "PYTHONPATH": str(ROOT)}, workers=2, cwd=ROOT / "bench"):
        connect(port).close()
        hammer(port, ["/ping"], 1)
        hammer(port, stamp_paths("/s/")[:200], 1)
        bare, bare_failed = hammer(port, ["/ping"], args.seconds)
        scans, scans_failed = hammer(port, stamp_paths("/s/"), args.seconds)
        parts = {name: hammer(port, stamp_paths(f"/floor/{name}/"), args.seconds / 2)[0] / (args.seconds / 2)
                 for name in ("write", "read", "read-write")}
    print(f"gunicorn 2 workers, 4 clients, {args.seconds:.0f} s each: bare /ping {bare / args.seconds:,.0f} req/s"
          f" ({bare_failed} not 200); scan page {scans / args.seconds:,.0f} req/s ({scans_failed} not 200); "
          f"ratio {scans / bare:.0%} (target >= 50%)")
    rate = bare / args.seconds
    print("what a scan is made of (bench/scan_floor.py), against /ping: "
          + "; ".join(f"{name} only {value:,.0f} req/s ({value / rate:.0%})" for name, value in parts.items()))

    from labels import measure  # bench/labels.py: the same measure, on its own
    pages, _size, sheet, _peak, raw = measure([f"HTTPS://OCOP.EXAMPLE.VN/S/{c}" for c in codes[:1000]], Path(tmp))
    print(f"1,000-stamp PDF: {sheet:.1f} s ({pages} pages); bare qrcode+Pillow images of the same URLs: {raw:.1f} s; "
          f"ratio {sheet / raw:.2f}x")


def _lot(app) -> str:
    from sqlalchemy import select

    from catalog.kernel.db import db
    from catalog.trace.models.lots import Lot
    with app.app_context():
        return db.session.scalar(select(Lot.code).order_by(Lot.id).limit(1))


if __name__ == "__main__":
    main()
