"""What the admin's form views share: ask the core, keep its refusal to show next to the fields, or
flash what was done and send the browser on with a GET (303), so a reload never posts again; and the
lists whose filter form the core loads."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, TypeVar

from flask import flash, redirect, request, url_for
from sqlalchemy import Select
from werkzeug.wrappers import Response

from catalog.kernel import programme, taxonomy, units
from catalog.kernel.errors import DomainError
from catalog.kernel.models.producers import PRODUCER_KINDS
from catalog.kernel.models.products import STANDARDS
from catalog.platform import labels
from catalog.platform.pagination import Page, page_number, paginate

T = TypeVar("T")
#: Problems by field name (``_`` for the request as a whole), as forms show them.
Errors = dict[str, list[str]]


def attempt(action: Callable[[], T]) -> tuple[T | None, Errors]:
    """``(result, {})`` when ``action`` is done; ``(None, errors by field)`` when the core refuses it."""
    try:
        return action(), {}
    except DomainError as exc:
        return None, exc.errors


def saved(message: str, endpoint: str, **values: Any) -> Response:
    """Flash ``message`` and redirect (303 See Other) to ``url_for(endpoint, **values)``."""
    flash(message)
    return redirect(url_for(endpoint, **values), code=303)


def filtered_page(lister: Callable[[dict], tuple[Select, dict]], form: dict, per_page: int
                  ) -> tuple[Page[Any] | None, dict | None, dict[str, list[str]]]:
    """The page asked for (``form["page"]``) of a list: ``lister`` turns the filter ``form`` into a query of
    one entity and the filters as loaded. ``(page, filters, {})``, or ``(None, None, errors by field)`` when
    the core refuses a filter."""
    listed, errors = attempt(lambda: lister(form))
    if errors or listed is None:
        return None, None, errors
    query, filters = listed
    entity = query.column_descriptions[0]["entity"]
    return paginate(query, entity, number=page_number(form), per_page=per_page), filters, {}


# -- reading and showing form values ---------------------------------------------------

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


# -- the kernel's vocabularies as choices ------------------------------------------------

def province_choices() -> list[tuple[str, str]]:
    return [(code, info.name) for code, info in units.provinces().items()]


def sector_choices() -> list[tuple[str, str]]:
    return [(sector.code, labels.sector(sector.code)) for sector in taxonomy.SECTORS]


def set_choices() -> list[tuple[int, str]]:
    return [(s.number, f"{s.number}. {s.name}") for s in taxonomy.PRODUCT_SETS]


def kind_choices() -> list[tuple[str, str]]:
    return [(code, labels.producer_kind(code)) for code in PRODUCER_KINDS]


def standard_choices() -> list[tuple[str, str]]:
    return list(STANDARDS.items())


def ground_choices() -> list[tuple[str, str]]:
    return [(code, labels.ground(code)) for code in programme.REVOCATION_GROUNDS]
