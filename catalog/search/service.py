"""THE product query: one SELECT over products for the public search, the partner API and the admin lists.

A :class:`ProductQuery` says what to list; :func:`find` (a page of cards, the total and the
facets), :func:`product_ids` (the API's pages by id) and :func:`select_products` (the admin
lists) build the same statement from it, all in SQL:

- the core's visibility rule at the instant of the query (:mod:`catalog.kernel.visibility`):
  visible only for the public and partners, in force / not in force / all for the admin lists;
- the filters: sector, group, product set, stars, province, producer, a set of product ids;
- the text match as an optional join to the matches: every backend answers its best
  :data:`MATCH_LIMIT` ids (the database backends with ORDER BY rank LIMIT in their own query),
  joined as a table of ids best first; and the admin lists' accent-insensitive words in the
  name or GTIN;
- the facet counts, each ignoring its own filter, from one GROUP BY over sets, stars and
  provinces (at most 26 x 3 x 34 cells, whatever the size of the catalog) that also says, per
  cell, whether it passes each facet's own filter; the total is the sum of the cells passing all;
- the sort and the page (:func:`catalog.platform.pagination.paginate`).

Whatever a backend's index holds, the rule is applied at query time: nothing invisible shows.
A backend that fails is skipped for :data:`BACKEND_PAUSE_SECONDS` (the pause is kept on the app)
and the next one answers: Meilisearch, then the database's own index, then a LIKE scan.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections import Counter
from collections.abc import Iterable, MutableMapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, bindparam, case, cast, func, literal, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import String

from catalog.kernel import clock, taxonomy, units, visibility
from catalog.kernel.db import db
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.products import Product, ProductImage
from catalog.kernel.models.recognitions import Recognition
from catalog.kernel.models.units import Commune, Province
from catalog.kernel.text import contains_words
from catalog.platform import metrics
from catalog.platform.pagination import Page, paginate
from catalog.search.backend import SearchBackend, SearchBackendError
from catalog.search.models import SearchDocumentRow
from catalog.search.typos import tokens

log = logging.getLogger(__name__)
#: Every backend answers at most this many text matches, best first; counts, facets and pages are of those.
MATCH_LIMIT = 1000
#: After a backend fails, queries skip it for this long instead of waiting on it again
#: (a hung Meilisearch would otherwise cost every search its full timeout).
BACKEND_PAUSE_SECONDS = 30.0

VISIBLE, NOT_VISIBLE, ANY = "visible", "not_visible", "any"
#: relevance, stars, newest, name: the public sorts; id: the API's pages; record: the admin lists (the name as
#: typed); stars_then_name: a producer's page.
SORTS = ("relevance", "stars", "newest", "name", "id", "record", "stars_then_name")
_NEED_RECOGNITION = ("relevance", "stars", "newest", "stars_then_name")


@dataclass(frozen=True)
class ProductQuery:
    """Which products, in which order. Every filter is optional and means the same on every surface."""

    q: str = ""                       # the catalog's text search (the backends; ranked)
    words: str = ""                   # every word in the name or GTIN, accents aside (the admin lists)
    sector: str | None = None
    group: str | None = None
    product_set: int | None = None
    stars: int | None = None          # of the recognition in force (status VISIBLE only)
    province: str | None = None
    producer_id: int | None = None
    among: Select | None = None       # a one-column select of product ids to keep (e.g. changed since)
    status: str = VISIBLE             # VISIBLE, NOT_VISIBLE or ANY, at the query's instant
    sort: str = "relevance"

    def __post_init__(self) -> None:
        if self.sort not in SORTS:
            raise ValueError(f"unknown sort {self.sort!r}")
        if self.status not in (VISIBLE, NOT_VISIBLE, ANY):
            raise ValueError(f"unknown status {self.status!r}")
        if self.status != VISIBLE and (self.stars or self.sort in _NEED_RECOGNITION):
            raise ValueError("stars and the sorts by recognition need status VISIBLE")


class Backends:
    """The query-time backends in order of preference, and when each failing one may be tried again."""

    def __init__(self, backends: Sequence[SearchBackend], paused_until: MutableMapping[str, float]):
        self.backends = list(backends)
        self.paused_until = paused_until       # backend name -> time.monotonic() it may be tried again

    def match(self, text: str) -> tuple[Select, bool]:
        """The best :data:`MATCH_LIMIT` matches of ``text`` as ``SELECT product_id, rank``, and whether a
        fallback answered."""
        for position, backend in enumerate(self.backends):
            last = position == len(self.backends) - 1
            if not last and self.paused_until.get(backend.name, 0.0) > time.monotonic():
                continue
            try:
                with metrics.SEARCH_SECONDS.labels(backend=backend.name).time():
                    found = backend.match(text, MATCH_LIMIT)
            except SearchBackendError as exc:
                log.warning("search backend %s failed, falling back for %.0f s: %s", backend.name,
                            BACKEND_PAUSE_SECONDS, exc)
                self.paused_until[backend.name] = time.monotonic() + BACKEND_PAUSE_SECONDS
                continue
            return _ranked_ids(found.ids[:MATCH_LIMIT]), position > 0
        raise SearchBackendError("no search backend could answer")


def _ranked_ids(ids: list[int]) -> Select:
    """``SELECT product_id, rank`` of ``ids`` (rank: the position), in one parameter however many there are:
    every statement of the query joins the same few hundred ids, the text is matched once."""
    if db.session.get_bind().dialect.name == "postgresql":
        table = (func.unnest(cast(ids, ARRAY(Integer))).table_valued("product_id", with_ordinality="rank")
                 .render_derived(name="ranked"))
        return select(table.c.product_id, table.c.rank)
    table = func.json_each(json.dumps(ids)).table_valued("key", "value").alias("ranked")
    return select(table.c.value.label("product_id"), table.c.key.label("rank"))


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
    photo: str | None = None            # the main photo's file name, width and height (``photo_sources``)
    photo_width: int | None = None
    photo_height: int | None = None

    @property
    def place(self) -> str:
        return f"{self.commune_name}, {self.province_name}" if self.commune_name else self.province_name

    @classmethod
    def of(cls, product: Product, recognition: Recognition) -> Card:
        producer = product.producer
        main = product.images[0] if product.images else None
        return cls(product.id, product.slug, product.name, producer.name,
                   producer.commune.name if producer.commune else None, producer.province.name,
                   product.set_info.sector.code, recognition.stars, recognition.decision_number,
                   recognition.decision_date, recognition.valid_until,
                   main.filename if main else None, main.width if main else None, main.height if main else None)


_CARD_COLUMNS = (Product.id, Product.slug, Product.name, Producer.name, Commune.name, Province.name,
                 Product.product_set, Recognition.stars, Recognition.decision_number, Recognition.decision_date,
                 Recognition.valid_until, ProductImage.filename, ProductImage.width, ProductImage.height)
#: A product's main photo: the first by position.
_MAIN_PHOTO = (select(ProductImage.id).where(ProductImage.product_id == Product.id)
               .order_by(ProductImage.position, ProductImage.id).limit(1).correlate(Product).scalar_subquery())


def _card(row: Any) -> Card:
    (product_id, slug, name, producer, commune, province, product_set, stars, number, decided, until,
     photo, photo_width, photo_height, _rid) = row
    return Card(product_id, slug, name, producer, commune, province, taxonomy.SETS_BY_NUMBER[product_set].sector.code,
                stars, number, decided, until, photo, photo_width, photo_height)


#: Built once: only the ids change from page to page.
_CARDS = (select(*_CARD_COLUMNS, Recognition.id).join(Recognition, Recognition.product_id == Product.id)
          .join(Producer, Producer.id == Product.producer_id)
          .join(Province, Province.code == Producer.province_code)
          .outerjoin(Commune, Commune.code == Producer.commune_code)
          .outerjoin(ProductImage, ProductImage.id == _MAIN_PHOTO)
          .where(Recognition.id.in_(bindparam("recognition_ids", expanding=True))))


def _cards(recognition_ids: list[int]) -> list[Card]:
    """The cards of these recognitions in force, in that order, in one query of plain columns (only a page's
    worth of rows is joined to producers and places, never every match)."""
    if not recognition_ids:
        return []
    found = {row[-1]: _card(row) for row in _rows(_CARDS, {"recognition_ids": recognition_ids})}
    return [found[rid] for rid in recognition_ids]


def _rows(statement: Select, parameters: dict[str, Any] | None = None) -> list[Any]:
    """Plain rows of a statement of columns, executed without the ORM's loading machinery (none is needed;
    pending changes are flushed first, as the session's own execute would)."""
    if db.session.autoflush:
        db.session.flush()
    return list(db.session.connection().execute(statement, parameters or {}))


