"""Views never commit: the request commits once after success and writes nothing on failure."""
import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from catalog import create_app
from catalog.kernel import catalogue
from catalog.kernel.db import db
from catalog.kernel.models.producers import Producer


@pytest.fixture()
def app_with_routes(scratch_database):
    app = create_app({"DATABASE_URL": scratch_database("sqlite"), "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False})

    def add(name: str) -> None:
        catalogue.create_producer(name=name, kind="cooperative", province_code="01")

    @app.post("/t/ok")
    def ok():
        add("HTX Một")
        return "ok"

    @app.post("/t/refused")
    def refused():
        add("HTX Hai")
        return "bad input", 422

    @app.post("/t/half")
    def half():
        add("HTX Ba")
        catalogue.create_producer(name="", kind="cooperative", province_code="01")  # raises
        return "unreachable"

    with app.app_context():
        upgrade()
    return app


def producers(app):
    with app.app_context():
        return db.session.scalars(select(Producer.name).order_by(Producer.name)).all()


def test_one_commit_after_success_nothing_after_errors(app_with_routes):
    client = app_with_routes.test_client()
    assert client.post("/t/ok").status_code == 200
    assert client.post("/t/refused").status_code == 422
    app_with_routes.config["PROPAGATE_EXCEPTIONS"] = False
    assert client.post("/t/half").status_code == 500
    assert producers(app_with_routes) == ["HTX Một"]
