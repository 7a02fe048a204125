"""Every answer carries the security headers: a strict Content-Security-Policy the pages meet, no framing,
nosniff, a referrer policy, HSTS over HTTPS; and no template holds code or styles the policy would refuse."""
from __future__ import annotations

import base64
import hashlib
import pathlib
import re

import pytest

from catalog import create_app
from tests import factories
from tests.api_helpers import auth, partner_key
from tests.test_trace import stamped  # noqa: F401  (the fixture: a recognised product with a lot and stamps)

ROOT = pathlib.Path(__file__).resolve().parent.parent / "catalog"


def assert_secured(response, what: str) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip())
    assert directives.get("default-src") == "'self'", (what, policy)
    assert directives.get("script-src") == "'none'", (what, policy)
    assert directives.get("style-src", "").startswith("'self'") and "unsafe" not in policy, (what, policy)
    assert directives.get("object-src") == "'none'" and directives.get("base-uri") == "'none'", (what, policy)
    assert directives.get("form-action") == "'self'" and directives.get("frame-ancestors") == "'none'", (what, policy)
    assert response.headers.get("X-Frame-Options") == "DENY", what
    assert response.headers.get("X-Content-Type-Options") == "nosniff", what
    assert response.headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", what
    assert "Strict-Transport-Security" not in response.headers, what       # plain HTTP: no HSTS


def test_every_kind_of_answer_carries_the_headers(client, session, stamped):  # noqa: F811
    product, _, _, stamp = stamped
    key = partner_key()
    statuses = {}

    def check(what: str, path: str, **kwargs) -> None:
        response = client.get(path, **kwargs)
        response.get_data()
        response.close()                # a streamed answer (the sitemap) ends its context here, not at GC
        assert response.status_code < 500, (what, response.status_code)
        assert_secured(response, what)
        statuses[what] = response.status_code

    as_json = {"Accept": "application/json"}
    for what, path, headers in [
        ("home", "/", {}), ("search", "/search?q=cam", {}), ("product", f"/products/{product.slug}", {}),
        ("producer", f"/producers/{product.producer.slug}", {}),
        ("province", f"/provinces/{product.producer.province_code}", {}),
        ("sitemap", "/sitemap.xml", {}), ("robots", "/robots.txt", {}),
        ("scan page", f"/s/{stamp.code}", {}), ("scan JSON", f"/s/{stamp.code}", as_json),
        ("report form", f"/s/{stamp.code}/report", {}),
        ("API JSON", "/api/v1/products", auth(key)), ("API problem", "/api/v1/products", {}),
        ("API docs", "/api/v1/docs", {}), ("OpenAPI", "/api/v1/openapi.json", {}),
        ("stylesheet", "/static/catalog.css", {}),
        ("missing page", "/khong-co", {}), ("missing, JSON", "/khong-co", as_json),
        ("redirect to sign in", "/admin/", {}), ("sign-in", "/admin/login", {}),
        ("health", "/healthz", {}), ("ping", "/ping", {}),
    ]:
        check(what, path, headers=headers)
    factories.sign_in(client, "admin")
    for what, path in [("dashboard", "/admin/"), ("admin list", "/admin/producers"), ("admin 404", "/admin/khong-co")]:
        check(what, path)
    assert statuses["product"] == statuses["dashboard"] == 200 and statuses["missing page"] == 404
    assert statuses["redirect to sign in"] == 302 and statuses["API problem"] == 401


def test_the_scan_page_stays_one_request_its_inline_style_allowed_by_hash(client, session, stamped):  # noqa: F811
    response = client.get(f"/s/{stamped[3].code}")
    html = response.get_data(as_text=True)
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert len(styles) == 1 and "<script" not in html
    # no stylesheet to fetch: the one link is the favicon's (which browsers fetch anyway, /favicon.ico if not told)
    assert re.findall(r"<link[^>]*>", html) == [f'<link rel="icon" href="{_favicon_url()}" type="image/svg+xml">']
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in response.headers["Content-Security-Policy"]


def _favicon_url() -> str:
    from flask import current_app, url_for
    with current_app.test_request_context():
        return url_for("static", filename="favicon.svg")


def test_hsts_over_https_only(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'h.sqlite3'}", "SECRET_KEY": "h",
                      "CATALOG_PROXIES": 1})
    client = app.test_client()
    assert "Strict-Transport-Security" not in client.get("/ping").headers
    secure = client.get("/ping", headers={"X-Forwarded-Proto": "https"})
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert client.get("/ping", base_url="https://localhost").headers["Strict-Transport-Security"]


@pytest.mark.parametrize("template", sorted(ROOT.rglob("templates/**/*.html")), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_holds_what_the_policy_refuses(template):
    text = template.read_text(encoding="utf-8")
    assert not re.search(r"\sstyle\s*=", text), "a style attribute: use a class of the stylesheet"
    assert not re.search(r"\son[a-z]+\s*=", text), "an event handler attribute"
    assert "javascript:" not in text
    scripts = re.findall(r"<script\b([^>]*)>", text)
    assert all('type="application/ld+json"' in attributes for attributes in scripts), "a script (only JSON-LD data)"
    styles = re.findall(r"<style\b[^>]*>(.*?)</style>", text, re.S)
    assert all(re.fullmatch(r"\{\{ inline_style\(\"[a-z.-]+\"\) \}\}", body) for body in styles), \
        "an inline style not written by inline_style() (whose hash the policy allows)"
