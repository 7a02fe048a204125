"""Catalog search: a backend finds text matches, SQL applies the core's visibility rule.

Filters, facet counts, sorting and pagination run in SQL over the products
that are publicly visible at the instant of the query
(:func:`catalog.core.visibility.visible_listings`), whatever the index holds.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, case, func, select

from ..core import clock, taxonomy, visibility
from ..core.models import Producer, Product, Province, Recognition
from ..extensions import db
from .backend import RankedIds, SearchBackend, SearchBackendError, SqlMatch
from .models import SearchDocumentRow
from .query import SearchQuery
from .typos import tokens

log = logging.getLogger(__name__)
MAX_CANDIDATES = 1000


@dataclass
class Facets:
    sectors: list[tuple[taxonomy.Sector, int]] = field(default_factory=list)
    stars: list[tuple[int, int]] = field(default_factory=list)
    provinces: list[tuple[Province, int]] = field(default_factory=list)


@dataclass
class SearchResults:
    query: SearchQuery
    hits: list[tuple[Product, Recognition]]
    total: int
    facets: Facets
    degraded: bool = False     # the preferred backend failed; a fallback answered

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))


def search(query: SearchQuery, backends: Sequence[SearchBackend], at: dt.datetime | None = None) -> SearchResults:
    at = at or clock.now()
    listing, rank, degraded = _listing(query, backends, at)
    filtered = _filter(listing, query)
    total = db.session.scalar(select(func.count()).select_from(
        filtered.with_only_columns(Product.id).subquery()))
    ordered = filtered.order_by(*_order(query, rank)).limit(query.per_page).offset(
        (query.page - 1) * query.per_page)
    hits = [(p, r) for p, r in db.session.execute(ordered)]
    return SearchResults(query, hits, total, _facets(listing, query), degraded)


def _listing(query: SearchQuery, backends: Sequence[SearchBackend], at: dt.datetime):
    listing = visibility.visible_listings(at).join(Producer, Producer.id == Product.producer_id)
    if not tokens(query.q):
        return listing, None, False
    for position, backend in enumerate(backends):
        try:
            found = backend.match(query.q, MAX_CANDIDATES)
        except SearchBackendError as exc:
            log.warning("search backend %s failed, falling back: %s", backend.name, exc)
            continue
        degraded = position > 0
        if isinstance(found, SqlMatch):
            matches = found.subquery.subquery("matches")
            return listing.join(matches, matches.c.product_id == Product.id), matches.c.rank, degraded
        if isinstance(found, RankedIds):
            order = {pid: i for i, pid in enumerate(found.ids)}
            rank = case(order, value=Product.id, else_=len(order)) if order else None
            return listing.where(Product.id.in_(found.ids)), rank, degraded
    raise SearchBackendError("no search backend could answer")


def _filter(statement: Select, query: SearchQuery, skip: str | None = None) -> Select:
    if query.sector and skip != "sector":
        statement = statement.where(Product.product_set.in_(taxonomy.sets_in_sector(query.sector)))
    if query.group:
        statement = statement.where(Product.product_set.in_(taxonomy.sets_in_group(query.group)))
    if query.stars and skip != "stars":
        statement = statement.where(Recognition.stars == query.stars)
    if query.province and skip != "province":
        statement = statement.where(Producer.province_code == query.province)
    return statement


def _order(query: SearchQuery, rank):
    newest = (Recognition.decision_date.desc(), Product.id.desc())
    if query.sort == "stars":
        return (Recognition.stars.desc(), *newest)
    if query.sort == "newest":
        return newest
    if query.sort == "name":
        folded = select(SearchDocumentRow.name).where(
            SearchDocumentRow.product_id == Product.id).scalar_subquery()
        return (folded, Product.name, Product.id)
    if rank is not None:
        return (rank, Recognition.stars.desc(), Product.id)
    return newest


def _facets(listing: Select, query: SearchQuery) -> Facets:
    """Counts per sector, stars and province: each reflects the query and the other filters."""
    facets = Facets()
    by_set = db.session.execute(_filter(listing, query, skip="sector").with_only_columns(
        Product.product_set, func.count()).group_by(Product.product_set)).all()
    sectors: Counter[str] = Counter()
    for product_set, count in by_set:
        sectors[taxonomy.SETS_BY_NUMBER[product_set].sector.code] += count
    facets.sectors = [(s, sectors[s.code]) for s in taxonomy.SECTORS if sectors[s.code]]
    facets.stars = sorted(db.session.execute(_filter(listing, query, skip="stars").with_only_columns(
        Recognition.stars, func.count()).group_by(Recognition.stars)).all(), reverse=True)
    counts = dict(db.session.execute(_filter(listing, query, skip="province").with_only_columns(
        Producer.province_code, func.count()).group_by(Producer.province_code)).all())
    provinces = db.session.scalars(select(Province).where(Province.code.in_(counts))).all()
    facets.provinces = sorted(((p, counts[p.code]) for p in provinces), key=lambda pc: (-pc[1], pc[0].slug))
    return facets
