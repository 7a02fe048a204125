"""Marking text for translation without translating it here, and messages that carry their values.

The kernel speaks English message ids; the surfaces translate them into the
reader's language when they show them (:func:`catalog.platform.i18n.translate`).
``N_`` only marks a string for the extractor (``pybabel extract -k N_``).

A sentence with values in it (a score, a date, a decision number) is a
:class:`Message`: the English template, marked with ``N_``, and the values by
name. It *is* its English text, so logs, the CLI, JSON details and code that
compares or joins strings keep working; a page translates the template and
puts the values into the reader's language.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple


def N_(message: str) -> str:  # noqa: N802  (the gettext convention)
    return message


class Message(str):
    """An English template with named parameters (``"a score of %(score)s gives %(stars)s stars"``) and their values.

    ``str()`` of it is the English text (it returns the message itself, so the
    template and values survive ``str()``); :func:`catalog.platform.i18n.translate`
    looks the template up in the reader's language and formats the values for
    it. A value may itself be a Message (a term such as a status), translated
    with it. As with gettext, a template is %-formatted only when it has values.
    """

    template: str
    params: Mapping[str, Any]

    def __new__(cls, template: str, /, **params: Any) -> Message:
        text = template % {name: _english(value) for name, value in params.items()} if params else template
        message = super().__new__(cls, text)
        message.template = template
        message.params = params
        return message

    def __str__(self) -> str:
        return self

    @classmethod
    def of(cls, text: str) -> Message:
        """``text`` as a Message: itself if it is one, else a template without values (a plain msgid)."""
        return text if isinstance(text, Message) else cls(str(text))

    @classmethod
    def joined(cls, separator: str, messages: Iterable[str]) -> Message:
        """Messages one after the other, each translated on its own (the separator is punctuation, not words)."""
        parts = [cls.of(m) for m in messages]
        template = separator.replace("%", "%%").join(f"%({i})s" for i in range(len(parts)))
        return cls(template, **{str(i): part for i, part in enumerate(parts)}) if parts else cls("")


def _english(value: Any) -> Any:
    """A value as the English text shows it: dates day/month/year, as the office writes them."""
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return value


class Label(NamedTuple):
    """A term of the programme in both languages, kept together: the official Vietnamese wording
    (what decisions, imports and exports use) and its English name. Pages show the reader's."""

    vi: str
    en: str
