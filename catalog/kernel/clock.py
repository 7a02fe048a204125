"""The one source of "now" for the whole service.

Every rule that depends on time (expiry, supersession, revocation, visibility)
reads the current instant from :func:`now`. The clock belongs to the app: an
app may pin its clock to an instant (:func:`set_now`, :func:`frozen_at`) to
answer as of that instant (demo data made "as of" a date; tests moving time),
without touching any other app in the process. Outside an app context the
clock is the system's.
"""
from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from flask import current_app, has_app_context

_KEY = "catalog.clock"


class Clock:
    """An app's clock: the system time, unless pinned to an instant."""

    def __init__(self) -> None:
        self.pinned: dt.datetime | None = None

    def now(self) -> dt.datetime:
        return self.pinned if self.pinned is not None else dt.datetime.now(dt.UTC)


def _app_clock() -> Clock | None:
    if not has_app_context():
        return None
    clock: Clock | None = current_app.extensions.get(_KEY)
    if clock is None:
        clock = current_app.extensions[_KEY] = Clock()
    return clock


def now() -> dt.datetime:
    """The current instant, timezone-aware, in UTC."""
    clock = _app_clock()
    return clock.now() if clock is not None else dt.datetime.now(dt.UTC)


def set_now(instant: dt.datetime | None) -> None:
    """Pin the current app's clock to ``instant`` (aware), or release it with ``None``."""
    if instant is not None and instant.tzinfo is None:
        raise ValueError("the clock needs a timezone-aware instant")
    clock = _app_clock()
    if clock is None:
        raise RuntimeError("the clock belongs to an app: pin it inside an app context")
    clock.pinned = None if instant is None else instant.astimezone(dt.UTC)


@contextlib.contextmanager
def frozen_at(instant: dt.datetime) -> Iterator[dt.datetime]:
    """Run a block as if the current instant were ``instant``."""
    clock = _app_clock()
    previous = clock.pinned if clock is not None else None
    set_now(instant)
    try:
        yield now()
    finally:
        set_now(previous)