@dataclass
class SearchResults:
    page: Page[Card]
    facets: Facets
    degraded: bool = False     # the preferred backend failed; a fallback answered

    @property
    def hits(self) -> list[Card]:
        return self.page.items

    @property
    def total(self) -> int:
        return self.page.total

    @property
    def pages(self) -> int:
        return self.page.pages


def find(query: ProductQuery, backends: Backends, at: dt.datetime | None = None, *, page: int = 1,
         per_page: int = 20) -> SearchResults:
    """Page ``page`` of the visible products ``query`` finds, as cards, with the total and the facets."""
    built = _Built(query, backends, at or clock.now())
    facets, total = _facets(built.facet_cells())
    shown = paginate(built.recognitions(), number=page, per_page=per_page, total=total, rows=_rows)
    return SearchResults(replace(shown, items=_cards([row[0] for row in shown.items])), facets, built.degraded)


def cards(query: ProductQuery, backends: Backends, at: dt.datetime | None = None) -> list[Card]:
    """Every visible product ``query`` finds, as cards, in its order (short lists: a producer's page)."""
    built = _Built(query, backends, at or clock.now())
    return _cards([row[0] for row in _rows(built.recognitions())])


def product_ids(query: ProductQuery, backends: Backends, at: dt.datetime | None = None, *, after: int = 0,
                limit: int) -> list[int]:
    """Up to ``limit`` ids of the products ``query`` finds, above ``after``, in id order (cursor pages)."""
    built = _Built(replace(query, sort="id"), backends, at or clock.now())
    return [row[0] for row in _rows(built.listed(Product.id).where(Product.id > after).limit(limit))]


