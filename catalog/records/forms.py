"""What the record forms share: reading what was typed, showing a record's values, and the choices offered."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from flask import request
from sqlalchemy import select

from catalog.kernel import taxonomy, units
from catalog.kernel.db import db
from catalog.kernel.models.producers import PRODUCER_KINDS, Producer
from catalog.kernel.models.products import STANDARDS
from catalog.platform import labels
from catalog.trace.models.lots import TRACE_EVENT_KINDS, local_time

#: UTC offsets offered for an event's time; Việt Nam's first.
UTC_OFFSETS: tuple[str, ...] = ("+07:00", *(
    f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    for minutes in sorted({*range(-720, 841, 60), -570, -210, 210, 270, 330, 345, 390, 525, 570, 630, 765})
    if minutes != 420))
_LOCAL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")


def submitted(names: Iterable[str], lists: Iterable[str] = ()) -> dict[str, Any]:
    """The form as typed: every field named (missing ones empty), ``lists`` as lists of values."""
    form: dict[str, Any] = {name: request.form.get(name, "") for name in names}
    form.update({name: request.form.getlist(name) for name in lists})
    return form


def blanks_to_none(form: dict[str, Any]) -> dict[str, Any]:
    """Empty fields as absent, for number and date fields whose parsers refuse an empty string."""
    return {key: (None if isinstance(value, str) and not value.strip() else value) for key, value in form.items()}


def values_of(record: Any, names: Iterable[str]) -> dict[str, Any]:
    """A record's values as a form shows them."""
    return {name: _shown(getattr(record, name)) for name in names}


def _shown(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return list(value)
    return str(value)


def event_instant(form: dict[str, Any]) -> tuple[str | None, dict[str, list[str]]]:
    """The ISO time the core expects, from the ``datetime-local`` field and the UTC offset chosen."""
    local, offset = (form.get("occurred_at") or "").strip(), form.get("utc_offset") or ""
    if offset not in UTC_OFFSETS:
        return None, {"utc_offset": ["choose a UTC offset from the list"]}
    if not local:
        return None, {}
    if not _LOCAL_TIME.match(local):
        return None, {"occurred_at": ["is not a date and time such as 2026-05-04T07:30"]}
    return local + offset, {}


def event_values(event: Any) -> dict[str, Any]:
    """An event's values for its form: the time as it was on the local clock, and that clock's offset."""
    form = values_of(event, ("kind", "place", "location_code", "actor", "details", "document_title",
                             "document_ref"))
    when = local_time(event.occurred_at, event.utc_offset_minutes)
    minutes = event.utc_offset_minutes
    form["occurred_at"] = when.strftime("%Y-%m-%dT%H:%M")
    form["utc_offset"] = f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return form


def province_choices() -> list[tuple[str, str]]:
    return [(code, info.name) for code, info in units.provinces().items()]


def sector_choices() -> list[tuple[str, str]]:
    return [(sector.code, labels.sector(sector.code)) for sector in taxonomy.SECTORS]


def set_choices() -> list[tuple[int, str]]:
    return [(s.number, f"{s.number}. {s.name}") for s in taxonomy.PRODUCT_SETS]


def producer_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(select(Producer.id, Producer.name).order_by(Producer.name, Producer.id))
    return [(producer_id, name) for producer_id, name in rows]


def kind_choices() -> list[tuple[str, str]]:
    return [(code, labels.producer_kind(code)) for code in PRODUCER_KINDS]


def event_kind_choices() -> list[tuple[str, str]]:
    return [(code, labels.event_kind(code)) for code in TRACE_EVENT_KINDS]


def standard_choices() -> list[tuple[str, str]]:
    return list(STANDARDS.items())
