"""Names of domain things in the reader's language (the core keeps Vietnamese and English),
available to every template."""
from __future__ import annotations

from flask_babel import get_locale

from catalog.accounts.models import ROLE_LABELS, ROLE_LABELS_EN
from catalog.kernel import programme, taxonomy
from catalog.kernel.models.producers import PRODUCER_KINDS, PRODUCER_KINDS_EN
from catalog.trace.models.lots import TRACE_EVENT_KINDS, TRACE_EVENT_KINDS_EN
from catalog.violations.models import VIOLATION_CATEGORIES, VIOLATION_CATEGORIES_EN


def english() -> bool:
    return str(get_locale()) == "en"


def sector(code: str) -> str:
    found = taxonomy.SECTORS_BY_CODE[code]
    return found.name_en if english() else found.name


def producer_kind(code: str) -> str:
    return (PRODUCER_KINDS_EN if english() else PRODUCER_KINDS)[code]


def ground(code: str | None) -> str:
    if code is None:
        return ""
    return (programme.REVOCATION_GROUNDS_EN if english() else programme.REVOCATION_GROUNDS)[code]


def event_kind(code: str) -> str:
    return (TRACE_EVENT_KINDS_EN if english() else TRACE_EVENT_KINDS)[code]


def role(code: str) -> str:
    return (ROLE_LABELS_EN if english() else ROLE_LABELS)[code]


def violation_category(code: str) -> str:
    return (VIOLATION_CATEGORIES_EN if english() else VIOLATION_CATEGORIES)[code]


def register(app) -> None:
    app.jinja_env.globals.update(sector_label=sector, producer_kind_label=producer_kind, ground_label=ground,
                                 event_label=event_kind, role_label=role, category_label=violation_category)
