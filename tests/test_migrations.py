"""Migrations build the schema from empty, agree with the models, and go down and up again."""
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from catalog import create_app
from catalog.kernel.db import db

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def pending_changes(app):
    with db.engine.connect() as connection:
        include_name = app.extensions["migrate"].configure_args["include_name"]
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_name": include_name})
        return compare_metadata(context, db.metadata)


def table_names(app):
    return set(sa.inspect(db.engine).get_table_names())


@pytest.mark.parametrize("backend", BACKENDS)
def test_migrations_match_models_and_reverse_cleanly(scratch_database, backend):
    app = create_app({"DATABASE_URL": scratch_database(backend), "SECRET_KEY": "x"})
    with app.app_context():
        upgrade()
        assert pending_changes(app) == []
        assert {"provinces", "communes", "producers", "products", "recognitions",
                "recognition_events", "search_documents", "search_outbox"} <= table_names(app)
        assert db.session.scalar(sa.text("SELECT count(*) FROM provinces")) == 34
        db.session.remove()

        downgrade(revision="base")
        assert table_names(app) <= {"alembic_version"}

        upgrade()
        assert pending_changes(app) == []
        db.session.remove()
        db.engine.dispose()
