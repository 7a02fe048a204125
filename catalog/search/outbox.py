"""The search outbox: changes are queued in the writing transaction, applied after commit.

Every flush that touches a product, its producer or its recognitions queues
the product here, in the same transaction, so no change can be committed
without its index update being owed. :func:`drain` applies queued products to
every backend; it runs as a job in a worker (queued after each commit that
queued rows, and at every sweep, which also finds rows whose job was lost). A
backend error leaves the rows queued with a back-off, so writes never wait for
or fail on the search engine, and nothing is lost.
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
from catalog.platform import jobs, sqlite
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
    """Apply every due outbox row to ``backends``, a batch at a time.

    No transaction is open while an external engine answers (it may be slow, or
    hang until its timeout): the batch's documents are read, the reads ended,
    the engine called, and then one short transaction writes the database's own
    index and removes the batch's rows (or postpones them with a back-off when
    the engine failed). Callers serialise drains (:func:`catalog.platform.jobs.lease`):
    two drains applying one product's older and newer documents in the wrong
    order could leave the older one indexed.
    """
    report = DrainReport()
    local = [b for b in backends if b.in_database]
    external = [b for b in backends if not b.in_database]
    while True:
        now = clock.now()
        rows = db.session.execute(
            select(_outbox.c.id, _outbox.c.product_id, _outbox.c.attempts)
            .where(_outbox.c.next_attempt_at <= now).order_by(_outbox.c.id).limit(batch)).all()
        if not rows:
            break
        product_ids = {r.product_id for r in rows}
        docs = documents_for(product_ids)
        gone = sorted(product_ids - {d.product_id for d in docs})
        db.session.rollback()                           # end the reads: nothing is held while an engine answers
        error = _apply(external, docs, gone)
        sqlite.begin_immediately()
        error = _apply(local, docs, gone) or error
        if error:
            log.warning("search backend failed, %d outbox rows kept for retry: %s", len(rows), error)
            _postpone(rows, error, now)
            report.failed += len(rows)
        else:
            db.session.execute(delete(_outbox).where(_outbox.c.id.in_([r.id for r in rows])))
            report.applied += len(rows)
        db.session.commit()
        progress(len(rows))
        if error:
            break
    db.session.info.pop(PENDING, None)
    report.remaining = db.session.scalar(select(func.count()).select_from(_outbox)) or 0
    db.session.commit()
    return report


def _apply(backends: Sequence[SearchBackend], docs, gone: list[int]) -> str | None:
    """Apply to each backend; the first backend error's text, or None."""
    for backend in backends:
        try:
            backend.upsert(docs)
            backend.delete(gone)
        except SearchBackendError as exc:
            return str(exc)
    return None


def _postpone(rows, error: str, now: dt.datetime) -> None:
    for row in rows:
        delay = min(2 ** (row.attempts + 1), MAX_BACKOFF_SECONDS)
        db.session.execute(update(_outbox).where(_outbox.c.id == row.id).values(
            attempts=row.attempts + 1, next_attempt_at=now + dt.timedelta(seconds=delay),
            last_error=error[:500]))


def due() -> bool:
    """Whether some outbox row is due (a read; the drain's job skips its lease when none is)."""
    return db.session.scalar(select(_outbox.c.id).where(_outbox.c.next_attempt_at <= clock.now()).limit(1)) is not None


def backlog() -> jobs.Backlog:
    """Rows no drain has tried yet (rows backing off after an engine error are not waiting on a worker)."""
    count, oldest = db.session.execute(
        select(func.count(), func.min(_outbox.c.created_at)).where(_outbox.c.attempts == 0)).one()
    return jobs.Backlog(count or 0, oldest)


def forget_pending() -> None:
    db.session.info.pop(PENDING, None)


def pending_in_session() -> bool:
    return bool(db.session.info.get(PENDING))


def clear_up_to(last_id: int | None) -> None:
    if last_id is not None:
        db.session.execute(delete(_outbox).where(_outbox.c.id <= last_id))
