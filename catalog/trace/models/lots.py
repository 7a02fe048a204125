"""Lots and their traceability events (EPCIS in spirit; Circular 02/2024/TT-BKHCN's data items)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Numeric, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.kernel import clock
from catalog.kernel.audited import audited
from catalog.kernel.db import Model
from catalog.kernel.i18n import N_, Label
from catalog.kernel.models.products import Product, standard_labels
from catalog.kernel.models.types import UTCDateTime

TRACE_EVENT_KINDS: dict[str, Label] = {
    "harvesting": Label("Thu hoạch", "Harvesting"),
    "processing": Label("Chế biến", "Processing"),
    "packing": Label("Đóng gói", "Packing"),
    "inspecting": Label("Kiểm nghiệm", "Inspection / lab test"),
    "shipping": Label("Xuất hàng", "Shipping"),
    "receiving": Label("Nhận hàng", "Receiving"),
    "retail": Label("Bán lẻ", "Retail"),
}


def local_time(instant: dt.datetime, utc_offset_minutes: int) -> dt.datetime:
    """An event's time as it was on the clock where it happened (EPCIS keeps the offset)."""
    return instant.astimezone(dt.timezone(dt.timedelta(minutes=utc_offset_minutes)))


@audited(N_("Lot"), lambda v: v.get("code"), page=("trace_admin.lot", "lot_id"))
class Lot(Model):
    __tablename__ = "lots"
    __table_args__ = (UniqueConstraint("product_id", "code", name="uq_lots_product_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    production_date: Mapped[dt.date | None] = mapped_column(Date)
    expiry_date: Mapped[dt.date | None] = mapped_column(Date)     # best before / use by
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(14, 3))
    unit: Mapped[str | None] = mapped_column(String(20))
    origin_area_code: Mapped[str | None] = mapped_column(String(40))   # mã số vùng trồng / vùng nuôi
    origin_place: Mapped[str | None] = mapped_column(String(200))
    standards: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)

    product: Mapped[Product] = relationship()
    events: Mapped[list[TraceEvent]] = relationship(back_populates="lot", order_by="TraceEvent.occurred_at")

    @property
    def standard_labels(self) -> list[str]:
        return standard_labels(self.standards)

    def __repr__(self) -> str:
        return f"<Lot {self.id} {self.code}>"


@audited(N_("Lot event"), lambda v: " · ".join(str(v[k]) for k in ("kind", "place") if v.get(k)),
         page=("trace_admin.lot_event", "event_id"))
class TraceEvent(Model):
    """What happened to a lot: what (kind), when (with its UTC offset), where, who, and a document."""

    __tablename__ = "trace_events"
    __table_args__ = (
        CheckConstraint("kind IN ('harvesting', 'processing', 'packing', 'inspecting', 'shipping', "
                        "'receiving', 'retail')", name="kind"),
        CheckConstraint("utc_offset_minutes BETWEEN -720 AND 840", name="utc_offset"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    utc_offset_minutes: Mapped[int] = mapped_column(SmallInteger)     # EPCIS eventTimeZoneOffset
    place: Mapped[str] = mapped_column(String(200))
    location_code: Mapped[str | None] = mapped_column(String(40))     # GLN, area or facility code
    actor: Mapped[str] = mapped_column(String(200))
    details: Mapped[str | None] = mapped_column(Text)
    document_title: Mapped[str | None] = mapped_column(String(200))   # e.g. "Phiếu kết quả thử nghiệm số 123"
    document_ref: Mapped[str | None] = mapped_column(String(300))     # number or link of that document
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)

    lot: Mapped[Lot] = relationship(back_populates="events")

    @property
    def local_time(self) -> dt.datetime:
        """The event time as it was on the clock where it happened."""
        return local_time(self.occurred_at, self.utc_offset_minutes)
