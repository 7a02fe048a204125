"""The app factory, its configuration from the environment, /healthz, the home page."""
import os
import stat

import pytest

from catalog import create_app
from catalog.platform import config


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"
    assert response.get_json()["database"] == "ok"


def test_healthz_is_503_when_the_schema_is_missing(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}", "SECRET_KEY": "x"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert "db upgrade" in response.get_json()["database"]


@pytest.mark.parametrize(("given", "used"), [
    ("postgresql://user@host:5432/db", "postgresql+psycopg://user@host:5432/db"),
    ("postgres://user:pw@host/db", "postgresql+psycopg://user:pw@host/db"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ("sqlite:////srv/catalog.sqlite3", "sqlite:////srv/catalog.sqlite3"),
])
def test_database_url_works_as_people_write_it(given, used):
    assert config.database_url(given, "/instance") == used


def test_default_database_is_sqlite_in_the_instance_folder():
    assert config.database_url(None, "/srv/instance") == "sqlite:////srv/instance/catalog.sqlite3"


def test_secret_key_is_generated_once_and_kept_private(tmp_path):
    first = config.secret_key(str(tmp_path))
    assert len(first) == 64 and config.secret_key(str(tmp_path)) == first
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600


def test_environment_gives_defaults_and_refuses_unknown_time_zones(tmp_path):
    settings = config.from_environment(str(tmp_path), env={})
    assert settings["CATALOG_TIMEZONE"] == "Asia/Ho_Chi_Minh"
    assert settings["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    with pytest.raises(RuntimeError, match="not an IANA time zone"):
        config.from_environment(str(tmp_path), env={"CATALOG_TIMEZONE": "Hanoi/Somewhere"})


def test_home_page_counts_only_products_in_force(client, session):
    from tests import factories
    factories.recognised_product()
    page = client.get("/").get_data(as_text=True)
    assert "Cam sành Hà Giang (hộp 5kg)" in page
    assert "2751/QĐ-UBND" in page


def test_behind_a_proxy_the_client_network_comes_from_x_forwarded_for(tmp_path):
    from flask_migrate import upgrade
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}", "SECRET_KEY": "x", "CATALOG_PROXIES": 1})
    with app.app_context():
        upgrade()
    app.test_client().get("/s/00000000000000000", headers={"X-Forwarded-For": "198.51.100.23"},
                          environ_base={"REMOTE_ADDR": "10.0.0.1"})
    with app.app_context():
        from catalog.kernel.db import db
        from catalog.trace.models.scans import Scan
        assert db.session.query(Scan.network).scalar() == "198.51.100.0/24"
