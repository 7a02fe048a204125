"""The scan log: every resolution of a stamp code."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from catalog.kernel import clock
from catalog.kernel.db import Model
from catalog.kernel.models.types import UTCDateTime

VERDICTS = ("genuine", "expired", "revoked", "voided", "unknown", "suspicious")


class Scan(Model):
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