def select_products(query: ProductQuery, backends: Backends | None = None,
                    at: dt.datetime | None = None) -> Select[tuple[Product]]:
    """``SELECT products`` that ``query`` finds, in its order: for lists of records (paginate it)."""
    return _Built(query, backends, at or clock.now()).listed(Product)


class _Built:
    """The statements a query makes: FROM products (and their recognition in force), the matches; producers
    are joined only for the province (its facet or its filter)."""

    def __init__(self, query: ProductQuery, backends: Backends | None, at: dt.datetime):
        self.query = query
        self.products: Select[Product] | Select[Product, Recognition]
        if query.status == VISIBLE:
            self.products = visibility.visible_listings(at)
        elif query.status == NOT_VISIBLE:
            self.products = select(Product).where(~visibility.product_is_visible(at))
        else:
            self.products = select(Product)
        self.matches: Select | None = None
        self.degraded = False
        if tokens(query.q):
            if backends is None:
                raise ValueError("a text search needs the search backends")
            self.matches, self.degraded = backends.match(query.q)
        self.facet_conditions = {
            "sector": Product.product_set.in_(taxonomy.sets_in_sector(query.sector)) if query.sector else None,
            "stars": Recognition.stars == query.stars if query.stars else None,
            "province": Producer.province_code == query.province if query.province else None,
        }

    def base(self) -> tuple[Select, ColumnElement[float]]:
        """Every filter but the facets' own, and the rank of the text match (0 without one)."""
        statement = self.products
        rank: ColumnElement[float] = literal(0.0)
        if self.matches is not None:
            matches = self.matches.subquery("matches")
            statement = statement.join(matches, matches.c.product_id == Product.id)
            rank = matches.c.rank
        return statement.where(*self._conditions()), rank

    def _conditions(self) -> Iterable[ColumnElement[bool]]:
        query = self.query
        if query.group:
            yield Product.product_set.in_(taxonomy.sets_in_group(query.group))
        if query.product_set is not None:
            yield Product.product_set == query.product_set
        if query.producer_id is not None:
            yield Product.producer_id == query.producer_id
        if query.among is not None:
            yield Product.id.in_(query.among)
        if query.words.strip():
            yield contains_words(query.words, Product.name, Product.gtin)

    def listed(self, *columns: Any) -> Select:
        """``columns`` of the products found, every filter applied, in the query's order."""
        statement, rank = self.base()
        if self.query.province:
            statement = statement.join(Producer, Producer.id == Product.producer_id)
        statement = statement.where(*(c for c in self.facet_conditions.values() if c is not None))
        return self._ordered(statement.with_only_columns(*columns), rank)

    def recognitions(self) -> Select:
        """The recognition in force of each product found, every filter applied, in the query's order."""
        if self.query.status != VISIBLE:
            raise ValueError("cards show visible products only")
        return self.listed(Recognition.id)

    def facet_cells(self) -> list[tuple[Any, ...]]:
        """(product set, stars, province, in sector?, in stars?, in province?, count): every filter but the
        facets' own applied, grouped; each facet's own filter comes as a flag (1 or 0) for the Python sums."""
        grouped = (Product.product_set, Recognition.stars, Producer.province_code)
        flags = [literal(1) if condition is None else case((condition, 1), else_=0)
                 for condition in self.facet_conditions.values()]
        statement = self.base()[0].join(Producer, Producer.id == Product.producer_id)
        return [tuple(row) for row in _rows(statement.with_only_columns(*grouped, *flags, func.count())
                                            .group_by(*grouped))]

    def _ordered(self, statement: Select, rank: ColumnElement[float]) -> Select:
        sort = self.query.sort
        newest = (Recognition.decision_date.desc(), Product.id.desc())
        if self.matches is not None and sort == "relevance":
            return statement.order_by(rank, Recognition.stars.desc(), Product.id)
        if sort in ("relevance", "newest"):
            return statement.order_by(*newest)
        if sort == "stars":
            return statement.order_by(Recognition.stars.desc(), *newest)
        if sort == "name":
            return (statement.outerjoin(SearchDocumentRow, SearchDocumentRow.product_id == Product.id)
                    .order_by(_binary(func.coalesce(SearchDocumentRow.name, "")), Product.id))
        if sort == "record":
            return statement.order_by(Product.name, Product.id)
        if sort == "stars_then_name":
            return statement.order_by(Recognition.stars.desc(), Product.name, Product.id)
        return statement.order_by(Product.id)


