"""Stamp batches: issue, bind to a lot, void. Codes are unique by construction and by constraint.

A batch is issued only for a product publicly certified now: a stamp must
never start its life on a product the catalog does not vouch for. Issuing
writes in chunks (COPY on PostgreSQL), each in a savepoint, so a duplicate
code (a 2^-80 event) is regenerated instead of failing the batch, and two
officers issuing at once never share a code or a serial.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from catalog.kernel import clock, visibility
from catalog.kernel.db import db
from catalog.kernel.errors import InvalidInput, NotFound, NotInForce
from catalog.kernel.i18n import N_, Message
from catalog.kernel.inputs import longer_than
from catalog.kernel.models.products import Product
from catalog.kernel.text import clean_line
from catalog.platform import bulk
from catalog.trace import codes
from catalog.trace.models.lots import Lot
from catalog.trace.models.stamps import Stamp, StampBatch

MAX_BATCH = 1_000_000
CHUNK = 10_000
MAX_VOID_REASON = 200


def issue_batch(product: Product, count: int, *, actor: str, lot: Lot | None = None,
                progress: Callable[[int], None] = lambda n: None) -> StampBatch:
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_BATCH:
        raise InvalidInput({"count": [Message(N_("must be a whole number from 1 to %(max)s"), max=f"{MAX_BATCH:,}")]})
    if lot is not None and lot.product_id != product.id:
        raise InvalidInput({"lot": [Message(N_("lot %(code)s belongs to another product"), code=lot.code)]})
    status = visibility.explain(product)
    if not status.visible:
        raise NotInForce(Message(N_("%(product)s has no OCOP recognition in force (%(status)s); stamps are issued only "
                                    "for certified products"), product=product.name,
                                 status=Message(visibility.PUBLIC_STATUS_TERMS[status.status])),
                         field="product")
    batch = StampBatch(product=product, lot=lot, count=count, issued_by=actor, issued_at=clock.now())
    db.session.add(batch)
    db.session.flush()
    table = Stamp.__table__
    for start in range(0, count, CHUNK):
        serials = range(start + 1, min(start + CHUNK, count) + 1)
        for attempt in range(3):
            rows = [{"code": codes.new_code(), "batch_id": batch.id, "serial": serial,
                     "lot_id": lot.id if lot else None} for serial in serials]
            try:
                with db.session.begin_nested():
                    bulk.insert_rows(table, rows)
                break
            except IntegrityError:
                if attempt == 2:
                    raise
        progress(len(serials))
    return batch


def void_stamp(stamp: Stamp, *, reason: str | None, actor: str) -> Stamp:
    if stamp.voided() is not None:
        raise InvalidInput({"stamp": [Message(N_("stamp %(code)s is already voided"), code=stamp.code)]})
    stamp.void_reason = _reason(reason, actor)
    stamp.voided_at = clock.now()
    db.session.flush()
    return stamp


def void_batch(batch: StampBatch, *, reason: str | None, actor: str) -> StampBatch:
    if batch.voided_at is not None:
        raise InvalidInput({"batch": [Message(N_("batch %(batch)s is already voided"), batch=batch.id)]})
    batch.void_reason = _reason(reason, actor)
    batch.voided_at = clock.now()
    db.session.flush()
    return batch


def bind_to_lot(batch: StampBatch, lot: Lot, first: int | None = None, last: int | None = None) -> int:
    """Bind the batch's stamps (serials ``first``..``last``, default all) to ``lot``, e.g. when packing."""
    if lot.product_id != batch.product_id:
        raise InvalidInput({"lot": [Message(N_("lot %(code)s belongs to another product"), code=lot.code)]})
    first, last = first or 1, last or batch.count
    if not 1 <= first <= last <= batch.count:
        raise InvalidInput({"serials": [Message(N_("must be within 1-%(count)s, first before last"),
                                                count=batch.count)]})
    result = db.session.execute(update(Stamp).where(
        Stamp.batch_id == batch.id, Stamp.serial.between(first, last)).values(lot_id=lot.id))
    db.session.flush()
    return int(getattr(result, "rowcount", 0))       # an UPDATE's CursorResult


def get_batch(batch_id: int) -> StampBatch:
    batch = db.session.get(StampBatch, batch_id)
    if batch is None:
        raise NotFound(Message(N_("no stamp batch %(batch)s"), batch=batch_id), field="batch")
    return batch


def stamps_of(batch: StampBatch) -> list[Stamp]:
    return list(db.session.scalars(select(Stamp).where(Stamp.batch_id == batch.id).order_by(Stamp.serial)))


def _reason(reason: Any, actor: str) -> str:
    """The reason as stored, with who gave it: at most 200 + 3 + 254 (an e-mail) characters, within the
    column's 500."""
    text = clean_line(reason)
    if text is None:
        raise InvalidInput({"reason": [Message(N_("is required: say why the stamps are voided"))]})
    if len(text) > MAX_VOID_REASON:
        raise InvalidInput({"reason": [longer_than(MAX_VOID_REASON)]})
    return f"{text} ({actor[:254]})"
