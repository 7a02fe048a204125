"""Flask extensions, created unbound and initialised in :func:`catalog.create_app`."""
from __future__ import annotations

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

#: Constraint names that are the same on SQLite and PostgreSQL, so that
#: migrations can alter and drop them on both.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def include_name(name, type_, parent_names) -> bool:
    """What Alembic compares: not SQLite's FTS5 tables (and their shadow tables) nor
    PostgreSQL's generated tsvector column and its index, which only migrations describe."""
    if type_ == "table" and name and name.startswith("search_fts"):
        return False
    if type_ == "column" and name in ("vector", "vector_main") and parent_names.get("table_name") == "search_documents":
        return False
    return not (type_ == "index" and name in ("ix_search_documents_fts", "ix_search_documents_fts_main"))


db = SQLAlchemy(model_class=Base)
migrate = Migrate(include_name=include_name)
csrf = CSRFProtect()
