"""SQLite connection settings.

Foreign keys enforced, WAL so readers never wait for the writer, a busy
timeout instead of instant "database is locked", and SQLAlchemy's documented
recipe that lets SQLAlchemy (not the pysqlite driver) emit BEGIN, so that
SAVEPOINTs and transactional DDL behave as on PostgreSQL.
"""
from __future__ import annotations

import sqlite3
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 10000")
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    # Reads dominate (catalog, search, scans): keep the hot pages in memory.
    cursor.execute("PRAGMA cache_size = -32768")
    cursor.execute("PRAGMA mmap_size = 268435456")
    cursor.close()


_immediate: ContextVar[bool] = ContextVar("sqlite_begin_immediate", default=False)


def begin_immediately() -> None:
    """Make this context's next transaction take SQLite's write lock at BEGIN.

    For work that reads, then writes: a plain (deferred) transaction that read
    before another writer committed can never write ("database is locked", at
    once, whatever the busy timeout), whereas BEGIN IMMEDIATE waits its turn.
    No effect on PostgreSQL.
    """
    _immediate.set(True)


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection):
    if connection.dialect.name == "sqlite":
        immediate = _immediate.get()
        if immediate:
            _immediate.set(False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
