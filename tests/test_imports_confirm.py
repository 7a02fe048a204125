"""A confirmation submitted twice (a double click, two tabs, two officers): applied once, the other told so."""
from __future__ import annotations

import re
import threading

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from catalog import create_app
from catalog.imports import runs
from catalog.imports.models import ImportRun
from catalog.kernel.db import db
from catalog.kernel.models.products import Product
from tests import factories
from tests.conftest import RequestClient
from tests.test_imports import ROWS, counts, csv_bytes, many_rows, now, upload, xlsx_bytes  # noqa: F401  (the fixture)

ALREADY = "This import was already confirmed"


def preview_token(client, data: bytes, filename: str) -> str:
    answer = upload(client, "/admin/imports/preview?lang=en", "decisions", data, filename)
    if answer.status_code == 303:                                   # a larger file: its run's page
        answer = client.get(answer.headers["Location"] + "?lang=en")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Confirm import" in html, html[:1000]
    return re.search(r'name="token" value="([0-9a-f]{32})"', html).group(1)


def confirm(client, token: str, csrf: str):
    return client.post("/admin/imports/confirm?lang=en", data={"csrf_token": csrf, "token": token})


@pytest.mark.parametrize("size", ["small", "large"])
@pytest.mark.usefixtures("now")
def test_a_second_confirmation_is_told_the_import_was_already_confirmed(client, session, size):
    """In the request (a small file) or by jobs (a larger one): the second submission writes nothing more."""
    factories.sign_in(client, "officer")
    data = xlsx_bytes(ROWS) if size == "small" else csv_bytes(many_rows(220))
    assert (len(data) <= runs.SMALL_BYTES) == (size == "small")
    before = counts(session)["Product"]
    token = preview_token(client, data, f"qd-{size}.xlsx" if size == "small" else "qd-large.csv")
    csrf = factories.csrf_token(client, "/admin/imports")
    first = confirm(client, token, csrf)
    assert first.status_code == 303
    created = counts(session)["Product"] - before
    assert created == (5 if size == "small" else 220)
    again = confirm(client, token, csrf)
    assert again.status_code == 303 and again.headers["Location"].endswith(f"/admin/imports/runs/{token}")
    page = client.get(again.headers["Location"] + "?lang=en").get_data(as_text=True)
    assert ALREADY in page and "Imported qd-" in page
    assert counts(session)["Product"] - before == created
    assert session.scalar(select(ImportRun.status).where(ImportRun.token == token)) == "done"


@pytest.mark.usefixtures("now")
def test_a_run_never_checked_is_still_not_available(client, session):
    factories.sign_in(client, "officer")
    run = runs.start("decisions", "qd.csv", csv_bytes(ROWS), "officer@test")      # still "checking"
    session.flush()
    answer = confirm(client, run.token, factories.csrf_token(client, "/admin/imports"))
    assert answer.status_code == 404 and "no longer available" in answer.get_data(as_text=True)


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_two_confirmations_at_once_apply_the_file_once(scratch_database, kind):
    """Two threads post the same confirmation at the same moment: one imports, the other is told, no 500."""
    app = create_app({"DATABASE_URL": scratch_database(kind), "SECRET_KEY": "x", "TESTING": True,
                      "CATALOG_LOGIN_RATE_LIMIT": "1000 per minute"})
    app.test_client_class = RequestClient                          # a fresh ``g`` per request, as in production
    with app.app_context():
        upgrade()
        db.session.commit()
    clients = [app.test_client(), app.test_client()]
    with app.app_context():
        for client in clients:
            factories.sign_in(client, "officer")
        db.session.commit()
    with app.app_context():
        token = preview_token(clients[0], xlsx_bytes(ROWS), "qd-2751.xlsx")
        db.session.remove()
    csrf = [factories.csrf_token(client, "/admin/imports") for client in clients]
    barrier = threading.Barrier(2)
    answers: list = [None, None]

    def officer(n: int) -> None:
        barrier.wait()
        answers[n] = confirm(clients[n], token, csrf[n])

    threads = [threading.Thread(target=officer, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [303, 303], [a.get_data(as_text=True)[:500] for a in answers]
    locations = sorted(answer.headers["Location"] for answer in answers)
    assert locations[0].endswith("/admin/imports") and locations[1].endswith(f"/admin/imports/runs/{token}")
    told = next(client for client, answer in zip(clients, answers, strict=True)
                if answer.headers["Location"].endswith(token))
    assert ALREADY in told.get(f"/admin/imports/runs/{token}?lang=en").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Product)) == 5
        db.session.remove()
        db.engine.dispose()
