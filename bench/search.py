"""Benchmark: catalog search over 20,000 demo products, HTTP endpoint versus raw backend query.

Builds a fresh SQLite catalog with `demo-data`, then times 1,000 mixed queries
(a third each: prefix, two words without diacritics, two words with them):
- raw: the backend's own full-text query alone (FTS5 MATCH, best 20 ids), in process;
- service: the catalog's search service in process (the same query plus the visibility rule
  on every match, the total, three facets and the page of cards), without HTTP or HTML;
- HTTP: GET /search?q=... on gunicorn (1 sync worker, keep-alive client), which adds the
  visibility rule, total, three facet counts, sorting, paging and the HTML page.
Prints p50/p95 for both, per kind, and the ratio of the p95s.

    .venv/bin/python bench/search.py [--products 20000] [--queries 1000] [--database URL]
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import urllib.parse

from common import build_demo, connect, gunicorn, percentile


def queries(names: list[str], count: int, seed: int = 1) -> list[tuple[str, str]]:
    from catalog.kernel.text import fold
    rng = random.Random(seed)
    made = []
    while len(made) < count:
        words = rng.choice(names).replace("(", " ").replace(")", " ").split()
        if len(words) < 2:
            continue
        kind = ("prefix", "unaccented", "accented")[len(made) % 3]
        if kind == "prefix":
            made.append((kind, f"{fold(words[0])} {fold(words[1])[:2]}"))
        elif kind == "unaccented":
            made.append((kind, fold(" ".join(words[:2]))))
        else:
            made.append((kind, " ".join(words[:2])))
    return made


def report(label: str, timings: dict[str, list[float]]) -> float:
    every = [t for ts in timings.values() for t in ts]
    parts = "  ".join(f"{kind}: p50 {statistics.median(ts):5.1f} p95 {percentile(ts, 95):5.1f}"
                      for kind, ts in timings.items())
    p95 = percentile(every, 95)
    print(f"{label:<7} all: p50 {statistics.median(every):5.1f} ms  p95 {p95:5.1f} ms   |  {parts}")
    return p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--database", help="use this already loaded database instead of building one")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-search-")
    url = args.database or f"sqlite:///{tmp}/bench.sqlite3"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench"}
    if not args.database:
        print(f"built {args.products} products and their index in {build_demo(args.products, env):.1f} s")

    os.environ.update(DATABASE_URL=url, SECRET_KEY="bench")
    from sqlalchemy import select, text

    from catalog import create_app, search
    from catalog.kernel.db import db
    from catalog.kernel.models.products import Product
    app = create_app()
    with app.app_context():
        names = list(db.session.scalars(select(Product.name)))
        mixed = queries(names, args.queries)
        backend = search.backends()[0]
        raw: dict[str, list[float]] = {"prefix": [], "unaccented": [], "accented": []}
        service: dict[str, list[float]] = {"prefix": [], "unaccented": [], "accented": []}
        for kind, q in mixed:
            started = time.perf_counter()
            backend.match(q, 20)                   # the tiered match's best 20 ids (ORDER BY rank LIMIT 20)
            raw[kind].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            search.search(search.SearchQuery(q=q))
            service[kind].append((time.perf_counter() - started) * 1000)
            db.session.rollback()
        db.session.execute(text("SELECT 1"))

    port = 5099
    with gunicorn("catalog:create_app()", port, env):
        connection = connect(port)
        over_http: dict[str, list[float]] = {"prefix": [], "unaccented": [], "accented": []}
        for _kind, q in mixed[:20]:                    # warm-up: templates, caches
            connection.request("GET", "/search?" + urllib.parse.urlencode({"q": q}))
            connection.getresponse().read()
        for kind, q in mixed:
            started = time.perf_counter()
            connection.request("GET", "/search?" + urllib.parse.urlencode({"q": q}))
            response = connection.getresponse()
            response.read()
            over_http[kind].append((time.perf_counter() - started) * 1000)
            assert response.status == 200, (q, response.status)
    print(f"{args.queries} queries, {len(names)} products, backend {backend.name}")
    raw_p95 = report("raw", raw)
    service_p95 = report("service", service)
    http_p95 = report("HTTP", over_http)
    two_word = over_http["unaccented"] + over_http["accented"]
    print(f"service (visibility, count, facets, page of cards; no HTTP, no HTML) p95 / raw p95 = "
          f"{service_p95 / raw_p95:.1f}x")
    print(f"HTTP p95 / raw p95 = {http_p95 / raw_p95:.1f}x (target <= 3x); "
          f"two-word HTTP p95 = {percentile(two_word, 95):.1f} ms (target <= 25 ms)")


if __name__ == "__main__":
    main()
