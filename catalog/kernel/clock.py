"""The one source of "now" for the whole service.

Every rule that depends on time (expiry, supersession, revocation, visibility)
reads the current instant from :func:`now`, so tests move time with
:func:`frozen_at` instead of waiting for it.
"""
from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    """The current instant, timezone-aware, in UTC."""
    if _frozen is not None:
        return _frozen
    return dt.datetime.now(dt.UTC)


def set_now(instant: dt.datetime | None) -> None:
    """Pin the clock to ``instant`` (aware), or release it with ``None``."""
    global _frozen
    if instant is not None and instant.tzinfo is None:
        raise ValueError("the clock needs a timezone-aware instant")
    _frozen = None if instant is None else instant.astimezone(dt.UTC)


@contextlib.contextmanager
def frozen_at(instant: dt.datetime) -> Iterator[dt.datetime]:
    """Run a block as if the current instant were ``instant``."""
    previous = _frozen
    set_now(instant)
    try:
        yield now()
    finally:
        set_now(previous)
