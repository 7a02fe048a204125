"""Paged record lists for the admin pages, with an accent-insensitive text search.

The search folds both sides with :func:`catalog.kernel.text.fold`, so "dac san"
finds "Đặc sản". Folding is done in Python over the id and text columns of the
filtered query (the records have no folded column of their own); only the page
shown is loaded in full.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from catalog.kernel.db import db
from catalog.kernel.ids import parse_id
from catalog.kernel.text import fold

PER_PAGE = 50
MAX_PAGE = 100_000


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int
    pages: int
    total: int


def page_number(args: Mapping[str, str]) -> int:
    number = parse_id(args.get("page"))
    return number if number is not None and number < MAX_PAGE else 1


def paginate(stmt: Select, model: Any, *, text: str, columns: Sequence[Any], number: int,
             options: Sequence[Any] = (), per_page: int | None = None) -> Page:
    """The page ``number`` of ``stmt`` (which selects ``model``), narrowed to rows whose ``columns`` hold
    every word of ``text``; ``options`` (eager loads) apply to the rows of the page."""
    per_page = per_page or PER_PAGE
    words = fold(text).split()
    load = stmt.options(*options)
    if not words:
        total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
        number = _clamp(number, total, per_page)
        items = list(db.session.scalars(load.limit(per_page).offset((number - 1) * per_page)).unique())
        return Page(items, number, _pages(total, per_page), total)
    ids = [row[0] for row in db.session.execute(stmt.with_only_columns(model.id, *columns))
           if _matches(words, row[1:])]
    number = _clamp(number, len(ids), per_page)
    shown = ids[(number - 1) * per_page:number * per_page]
    loaded = {item.id: item for item in db.session.scalars(
        load.where(model.id.in_(shown)).order_by(None)).unique()} if shown else {}
    return Page([loaded[i] for i in shown if i in loaded], number, _pages(len(ids), per_page), len(ids))


def _matches(words: list[str], values: Sequence[Any]) -> bool:
    haystack = fold(" ".join(str(value) for value in values if value is not None))
    return all(word in haystack for word in words)


def _pages(total: int, per_page: int) -> int:
    return max(1, math.ceil(total / per_page))


def _clamp(number: int, total: int, per_page: int) -> int:
    return min(number, _pages(total, per_page))


def filter_args(args: Mapping[str, str], names: Sequence[str]) -> dict[str, str]:
    """The list's filters as given (empty ones dropped), to keep them in the pager's links."""
    return {name: args[name] for name in names if args.get(name)}
