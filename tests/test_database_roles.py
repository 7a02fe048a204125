"""The append-only history cannot be removed with the service's own database role.

On PostgreSQL the service runs as a role that owns nothing (``DATABASE_URL``) while migrations run as
the role that owns the tables (``CATALOG_MIGRATION_DATABASE_URL``), both made by ``flask db roles``.
The test makes the two roles in the test cluster under names of its own (roles are cluster-wide), in a
database of its own, and drops them all at the end.
"""
from __future__ import annotations

import secrets
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from catalog import create_app
from catalog.kernel.db import db
from catalog.platform import database_roles, transaction
from catalog.trace.models.scans import Scan
from catalog.trace.models.stamps import Stamp
from tests import factories
from tests.conftest import RequestClient

HISTORY = ("recognition_events", "audit_entries")


def refused(engine: sa.Engine, statement: str) -> str:
    """The database's refusal of ``statement`` (which must be refused), lower-cased."""
    with pytest.raises(sa.exc.DBAPIError) as caught, engine.begin() as connection:
        connection.exec_driver_sql(statement)
    return str(caught.value.orig).lower()


@pytest.fixture()
def two_roles(postgres_admin, tmp_path):
    """(owner URL, application URL, superuser URL) on a fresh database; the roles and database dropped after."""
    tag = uuid.uuid4().hex[:10]
    owner, app_role, database = f"catalog_owner_{tag}", f"catalog_app_{tag}", f"catalog_roles_{tag}"
    with postgres_admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{database}"')
    superuser = postgres_admin.url.set(database=database)
    passwords = {owner: secrets.token_hex(12), app_role: secrets.token_hex(12)}
    try:
        bootstrap = create_app({"DATABASE_URL": superuser.render_as_string(hide_password=False),
                                "SECRET_KEY": "x"})
        bootstrap.instance_path = str(tmp_path / "bootstrap")
        result = bootstrap.test_cli_runner().invoke(
            args=["db", "roles", "--owner", owner, "--app", app_role, "--apply"])
        assert result.exit_code == 0, result.output
        with postgres_admin.connect() as connection:
            for role, password in passwords.items():
                connection.exec_driver_sql(f"ALTER ROLE {role} PASSWORD '{password}'")
        yield tuple(superuser.set(username=role, password=passwords[role]).render_as_string(hide_password=False)
                    for role in (owner, app_role)) + (superuser.render_as_string(hide_password=False),)
    finally:
        with postgres_admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            for role in (app_role, owner):
                connection.exec_driver_sql(f"DROP ROLE IF EXISTS {role}")


