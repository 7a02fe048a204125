"""QR stamps: issued in batches for a product, optionally bound to a lot, voidable."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.kernel import clock
from catalog.kernel.audited import audited
from catalog.kernel.db import Model
from catalog.kernel.i18n import N_
from catalog.kernel.models.products import Product
from catalog.kernel.models.types import UTCDateTime
from catalog.trace.models.lots import Lot


@audited(N_("Stamp batch"), lambda v: f"×{v['count']}" if v.get("count") is not None else None,
         page=("trace_admin.stamp_batch", "batch_id"))
class StampBatch(Model):
    __tablename__ = "stamp_batches"
    __table_args__ = (CheckConstraint("count > 0", name="count_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), index=True)
    count: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)
    issued_by: Mapped[str] = mapped_column(String(200))
    voided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    void_reason: Mapped[str | None] = mapped_column(String(500))

    product: Mapped[Product] = relationship()
    lot: Mapped[Lot | None] = relationship()


@audited(N_("Stamp"), lambda v: v.get("code"), page=("trace_admin.stamp_batch", "batch_id"), parent="batch_id")
class Stamp(Model):
    __tablename__ = "stamps"
    __table_args__ = (UniqueConstraint("batch_id", "serial", name="uq_stamps_batch_serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(17), unique=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("stamp_batches.id"))
    serial: Mapped[int] = mapped_column(Integer)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), index=True)
    voided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    void_reason: Mapped[str | None] = mapped_column(String(500))

    batch: Mapped[StampBatch] = relationship()
    lot: Mapped[Lot | None] = relationship()

    def voided(self) -> tuple[dt.datetime, str] | None:
        return voided(self)


def voided(stamp) -> tuple[dt.datetime, str] | None:
    """When and why a stamp (model or scan view) stopped counting, itself or through its batch."""
    for holder in (stamp, stamp.batch):
        if holder.voided_at is not None:
            return holder.voided_at, holder.void_reason or ""
    return None
