"""A person in a real browser (Debian's Chromium, driven by Playwright): search, filter, read, switch language."""
import datetime as dt
import os
import shutil
import threading

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from catalog import create_app
from catalog.kernel import calendar, clock
from tests import factories

CHROMIUM = os.environ.get("CATALOG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="browser tests skipped: no chromium executable "
                                "(apt-get install chromium, or set CATALOG_CHROMIUM)")
NOW = calendar.start_of_day(dt.date(2026, 6, 1)) + dt.timedelta(hours=9)


@pytest.fixture()
def live_server(scratch_database):
    app = create_app({"DATABASE_URL": scratch_database("sqlite"), "SECRET_KEY": "browser"})
    with app.app_context():
        clock.set_now(NOW)                  # this app's clock, which its server thread reads
    with app.app_context():
        upgrade()
        factories.catalog_products()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture()
def browser_page():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        context = browser.new_context(viewport={"width": 412, "height": 900}, java_script_enabled=False)
        yield context.new_page()
        browser.close()


def test_search_filter_open_and_switch_language(live_server, browser_page):
    page = browser_page
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.fill("input[name=q]", "tra")                   # "trà" without its accent: teas and Bát Tràng pottery
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/search?q=tra")
    assert page.locator("ul.cards a.name").count() == 4
    page.get_by_role("link", name="Thực phẩm (3)").click()      # the sector facet
    page.wait_for_url("**sector=food**")
    assert page.locator("ul.cards a.name").count() == 3
    assert page.get_by_text("Tìm thấy 3 sản phẩm").is_visible()
    page.locator("ul.cards a.name").first.click()
    page.wait_for_url("**/products/**")
    assert "Tương Mai" in page.locator("h1").inner_text()
    assert page.get_by_text("Công nhận OCOP còn hiệu lực").is_visible()
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_text("OCOP recognition in force").is_visible()
    page.get_by_role("link", name="OCOP · One Commune One Product").click()
    assert page.get_by_role("heading", name="Newest recognitions").is_visible()   # the choice is kept
