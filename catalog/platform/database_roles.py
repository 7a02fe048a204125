"""Least privilege on PostgreSQL: a migration role that owns the tables, an application role that does not.

The append-only history (``recognition_events``, the audit log ``audit_entries``) is guarded by triggers
that refuse UPDATE, DELETE and TRUNCATE. A table's owner can still ``ALTER TABLE ... DISABLE TRIGGER``,
drop the triggers or the table: so the role the service runs as must own nothing. Two roles:

- the **owner** (migration) role owns the schema's tables, sequences and trigger functions; ``flask db
  upgrade`` connects as it through ``CATALOG_MIGRATION_DATABASE_URL``;
- the **application** role (the user of ``DATABASE_URL``) gets SELECT, INSERT, UPDATE, DELETE on the
  tables, SELECT and INSERT only on the append-only ones (:data:`APPEND_ONLY`), SELECT only on
  ``alembic_version``, USAGE and SELECT on the sequences; no TRUNCATE, REFERENCES or TRIGGER, no CREATE
  on the schema. Neither is a superuser.

``flask --app catalog db roles --owner NAME --app NAME`` prints the one-time setup (roles, database
and schema privileges, ownership of what exists moved to the owner, default privileges, grants), to be
run by a superuser (``| psql``); ``--apply`` runs it with ``DATABASE_URL``, a superuser's for that once.
``flask --app catalog db grants`` re-applies the grants (printed, or ``--apply`` as the owner); ``flask db
upgrade`` does it by itself after applying a revision when the migration URL's user differs from
``DATABASE_URL``'s (``migrations/env.py``), so tables added by a later migration get their grants.
"""
from __future__ import annotations

import re

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.dialects import postgresql

#: Tables whose rows are never updated nor deleted (their triggers refuse it too): the application role may
#: only read and add to them.
APPEND_ONLY = ("recognition_events", "audit_entries")
#: Tables the application role only reads.
READ_ONLY = ("alembic_version",)
SCHEMA = "public"

_ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def _quote(name: str) -> str:
    return postgresql.dialect().identifier_preparer.quote(name)


def _role(name: str) -> str:
    if not _ROLE_NAME.fullmatch(name or ""):
        raise click.BadParameter(f"{name!r} is not a role name (lower-case letters, digits and _, at most 63)")
    return _quote(name)


def grants_sql(owner: str, app: str) -> list[str]:
    """Statements that give the application role what it needs and no more, on what exists now and on what
    ``owner`` creates later; run as ``owner`` (or a superuser). Idempotent."""
    o, a, s = _role(owner), _role(app), _quote(SCHEMA)
    guarded = " ".join(
        f"IF to_regclass('{SCHEMA}.{table}') IS NOT NULL THEN "
        f"REVOKE UPDATE, DELETE ON {s}.{_quote(table)} FROM {a}; END IF;"
        for table in APPEND_ONLY)
    read_only = " ".join(
        f"IF to_regclass('{SCHEMA}.{table}') IS NOT NULL THEN "
        f"REVOKE INSERT, UPDATE, DELETE ON {s}.{_quote(table)} FROM {a}; END IF;"
        for table in READ_ONLY)
    return [
        f"GRANT USAGE ON SCHEMA {s} TO {a}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {a}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {a}",
        f"DO $$ BEGIN {guarded} {read_only} END $$",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {a}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {a}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {a}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA {s} GRANT USAGE, SELECT ON SEQUENCES TO {a}",
    ]


def setup_sql(owner: str, app: str, database: str) -> list[str]:
    """The one-time setup, run by a superuser connected to ``database``: both roles (made if missing, without
    a password: set one with psql's ``\\password``), who may connect and create, what exists handed to the
    owner, then :func:`grants_sql`."""
    o, a, s, d = _role(owner), _role(app), _quote(SCHEMA), _quote(database)
    if owner == app:
        raise click.BadParameter("the owner and the application role must be two roles")
    made = " ".join(
        f"IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') THEN CREATE ROLE {_quote(name)} LOGIN; END IF;"
        for name in (owner, app))
    moved = (
        f"DO $$ DECLARE r record; BEGIN "
        f"FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE n.nspname = '{SCHEMA}' AND c.relkind IN ('r', 'p', 'v', 'm', 'f') LOOP "
        f"EXECUTE format('ALTER %s {SCHEMA}.%I OWNER TO {o}', CASE r.relkind WHEN 'v' THEN 'VIEW' "
        f"WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, r.relname); END LOOP; "
        f"FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE n.nspname = '{SCHEMA}' AND c.relkind = 'S' AND NOT EXISTS (SELECT FROM pg_depend d "
        f"WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')) LOOP "
        f"EXECUTE format('ALTER SEQUENCE {SCHEMA}.%I OWNER TO {o}', r.relname); END LOOP; "
        f"FOR r IN SELECT p.oid::regprocedure AS fn FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        f"WHERE n.nspname = '{SCHEMA}' LOOP "
        f"EXECUTE format('ALTER ROUTINE %s OWNER TO {o}', r.fn); END LOOP; END $$")
    return [
        f"DO $$ BEGIN {made} END $$",
        f"ALTER ROLE {o} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS",
        f"ALTER ROLE {a} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS",
        f"REVOKE ALL ON DATABASE {d} FROM PUBLIC",
        f"GRANT CONNECT, TEMPORARY ON DATABASE {d} TO {o}",
        f"GRANT CONNECT ON DATABASE {d} TO {a}",
        f"REVOKE CREATE ON SCHEMA {s} FROM PUBLIC",
        f"GRANT USAGE, CREATE ON SCHEMA {s} TO {o}",
        moved,
        *grants_sql(owner, app),
    ]


