"""The officers' queues, as counts at an instant (for the dashboard)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from catalog.kernel.db import db
from catalog.violations.models import ConsumerReport, Violation


def open_violations(at: dt.datetime) -> int:
    return db.session.scalar(select(func.count(Violation.id)).where(
        Violation.status == "open", Violation.created_at <= at)) or 0


def new_reports(at: dt.datetime) -> int:
    return db.session.scalar(select(func.count(ConsumerReport.id)).where(
        ConsumerReport.status == "new", ConsumerReport.created_at <= at)) or 0
