"""Recognitions (the OCOP certificate) and the one rule of when one is in force."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    Date,
    ForeignKey,
    Numeric,
    SmallInteger,
    String,
    Text,
    and_,
    exists,
    or_,
)
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from catalog.kernel import clock, programme
from catalog.kernel.audited import audited
from catalog.kernel.db import Model
from catalog.kernel.i18n import N_
from catalog.kernel.models.products import Product
from catalog.kernel.models.types import UTCDateTime

KIND_FIRST = "first"
KIND_RE_RECOGNITION = "re_recognition"
KIND_UPGRADE = "upgrade"
RECOGNITION_KINDS = (KIND_FIRST, KIND_RE_RECOGNITION, KIND_UPGRADE)

IN_FORCE = "in_force"
EXPIRED = "expired"
SUPERSEDED = "superseded"
REVOKED = "revoked"
NOT_YET_IN_FORCE = "not_yet_in_force"
STATUSES = (IN_FORCE, EXPIRED, SUPERSEDED, REVOKED, NOT_YET_IN_FORCE)
#: A status as a sentence names it (a message id, translated with the sentence).
STATUS_TERMS = {IN_FORCE: N_("in force"), NOT_YET_IN_FORCE: N_("not yet in force"), EXPIRED: N_("expired"),
                SUPERSEDED: N_("superseded"), REVOKED: N_("revoked")}

_GROUND_CODES = ", ".join(f"'{code}'" for code in programme.REVOCATION_GROUNDS)


def is_in_force(at: dt.datetime, starts_at: dt.datetime, ends_at: dt.datetime, superseded_at: dt.datetime | None,
                revoked_at: dt.datetime | None) -> bool:
    """The Python side of :meth:`Recognition.in_force_at`, of plain values (the model and plain-row views call it)."""
    return (starts_at <= at < ends_at
            and (superseded_at is None or at < superseded_at)
            and (revoked_at is None or at < revoked_at))


def status_of(at: dt.datetime, starts_at: dt.datetime, ends_at: dt.datetime, superseded_at: dt.datetime | None,
              revoked_at: dt.datetime | None) -> str:
    """A recognition's status at ``at`` (:meth:`Recognition.status_at`), of plain values."""
    if is_in_force(at, starts_at, ends_at, superseded_at, revoked_at):
        return IN_FORCE
    if revoked_at is not None and at >= revoked_at:
        return REVOKED
    if at < starts_at:
        return NOT_YET_IN_FORCE
    if superseded_at is not None and at >= superseded_at:
        return SUPERSEDED
    return EXPIRED


@audited(N_("Recognition"), lambda v: v.get("decision_number"), page=("records.product", "product_id"),
         parent="product_id")
class Recognition(Model):
    """One recognition decision for one product.

    ``starts_at``/``ends_at`` are the instants the decision date and the
    valid-until date stand for; ``superseded_at`` and ``revoked_at`` are set by
    the lifecycle services. Together they decide :meth:`in_force_at`.
    """

    __tablename__ = "recognitions"
    __table_args__ = (
        CheckConstraint(f"stars BETWEEN {programme.MIN_RECOGNISED_STARS} AND {programme.NATIONAL_STARS}",
                        name="stars_recognised"),
        CheckConstraint(f"score >= 0 AND score <= {programme.MAX_SCORE}", name="score_range"),
        CheckConstraint("level IN ('province', 'national')", name="level"),
        CheckConstraint("kind IN ('first', 're_recognition', 'upgrade')", name="kind"),
        CheckConstraint("starts_at < ends_at", name="validity_order"),
        CheckConstraint(f"revocation_ground IS NULL OR revocation_ground IN ({_GROUND_CODES})",
                        name="revocation_ground"),
        CheckConstraint(
            "(revoked_at IS NULL) = (revocation_decision IS NULL)"
            " AND (revoked_at IS NULL) = (revocation_ground IS NULL)"
            " AND (revoked_at IS NULL) = (revoked_on IS NULL)",
            name="revocation_complete"),
        CheckConstraint("(kind = 'first') = (supersedes_id IS NULL)", name="supersedes_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    score: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    stars: Mapped[int] = mapped_column(SmallInteger, index=True)
    level: Mapped[str] = mapped_column(String(10))
    authority: Mapped[str] = mapped_column(String(200))
    decision_number: Mapped[str] = mapped_column(String(60), index=True)
    certificate_number: Mapped[str | None] = mapped_column(String(60))
    decision_date: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date] = mapped_column(Date)
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("recognitions.id"), unique=True)
    superseded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    revoked_on: Mapped[dt.date | None] = mapped_column(Date)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    revocation_decision: Mapped[str | None] = mapped_column(String(60))
    revocation_authority: Mapped[str | None] = mapped_column(String(200))
    revocation_ground: Mapped[str | None] = mapped_column(String(30))
    #: PUBLIC: printed on the product's 410 page and its stamps' scan page
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    #: INTERNAL: officers only, never on a public page, in public JSON, the partner API, feed or webhooks
    revocation_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)

    product: Mapped[Product] = relationship(back_populates="recognitions")
    supersedes: Mapped[Recognition | None] = relationship(
        remote_side=[id], back_populates="superseded_by", foreign_keys=[supersedes_id])
    superseded_by: Mapped[Recognition | None] = relationship(
        back_populates="supersedes", foreign_keys=[supersedes_id])

    @hybrid_method
    def in_force_at(self, at: dt.datetime) -> bool:
        """THE rule: in force at ``at`` when started, not lapsed, not superseded, not revoked.

        In SQL for lists and counts; in Python through :func:`is_in_force`, which a
        plain-row view of a recognition calls too.
        """
        return is_in_force(at, self.starts_at, self.ends_at, self.superseded_at, self.revoked_at)

    @in_force_at.expression
    @classmethod
    def _in_force_at_expression(cls, at: dt.datetime) -> ColumnElement[bool]:
        return and_(cls.starts_at <= at, cls.ends_at > at,
                    or_(cls.superseded_at.is_(None), cls.superseded_at > at),
                    or_(cls.revoked_at.is_(None), cls.revoked_at > at))

    @hybrid_method
    def expired_at(self, at: dt.datetime) -> bool:
        """Lapsed by ``at`` (valid_until passed) without having been superseded or revoked first."""
        return self.status_at(at) == EXPIRED

    @expired_at.expression
    @classmethod
    def _expired_at_expression(cls, at: dt.datetime) -> ColumnElement[bool]:
        return and_(cls.ends_at <= at,
                    or_(cls.superseded_at.is_(None), cls.superseded_at > at),
                    or_(cls.revoked_at.is_(None), cls.revoked_at > at))

    @classmethod
    def is_latest(cls):
        """SQL: no later decision exists for the same product (it was never followed up)."""
        later = aliased(cls)
        return ~exists().where(later.product_id == cls.product_id, later.starts_at > cls.starts_at)

    def status_at(self, at: dt.datetime | None = None) -> str:
        """``in_force``, ``expired``, ``superseded``, ``revoked`` or ``not_yet_in_force`` at ``at``."""
        return status_of(at or clock.now(), self.starts_at, self.ends_at, self.superseded_at, self.revoked_at)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def revocation_ground_label(self) -> str | None:
        found = programme.REVOCATION_GROUNDS.get(self.revocation_ground or "")
        return found.vi if found else None

    def __repr__(self) -> str:
        return f"<Recognition {self.id} product={self.product_id} {self.stars}* {self.decision_number}>"
