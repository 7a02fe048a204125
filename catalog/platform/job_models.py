"""The job queue's own records in the database: failed jobs kept for the admin area, and leases."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from catalog.kernel import clock
from catalog.kernel.db import Model
from catalog.kernel.models.types import UTCDateTime


class JobFailure(Model):
    """A job that failed its last try: what it was, why, and whether somebody has retried it."""

    __tablename__ = "job_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    args: Mapped[list] = mapped_column(JSON, default=list)
    error: Mapped[str] = mapped_column(Text)
    tries: Mapped[int] = mapped_column(Integer)
    failed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    retried_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    retried_by: Mapped[str | None] = mapped_column(String(254))


class JobLease(Model):
    """Who runs a job that must not run twice at once, until when (a killed worker's lease runs out)."""

    __tablename__ = "job_leases"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
