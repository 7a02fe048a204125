"""What the admin's form views share: ask the core, keep its refusal to show next to the fields, or
flash what was done and send the browser on with a GET (303), so a reload never posts again; and the
lists whose filter form the core loads."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash, redirect, url_for
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select
from werkzeug.wrappers import Response

from catalog.kernel.db import db
from catalog.kernel.errors import DomainError

T = TypeVar("T")


def attempt(action: Callable[[], T]) -> tuple[T | None, dict[str, list[str]]]:
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
                  ) -> tuple[Pagination | None, dict | None, dict[str, list[str]]]:
    """The page asked for of a list: ``lister`` turns the filter ``form`` into a query and the filters as loaded.
    ``(page, filters, {})``, or ``(None, None, errors by field)`` when the core refuses a filter."""
    listed, errors = attempt(lambda: lister(form))
    if errors:
        return None, None, errors
    query, filters = listed
    return db.paginate(query, per_page=per_page, error_out=False), filters, {}
