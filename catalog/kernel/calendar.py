"""Dates versus instants, in the catalog's time zone.

Decisions carry dates; the rules compare instants. A decision dated D takes
effect at 00:00 on D in the catalog's time zone (``CATALOG_TIMEZONE``, by
default Asia/Ho_Chi_Minh; each app reads its own), and a recognition valid until
D is in force up to the end of that day.
"""
from __future__ import annotations

import calendar as _calendar
import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

_KEY = "catalog.zone"

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
_DEFAULT_ZONE = ZoneInfo(DEFAULT_TIMEZONE)


def zone() -> ZoneInfo:
    """The current app's zone (``CATALOG_TIMEZONE``), or the default outside an app."""
    if not has_app_context():
        return _DEFAULT_ZONE
    found: ZoneInfo | None = current_app.extensions.get(_KEY)
    if found is None:
        found = current_app.extensions[_KEY] = ZoneInfo(current_app.config.get("CATALOG_TIMEZONE") or DEFAULT_TIMEZONE)
    return found


def start_of_day(day: dt.date) -> dt.datetime:
    """The first instant of ``day`` in the catalog's zone, as aware UTC."""
    local = dt.datetime.combine(day, dt.time.min, tzinfo=zone())
    return local.astimezone(dt.UTC)


def end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` (exclusive end), as aware UTC."""
    return start_of_day(day + dt.timedelta(days=1))


def local_date(instant: dt.datetime) -> dt.date:
    """The calendar date of ``instant`` in the catalog's zone."""
    return instant.astimezone(zone()).date()


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clipped to the month's end (29 Feb -> 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, _calendar.monthrange(year, month)[1]))
