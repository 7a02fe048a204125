"""Search on PostgreSQL: weighted full-text over the folded ``search_documents`` table.

Text is folded in the application (the same :func:`fold` as SQLite and the
queries), so the ``simple`` configuration is enough and no ``unaccent``
extension is needed. Migration 0002 keeps the weighted tsvector in a stored
generated columns under GIN indexes (computing them per row at query time made
a query 70 ms): ``vector_main`` (name A > producer B > place C) answers the
precise tier, ``vector`` (the same plus description D) the broad one. Tiers and typo correction: :mod:`.sql_backend`.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnClause, Integer, Select, column, func, literal_column, select, table, text

from catalog.kernel.db import db
from catalog.search.sql_backend import SqlBackend
from catalog.search.synonyms import alternatives

#: The stored generated columns of migration 0002: name A, producer B, place C (main), body D (all).
VECTOR = "search_documents.vector"
MAIN_VECTOR = "search_documents.vector_main"


def ts_query(words: list[str]) -> str:
    """A to_tsquery string: words (or their synonyms) ANDed, the last one a prefix."""
    groups = []
    for position, word in enumerate(words):
        suffix = ":*" if position == len(words) - 1 else ""
        options = [w + suffix for w in alternatives(word)]
        groups.append(options[0] if len(options) == 1 else "(" + " | ".join(options) + ")")
    return " & ".join(groups)


class PostgresBackend(SqlBackend):
    name = "postgresql-fts"

    def expression(self, words: list[str], main_only: bool) -> str:
        return ("main:" if main_only else "all:") + ts_query(words)

    def select(self, expression: str) -> Select:
        docs = table("search_documents", column("product_id", Integer))
        column_name, tsquery = self._split(expression)
        vector: ColumnClause[Any] = literal_column(column_name)
        query = func.to_tsquery(literal_column("'simple'::regconfig"), tsquery)
        rank = (-func.ts_rank(vector, query)).label("rank")
        return select(docs.c.product_id, rank).select_from(docs).where(vector.op("@@")(query))

    @staticmethod
    def _split(expression: str) -> tuple[str, str]:
        scope, tsquery = expression.split(":", 1)
        return (MAIN_VECTOR if scope == "main" else VECTOR), tsquery

    def load_vocabulary(self):
        return db.session.execute(text(
            f"SELECT word, ndoc FROM ts_stat($$SELECT {VECTOR} FROM search_documents$$)")).all()
