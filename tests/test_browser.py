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


def _browser_page(width: int, height: int):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=False)
        yield context.new_page()
        browser.close()


@pytest.fixture()
def browser_page():
    yield from _browser_page(412, 900)


@pytest.fixture()
def phone_page():
    yield from _browser_page(390, 844)          # a common phone's viewport, in CSS pixels


def test_search_filter_open_and_switch_language(live_server, browser_page):
    page = browser_page
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.fill("input[name=q]", "tra")                   # "trà" without its accent: teas and Bát Tràng pottery
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/search?q=tra")
    assert page.locator("ul.cards a.name").count() == 4
    page.click("details.filters summary")                       # the filters are folded
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
    page.get_by_role("link", name="Hệ thống sản phẩm OCOP").first.click()     # the registry's name: home
    assert page.get_by_role("heading", name="Newest recognitions").is_visible()   # the choice is kept


#: The placeholder's text width and the room the search box gives it (read in the page, by the browser's layout).
PLACEHOLDER_FIT = """() => { const box = document.querySelector('header.site input[name=q]');
  const style = getComputedStyle(box);
  const context = document.createElement('canvas').getContext('2d'); context.font = style.font;
  return [context.measureText(box.placeholder).width,
          box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)]; }"""


def test_phone_search_from_a_product_page_filters_folded_and_back_to_results(live_server, phone_page):
    page = phone_page
    page.goto(live_server + "/products/cam-sanh-ha-giang-hop-5kg")
    assert page.locator("header.site a.brand").inner_text() == "Hệ thống sản phẩm OCOP"
    box = page.locator("header.site input[name=q]")
    assert box.get_attribute("placeholder") == "Ví dụ: trà shan tuyết"
    needed, room = page.evaluate(PLACEHOLDER_FIT)
    assert needed <= room, (needed, room)                       # the whole hint is seen on the phone
    assert box.bounding_box()["y"] < 120                        # the header stays short
    box.fill("tra")
    box.press("Enter")
    page.wait_for_url("**/search?q=tra")
    first = page.locator("ul.cards li").first.bounding_box()
    assert first["y"] < 844 * 0.4, first                         # above the fold, with room to spare
    selects = page.locator("details.filters select")
    assert selects.count() == 4 and not selects.first.is_visible()      # folded under one control
    page.get_by_text("Bộ lọc", exact=True).click()
    widths = {round(selects.nth(i).bounding_box()["width"]) for i in range(4)}
    assert len(widths) == 1, widths                             # equal widths
    page.select_option("select[name=sector]", "food")
    page.get_by_role("button", name="Áp dụng bộ lọc").click()
    page.wait_for_url("**/search?**sector=food**")
    assert "q=tra" in page.url and page.locator("ul.cards a.name").count() == 3
    page.locator("ul.cards a.name").first.click()
    page.wait_for_url("**/products/**")
    page.get_by_role("link", name="← Quay lại kết quả tìm kiếm").click()
    page.wait_for_url("**/search?q=tra&sector=food")          # the same search (its empty fields left out)
    assert page.locator("header.site input[name=q]").input_value() == "tra"
    assert page.locator("ul.cards a.name").count() == 3
