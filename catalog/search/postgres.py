"""Search on PostgreSQL: weighted full-text over the folded ``search_documents`` table.

Text is folded in the application (the same :func:`fold` as SQLite and the
queries), so the ``simple`` configuration is enough and no ``unaccent``
extension is needed. Migration 0002 keeps the weighted tsvector in a stored
generated column under a GIN index (computing it per row at query time made a
query 70 ms). Weights: name A > producer B > place C > description D; the
precise tier matches weights A-C only. Tiers and typo correction: :mod:`.sql_backend`.
"""
from __future__ import annotations

from sqlalchemy import Float, Integer, column, false, func, literal_column, select, table, text

from ..extensions import db
from .sql_backend import SqlBackend
from .synonyms import alternatives

#: The stored generated column of migration 0002: name A, producer B, place C, body D.
VECTOR = "search_documents.vector"


def ts_query(words: list[str], main_only: bool = False) -> str:
    """A to_tsquery string: words (or their synonyms) ANDed, the last one a prefix."""
    groups = []
    for position, word in enumerate(words):
        suffix = (":*" if position == len(words) - 1 else ":") + ("ABC" if main_only else "")
        options = [w + suffix.rstrip(":") for w in alternatives(word)]
        groups.append(options[0] if len(options) == 1 else "(" + " | ".join(options) + ")")
    return " & ".join(groups)


class PostgresBackend(SqlBackend):
    name = "postgresql-fts"

    def expression(self, words: list[str], main_only: bool) -> str:
        return ts_query(words, main_only)

    def exists(self, expression: str) -> bool:
        return db.session.execute(
            text(f"SELECT 1 FROM search_documents WHERE {VECTOR} @@ to_tsquery('simple', :q) LIMIT 1"),
            {"q": expression}).first() is not None

    def select(self, expression: str | None):
        docs = table("search_documents", column("product_id", Integer))
        if expression is None:
            return select(docs.c.product_id, literal_column("0", Float).label("rank")).where(false())
        vector = literal_column(VECTOR)
        query = func.to_tsquery(literal_column("'simple'::regconfig"), expression)
        rank = (-func.ts_rank(vector, query)).label("rank")
        return select(docs.c.product_id, rank).select_from(docs).where(vector.op("@@")(query))

    def load_vocabulary(self):
        return db.session.execute(text(
            f"SELECT word, ndoc FROM ts_stat($$SELECT {VECTOR} FROM search_documents$$)")).all()
