"""Violations found after certification, with their evidence files; consumers' reports from the scan page."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.kernel import clock
from catalog.kernel.audited import audited
from catalog.kernel.db import Model
from catalog.kernel.i18n import N_, Label
from catalog.kernel.models.products import Product
from catalog.kernel.models.recognitions import Recognition
from catalog.kernel.models.types import UTCDateTime
from catalog.trace import Stamp

#: Categories of post-certification findings, by code (labels in Vietnamese; English in the admin).
VIOLATION_CATEGORIES: dict[str, Label] = {
    "quality": Label("Chất lượng, an toàn thực phẩm", "Quality, food safety"),
    "labelling": Label("Bao bì, tem, nhãn", "Packaging, stamps, labels"),
    "mark_misuse": Label("Sử dụng sai biểu trưng OCOP", "Misuse of the OCOP mark"),
    "intellectual_property": Label("Sở hữu trí tuệ", "Intellectual property"),
    "environment": Label("Môi trường", "Environment"),
    "counterfeit": Label("Hàng giả, hàng nhái", "Counterfeit, imitation"),
    "stopped_production": Label("Ngừng sản xuất", "Production stopped"),
    "other": Label("Khác", "Other"),
}
VIOLATION_STATUSES = ("open", "confirmed", "dismissed")
#: new: in the officers' queue; dismissed, or turned into a violation
REPORT_STATUSES = ("new", "dismissed", "violation")


@audited(N_("Violation"), lambda v: v.get("category"), page=("violations.violation", "violation_id"))
class Violation(Model):
    __tablename__ = "violations"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    found_on: Mapped[dt.date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(24), index=True)
    #: INTERNAL: the inspector's note, for officers only (a revocation takes it as its internal note)
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    decision_note: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(254))
    filed_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)
    #: the revocation this violation led to, once recorded
    recognition_id: Mapped[int | None] = mapped_column(ForeignKey("recognitions.id"))

    product: Mapped[Product] = relationship()
    recognition: Mapped[Recognition | None] = relationship()
    evidence: Mapped[list[ViolationEvidence]] = relationship(back_populates="violation",
                                                             order_by="ViolationEvidence.id")


@audited(N_("Violation evidence"), lambda v: v.get("original_name"),
         page=("violations.violation", "violation_id"), parent="violation_id")
class ViolationEvidence(Model):
    """A file attached to a violation: kept under the instance folder, named by us, never by the uploader."""

    __tablename__ = "violation_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    violation_id: Mapped[int] = mapped_column(ForeignKey("violations.id"), index=True)
    filename: Mapped[str] = mapped_column(String(100))          # stored name (random) under uploads/evidence
    original_name: Mapped[str] = mapped_column(String(200))     # as uploaded, shown escaped
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)

    violation: Mapped[Violation] = relationship(back_populates="evidence")


@audited(N_("Consumer report"), lambda v: v.get("code"), page=("violations.report", "report_id"))
class ConsumerReport(Model):
    """"Report a problem with this product" (or, for a code that resolves to no product, "report a suspected
    counterfeit"), sent from the scan page to the officers' queue.

    ``reference`` is what the reporter is given to follow the report at ``/reports/<reference>``: random, never
    the row id. ``contact`` (a phone number or an e-mail address), ``name``, ``message``, ``purchase_place``
    and ``photo`` are shown to officers only, never on the public status page.
    """

    __tablename__ = "consumer_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(10), unique=True)
    stamp_id: Mapped[int | None] = mapped_column(ForeignKey("stamps.id"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str | None] = mapped_column(String(120))
    message: Mapped[str] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(254))          # a phone number (0…) or an e-mail address
    purchase_place: Mapped[str | None] = mapped_column(String(200))
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
    violation: Mapped[Violation | None] = relationship()

    @property
    def counterfeit(self) -> bool:
        """Sent for a code that resolves to no stamp: a report of a suspected counterfeit."""
        return self.stamp_id is None
