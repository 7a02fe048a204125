"""THE pagination of every HTML list: one :class:`Page`, one :func:`paginate` (SQL COUNT, then LIMIT/OFFSET).

The page asked for is read from the URL by :func:`page_number` (anything that is not a page number
is page 1) and clamped to the last page, so a stale link past the end shows the last page rather than
nothing. A list's text search narrows the statement in SQL with the kernel's accent-insensitive
matching (:func:`catalog.kernel.text.contains_words`: "dac san" finds "Đặc sản"); only the rows of the
page shown are loaded.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from catalog.kernel.db import db
from catalog.kernel.ids import parse_id
from catalog.kernel.text import contains_words

PER_PAGE = 50
MAX_PAGE = 99_999

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    number: int         # the page shown, 1 to ``pages``
    pages: int          # at least 1, even when there is nothing to show
    total: int

    @property
    def has_prev(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def prev_num(self) -> int:
        return self.number - 1

    @property
    def next_num(self) -> int:
        return self.number + 1


def page_number(args: Mapping[str, str], last: int = MAX_PAGE) -> int:
    """The ``page`` argument when it is a whole number from 1 to ``last``, else 1."""
    number = parse_id(args.get("page"))
    return number if number is not None and number <= last else 1


def page_count(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def paginate(stmt: Select, model: Any = None, *, number: int, text: str = "", columns: Sequence[Any] = (),
             options: Sequence[Any] = (), per_page: int | None = None, total: int | None = None,
             rows: Callable[[Select], list[Any]] | None = None) -> Page[Any]:
    """Page ``number`` of ``stmt`` (in its order), clamped to the last page.

    ``model``: the entity ``stmt`` selects, whose instances are the items (``options``, e.g. eager loads,
    apply to them); without it the items are the rows as selected (read by ``rows``, when given).
    ``text`` narrows to the rows whose ``columns`` hold each of its words, accents aside. ``total``,
    when the caller has counted already, saves the COUNT.
    """
    per_page = per_page or PER_PAGE
    if text.strip() and columns:
        stmt = stmt.where(contains_words(text, *columns))
    if total is None:
        total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    pages = page_count(total, per_page)
    number = min(max(number, 1), pages)
    shown = stmt.limit(per_page).offset((number - 1) * per_page)
    if not total:
        items: list[Any] = []
    elif model is not None:
        items = list(db.session.scalars(shown.options(*options)).unique())
    else:
        items = rows(shown) if rows is not None else list(db.session.execute(shown).all())
    return Page(items, number, pages, total)


def filter_args(args: Mapping[str, str], names: Sequence[str]) -> dict[str, str]:
    """The list's filters as given (empty ones dropped), to keep them in the pager's links."""
    return {name: args[name] for name in names if args.get(name)}
