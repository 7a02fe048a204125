"""Embedded search on SQLite: FTS5 over the folded ``search_documents`` table.

Ranking is BM25 with weights name 10 > producer 5 > place 3 > description 1.
Words are ANDed and the last is a prefix (the FTS5 table keeps 2- and
3-letter prefix indexes, so short prefixes stay fast). When that finds
nothing, unknown words are corrected against the index's own vocabulary
(``search_fts_vocab``) and the query runs again.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Float, Integer, column, false, literal_column, select, table, text

from ..extensions import db
from . import documents
from .backend import Match, SearchDocument, SqlMatch
from .synonyms import alternatives
from .typos import VocabularyCache, tokens

WEIGHTS = (10.0, 5.0, 3.0, 1.0)   # name, producer, place, body


def fts_query(words: list[str]) -> str:
    """An FTS5 MATCH string: every word (or its synonyms) required, the last one a prefix."""
    groups = []
    for position, word in enumerate(words):
        star = "*" if position == len(words) - 1 else ""
        options = [f'"{w}"{star}' for w in alternatives(word)]
        groups.append(options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")")
    return " AND ".join(groups)


class SqliteFtsBackend:
    name = "sqlite-fts5"

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
        strict = fts_query(words)
        if db.session.execute(text("SELECT 1 FROM search_fts WHERE search_fts MATCH :q LIMIT 1"),
                              {"q": strict}).first() is None:
            corrected = self.vocabulary.get().correct_all(words)
            if corrected:
                strict = fts_query(corrected)
        return SqlMatch(self._select(strict))

    def _select(self, match: str | None):
        weights = ", ".join(str(w) for w in WEIGHTS)
        fts = table("search_fts", column("rowid", Integer))
        query = select(fts.c.rowid.label("product_id"),
                       literal_column(f"bm25(search_fts, {weights})", Float).label("rank")).select_from(fts)
        if match is None:
            return query.where(false())
        return query.where(text("search_fts MATCH :fts_query").bindparams(fts_query=match))

    def _load_vocabulary(self):
        return db.session.execute(text("SELECT term, doc FROM search_fts_vocab")).all()
