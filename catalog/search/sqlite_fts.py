"""Embedded search on SQLite: FTS5 over the folded ``search_documents`` table.

Ranking is BM25 with weights name 10 > producer 5 > place 3 > description 1.
Words are ANDed and the last is a prefix (the FTS5 table keeps 2- and
3-letter prefix indexes, so short prefixes stay fast); spelling variants are
ORed in (:mod:`.synonyms`). Tiers and typo correction: :mod:`.sql_backend`.
"""
from __future__ import annotations

from sqlalchemy import Float, Integer, Select, column, literal_column, select, table, text

from catalog.kernel.db import db
from catalog.search.sql_backend import SqlBackend
from catalog.search.synonyms import alternatives

WEIGHTS = (10.0, 5.0, 3.0, 1.0)   # name, producer, place, body
MAIN_COLUMNS = "{name producer place}"


def fts_query(words: list[str], main_only: bool = False) -> str:
    """An FTS5 MATCH string: every word (or its synonyms) required, the last one a prefix."""
    groups = []
    for position, word in enumerate(words):
        star = "*" if position == len(words) - 1 else ""
        options = [f'"{w}"{star}' for w in alternatives(word)]
        groups.append(options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")")
    expression = " AND ".join(groups)
    return f"{MAIN_COLUMNS} : ({expression})" if main_only else expression


class SqliteFtsBackend(SqlBackend):
    name = "sqlite-fts5"

    def expression(self, words: list[str], main_only: bool) -> str:
        return fts_query(words, main_only)

    def select(self, expression: str) -> Select:
        weights = ", ".join(str(w) for w in WEIGHTS)
        fts = table("search_fts", column("rowid", Integer))
        return (select(fts.c.rowid.label("product_id"),
                       literal_column(f"bm25(search_fts, {weights})", Float).label("rank")).select_from(fts)
                .where(text("search_fts MATCH :fts_query").bindparams(fts_query=expression)))

    def load_vocabulary(self):
        return db.session.execute(text("SELECT term, doc FROM search_fts_vocab")).all()
