"""What the two database backends share: the folded rows they index, and tiered matching.

Matching goes from precise to forgiving and stops at the first tier that finds
anything: the words in the name, producer or place; then anywhere, the
description included; then the same two with unknown words corrected against
the index vocabulary. Someone typing "nuoc mam" wants fish sauces, not every
product whose story mentions one; the description only answers when nothing
else does. A tier answers its best ``limit`` matches (ORDER BY rank LIMIT in its query); the
next tier is tried only when it answers none.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Select, text

from catalog.kernel.db import db
from catalog.search import documents
from catalog.search.backend import Match, RankedIds, SearchDocument
from catalog.search.typos import VocabularyCache, tokens


def best(matches: Select, limit: int) -> Select:
    """The ``limit`` best of ``SELECT product_id, rank`` (lowest rank first, ties by id: the same rows every time).
    The one place a match is cut to the cap."""
    return matches.order_by(matches.selected_columns.rank, matches.selected_columns.product_id).limit(limit)


class SqlBackend:
    name = "sql"
    in_database = True

    def __init__(self) -> None:
        self.vocabulary = VocabularyCache(self.load_vocabulary)

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
        for candidate in self._tiers(words) if words else ():
            ids = [row[0] for row in db.session.execute(best(self.select(candidate), limit))]
            if ids:
                return RankedIds(ids)
        return RankedIds([])

    def _tiers(self, words: list[str]) -> Iterable[str]:
        yield self.expression(words, main_only=True)
        yield self.expression(words, main_only=False)
        corrected = self.vocabulary.get().correct_all(words)
        if corrected:
            yield self.expression(corrected, main_only=True)
            yield self.expression(corrected, main_only=False)

    # -- what each database spells its own way --------------------------------------------

    def expression(self, words: list[str], main_only: bool) -> str:
        """The engine's query string for ``words`` (all required, the last a prefix)."""
        raise NotImplementedError

    def select(self, expression: str) -> Select:
        """``SELECT product_id, rank`` of the documents matching ``expression`` (lower rank is better)."""
        raise NotImplementedError

    def load_vocabulary(self) -> Iterable[tuple[str, int]]:
        raise NotImplementedError
