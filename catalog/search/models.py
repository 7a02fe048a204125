"""Search tables: the folded documents the database backends query, and the outbox."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from catalog.kernel import clock
from catalog.kernel.db import Model
from catalog.kernel.models.types import UTCDateTime
from catalog.platform import extensions

# Only migration 0002 describes SQLite's FTS5 tables and PostgreSQL's generated tsvector columns and their indexes.
extensions.MIGRATION_ONLY_TABLE_PREFIXES.add("search_fts")
extensions.MIGRATION_ONLY_COLUMNS.update({("search_documents", "vector"), ("search_documents", "vector_main")})
extensions.MIGRATION_ONLY_INDEXES.update({"ix_search_documents_fts", "ix_search_documents_fts_main"})


class SearchDocumentRow(Model):
    """One product's searchable text, folded (lowercase, no diacritics, đ -> d).

    On SQLite an FTS5 index (``search_fts``) follows this table through
    triggers; on PostgreSQL an expression GIN index over weighted tsvectors
    does (both created by migration 0002).
    """

    __tablename__ = "search_documents"

    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    producer: Mapped[str] = mapped_column(Text)
    place: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)


class SearchOutboxEntry(Model):
    """A product whose search document must be rebuilt, written in the transaction that changed it."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    last_error: Mapped[str | None] = mapped_column(String(500))
