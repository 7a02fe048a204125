"""Folding Vietnamese text for search keys and URL slugs.

Unicode decomposition strips the tone and vowel marks, but ``đ``/``Đ`` is a
letter of its own, not ``d`` plus a mark, so it is mapped by hand. The same
function folds what is indexed and what is searched.
"""
from __future__ import annotations

import re
import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def is_digits(text: str) -> bool:
    """ASCII digits only. ``str.isdigit`` also accepts "²" (which ``int`` refuses) and "١٢" (which it reads)."""
    return text.isascii() and text.isdigit()


def fold(text: str) -> str:
    """Lowercase, without diacritics, ``đ`` -> ``d``, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def slugify(text: str, max_length: int = 80) -> str:
    """An ASCII URL slug: ``Trà shan tuyết (gói 200 gram)`` -> ``tra-shan-tuyet-goi-200-gram``."""
    slug = _NON_SLUG.sub("-", fold(text)).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug or "item"


def _without_controls(text: str) -> str:
    """Control characters other than whitespace (NUL, escape, ...) dropped: invisible, and PostgreSQL
    refuses NUL in text."""
    return "".join(ch for ch in text if ch.isspace() or unicodedata.category(ch) != "Cc")


def clean_line(text: str | None) -> str | None:
    """One line of user text, NFC-normalised, whitespace collapsed, control characters dropped; ``None``
    when blank."""
    if text is None:
        return None
    cleaned = " ".join(_without_controls(unicodedata.normalize("NFC", str(text))).split())
    return cleaned or None


def clean_block(text: str | None) -> str | None:
    """Multi-line user text, NFC-normalised, trailing blanks trimmed, control characters dropped; ``None``
    when blank."""
    if text is None:
        return None
    text = _without_controls(unicodedata.normalize("NFC", str(text)).replace("\r\n", "\n"))
    lines = [line.rstrip() for line in text.split("\n")]
    cleaned = "\n".join(lines).strip()
    return cleaned or None
