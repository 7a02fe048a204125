"""Terms of the programme in the reader's language (a :class:`~catalog.kernel.i18n.Label` holds both),
for every template: ``label`` for any term, and the kernel's vocabularies by code. Features register
their own vocabularies' helpers the same way (:func:`register`)."""
from __future__ import annotations

from collections.abc import Callable, Mapping

from flask import Flask
from flask_babel import get_locale, gettext

from catalog.kernel import programme, roles, taxonomy, visibility
from catalog.kernel.i18n import Label
from catalog.kernel.models.producers import PRODUCER_KINDS


def english() -> bool:
    return str(get_locale()) == "en"


def label(term: Label) -> str:
    return term.en if english() else term.vi


def by_code(vocabulary: Mapping[str, Label]) -> Callable[[str | None], str]:
    """``code -> its label`` in the reader's language ("" for None)."""
    def lookup(code: str | None) -> str:
        return "" if code is None else label(vocabulary[code])
    return lookup


def sector(code: str) -> str:
    found = taxonomy.SECTORS_BY_CODE[code]
    return found.name_en if english() else found.name


producer_kind = by_code(PRODUCER_KINDS)
ground = by_code(programme.REVOCATION_GROUNDS)
role = by_code(roles.ROLE_LABELS)


def status(code: str | None) -> str:
    """A recognition's or a product's status (``in_force``, ``expired``, ... ``never_recognised``) in the
    reader's language."""
    return "" if code is None else gettext(visibility.PUBLIC_STATUS_TERMS.get(code, code))


def register(app: Flask, **helpers: Callable[[str], str]) -> None:
    """Make vocabulary helpers (``name=lookup``) available to every template."""
    app.jinja_env.globals.update(helpers)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["label"] = label
    register(app, sector_label=sector, producer_kind_label=producer_kind, ground_label=ground, role_label=role,
             status_label=status)
