"""The one error scheme: a page in the reader's language with the layout of the part of the site it is in,
an RFC 9457 problem document for every JSON answer, never a stack trace."""
from __future__ import annotations

import logging

import pytest

from catalog import create_app
from tests import factories

PROBLEM = "application/problem+json"


def test_a_missing_page_in_the_catalog_is_a_vietnamese_page_of_the_catalog(client):
    response = client.get("/khong-co-trang-nay")
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "Không tìm thấy trang" in html and "Page not found" not in html
    assert 'href="/"' in html                                  # the catalog's layout: back to the catalog
    english = client.get("/khong-co-trang-nay?lang=en").get_data(as_text=True)
    assert "Page not found" in english


def test_admin_errors_keep_the_admin_layout(client, session):
    factories.sign_in(client, "editor")
    refused = client.get("/admin/users")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 403 and "Không có quyền truy cập" in html
    assert "/admin/logout" in html                             # the admin's navigation, not the catalog's
    missing = client.get("/admin/products/999999")
    assert missing.status_code == 404 and "/admin/logout" in missing.get_data(as_text=True)


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/api/v1/no-such-endpoint", 404),
    ("DELETE", "/api/v1/products", 405),
])
def test_every_api_error_is_a_problem_document(client, method, path, status):
    response = client.open(path, method=method)
    assert response.status_code == status and response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"].endswith(str(status))
    if status == 405:
        assert "GET" in response.headers["Allow"] and "GET" in body["detail"]


def test_a_json_request_anywhere_gets_a_problem_document(client):
    response = client.get("/khong-co-trang-nay", headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.mimetype == PROBLEM
    assert response.get_json()["status"] == 404


def test_a_failure_is_logged_and_answered_plainly(tmp_path, caplog):
    """An unexpected exception: a 500 page (or problem) saying to retry, the traceback only in the log."""
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "SECRET_KEY": "x"})

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    client = app.test_client()
    with caplog.at_level(logging.ERROR):
        page = client.get("/boom")
        problem = client.get("/boom", headers={"Accept": "application/json"})
    assert page.status_code == 500 and "secret internals" not in page.get_data(as_text=True)
    assert "Traceback" not in page.get_data(as_text=True) and "thử lại" in page.get_data(as_text=True)
    assert problem.status_code == 500 and problem.mimetype == PROBLEM
    assert "secret internals" not in problem.get_data(as_text=True)
    assert any("secret internals" in record.getMessage() or record.exc_info for record in caplog.records)
