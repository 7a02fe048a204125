"""Catalog search: a backend finds text matches, SQL applies the core's visibility rule.

One SQL query fetches the products that are publicly visible at the instant
of the query (:func:`catalog.kernel.visibility.visible_listings`) and match the
text, with the few columns that filters, facets and sorting need; counting,
faceting and paging those rows happens here, and only the page's products are
then loaded in full. Whatever the index holds, nothing invisible can show.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, literal, select

from catalog.kernel import clock, taxonomy, units, visibility
from catalog.kernel.db import db
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.products import Product
from catalog.kernel.models.recognitions import Recognition
from catalog.kernel.models.units import Commune, Province
from catalog.search.backend import RankedIds, SearchBackend, SearchBackendError, SqlMatch
from catalog.search.models import SearchDocumentRow
from catalog.search.query import SearchQuery
from catalog.search.typos import tokens

log = logging.getLogger(__name__)
MAX_CANDIDATES = 1000
#: After a backend fails, queries skip it for this long instead of waiting on it again
#: (a hung Meilisearch would otherwise cost every search its full timeout).
BACKEND_PAUSE_SECONDS = 30.0
_paused_until: dict[str, float] = {}


@dataclass
class Facets:
    sectors: list[tuple[taxonomy.Sector, int]] = field(default_factory=list)
    stars: list[tuple[int, int]] = field(default_factory=list)
    provinces: list[tuple[units.ProvinceInfo, int]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Card:
    """What a result list shows of one product and the recognition that makes it visible."""

    product_id: int
    slug: str
    name: str
    producer_name: str
    commune_name: str | None
    province_name: str
    sector: str
    stars: int
    decision_number: str
    decision_date: dt.date
    valid_until: dt.date

    @property
    def place(self) -> str:
        return f"{self.commune_name}, {self.province_name}" if self.commune_name else self.province_name

    @classmethod
    def of(cls, product: Product, recognition: Recognition) -> Card:
        producer = product.producer
        return cls(product.id, product.slug, product.name, producer.name,
                   producer.commune.name if producer.commune else None, producer.province.name,
                   product.set_info.sector.code, recognition.stars, recognition.decision_number,
                   recognition.decision_date, recognition.valid_until)


@dataclass
class SearchResults:
    query: SearchQuery
    hits: list[Card]
    total: int
    facets: Facets
    degraded: bool = False     # the preferred backend failed; a fallback answered

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))


def search(query: SearchQuery, backends: Sequence[SearchBackend], at: dt.datetime | None = None) -> SearchResults:
    rows, degraded = _rows(query, backends, at or clock.now())
    matching = [r for r in rows if _keep(r, query)]
    matching.sort(key=_sort_key(query))
    start = (query.page - 1) * query.per_page
    return SearchResults(query, _load(matching[start:start + query.per_page]), len(matching),
                         _facets(rows, query), degraded)


def matching_ids(query: SearchQuery, backends: Sequence[SearchBackend], at: dt.datetime | None = None) -> list[int]:
    """Every visible product the query and its filters match (at most MAX_CANDIDATES text matches), by id."""
    rows, _ = _rows(query, backends, at or clock.now())
    return sorted(r.product_id for r in rows if _keep(r, query))


def _rows(query: SearchQuery, backends: Sequence[SearchBackend], at: dt.datetime) -> tuple[list, bool]:
    statement, degraded = _candidates(query, backends, at)
    if isinstance(statement, _Ranked):
        return [_Candidate(**{**row._mapping, "rank": statement.rank.get(row.product_id, float(MAX_CANDIDATES))})
                for row in db.session.execute(statement.statement)], degraded
    return db.session.execute(statement).all(), degraded


def _candidates(query: SearchQuery, backends: Sequence[SearchBackend],
                at: dt.datetime) -> tuple[Select | _Ranked, bool]:
    """Visible products (and their text rank) with the columns filters, facets and sorts use."""
    columns: list[Any] = [Product.id.label("product_id"), Recognition.id.label("recognition_id"),
                          Recognition.stars, Recognition.decision_date, Product.product_set,
                          Producer.province_code]
    statement = visibility.visible_listings(at).join(Producer, Producer.id == Product.producer_id)
    if query.group:
        statement = statement.where(Product.product_set.in_(taxonomy.sets_in_group(query.group)))
    if query.sort == "name":
        statement = statement.outerjoin(SearchDocumentRow, SearchDocumentRow.product_id == Product.id)
        columns.append(SearchDocumentRow.name.label("folded_name"))
    if not tokens(query.q):
        return statement.with_only_columns(*columns, literal(0.0).label("rank")), False
    for position, backend in enumerate(backends):
        if _paused_until.get(backend.name, 0.0) > time.monotonic() and position < len(backends) - 1:
            continue
        try:
            found = backend.match(query.q, MAX_CANDIDATES)
        except SearchBackendError as exc:
            log.warning("search backend %s failed, falling back for %.0f s: %s", backend.name,
                        BACKEND_PAUSE_SECONDS, exc)
            _paused_until[backend.name] = time.monotonic() + BACKEND_PAUSE_SECONDS
            continue
        if isinstance(found, SqlMatch):
            matches = (found.subquery.cte("matches").prefix_with("MATERIALIZED") if found.materialize
                       else found.subquery.subquery("matches"))
            statement = statement.join(matches, matches.c.product_id == Product.id)
            return statement.with_only_columns(*columns, matches.c.rank), position > 0
        if isinstance(found, RankedIds):
            rank = {pid: float(i) for i, pid in enumerate(found.ids)}
            statement = statement.where(Product.id.in_(found.ids))
            return _Ranked(statement.with_only_columns(*columns, literal(0.0).label("rank")), rank), position > 0
    raise SearchBackendError("no search backend could answer")


@dataclass(slots=True)
class _Candidate:
    product_id: int
    recognition_id: int
    stars: int
    decision_date: dt.date
    product_set: int
    province_code: str
    rank: float
    folded_name: str | None = None


class _Ranked:
    """A statement whose rows get their rank from an external backend's order."""

    def __init__(self, statement: Select, rank: dict[int, float]):
        self.statement, self.rank = statement, rank


