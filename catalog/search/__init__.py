"""Catalog search behind one interface, with interchangeable backends.

The database's own backend (SQLite FTS5 or PostgreSQL full-text) is always
kept; Meilisearch is added in front when ``MEILI_URL`` is set. Queries try the
backends in order and fall back on error; :mod:`.service` applies visibility,
filters and facets in SQL. Index updates flow through :mod:`.outbox`.
"""
from __future__ import annotations

import logging

from flask import Flask, current_app

from catalog.kernel.db import db
from catalog.platform import transaction
from catalog.search import outbox
from catalog.search.backend import SearchBackend, SearchBackendError, SearchDocument
from catalog.search.fallback import LikeBackend
from catalog.search.query import MAX_PAGE, SearchQuery, parse
from catalog.search.service import Card, SearchResults
from catalog.search.service import matching_ids as _matching_ids
from catalog.search.service import search as _search

__all__ = ["MAX_PAGE", "Card", "SearchBackend", "SearchBackendError", "SearchDocument", "SearchQuery", "SearchResults",
           "backends", "init_app", "matching_ids", "parse", "search"]
log = logging.getLogger(__name__)
_KEY = "catalog.search"


def init_app(app: Flask) -> None:
    from catalog.search.cli import search_cli
    from catalog.search.models import SearchDocumentRow, SearchOutboxEntry  # noqa: F401  (tables on the metadata)

    app.extensions[_KEY] = {"external": _external_backend(app), "local": {}}
    outbox.listen()
    transaction.on_commit(app, drain_after_commit)
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


def search(query: SearchQuery, at=None) -> SearchResults:
    return _search(query, backends(for_queries=True), at)


def matching_ids(query: SearchQuery, at=None) -> list[int]:
    """Ids of the visible products the catalog's search finds for ``query`` (for the partner API)."""
    return _matching_ids(query, backends(for_queries=True), at)


def drain_after_commit() -> None:
    """Bring the index up to date right after a commit that queued changes."""
    if outbox.pending_in_session():
        outbox.drain(backends())
