"""The database handle every layer shares: Flask-SQLAlchemy's ``db`` and the declarative base.

Constraint names follow one convention so that migrations can alter and drop
them on SQLite and PostgreSQL alike.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, Table
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


if TYPE_CHECKING:
    class Model(Base):
        """The base of every table, as type checkers see it (Flask-SQLAlchemy builds ``db.Model`` at run
        time); each model has a plain ``Table``, which Core statements and bulk writes take."""

        __abstract__ = True
        __table__: ClassVar[Table]
else:
    Model = db.Model
