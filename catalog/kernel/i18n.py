"""Marking text for translation without translating it here.

The kernel speaks English message ids; the surfaces translate them into the
reader's language when they show them (:mod:`catalog.platform.i18n`). ``N_``
only marks a string for the extractor (``pybabel extract -k N_``).
"""
from __future__ import annotations

from typing import NamedTuple


def N_(message: str) -> str:  # noqa: N802  (the gettext convention)
    return message


class Label(NamedTuple):
    """A term of the programme in both languages, kept together: the official Vietnamese wording
    (what decisions, imports and exports use) and its English name. Pages show the reader's."""

    vi: str
    en: str
