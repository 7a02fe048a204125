"""The one interface every search backend implements, and the document it indexes.

A backend only answers "which products match this text, best first", at most
``limit`` of them (the database backends cut with ORDER BY rank LIMIT in their own
query, Meilisearch with its ``limit``). Filters, facets, sorting, pagination and, above all, public
visibility are applied afterwards in SQL by :mod:`catalog.search.service` with
the core's rule, so a stale index can never show a product that is not visible now.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


class SearchBackendError(RuntimeError):
    """The backend could not index or answer (unreachable, refused, failed task)."""


@dataclass(frozen=True)
class SearchDocument:
    """What is indexed for one product. Text is original (with diacritics);
    backends fold it with :func:`catalog.kernel.text.fold` where they need to."""

    product_id: int
    slug: str
    name: str
    producer: str
    place: str                 # commune, province (and the old province names people still type)
    description: str           # description and story
    sector: str                # sector code, e.g. "food"
    group: str                 # group code, e.g. "1.5"
    product_set: int
    province_code: str
    stars: int | None          # stars of the recognition in force when indexed (a hint)
    decided_on: dt.date | None  # decision date of that recognition (a hint)
    visible_from: dt.datetime | None   # hint only: the core's rule is applied at query time
    visible_until: dt.datetime | None


@dataclass(frozen=True)
class RankedIds:
    """Matches as product ids, best first: at most the ``limit`` asked for."""

    ids: list[int]


Match = RankedIds


class SearchBackend(Protocol):
    name: str
    #: its index is in the catalog's database (written in the drain's transaction), not an outside engine
    in_database: bool

    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        """Add or replace these documents. Raises :class:`SearchBackendError`."""

    def delete(self, product_ids: Sequence[int]) -> None:
        """Remove these products from the index (unknown ids are ignored)."""

    def clear(self) -> None:
        """Remove every document (before a full reindex)."""

    def match(self, text: str, limit: int) -> Match:
        """Products matching ``text`` (already stripped, never empty), best first.

        Words are ANDed, the last one is a prefix, diacritics and case do not
        matter; when the strict query finds nothing, a typo-tolerant one is
        tried. Every backend answers at most the ``limit`` best matches.
        """
