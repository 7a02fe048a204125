"""Alembic environment for Flask-Migrate: the app's engine and metadata.

SQLite cannot ALTER most things, so revisions render in batch mode (Flask-Migrate's
default ``render_as_batch=True``, harmless on PostgreSQL).

With ``CATALOG_MIGRATION_DATABASE_URL`` set, migrations connect with it (the role that
owns the tables) instead of ``DATABASE_URL``, and once a revision was applied the
application role (``DATABASE_URL``'s user) gets its grants again
(:mod:`catalog.platform.database_roles`).
"""
import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

from catalog.platform import database_roles  # noqa: E402

target_db = current_app.extensions["migrate"].db
migration_engine = database_roles.migration_engine(current_app._get_current_object())


def get_engine():
    return migration_engine or target_db.engine


config.set_main_option(
    "sqlalchemy.url", get_engine().url.render_as_string(hide_password=False).replace("%", "%%"))


def render_item(type_, obj, autogen_context):
    """Render the app's UTCDateTime as the plain column type it stores, so revisions
    never import application code."""
    if type_ == "type" and type(obj).__name__ == "UTCDateTime":
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline():
    context.configure(url=config.get_main_option("sqlalchemy.url"),
                      target_metadata=target_db.metadata, literal_binds=True,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    applied = []

    def on_version_apply(**kwargs):
        applied.append(kwargs["step"])

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    conf_args.setdefault("render_item", render_item)
    try:
        with get_engine().connect() as connection:
            context.configure(connection=connection, target_metadata=target_db.metadata,
                              on_version_apply=on_version_apply, **conf_args)
            with context.begin_transaction():
                context.run_migrations()
                if applied and migration_engine is not None:
                    database_roles.regrant_after_migrating(connection, current_app._get_current_object())
    finally:
        if migration_engine is not None:
            migration_engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
