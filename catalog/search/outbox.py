"""The search outbox: changes are queued in the writing transaction, applied after commit.

Every flush that touches a product, its producer or its recognitions queues
the product here, in the same transaction, so no change can be committed
without its index update being owed. :func:`drain` applies queued products to
every backend; a backend error leaves the rows queued with a back-off, so
writes never wait for or fail on the search engine, and nothing is lost.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, event, func, insert, select, update
from sqlalchemy.orm import Session

from catalog.kernel import clock, signals
from catalog.kernel.changes import changed_products
from catalog.kernel.db import db
from catalog.search.backend import SearchBackend, SearchBackendError
from catalog.search.documents import documents_for
from catalog.search.models import SearchOutboxEntry

log = logging.getLogger(__name__)
PENDING = "search_outbox_pending"
MAX_BACKOFF_SECONDS = 600
_outbox = SearchOutboxEntry.__table__


def enqueue(connection_or_session, product_ids: Sequence[int]) -> None:
    if not product_ids:
        return
    now = clock.now()
    connection_or_session.execute(insert(_outbox), [
        {"product_id": pid, "created_at": now, "attempts": 0, "next_attempt_at": now} for pid in product_ids])


def _after_flush(session: Session, flush_context) -> None:
    products = changed_products(session, flush_context)
    if products:
        enqueue(session.connection(), sorted(products))
        session.info[PENDING] = True


def _bulk_changed(sender, product_ids: Sequence[int]) -> None:
    for start in range(0, len(product_ids), 5000):
        enqueue(db.session, product_ids[start:start + 5000])
    db.session.info[PENDING] = True


def listen() -> None:
    """Start queueing (idempotent: each listener is registered once, whatever the number of apps)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
    signals.products_changed.connect(_bulk_changed)     # blinker keeps one connection per receiver


@dataclass
class DrainReport:
    applied: int = 0      # outbox rows applied and removed
    failed: int = 0       # rows left queued after a backend error
    remaining: int = 0    # rows still queued (failed or not yet due)


def drain(backends: Sequence[SearchBackend], batch: int = 500,
          progress: Callable[[int], None] = lambda n: None) -> DrainReport:
    """Apply every due outbox row to ``backends``; commit after each batch."""
    report = DrainReport()
    while True:
        now = clock.now()
        rows = db.session.execute(
            select(_outbox.c.id, _outbox.c.product_id, _outbox.c.attempts)
            .where(_outbox.c.next_attempt_at <= now).order_by(_outbox.c.id).limit(batch)
            .with_for_update(skip_locked=True)).all()
        if not rows:
            break
        ids = [r.id for r in rows]
        try:
            _apply(backends, {r.product_id for r in rows})
        except SearchBackendError as exc:
            log.warning("search backend failed, %d outbox rows kept for retry: %s", len(rows), exc)
            _postpone(rows, str(exc), now)
            report.failed += len(rows)
            db.session.commit()
            break
        db.session.execute(delete(_outbox).where(_outbox.c.id.in_(ids)))
        db.session.commit()
        report.applied += len(rows)
        progress(len(rows))
    db.session.info.pop(PENDING, None)
    report.remaining = db.session.scalar(select(func.count()).select_from(_outbox)) or 0
    return report


def _apply(backends: Sequence[SearchBackend], product_ids: set[int]) -> None:
    docs = documents_for(product_ids)
    gone = sorted(product_ids - {d.product_id for d in docs})
    for backend in backends:
        backend.upsert(docs)
        backend.delete(gone)


def _postpone(rows, error: str, now: dt.datetime) -> None:
    for row in rows:
        delay = min(2 ** (row.attempts + 1), MAX_BACKOFF_SECONDS)
        db.session.execute(update(_outbox).where(_outbox.c.id == row.id).values(
            attempts=row.attempts + 1, next_attempt_at=now + dt.timedelta(seconds=delay),
            last_error=error[:500]))


def pending_in_session() -> bool:
    return bool(db.session.info.get(PENDING))


def clear_up_to(last_id: int | None) -> None:
    if last_id is not None:
        db.session.execute(delete(_outbox).where(_outbox.c.id <= last_id))
