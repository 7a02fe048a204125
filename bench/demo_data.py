"""Benchmark: `flask --app catalog demo-data --products N` on SQLite and PostgreSQL.

Prints the wall time of the real command (a fresh process, from an empty
migrated database, including building the search index through the outbox, and
the demo stamps) next to a bare baseline measured in the same run: inserting
the same number of rows, three integer/text columns each, with the driver's
executemany into one table of the same database.

    .venv/bin/python bench/demo_data.py [--products 20000] [--postgres URL]
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid

import sqlalchemy as sa
from common import baseline, flask


def run(args: list[str], url: str) -> tuple[float, str]:
    start = time.perf_counter()
    output = flask(args, {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench"})
    elapsed = time.perf_counter() - start
    lines = [line for line in output.splitlines() if "products from" in line] or [""]
    return elapsed, lines[-1]


def count_rows(url: str) -> int:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        total = sum(connection.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar()
                    for t in ("communes", "producers", "products", "recognitions", "recognition_events"))
    engine.dispose()
    return total


def bench(label: str, url: str, products: int) -> None:
    migrate, _ = run(["db", "upgrade"], url)
    elapsed, line = run(["demo-data", "--products", str(products), "--seed", "1"], url)
    rows = count_rows(url)
    bare = baseline(url, rows)
    print(f"{label:<11} demo-data --products {products}: {elapsed:6.2f} s wall "
          f"({rows} rows; {rows / elapsed:,.0f} rows/s)   bare executemany of {rows} rows: {bare:5.2f} s   "
          f"ratio {elapsed / bare:4.1f}x   (db upgrade {migrate:.2f} s)")
    print(f"            {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="server to make a scratch database on (skipped if unreachable)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench("SQLite", f"sqlite:///{tmp}/bench.sqlite3", args.products)
    admin = sa.create_engine(args.postgres.replace("postgresql://", "postgresql+psycopg://", 1),
                             isolation_level="AUTOCOMMIT")
    name = f"catalog_bench_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.OperationalError as exc:
        print(f"PostgreSQL  skipped: {str(exc.orig).splitlines()[0]}")
        return
    try:
        bench("PostgreSQL", admin.url.set(database=name).render_as_string(hide_password=False)
              .replace("postgresql+psycopg://", "postgresql://"), args.products)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


if __name__ == "__main__":
    main()
