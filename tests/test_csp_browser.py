"""The Content-Security-Policy in a real browser (Debian's Chromium, driven by Playwright): the public pages,
the scan page, the report form, the API docs, the error pages and every page of the admin navigation load
without a single violation (console "Refused to ..." messages and ``securitypolicyviolation`` events), and
still look styled (the stylesheets and the scan page's hashed inline style are applied)."""
import threading

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from werkzeug.serving import make_server

from catalog import create_app
from catalog.kernel import clock
from catalog.kernel.db import db
from catalog.trace.models.stamps import Stamp
from tests import factories, test_browser

pytestmark = test_browser.pytestmark            # skipped without a chromium, as test_browser is
NOW = test_browser.NOW
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
    (e) => window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile));
"""


@pytest.fixture()
def site(scratch_database, tmp_path):
    app = create_app({"DATABASE_URL": scratch_database("sqlite"), "SECRET_KEY": "csp"})
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        clock.set_now(NOW)
    with app.app_context():
        upgrade()
        products = factories.catalog_products()
        product, _, batch = factories.stamped_product()
        code = db.session.scalars(sa.select(Stamp.code).where(Stamp.batch_id == batch.id)).first()
        admin = factories.user("admin")
        found = {"email": admin.email, "code": code, "product": products["cam"].slug,
                 "producer": products["cam"].producer.slug, "province": products["cam"].producer.province_code}
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", found
    server.shutdown()


@pytest.fixture()
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=test_browser.CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        # JavaScript on, only so that the page can report violations to the test (the site has no script).
        context = chromium.new_context(viewport={"width": 412, "height": 900}, java_script_enabled=True)
        context.add_init_script(LISTEN)
        yield context.new_page()
        chromium.close()


def test_no_page_breaks_the_content_security_policy(site, browser):
    base, found = site
    page = browser
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    visited: dict[str, list[str]] = {}

    def visit(path: str) -> None:
        response = page.goto(base + path)
        assert response is not None and response.status < 500, path
        assert "default-src 'self'" in response.headers["content-security-policy"], path
        visited[path] = page.evaluate("window.__violations")

    for path in ["/", "/search?q=tra", "/search?q=tra&sector=food", f"/products/{found['product']}",
                 f"/producers/{found['producer']}", f"/provinces/{found['province']}", f"/s/{found['code']}",
                 f"/s/{found['code']}/report", "/s", "/s/help", "/api/v1/docs", "/khong-co-trang-nay", "/admin/login"]:
        visit(path)
    page.goto(base + "/admin/login")
    page.fill("input[name=email]", found["email"])
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("form.admin-form button[type=submit]")
    page.wait_for_url(base + "/admin/")
    links = page.eval_on_selector_all("nav.admin-nav a", "links => links.map(a => a.getAttribute('href'))")
    assert len(links) >= 10
    for path in [*links, "/admin/khong-co"]:
        visit(path)
    refused = [text for text in console if "Content Security Policy" in text or text.startswith("Refused to")]
    assert refused == [], refused
    assert {path: events for path, events in visited.items() if events} == {}
    assert len(visited) >= 20
    # The scan page is styled by its hashed inline stylesheet; the catalog by catalog.css.
    page.goto(f"{base}/s/{found['code']}")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(250, 250, 247)"
    page.goto(f"{base}/search?q=tra")
    assert page.evaluate("getComputedStyle(document.querySelector('strong.facet-name')).borderTopStyle") == "none"
    page.goto(f"{base}/api/v1/docs")
    assert page.evaluate("getComputedStyle(document.querySelector('code')).backgroundColor") == "rgb(244, 244, 239)"

