"""The audit log: one append-only row per admin or CLI write of a record (:mod:`catalog.audit.operations`)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from catalog.kernel import clock
from catalog.kernel.db import Model
from catalog.kernel.models.history import append_only
from catalog.kernel.models.types import UTCDateTime

AUDIT_ACTIONS = ("create", "update", "delete")


class AuditEntry(Model):
    """Who changed which record when, and how: never updated, never deleted (ORM and database refuse)."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        CheckConstraint("action IN ('create', 'update', 'delete')", name="action"),
        Index("ix_audit_entries_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    actor: Mapped[str] = mapped_column(String(254), index=True)     # an admin's e-mail, or "cli:<os user>"
    action: Mapped[str] = mapped_column(String(10))
    object_type: Mapped[str] = mapped_column(String(40))             # the model's class name, e.g. "Product"
    object_id: Mapped[str] = mapped_column(String(60))               # its primary key, as text
    summary: Mapped[str | None] = mapped_column(String(300))         # its name, code or decision number
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)   # {field: [before, after]}

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.actor} {self.action} {self.object_type} {self.object_id}>"


append_only(AuditEntry, "the audit log")
