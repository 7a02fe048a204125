"""Search on PostgreSQL: weighted full-text over the folded ``search_documents`` table.

Text is folded in the application (the same :func:`fold` as SQLite and the
queries), so the ``simple`` configuration is enough and no ``unaccent``
extension is needed. The tsvector expression below is the one migration 0002
indexes with GIN; it must stay identical for the index to be used. Weights:
name A > producer B > place C > description D. Typos are corrected against
the index vocabulary (``ts_stat``), as on SQLite.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Float, Integer, column, false, func, literal_column, select, table, text

from ..extensions import db
from . import documents
from .backend import Match, SearchDocument, SqlMatch
from .synonyms import alternatives
from .typos import VocabularyCache, tokens

VECTOR = ("(setweight(to_tsvector('simple'::regconfig, name), 'A') || "
          "setweight(to_tsvector('simple'::regconfig, producer), 'B') || "
          "setweight(to_tsvector('simple'::regconfig, place), 'C') || "
          "setweight(to_tsvector('simple'::regconfig, body), 'D'))")


def ts_query(words: list[str]) -> str:
    """A to_tsquery string: words (or their synonyms) ANDed, the last one a prefix."""
    groups = []
    for position, word in enumerate(words):
        star = ":*" if position == len(words) - 1 else ""
        options = [w + star for w in alternatives(word)]
        groups.append(options[0] if len(options) == 1 else "(" + " | ".join(options) + ")")
    return " & ".join(groups)


class PostgresBackend:
    name = "postgresql-fts"

    def __init__(self) -> None:
        self.vocabulary = VocabularyCache(self._load_vocabulary)

    def upsert(self, docs: Sequence[SearchDocument]) -> None:
        documents.upsert_rows(docs)
        self.vocabulary.invalidate()

    def delete(self, product_ids: Sequence[int]) -> None:
        documents.delete_rows(product_ids)

    def clear(self) -> None:
        db.session.execute(text("DELETE FROM search_documents"))
        self.vocabulary.invalidate()

    def match(self, query: str, limit: int) -> Match:
        words = tokens(query)
        if not words:
            return SqlMatch(self._select(None))
        strict = ts_query(words)
        found = db.session.execute(
            text(f"SELECT 1 FROM search_documents WHERE {VECTOR} @@ to_tsquery('simple', :q) LIMIT 1"),
            {"q": strict}).first()
        if found is None:
            corrected = self.vocabulary.get().correct_all(words)
            if corrected:
                strict = ts_query(corrected)
        return SqlMatch(self._select(strict))

    def _select(self, tsquery: str | None):
        docs = table("search_documents", column("product_id", Integer))
        if tsquery is None:
            return select(docs.c.product_id, literal_column("0", Float).label("rank")).where(false())
        vector = literal_column(VECTOR)
        query = func.to_tsquery(literal_column("'simple'::regconfig"), tsquery)
        rank = (-func.ts_rank(vector, query)).label("rank")
        return select(docs.c.product_id, rank).select_from(docs).where(vector.op("@@")(query))

    def _load_vocabulary(self):
        return db.session.execute(text(
            f"SELECT word, ndoc FROM ts_stat($$SELECT {VECTOR} FROM search_documents$$)")).all()
