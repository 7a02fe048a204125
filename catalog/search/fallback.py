"""Last-resort search: LIKE over the folded documents, when every index backend failed.

Slow on large catalogs but always correct, so an index problem degrades
search quality, never hides or shows the wrong products.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Float, and_, literal_column, or_, select

from catalog.kernel.db import db
from catalog.search.backend import Match, RankedIds, SearchDocument
from catalog.search.models import SearchDocumentRow as Doc
from catalog.search.sql_backend import best
from catalog.search.synonyms import alternatives
from catalog.search.typos import tokens


class LikeBackend:
    name = "like-fallback"
    in_database = True

    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        """Reads the rows the database backend writes; nothing of its own to write."""

    def delete(self, product_ids: Sequence[int]) -> None:
        """As :meth:`upsert`."""

    def clear(self) -> None:
        """As :meth:`upsert`."""

    def match(self, query: str, limit: int) -> Match:
        words = tokens(query) or [""]
        columns = (Doc.name, Doc.producer, Doc.place, Doc.body)
        condition = and_(*(or_(*(c.contains(alt, autoescape=True) for c in columns for alt in alternatives(w)))
                           for w in words))
        matches = select(Doc.product_id, literal_column("0", Float).label("rank")).where(condition)
        return RankedIds([row[0] for row in db.session.execute(best(matches, limit))])   # no ranking: by id
