"""Catalog search behind one interface, with interchangeable backends.

The database's own backend (SQLite FTS5 or PostgreSQL full-text) is always
kept; Meilisearch is added in front when ``MEILI_URL`` is set. Queries try the
backends in order and fall back on error. :mod:`.service` holds THE product query
(:class:`ProductQuery`): the public search, the partner API and the admin lists
all list products through it, with visibility, filters, the text match, facets,
sort and paging in SQL. Index updates flow through :mod:`.outbox`.
"""
from __future__ import annotations

import datetime as dt
import logging

from flask import Flask, current_app
from sqlalchemy import Select, func, select

from catalog.kernel.db import db
from catalog.kernel.i18n import N_
from catalog.platform import jobs, metrics, transaction
from catalog.search import outbox
from catalog.search.backend import SearchBackend, SearchBackendError, SearchDocument
from catalog.search.fallback import LikeBackend
from catalog.search.models import SearchOutboxEntry
from catalog.search.query import FIELDS as QUERY_FIELDS
from catalog.search.query import MAX_PAGE, SearchQuery, parse
from catalog.search.service import (
    ANY,
    MATCH_LIMIT,
    NOT_VISIBLE,
    VISIBLE,
    Backends,
    Card,
    Facets,
    ProductQuery,
    SearchResults,
    cards,
    find,
    product_ids,
    select_products,
)
from catalog.search.typos import tokens

__all__ = ["ANY", "MATCH_LIMIT", "MAX_PAGE", "NOT_VISIBLE", "QUERY_FIELDS", "VISIBLE", "Card", "Facets",
           "ProductQuery", "SearchBackend", "SearchBackendError", "SearchDocument", "SearchQuery", "SearchResults",
           "backends", "did_you_mean", "init_app", "parse", "product_cards", "product_page", "products", "record_list",
           "search", "tokens"]
log = logging.getLogger(__name__)
_KEY = "catalog.search"


def init_app(app: Flask) -> None:
    from catalog.search.cli import search_cli
    from catalog.search.models import SearchDocumentRow, SearchOutboxEntry  # noqa: F401  (tables on the metadata)

    # "paused": backend name -> when a failed backend may be tried again (this app's, not the process's).
    app.extensions[_KEY] = {"external": _external_backend(app), "local": {}, "paused": {}}
    outbox.listen()
    transaction.on_commit(app, queue_after_commit)
    jobs.backlog(app, "search_outbox", outbox.backlog)
    metrics.register_gauge(app, "catalog_search_outbox_depth",
                           "Products whose search document waits in the outbox to be rebuilt.", _outbox_depth)
    app.cli.add_command(search_cli)


def _external_backend(app: Flask) -> SearchBackend | None:
    if not app.config.get("MEILI_URL"):
        return None
    from catalog.search.meili import from_config
    return from_config(app.config)


def _local_backend() -> SearchBackend:
    """The database's own backend, one per dialect (it caches its vocabulary)."""
    local = current_app.extensions[_KEY]["local"]
    dialect = db.session.get_bind().dialect.name
    if dialect not in local:
        if dialect == "postgresql":
            from catalog.search.postgres import PostgresBackend
            local[dialect] = PostgresBackend()
        else:
            from catalog.search.sqlite_fts import SqliteFtsBackend
            local[dialect] = SqliteFtsBackend()
    return local[dialect]


def backends(for_queries: bool = False) -> list[SearchBackend]:
    """For queries: the preferred backend first, the LIKE fallback last. For writes: the
    database's own index first (it shares the transaction), then the external one."""
    external = current_app.extensions[_KEY]["external"]
    if for_queries:
        return [b for b in (external, _local_backend(), LikeBackend()) if b is not None]
    return [b for b in (_local_backend(), external) if b is not None]


def _query_backends() -> Backends:
    return Backends(backends(for_queries=True), current_app.extensions[_KEY]["paused"])


def search(query: SearchQuery, at: dt.datetime | None = None) -> SearchResults:
    """The public search: a page of the visible products ``query`` finds, its total and its facets."""
    return product_page(query.product_query(), at, page=query.page, per_page=query.per_page)


def product_page(query: ProductQuery, at: dt.datetime | None = None, *, page: int = 1,
                 per_page: int = 20) -> SearchResults:
    """A page of cards of the visible products ``query`` finds, with the total and the facets."""
    return find(query, _query_backends(), at, page=page, per_page=per_page)


def product_cards(query: ProductQuery, at: dt.datetime | None = None) -> list[Card]:
    """Cards of every visible product ``query`` finds, in its order, unpaged (short lists)."""
    return cards(query, _query_backends(), at)


def products(query: ProductQuery, at: dt.datetime | None = None, *, after: int = 0, limit: int) -> list[int]:
    """Ids of the products ``query`` finds above ``after``, in id order, at most ``limit`` (the partner API)."""
    return product_ids(query, _query_backends(), at, after=after, limit=limit)


def record_list(query: ProductQuery, at: dt.datetime | None = None) -> Select:
    """``SELECT products`` that ``query`` finds, in its order, for a paged list of records (the admin area)."""
    return select_products(query, _query_backends(), at)


def did_you_mean(text: str) -> str | None:
    """What ``text`` may have meant, in words the index knows: each unknown word corrected (one letter off)
    or left out; None when that changes nothing or leaves nothing (the no-results page offers it)."""
    vocabulary = getattr(_local_backend(), "vocabulary", None)
    return vocabulary.get().suggest(tokens(text)) if vocabulary is not None else None


def _outbox_depth() -> int:
    """Rows in the outbox: products whose document is still to be rebuilt (due now or backing off)."""
    return db.session.scalar(select(func.count()).select_from(SearchOutboxEntry)) or 0


def queue_after_commit() -> None:
    """After a commit that queued index updates, ask a worker to apply them (the request never waits)."""
    if outbox.pending_in_session():
        outbox.forget_pending()
        jobs.enqueue(UPDATE_JOB)


UPDATE_JOB = "search.update"


@jobs.job(UPDATE_JOB, N_("Search index update"), periodic=True)
def update_index() -> None:
    """The job, and the sweep: apply every due outbox row (rows whose message was lost are due too).
    One drain at a time across workers (the lease): drains racing could index a product's older document last."""
    if not outbox.due():
        return                              # the usual sweep: one read, no lease taken
    with jobs.lease(UPDATE_JOB, seconds=120) as held:
        if held:
            outbox.drain(backends())
            return
    # Another drain runs, and may have read the outbox before this job's rows were committed: look again
    # in a moment rather than leave them to the next sweep.
    jobs.enqueue(UPDATE_JOB, delay=1)
