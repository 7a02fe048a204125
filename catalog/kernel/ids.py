"""Row ids as they arrive from outside (URLs, forms, query strings, cursors).

Ids are 32-bit INTEGER columns. SQLite compares any number, but PostgreSQL
refuses a parameter out of range ("integer out of range") and fails the whole
statement, so a typed or fuzzed ``99999999999`` must be turned away before it
reaches a query: it names no row, exactly like an id that was never used.
"""
from __future__ import annotations

from typing import Any

from catalog.kernel.text import is_digits

MAX_ID = 2**31 - 1


def parse_id(value: Any) -> int | None:
    """The id ``value`` spells (ASCII digits, 1 to :data:`MAX_ID`), else ``None``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 < value <= MAX_ID else None
    text = str(value).strip() if value is not None else ""
    if not is_digits(text) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
