"""Violations found after certification, with their evidence files."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.kernel import clock
from catalog.kernel.db import db
from catalog.kernel.models.products import Product
from catalog.kernel.models.recognitions import Recognition
from catalog.kernel.models.types import UTCDateTime

#: Categories of post-certification findings, by code (labels in Vietnamese; English in the admin).
VIOLATION_CATEGORIES: dict[str, str] = {
    "quality": "Chất lượng, an toàn thực phẩm",
    "labelling": "Bao bì, tem, nhãn",
    "mark_misuse": "Sử dụng sai biểu trưng OCOP",
    "intellectual_property": "Sở hữu trí tuệ",
    "environment": "Môi trường",
    "counterfeit": "Hàng giả, hàng nhái",
    "stopped_production": "Ngừng sản xuất",
    "other": "Khác",
}
VIOLATION_CATEGORIES_EN: dict[str, str] = {
    "quality": "Quality, food safety", "labelling": "Packaging, stamps, labels",
    "mark_misuse": "Misuse of the OCOP mark", "intellectual_property": "Intellectual property",
    "environment": "Environment", "counterfeit": "Counterfeit, imitation",
    "stopped_production": "Production stopped", "other": "Other",
}
VIOLATION_STATUSES = ("open", "confirmed", "dismissed")


class Violation(db.Model):
    __tablename__ = "violations"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    found_on: Mapped[dt.date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(24), index=True)
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


class ViolationEvidence(db.Model):
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