@pytest.mark.postgres
def test_the_service_role_cannot_remove_the_history_but_does_its_work(two_roles, tmp_path):
    owner_url, app_url, superuser_url = two_roles
    app = create_app({"DATABASE_URL": app_url, "CATALOG_MIGRATION_DATABASE_URL": owner_url, "SECRET_KEY": "x",
                      "TESTING": True, "CATALOG_JOBS_IMMEDIATE": True})
    app.instance_path = str(tmp_path / "instance")
    app.test_client_class = RequestClient
    owner_engine = sa.create_engine(owner_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with app.app_context():
        upgrade()                                   # as the owner, then the grants
        app_engine = db.engine
        assert app_engine.url.username.startswith("catalog_app_")
        with owner_engine.connect() as connection:
            owners = set(connection.scalars(sa.text(
                "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")))
            assert owners == {owner_engine.url.username}

        # Normal work, as the application role: a recognition recorded, stamps scanned, a product edited.
        item, _, batch = factories.stamped_product(count=2)
        transaction.commit()
        item_id, producer_id = item.id, item.producer_id
        code = db.session.scalar(sa.select(Stamp.code).where(Stamp.batch_id == batch.id).limit(1))
        client = app.test_client()
        assert client.get(f"/s/{code}").status_code == 200
        admin = factories.user("admin")
        email = admin.email
        transaction.commit()
        assert client.post("/admin/login", data={"email": email, "password": factories.PASSWORD,
                                                 "csrf_token": factories.csrf_token(client)}).status_code == 303
        saved = factories.post_form(client, f"/admin/products/{item_id}/edit", {
            "name": "Cam sành Hà Giang loại 1", "producer_id": str(producer_id), "product_set": "1",
            "packaging": "", "standards": ["vietgap"]})
        assert saved.status_code == 303, saved.get_data(as_text=True)[:500]
        db.session.remove()
        with app_engine.connect() as connection:
            assert connection.scalar(sa.text("SELECT name FROM products WHERE id = :id"), {"id": item_id}) \
                == "Cam sành Hà Giang loại 1"
            assert connection.scalar(sa.select(sa.func.count()).select_from(Scan)) == 1
            for table in HISTORY:
                assert connection.scalar(sa.text(f"SELECT count(*) FROM {table}")) > 0

        # What the application role may not do to the history.
        for table in HISTORY:
            for statement in (f"TRUNCATE {table}", f"TRUNCATE {table} CASCADE", f"DELETE FROM {table}",
                              f"UPDATE {table} SET id = id"):
                assert "permission denied" in refused(app_engine, statement), statement
            for statement in (f"ALTER TABLE {table} DISABLE TRIGGER USER", f"ALTER TABLE {table} DISABLE TRIGGER ALL",
                              f"DROP TRIGGER {table}_append_only ON {table}", f"DROP TABLE {table} CASCADE",
                              f"ALTER TABLE {table} OWNER TO CURRENT_USER"):
                assert "must be owner" in refused(app_engine, statement), statement
            assert "permission denied" in refused(
                app_engine, f"CREATE TRIGGER mine BEFORE INSERT ON {table} FOR EACH ROW "
                            f"EXECUTE FUNCTION {table}_append_only()")
        assert "permission denied" in refused(app_engine, "TRUNCATE products CASCADE")
        assert "permission denied" in refused(app_engine, "CREATE TABLE mine (id int)")
        assert "permission denied" in refused(app_engine, "UPDATE alembic_version SET version_num = 'x'")
        assert "must be owner" in refused(app_engine, "DROP FUNCTION recognition_events_append_only() CASCADE")

        # And even the owner (the migration role) cannot truncate the history: the triggers refuse.
        for table in HISTORY:
            assert "append-only" in refused(owner_engine, f"TRUNCATE {table}"), table
            assert "append-only" in refused(owner_engine, f"DELETE FROM {table}"), table
        with app_engine.connect() as connection:
            for table in HISTORY:
                assert connection.scalar(sa.text(f"SELECT count(*) FROM {table}")) > 0
        db.session.remove()
        db.engine.dispose()
    owner_engine.dispose()


def test_grants_give_the_history_select_and_insert_only():
    statements = " ; ".join(database_roles.grants_sql("ocop_owner", "ocop_app"))
    assert "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ocop_app" in statements
    for table in HISTORY:
        assert f"REVOKE UPDATE, DELETE ON public.{table} FROM ocop_app" in statements
    assert "TRUNCATE" not in statements and "TRIGGER" not in statements
    assert "ALTER DEFAULT PRIVILEGES FOR ROLE ocop_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE" \
        in statements
    with pytest.raises(Exception, match="not a role name"):
        database_roles.grants_sql("ocop_owner", 'x"; DROP TABLE products; --')


def test_the_roles_command_prints_the_setup_without_a_database(app, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "roles", "--owner", "ocop_owner", "--app", "ocop_app", "--database", "ocop"])
    assert result.exit_code == 0, result.output
    assert "CREATE ROLE ocop_owner LOGIN" in result.output and "NOSUPERUSER" in result.output
    assert "REVOKE CREATE ON SCHEMA public FROM PUBLIC" in result.output
    assert "GRANT CONNECT ON DATABASE ocop TO ocop_app" in result.output
    same = runner.invoke(args=["db", "roles", "--owner", "ocop", "--app", "ocop", "--database", "ocop"])
    assert same.exit_code != 0 and "two roles" in same.output


@pytest.mark.parametrize("table", HISTORY)
def test_the_history_refuses_updates_deletes_and_emptying_on_either_database(session, table):
    """The triggers, on the database the suite runs on (SQLite: no TRUNCATE; DELETE FROM fires the row triggers)."""
    factories.recognised_product()
    session.execute(sa.text(
        "INSERT INTO audit_entries (at, actor, action, object_type, object_id, changes) "
        "VALUES (CURRENT_TIMESTAMP, 'test', 'create', 'product', '1', '{}')"))
    dialect = session.get_bind().dialect.name
    statements = [f"DELETE FROM {table}", f"UPDATE {table} SET id = id"]
    if dialect == "postgresql":
        statements.append(f"TRUNCATE {table}")
    for statement in statements:
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), session.begin_nested():
            session.execute(sa.text(statement))
