"""The partner change feed: what partners were told, in order, and where the feed stands."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from catalog.kernel.db import Model
from catalog.kernel.models.recognitions import EXPIRED, REVOKED
from catalog.kernel.models.types import UTCDateTime

#: 64-bit positions on PostgreSQL; SQLite's INTEGER is 64-bit already.
Position = BigInteger().with_variant(Integer, "sqlite")
FEED_KINDS = ("listed", "updated", "delisted")
#: Why a product left the listings: what :attr:`~catalog.kernel.visibility.PublicStatus.ending` says.
DELISTING_REASONS = (EXPIRED, REVOKED)


class FeedEvent(Model):
    """One change partners must apply. Positions are gap-free and committed in order."""

    __tablename__ = "feed_events"

    position: Mapped[int] = mapped_column(Position, primary_key=True, autoincrement=False)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(10))              # delisted: expired | revoked
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)       # when it took effect
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)   # when the feed wrote it


class FeedState(Model):
    """Whether the feed has each product listed: replaying the feed yields exactly these."""

    __tablename__ = "feed_state"

    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True, autoincrement=False)
    listed: Mapped[bool] = mapped_column(Boolean)
    position: Mapped[int] = mapped_column(Position)                     # of its last event


class FeedHead(Model):
    """The single row writers lock to append events, so positions commit in order."""

    __tablename__ = "feed_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    position: Mapped[int] = mapped_column(Position, default=0)
    #: recognitions starting or ending up to this instant are reflected in the feed
    checked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