def _facets(cells: list[tuple[Any, ...]]) -> tuple[Facets, int]:
    """Counts per sector, stars and province, each reflecting the query and the other filters; and the total."""
    sectors: Counter[str] = Counter()
    stars: Counter[int] = Counter()
    provinces: Counter[str] = Counter()
    total = 0
    for product_set, star_count, province, in_sector, in_stars, in_province, count in cells:
        if in_stars and in_province:
            sectors[taxonomy.SETS_BY_NUMBER[product_set].sector.code] += count
        if in_sector and in_province:
            stars[star_count] += count
        if in_sector and in_stars:
            provinces[province] += count
        if in_sector and in_stars and in_province:
            total += count
    known = units.provinces()
    return Facets(
        sectors=[(s, sectors[s.code]) for s in taxonomy.SECTORS if sectors[s.code]],
        stars=sorted(stars.items(), reverse=True),
        provinces=sorted(((known[code], n) for code, n in provinces.items() if code in known),
                         key=lambda pc: (-pc[1], pc[0].slug))), total


class _binary(FunctionElement[str]):  # noqa: N801
    """Text compared by code point (as Python sorts), whatever the database's collation."""

    type = String()
    inherit_cache = True


@compiles(_binary)
def _binary_default(element: _binary, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(_binary, "postgresql")
def _binary_postgresql(element: _binary, compiler: SQLCompiler, **kw: Any) -> str:
    return f'({compiler.process(element.clauses, **kw)}) COLLATE "C"'


__all__ = ["ANY", "MATCH_LIMIT", "NOT_VISIBLE", "VISIBLE", "Backends", "Card", "Facets",
           "ProductQuery", "SearchResults", "cards", "find", "product_ids", "select_products"]
