"""What the lot event forms need: the time as typed on the local clock and its UTC offset, and the kinds."""
from __future__ import annotations

import re
from typing import Any

from catalog.platform import labels
from catalog.platform.forms import values_of
from catalog.trace.models.lots import TRACE_EVENT_KINDS, local_time

event_kind = labels.by_code(TRACE_EVENT_KINDS)

#: UTC offsets offered for an event's time; Việt Nam's first.
UTC_OFFSETS: tuple[str, ...] = ("+07:00", *(
    f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    for minutes in sorted({*range(-720, 841, 60), -570, -210, 210, 270, 330, 345, 390, 525, 570, 630, 765})
    if minutes != 420))
_LOCAL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")


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


def event_kind_choices() -> list[tuple[str, str]]:
    return [(code, event_kind(code)) for code in TRACE_EVENT_KINDS]
