"""A shopper on a phone (390 x 844, no JavaScript) in Debian's Chromium: check a code by hand, read the
verdicts, report a problem and follow it, search from a product page and come back to the results."""
import datetime as dt
import os
import shutil
import threading

import pytest
from flask_migrate import upgrade
from sqlalchemy import select
from werkzeug.serving import make_server

from catalog import create_app
from catalog.kernel import calendar, clock, recognitions
from catalog.kernel.db import db
from catalog.records import photos
from catalog.trace import codes
from catalog.trace.models.stamps import Stamp
from tests import factories
from tests.factories import REVOCATION
from tests.test_photos import a_photo

CHROMIUM = os.environ.get("CATALOG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="browser tests skipped: no chromium executable")
NOW = calendar.start_of_day(dt.date(2026, 6, 1)) + dt.timedelta(hours=9)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    path = tmp_path_factory.mktemp("shopper") / "shopper.sqlite3"
    app = create_app({"DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "shopper"})
    app.instance_path = str(path.parent)
    with app.app_context():
        clock.set_now(NOW)
        upgrade()
        shelf = list(factories.catalog_products().values())
        product, _, batch = factories.stamped_product()
        for seed, item in enumerate([*shelf, product]):        # photo-like pictures: the heaviest case
            photos.add_image(item, a_photo(seed=seed), folder=path.parent / "uploads" / "products")
        genuine = db.session.scalars(select(Stamp).where(Stamp.batch_id == batch.id).order_by(Stamp.serial)).first()
        gone = factories.stamped_product(gtin="8934563138172")[0]
        recognitions.revoke(gone.recognitions[0], actor="officer", **{**REVOCATION, "revoked_on": dt.date(2026, 5, 30)})
        factories.index_now()
        revoked = db.session.scalars(select(Stamp).where(Stamp.batch.has(product_id=gone.id))).first()
        codes_of = {"genuine": genuine.code, "revoked": revoked.code, "product": product.name}
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", codes_of
    server.shutdown()


@pytest.fixture()
def phone():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False,
                                      is_mobile=True, has_touch=True)
        yield context.new_page()
        browser.close()


def test_home_then_a_code_typed_with_spaces_gives_its_verdict(site, phone):
    base, known = site
    phone.goto(base + "/")
    field = phone.locator("form.check input[name=code]")
    assert field.is_visible() and field.bounding_box()["y"] < 844          # the box is on the first screen
    field.fill(codes.grouped(known["genuine"]).lower())                     # as a shopper types it from the label
    field.press("Enter")
    phone.wait_for_url(f"**/s/{known['genuine']}")
    assert phone.get_by_role("heading", level=1).inner_text().endswith("Sản phẩm OCOP chính hãng")
    assert phone.get_by_text(known["product"]).first.is_visible()


def test_a_revoked_stamp_shows_no_current_looking_stars(site, phone):
    base, known = site
    phone.goto(base + f"/s/{known['revoked']}")
    assert "thu hồi" in phone.get_by_role("heading", level=1).inner_text()
    assert phone.locator(".in-force").count() == 0
    for stars in phone.get_by_text("★").all():          # any star left is inside the greyed history
        assert stars.evaluate("node => !!node.closest('section.history')")


def test_a_forged_code_is_not_issued_and_offers_a_counterfeit_report(site, phone):
    base, known = site
    code = known["genuine"]
    forged = code[:-1] + next(ch for ch in codes.ALPHABET if ch != code[-1])
    response = phone.goto(base + f"/s/{forged}")
    assert response.status == 404
    assert "không có trong hệ thống" in phone.get_by_role("heading", level=1).inner_text()
    assert "giả" in phone.locator(".verdict").first.inner_text()            # "may be counterfeit", not "a typo"
    phone.get_by_role("link", name="Báo nghi ngờ hàng giả").click()
    phone.wait_for_url(f"**/s/{forged}/report")
    assert phone.get_by_text(forged).first.is_visible() or phone.get_by_text(codes.grouped(forged)).first.is_visible()


def test_a_report_with_a_contact_gives_a_reference_and_its_status_page(site, phone):
    base, known = site
    phone.goto(base + f"/s/{known['genuine']}")
    phone.locator(f"a[href='/s/{known['genuine']}/report']").first.click()
    phone.fill("#message", "Tem bị bóc ra dán lại")
    phone.fill("#contact", "0912 345 678")
    phone.fill("#purchase_place", "Chợ Hàm Yên")
    phone.locator("form button[type=submit]").click()
    phone.wait_for_url("**/reports/**")
    reference = phone.url.split("/reports/", 1)[1].split("?", 1)[0]
    assert len(reference) == 10 and phone.get_by_text(reference).first.is_visible()
    phone.locator(f"a[href='/reports/{reference}']").first.click()          # the link the thank-you page gives
    phone.wait_for_url(f"**/reports/{reference}")
    body = phone.locator("body").inner_text()
    assert "0912" not in body and "Hàm Yên" not in body and "bóc ra" not in body


def first_visit_bytes(browser, url: str) -> int:
    """What a first visit on a phone loads: the page, its stylesheet, favicon and the images it shows."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    sizes: dict[str, int] = {}
    page.on("requestfinished", lambda request: sizes.__setitem__(request.url, request.sizes()["responseBodySize"]))
    page.goto(url, wait_until="networkidle")
    context.close()
    return sum(sizes.values())


def test_the_pages_stay_light_with_photos(site, phone):
    base, known = site
    home = first_visit_bytes(phone.context.browser, base + "/")
    scan = first_visit_bytes(phone.context.browser, base + f"/s/{known['genuine']}")
    assert home <= 50 * 1024 and scan <= 30 * 1024, (home, scan)
