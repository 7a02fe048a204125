"""The scan log and consumer reports from the scan page."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.kernel import clock
from catalog.kernel.db import db
from catalog.kernel.models.products import Product
from catalog.kernel.models.types import UTCDateTime
from catalog.trace.models.stamps import Stamp

VERDICTS = ("genuine", "expired", "revoked", "voided", "unknown", "suspicious")
#: new: in the officers' queue; dismissed, or turned into a violation
REPORT_STATUSES = ("new", "dismissed", "violation")


class Scan(db.Model):
    """One resolution of a code: no full IP address is kept, only its network (/24, /48)."""

    __tablename__ = "scans"
    __table_args__ = (Index("ix_scans_stamp_time", "stamp_id", "scanned_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stamp_id: Mapped[int | None] = mapped_column(ForeignKey("stamps.id"))
    code: Mapped[str] = mapped_column(String(40))         # as scanned, for unknown codes
    verdict: Mapped[str] = mapped_column(String(12), index=True)
    scanned_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    network: Mapped[str | None] = mapped_column(String(50))
    agent: Mapped[str | None] = mapped_column(String(40))    # browser family, e.g. "Zalo/Android"


class ConsumerReport(db.Model):
    """"Report a problem with this product", sent from the scan page to the officers' queue."""

    __tablename__ = "consumer_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    stamp_id: Mapped[int | None] = mapped_column(ForeignKey("stamps.id"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str | None] = mapped_column(String(120))
    message: Mapped[str] = mapped_column(Text)
    photo: Mapped[str | None] = mapped_column(String(100))   # file name under the instance's uploads
    status: Mapped[str] = mapped_column(String(12), default="new", index=True)   # REPORT_STATUSES
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)
    network: Mapped[str | None] = mapped_column(String(50))
    handled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    handled_by: Mapped[str | None] = mapped_column(String(254))
    note: Mapped[str | None] = mapped_column(Text)
    violation_id: Mapped[int | None] = mapped_column(ForeignKey("violations.id"))

    stamp: Mapped[Stamp | None] = relationship()
    product: Mapped[Product | None] = relationship()
