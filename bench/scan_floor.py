"""The app of bench/scan.py with three bench-only endpoints that take a scan apart.

They show what the scan page's throughput is made of, next to ``/ping``:
``/floor/write/<code>`` writes one scan row and answers "ok" (no reads, no page);
``/floor/read/<code>`` computes the verdict (the scan's reads) without writing or rendering;
``/floor/read-write/<code>`` does both, as the scan page does, without its page or rate limit.
Never part of the service: gunicorn loads ``scan_floor:create_app()`` from this folder.
"""
from __future__ import annotations

from sqlalchemy import insert

from catalog import create_app as create_catalog_app
from catalog.kernel import clock
from catalog.kernel.db import db
from catalog.platform import transaction
from catalog.trace import verdicts
from catalog.trace.models.scans import Scan


def create_app():
    app = create_catalog_app()

    def write(code: str) -> str:
        db.session.execute(insert(Scan.__table__), [{"stamp_id": None, "code": code[:40], "verdict": "unknown",
                                                      "scanned_at": clock.now(), "network": "192.0.2.0/24",
                                                      "agent": "bench"}])
        return "ok"

    def read(code: str) -> str:
        return verdicts.resolve(code, record=False).verdict

    def read_write(code: str) -> str:
        verdict = verdicts.resolve(code)
        transaction.end_reads()
        verdicts.log(verdict)
        return verdict.verdict

    app.add_url_rule("/floor/write/<code>", "floor_write", write)
    app.add_url_rule("/floor/read/<code>", "floor_read", read)
    app.add_url_rule("/floor/read-write/<code>", "floor_read_write", read_write)
    return app
