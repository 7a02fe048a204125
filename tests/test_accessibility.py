"""axe-core (from npm, injected into Debian's Chromium) finds no accessibility violation on the shopper's pages.

axe runs as a script, which the service's Content-Security-Policy forbids: its context bypasses CSP (the
headers themselves are tested in test_headers and test_csp_browser). ``./dev test`` installs axe-core
into ``.venv/node_modules`` with npm; without npm or Chromium these tests are skipped.
"""
import datetime as dt
import os
import shutil
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import select
from werkzeug.serving import make_server

from catalog import create_app
from catalog.kernel import calendar, clock, recognitions
from catalog.kernel.db import db
from catalog.trace import codes, stamps
from catalog.trace.models.stamps import Stamp
from tests import factories
from tests.factories import DECISION, REVOCATION

CHROMIUM = os.environ.get("CATALOG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
AXE = Path(__file__).resolve().parent.parent / ".venv" / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="browser tests skipped: no chromium executable"),
    pytest.mark.skipif(not AXE.exists(), reason=f"axe-core not installed at {AXE} (./dev test installs it with npm)"),
]
NOW = calendar.start_of_day(dt.date(2026, 6, 1)) + dt.timedelta(hours=9)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A live catalog with a stamp of every verdict; yields (base URL, {name: path})."""
    path = tmp_path_factory.mktemp("axe") / "axe.sqlite3"
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "axe", "CATALOG_SUSPICIOUS_SCANS": 3})
    with app.app_context():
        upgrade()
        clock.set_now(calendar.start_of_day(dt.date(2022, 2, 1)))   # stamped while certified, lapsed by NOW
        lapsed = factories.product(name="Mứt gừng Tuyên Quang")
        recognitions.recognise(lapsed, actor="test", **{**DECISION, "decision_date": dt.date(2022, 1, 10)})
        stamps.issue_batch(lapsed, 1, actor="test")
        clock.set_now(NOW)
        factories.catalog_products()
        product, _, batch = factories.stamped_product()
        issued = db.session.scalars(select(Stamp).where(Stamp.batch_id == batch.id).order_by(Stamp.serial)).all()
        stamps.void_stamp(issued[1], reason="Tem in lỗi", actor="staff")
        gone = factories.stamped_product(gtin="8934563138172")[0]
        recognitions.revoke(gone.recognitions[0], actor="officer", **{**REVOCATION, "revoked_on": dt.date(2026, 5, 30)})
        factories.index_now()
        revoked = db.session.scalars(select(Stamp).join(Stamp.batch).where(Stamp.batch.has(product_id=gone.id))).first()
        expired = db.session.scalars(select(Stamp).where(Stamp.batch.has(product_id=lapsed.id))).first()
        code = issued[0].code
        typo = code[:5] + ("A" if code[5] != "A" else "B") + code[6:]
        pages = {
            "home": "/", "search": "/search?q=tra", "no results": "/search?q=zzzzqqq",
            "product": f"/products/{product.slug}", "producer": f"/producers/{product.producer.slug}",
            "province": "/provinces/08",
            "genuine": f"/s/{code}", "expired": f"/s/{expired.code}", "suspicious": f"/s/{issued[2].code}",
            "voided": f"/s/{issued[1].code}", "revoked": f"/s/{revoked.code}",
            "unknown": f"/s/{codes.new_code()}", "invalid": f"/s/{typo}", "report form": f"/s/{code}/report",
            "english": f"/s/{code}?lang=en", "check": "/s", "help": "/s/help",
            "check with a bad code": f"/s?code={typo}", "counterfeit report form": f"/s/{codes.new_code()}/report",
        }
    client = app.test_client()
    for n in range(4):                                          # copies of one stamp scanned far apart
        client.get(pages["suspicious"], environ_base={"REMOTE_ADDR": f"198.51.{n + 1}.7"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", pages
    server.shutdown()


@pytest.fixture(scope="module")
def page():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
        yield context.new_page()
        browser.close()


def violations(page, url: str) -> list[str]:
    page.goto(url)
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async () => (await axe.run(document)).violations"
                          ".map(v => v.id + ': ' + v.help + ' -> ' + v.nodes.map(n => n.target.join(' ')).join(', '))")
    return found


PAGES = ["home", "search", "no results", "product", "producer", "province", "genuine", "expired", "suspicious",
         "voided", "revoked", "unknown", "invalid", "report form", "english", "check", "help",
         "check with a bad code", "counterfeit report form"]


@pytest.mark.parametrize("name", PAGES)
def test_no_axe_violation(site, page, name):
    base, pages = site
    assert violations(page, base + pages[name]) == [], name


def test_no_axe_violation_on_the_report_thanks_and_status_pages(site, page):
    base, pages = site
    page.goto(base + pages["report form"])
    page.fill("#message", "Tem bị bóc ra dán lại")
    page.fill("#contact", "0912 345 678")
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/reports/**")
    thanks = page.url
    assert "sent=1" in thanks
    assert violations(page, thanks) == []
    assert violations(page, thanks.split("?", 1)[0]) == []          # the status page, as a bookmark opens it


def test_the_fixture_shows_every_verdict(site):
    import urllib.request
    base, pages = site
    seen = {}
    for name in ("genuine", "expired", "suspicious", "voided", "revoked", "unknown"):
        request = urllib.request.Request(base + pages[name], headers={"Accept": "application/json"})
        try:
            with urllib.request.urlopen(request) as answer:
                seen[name] = __import__("json").load(answer)["verdict"]
        except urllib.error.HTTPError as error:
            seen[name] = __import__("json").load(error)["verdict"]
    assert seen == {name: name for name in seen}
