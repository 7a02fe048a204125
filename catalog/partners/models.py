"""Partners of the API (retailers, e-commerce platforms), their keys and webhook deliveries."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.kernel import clock
from catalog.kernel.audited import audited
from catalog.kernel.db import Model
from catalog.kernel.i18n import N_
from catalog.kernel.models.types import UTCDateTime
from catalog.partners.feed_models import Position

DELIVERY_STATUSES = ("pending", "delivered", "failed")


@audited(N_("API partner"), lambda v: v.get("name"), secrets=frozenset({"webhook_secret"}),
         page=("partners.partner", "partner_id"))
class Partner(Model):
    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    contact_email: Mapped[str | None] = mapped_column(String(254))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    webhook_url: Mapped[str | None] = mapped_column(String(500))
    #: the HMAC-SHA256 key webhook bodies are signed with (the partner holds a copy to check them)
    webhook_secret: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)

    keys: Mapped[list[ApiKey]] = relationship(back_populates="partner", order_by="ApiKey.id")


@audited(N_("API key"), lambda v: v.get("prefix"), secrets=frozenset({"key_hash"}),
         page=("partners.partner", "partner_id"), parent="partner_id")
class ApiKey(Model):
    """A bearer key: only its SHA-256 is kept (the key has 256 random bits), and a prefix to recognise it."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    partner: Mapped[Partner] = relationship(back_populates="keys")


class WebhookDelivery(Model):
    """One change-feed event owed to one partner's webhook, retried with back-off until delivered."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
    position: Mapped[int] = mapped_column(Position)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)
    last_status: Mapped[int | None] = mapped_column(SmallInteger)
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)

    partner: Mapped[Partner] = relationship()