def migration_engine(app: Flask) -> sa.engine.Engine | None:
    """An engine on ``CATALOG_MIGRATION_DATABASE_URL`` when it is set (the caller disposes of it)."""
    from catalog.platform.config import database_url
    raw = app.config.get("CATALOG_MIGRATION_DATABASE_URL")
    if not raw:
        return None
    return sa.create_engine(database_url(raw, app.instance_path), poolclass=sa.pool.NullPool)


def application_user(app: Flask) -> str | None:
    """The user of ``DATABASE_URL`` (the application role)."""
    return sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).username


def regrant_after_migrating(connection: sa.Connection, app: Flask) -> None:
    """After ``db upgrade`` as the owner: the application role's grants, tables added by the revisions included.
    Nothing on SQLite, nor when the migration and the application connect as one user."""
    user = application_user(app)
    if connection.dialect.name != "postgresql" or not user:
        return
    owner = connection.scalar(sa.text("SELECT current_user"))
    if owner == user:
        return
    for statement in grants_sql(str(owner), user):
        connection.execute(sa.text(statement))


def _run(statements: list[str], apply: bool, *, as_owner: bool) -> None:
    """Print ``statements``, or run them in one transaction: as the owner (``CATALOG_MIGRATION_DATABASE_URL``
    when set), or with ``DATABASE_URL``."""
    if not apply:
        click.echo(";\n".join(statements) + ";")
        return
    engine = (migration_engine(current_app) if as_owner else None) \
        or sa.create_engine(current_app.config["SQLALCHEMY_DATABASE_URI"], poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as connection:
            if connection.dialect.name != "postgresql":
                raise click.ClickException("database roles are a PostgreSQL matter; this database is "
                                           f"{connection.dialect.name}")
            for statement in statements:
                connection.execute(sa.text(statement))
    except sa.exc.DBAPIError as exc:
        raise click.ClickException(f"the database refused: {str(exc.orig).strip()}") from None
    finally:
        engine.dispose()
    click.echo(f"applied {len(statements)} statements")


@click.command("roles")
@click.option("--owner", required=True, help="the migration role, owner of the tables")
@click.option("--app", "app_role", default=None, help="the application role (default: DATABASE_URL's user)")
@click.option("--database", default=None, help="the database (default: DATABASE_URL's)")
@click.option("--apply", is_flag=True, help="run the statements with DATABASE_URL, a superuser's for this once, "
                                            "instead of printing them (for psql)")
@with_appcontext
def roles_command(owner: str, app_role: str | None, database: str | None, apply: bool) -> None:
    """The one-time setup of a migration role and an application role (PostgreSQL)."""
    url = sa.engine.make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    app_role = app_role or url.username
    if not app_role or not (database or url.database):
        raise click.UsageError("name the application role (--app) and the database (--database)")
    _run(setup_sql(owner, app_role, database or str(url.database)), apply, as_owner=False)


@click.command("grants")
@click.option("--owner", default=None, help="the owner role (default: CATALOG_MIGRATION_DATABASE_URL's user)")
@click.option("--app", "app_role", default=None, help="the application role (default: DATABASE_URL's user)")
@click.option("--apply", is_flag=True, help="run them, as the owner (CATALOG_MIGRATION_DATABASE_URL)")
@with_appcontext
def grants_command(owner: str | None, app_role: str | None, apply: bool) -> None:
    """The application role's grants on every table and sequence (PostgreSQL); `db upgrade` re-applies them."""
    migration = current_app.config.get("CATALOG_MIGRATION_DATABASE_URL")
    owner = owner or (sa.engine.make_url(migration).username if migration else None)
    app_role = app_role or application_user(current_app)
    if not owner or not app_role:
        raise click.UsageError("name the owner (--owner, or set CATALOG_MIGRATION_DATABASE_URL) and the "
                               "application role (--app, or DATABASE_URL's user)")
    _run(grants_sql(owner, app_role), apply, as_owner=True)


def init_app(app: Flask) -> None:
    """``roles`` and ``grants`` beside Flask-Migrate's commands, under ``flask db``."""
    from flask_migrate.cli import db as db_group
    db_group.add_command(roles_command)
    db_group.add_command(grants_command)