def _keep(row, query: SearchQuery, skip: str | None = None) -> bool:
    if query.sector and skip != "sector" and taxonomy.SETS_BY_NUMBER[row.product_set].sector.code != query.sector:
        return False
    if query.stars and skip != "stars" and row.stars != query.stars:
        return False
    return not (query.province and skip != "province" and row.province_code != query.province)


def _sort_key(query: SearchQuery):
    newest = lambda r: (-r.decision_date.toordinal(), -r.product_id)  # noqa: E731
    if query.sort == "stars":
        return lambda r: (-r.stars, *newest(r))
    if query.sort == "newest" or (query.sort == "relevance" and not tokens(query.q)):
        return newest
    if query.sort == "name":
        return lambda r: (r.folded_name or "", r.product_id)
    return lambda r: (r.rank, -r.stars, r.product_id)


def _load(rows) -> list[Card]:
    """The cards of one page, in one query of plain columns (no ORM objects to build)."""
    if not rows:
        return []
    found = db.session.execute(
        select(Product.id, Product.slug, Product.name, Producer.name, Commune.name, Province.name,
               Product.product_set, Recognition.stars, Recognition.decision_number, Recognition.decision_date,
               Recognition.valid_until, Recognition.id)
        .join(Producer, Producer.id == Product.producer_id).join(Province, Province.code == Producer.province_code)
        .outerjoin(Commune, Commune.code == Producer.commune_code)
        .join(Recognition, Recognition.product_id == Product.id)
        .where(Recognition.id.in_([r.recognition_id for r in rows]))).all()
    cards = {row[0]: Card(*row[:6], taxonomy.SETS_BY_NUMBER[row[6]].sector.code, *row[7:11]) for row in found}
    return [cards[r.product_id] for r in rows]


def _facets(rows, query: SearchQuery) -> Facets:
    """Counts per sector, stars and province: each reflects the query and the other filters."""
    sectors = Counter(taxonomy.SETS_BY_NUMBER[r.product_set].sector.code
                      for r in rows if _keep(r, query, skip="sector"))
    stars = Counter(r.stars for r in rows if _keep(r, query, skip="stars"))
    provinces = Counter(r.province_code for r in rows if _keep(r, query, skip="province"))
    known = units.provinces()
    return Facets(
        sectors=[(s, sectors[s.code]) for s in taxonomy.SECTORS if sectors[s.code]],
        stars=sorted(stars.items(), reverse=True),
        provinces=sorted(((known[code], n) for code, n in provinces.items() if code in known),
                         key=lambda pc: (-pc[1], pc[0].slug)))
