"""Writing many rows fast in the session's transaction: COPY on PostgreSQL, executemany elsewhere.

At tens of thousands of rows psycopg spends most of an executemany or a
multi-row INSERT parsing the query; ``COPY ... FROM STDIN`` is an order of
magnitude faster. SQLite's executemany is already fast.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON, Table, insert

from catalog.kernel.db import db


def insert_rows(table: Table, rows: Sequence[dict[str, Any]]) -> None:
    if not rows:
        return
    if db.session.get_bind().dialect.name == "postgresql":
        _copy(table, rows)
    else:
        db.session.execute(insert(table), list(rows))


def _copy(table: Table, rows: Sequence[dict[str, Any]]) -> None:
    columns = [c for c in table.columns if c.name in rows[0]]
    as_json = {c.name for c in columns if isinstance(c.type, JSON)}
    names = ", ".join(c.name for c in columns)
    driver = db.session.connection().connection.driver_connection
    assert driver is not None                            # a live psycopg connection
    with driver.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c.name], ensure_ascii=False) if c.name in as_json else row[c.name]
                            for c in columns])
