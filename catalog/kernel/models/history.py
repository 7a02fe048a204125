"""The status history: one append-only row per lifecycle event of a recognition."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.kernel import clock
from catalog.kernel.db import Model
from catalog.kernel.models.recognitions import Recognition
from catalog.kernel.models.types import UTCDateTime

EVENT_RECOGNISED = "recognised"
EVENT_RE_RECOGNISED = "re_recognised"
EVENT_UPGRADED = "upgraded"
EVENT_SUPERSEDED = "superseded"
EVENT_REVOKED = "revoked"
EVENT_KINDS = (EVENT_RECOGNISED, EVENT_RE_RECOGNISED, EVENT_UPGRADED, EVENT_SUPERSEDED, EVENT_REVOKED)


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete a history row."""


def append_only(model: type, what: str) -> None:
    """Make the ORM refuse to update or delete rows of ``model`` (the database's triggers refuse too)."""
    def refuse(verb: str):
        def listener(mapper, connection, target):
            raise AppendOnlyError(f"{what} is append-only: rows are never {verb}")
        return listener

    event.listen(model, "before_update", refuse("updated"))
    event.listen(model, "before_delete", refuse("deleted"))


class RecognitionEvent(Model):
    """Never updated, never deleted: the ORM refuses, and so do database triggers."""

    __tablename__ = "recognition_events"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('recognised', 're_recognised', 'upgraded', 'superseded', 'revoked')",
            name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    recognition_id: Mapped[int] = mapped_column(ForeignKey("recognitions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)
    effective_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    decision_ref: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)

    recognition: Mapped[Recognition] = relationship()

    def __repr__(self) -> str:
        return f"<RecognitionEvent {self.id} {self.kind} recognition={self.recognition_id}>"


append_only(RecognitionEvent, "the recognition history")
