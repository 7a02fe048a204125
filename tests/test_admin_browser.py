"""An OCOP officer in a real browser (Debian's Chromium, no JavaScript, a 412-px phone): the admin's core path.

Sign in, create a producer and its product with a photo, record a first recognition (preview, then save),
a lot with an event, a stamp batch; then a violation, confirmed, that leads to the revocation; sign out.
"""
import io
import re
import threading

import pytest
from flask_migrate import upgrade
from playwright.sync_api import expect
from werkzeug.serving import make_server

from catalog import create_app
from catalog.kernel import clock
from catalog.kernel.db import db
from catalog.violations.operations import CATEGORY_GROUND
from tests import factories, test_browser

pytestmark = test_browser.pytestmark            # skipped without a chromium, as test_browser is
browser_page = test_browser.browser_page        # the fixture: Chromium, JavaScript off, 412 x 900
NOW = test_browser.NOW

PRODUCT = "Chè Shan tuyết Lũng Phìn (hộp 100 gram)"
PRODUCER = "HTX Chè Lũng Phìn"
WIDTH = 412         # browser_page's viewport: a phone
ADMIN = "quan.tri@ocop.example.vn"      # the administrator who reads the audit log


@pytest.fixture()
def admin_server(scratch_database, tmp_path):
    """The app on a scratch database with an officer, an administrator and one commune; uploads under ``tmp_path``."""
    app = create_app({"DATABASE_URL": scratch_database("sqlite"), "SECRET_KEY": "browser-admin"})
    with app.app_context():
        clock.set_now(NOW)                  # this app's clock, which its server thread reads
    app.instance_path = str(tmp_path / "instance")          # photos and evidence stay out of the tree
    with app.app_context():
        upgrade()
        factories.commune("99001", "Vĩnh Tuy", "08")
        officer = factories.user("officer", email="can.bo@ocop.example.vn")
        email = officer.email
        factories.user("admin", email=ADMIN)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", email
    server.shutdown()


def field(page, label: str):
    """The form control labelled exactly ``label`` (a required one's label ends in " *")."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def png_file(tmp_path):
    from PIL import Image
    path = tmp_path / "che-lung-phin.png"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 120, 60)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def test_officer_core_path(admin_server, browser_page, tmp_path):
    base, email = admin_server
    page = browser_page

    # 1. Sign in, switching from Vietnamese (the default) to English; the wrong password first.
    page.goto(base + "/admin/")
    page.wait_for_url("**/admin/login?next=**")
    expect(page.locator("html")).to_have_attribute("lang", "vi")               # Vietnamese first
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    field(page, "E-mail address").fill(email)
    field(page, "Password").fill("wrong password")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Sign in").click()
    assert answer.value.status == 401
    expect(page.get_by_role("alert")).to_have_text("The e-mail address or the password is wrong.")
    expect(field(page, "E-mail address")).to_have_value(email)              # kept
    field(page, "Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect_heading(page, "Dashboard")
    expect(page.get_by_role("navigation", name="Administration")).to_contain_text(email)

    # 2. A producer: the browser refuses an empty form; a blank name is refused by the server, next to the field.
    nav(page, "Producers")
    page.get_by_role("link", name="New producer").click()
    expect_heading(page, "New producer")
    page.get_by_role("button", name="Save").click()
    assert field(page, "Name").evaluate("e => e.validity.valueMissing")     # not sent: nothing typed
    assert page.url.endswith("/admin/producers/new")
    field(page, "Name").fill("   ")
    field(page, "Kind").select_option(label="Cooperative")
    field(page, "Address").fill("thôn Lũng Phìn")
    field(page, "Province").select_option("08")
    field(page, "Commune code").fill("99001")
    field(page, "Representative").fill("Giàng Seo Phử")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Save").click()
    assert answer.value.status == 422
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved")
    expect(field(page, "Name")).to_have_attribute("aria-invalid", "true")
    expect(field(page, "Name")).to_have_accessible_description("is required")     # the error, by the field
    expect(field(page, "Address")).to_have_value("thôn Lũng Phìn")            # what was typed is kept
    expect(field(page, "Commune code")).to_have_value("99001")
    expect(field(page, "Representative")).to_have_value("Giàng Seo Phử")
    expect(field(page, "Province")).to_have_value("08")
    field(page, "Name").fill(PRODUCER)
    page.get_by_role("button", name="Save").click()
    expect_flash(page, f"Producer {PRODUCER} created.")
    expect_heading(page, PRODUCER)

    # 3. Its product, then a photo.
    page.get_by_role("link", name="New product of this producer").click()
    expect_heading(page, "New product")
    expect(field(page, "Producer").locator("option:checked")).to_have_text(PRODUCER)
    field(page, "Name").fill(PRODUCT)
    field(page, "Product set").select_option("11")
    field(page, "Packaging").fill("hộp 100 gram")
    page.get_by_label("VietGAP").check()
    field(page, "Description").fill("Chè shan tuyết cổ thụ trên núi Tây Côn Lĩnh.")
    page.get_by_role("button", name="Save").click()
    expect_flash(page, f"Product {PRODUCT} created.")
    expect_heading(page, PRODUCT)
    product_url = page.url
    field(page, "Photo").set_input_files(png_file(tmp_path))
    field(page, "What the photo shows").fill("Hộp chè Lũng Phìn")
    page.get_by_role("button", name="Upload").click()
    expect_flash(page, "Photo added.")
    photo = page.get_by_role("img", name="Hộp chè Lũng Phìn")
    expect(photo).to_be_visible()
    page.wait_for_load_state()
    assert photo.evaluate("img => img.complete && img.naturalWidth > 0")    # the thumbnail is served

    # 4. A first recognition: preview (stars shown, nothing saved), then save; the public page shows it.
    page.get_by_role("link", name="Record a first recognition").click()
    expect_heading(page, "Record a first recognition")
    field(page, "Decision number").fill("1520/QĐ-UBND")
    field(page, "Decision date").fill("2026-05-20")
    field(page, "Authority").fill("UBND tỉnh Tuyên Quang")
    field(page, "Level").select_option("province")
    field(page, "Score (out of 100)").fill("78")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("section.preview")
    expect(preview.get_by_role("heading", name="Preview: not saved")).to_be_visible()
    expect(preview.locator(".stars")).to_have_text("★★★★")
    expect(preview).to_contain_text("4 stars")
    expect(preview).to_contain_text("20 May 2029")                            # 36 months on
    expect(field(page, "Decision number")).to_have_value("1520/QĐ-UBND")     # kept for saving
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(product_url)
    expect_flash(page, "Decision 1520/QĐ-UBND recorded: 4 stars, valid until 20 May 2029.")
    slug = page.locator("dt:text-is('Address on the web') + dd code").inner_text()
    with page.expect_navigation() as opened:
        page.get_by_role("link", name="Public page").click()
    assert opened.value.status == 200
    assert page.url == f"{base}/products/{slug}"
    expect(page.locator("h1")).to_contain_text(PRODUCT)
    assert search_names(page, base, "lung phin") == [PRODUCT]

    # 5. A lot with a traceability event; a stamp batch for the product, bound to the lot.
    page.goto(product_url)
    page.locator("#lots").get_by_role("link", name="New lot").click()
    expect_heading(page, f"New lot of {PRODUCT}")
    field(page, "Lot code").fill("LP-2026.05")
    field(page, "Production date").fill("2026-05-25")
    field(page, "Expiry date").fill("2027-05-25")
    field(page, "Quantity").fill("300")
    field(page, "Unit").fill("hộp")
    field(page, "Place of origin").fill("Vườn chè cổ thụ Lũng Phìn")
    page.get_by_role("button", name="Create lot").click()
    expect_flash(page, "Lot LP-2026.05 created.")
    events = page.locator("#events")
    field(events, "What happened").select_option("harvesting")
    field(events, "When (local time)").fill("2026-05-24T06:30")
    field(events, "Where").fill("Vườn chè Lũng Phìn")
    expect(field(events, "Who")).to_have_value(PRODUCER)                     # pre-filled
    field(events, "Details").fill("Hái một tôm hai lá")
    events.get_by_role("button", name="Add event").click()
    expect_flash(page, "Event added to lot LP-2026.05.")
    timeline = page.locator("ol.timeline > li")
    expect(timeline).to_have_count(1)
    expect(timeline).to_contain_text("Harvesting · 24/05/2026 06:30 (UTC+07:00)")
    expect(timeline).to_contain_text("Vườn chè Lũng Phìn")

    nav(page, "Stamps", "Stamp batches")
    page.get_by_role("link", name="Issue a batch").click()
    expect_heading(page, "Issue a stamp batch")
    field(page, "Find the product").fill("lung phin")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("row", name=PRODUCT).get_by_role("link", name="Choose").click()
    expect(page.locator("form.admin-form")).to_contain_text(f"Product: {PRODUCT}")
    field(page, "Lot (optional)").select_option(label="LP-2026.05 (25 May 2026)")
    field(page, "Number of stamps").fill("5")
    page.get_by_role("button", name="Issue the stamps").click()
    expect_flash(page, re.compile(rf"^Batch \d+ issued: 5 stamps for {re.escape(PRODUCT)}\.$"))
    batch_url = page.url
    nav(page, "Stamps", "Stamp batches")
    page.get_by_role("row", name=re.compile(re.escape(PRODUCT))).get_by_role("link").first.click()
    expect_heading(page, re.compile(r"^Stamp batch \d+$"))
    assert page.url == batch_url
    expect(page.locator("table.admin tbody tr")).to_have_count(5)
    expect(page.locator("table.admin tbody tr td:nth-child(3)")).to_have_text(["LP-2026.05"] * 5)
    expect(page.get_by_role("link", name="A4 sheets (PDF)")).to_be_visible()

    # 6. A violation, confirmed with a note, revoked through its own action: the product leaves the catalog.
    nav(page, "Violations")
    page.get_by_role("link", name="File a violation").click()
    expect_heading(page, "File a violation")
    field(page, "Find the product by name").fill("Lũng Phìn")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=PRODUCT).click()
    expect(page.locator("main strong").first).to_have_text(PRODUCT)
    expect(field(page, "Date found")).to_have_value("2026-06-01")              # today, pre-filled
    field(page, "Category").select_option("quality")
    field(page, "Description").fill("Mẫu lấy tại cửa hàng: dư lượng thuốc bảo vệ thực vật vượt ngưỡng.")
    field(page, "Evidence files").set_input_files(png_file(tmp_path))
    page.get_by_role("button", name="File the violation").click()
    expect_flash(page, re.compile(r"^Violation no\. \d+ filed; it is open until confirmed or dismissed\.$"))
    expect(page.get_by_role("link", name="che-lung-phin.png")).to_be_visible()
    field(page, "Note").fill("Kết quả kiểm nghiệm KQ-2026-0601 xác nhận vi phạm.")
    page.get_by_role("button", name="Confirm the violation").click()
    expect_flash(page, re.compile(r"^Violation no\. \d+ confirmed\.$"))
    page.get_by_role("link", name="Revoke the product's recognition").click()
    expect_heading(page, "Revoke a recognition")
    expect(field(page, "Ground")).to_have_value(CATEGORY_GROUND["quality"])      # pre-filled from the category
    expect(field(page, "Internal note")).to_have_value(re.compile("dư lượng thuốc"))   # the inspector's note...
    expect(field(page, "Public reason")).to_have_value("")                              # ...is not made public
    expect(field(page, "Decision date")).to_have_value("2026-06-01")
    field(page, "Revocation decision number").fill("205/QĐ-UBND")
    field(page, "Authority").fill("Chủ tịch UBND tỉnh Tuyên Quang")
    page.get_by_role("button", name="Revoke").click()
    expect_flash(page, "Recognition 1520/QĐ-UBND revoked by decision 205/QĐ-UBND.")
    expect(page.locator("dl.facts")).to_contain_text("by decision 205/QĐ-UBND")
    response = page.goto(f"{base}/products/{slug}")
    assert response.status == 410
    assert search_names(page, base, "lung phin") == []

    # 7. Sign out: the admin area asks to sign in again.
    page.goto(product_url)
    expect(page.locator(".recognition-now .status")).to_have_text("revoked")
    expect(page.get_by_role("link", name="Public page")).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()
    expect_flash(page, "You are signed out.")
    expect_heading(page, "Sign in")
    page.goto(product_url)
    page.wait_for_url("**/admin/login?next=**")
    expect_flash(page, "Please sign in to open this page.")


IMPORTED = ("Chè vàng Bản Mán (hộp 200 gram)", "Chè xanh Bản Mán (gói 500 gram)")
IMPORT_PRODUCER = "HTX Chè Bản Mán"
DECISIONS_CSV = f"""product_name,product_set,producer_name,producer_kind,province,commune,score,level,authority,\
decision_number,decision_date,packaging,gtin,description
{IMPORTED[0]},11,{IMPORT_PRODUCER},HTX,Tuyên Quang,Vĩnh Tuy,74,province,UBND tỉnh Tuyên Quang,\
1702/QĐ-UBND,20/05/2026,hộp 200 gram,,Chè vàng sao thủ công.
{IMPORTED[1]},11,{IMPORT_PRODUCER},HTX,Tuyên Quang,Vĩnh Tuy,66,province,UBND tỉnh Tuyên Quang,\
1702/QĐ-UBND,20/05/2026,gói 500 gram,,
"""


def test_officer_imports_then_revokes_and_the_product_leaves(admin_server, browser_page, tmp_path):
    """The issue's done-when: import a decision, revoke one product on a ground; it leaves the public catalog,
    its page answers 410 with the reason, its stamps scan as revoked, and the audit log shows the revocation."""
    base, email = admin_server
    page = browser_page
    revoked, kept = IMPORTED

    # 1. Sign in (in English); import a provincial decision's list: preview first, then confirm.
    page.goto(base + "/admin/login")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    sign_in(page, email)
    nav(page, "Import", "Import a decision")
    decisions = tmp_path / "ban-man.csv"
    decisions.write_text(DECISIONS_CSV, encoding="utf-8")
    field(page, "Decision file").set_input_files(decisions)
    page.get_by_role("region", name="Recognitions (a provincial decision's list)").get_by_role(
        "button", name="Check and preview").click()
    expect_heading(page, "Preview: ban-man.csv")
    expect(page.get_by_role("status")).to_contain_text("nothing is written yet")
    counts = page.locator("ul.import-counts")
    expect(counts).to_contain_text("2 rows")
    expect(counts).to_contain_text("Producers: 1 created, 0 matched")
    expect(counts).to_contain_text("Products: 2 created, 0 matched")
    rows = page.locator("#import-rows tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(revoked)
    expect(rows.nth(0)).to_contain_text("1702/QĐ-UBND")
    expect(rows.nth(0)).to_contain_text("4 ★")
    expect(rows.nth(1)).to_contain_text(kept)
    expect(rows.nth(1)).to_contain_text("3 ★")
    expect(rows.locator(".status")).to_have_text(["in force", "in force"])
    public = page.context.new_page()
    assert search_names(public, base, "ban man") == []                      # the preview wrote nothing
    public.close()
    page.get_by_role("button", name="Confirm import").click()
    expect_flash(page, "Imported ban-man.csv: 2 rows; 1 producers and 2 products created; 2 recognitions "
                       "recorded (0 already expired); 0 communes added.")

    # 2. Both are public: found without accents, on the producer's page; a stamp batch for the one to revoke.
    assert sorted(search_names(page, base, "ban man")) == sorted(IMPORTED)
    page.get_by_role("link", name=revoked).click()
    expect(page.locator("h1")).to_contain_text(revoked)
    slug = page.url.rsplit("/", 1)[1]
    page.get_by_role("link", name=IMPORT_PRODUCER).click()
    producer_url = page.url
    assert card_names(page) == sorted(IMPORTED)
    assert sorted(card_names(page, f"{base}/provinces/08")) == sorted(IMPORTED)
    assert sorted(card_names(page, base + "/")) == sorted(IMPORTED)             # the home page's newest

    page.goto(base + "/admin/")
    nav(page, "Stamps", "Stamp batches")
    page.get_by_role("link", name="Issue a batch").click()
    field(page, "Find the product").fill("vang ban man")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("row", name=revoked).get_by_role("link", name="Choose").click()
    field(page, "Number of stamps").fill("3")
    page.get_by_role("button", name="Issue the stamps").click()
    expect_flash(page, re.compile(rf"^Batch \d+ issued: 3 stamps for {re.escape(revoked)}\.$"))
    codes = page.locator("table.admin tbody tr td:nth-child(2) code")
    expect(codes).to_have_count(3)
    code = codes.first.inner_text()
    scan = page.goto(f"{base}/s/{code.replace(' ', '')}")
    assert scan.status == 200
    expect(page.get_by_role("status")).to_contain_text("Genuine OCOP product")   # in force, before

    # 3. Its admin page's recognition panel: revoke, on the ground of misuse of the OCOP mark, with a reason.
    page.goto(base + "/admin/")
    for listing in ("Products", "Recognitions"):          # list pages with wide filter selects fit a phone too
        nav(page, listing)
        expect_heading(page, listing)
    nav(page, "Producers")
    page.get_by_role("link", name=IMPORT_PRODUCER).click()
    expect_heading(page, IMPORT_PRODUCER)
    page.get_by_role("link", name=revoked).click()
    expect_heading(page, revoked)
    product_url = page.url
    panel = page.locator("section.recognition-panel")
    expect(panel.locator(".recognition-now .status")).to_have_text("in force")
    panel.get_by_role("link", name="Revoke the recognition").click()
    expect_heading(page, "Revoke a recognition")
    expect(page.locator("main")).to_contain_text("Recognition 1702/QĐ-UBND of 20 May 2026: 4 stars")
    expect(field(page, "Decision date")).to_have_value("2026-06-01")          # today, pre-filled
    field(page, "Revocation decision number").fill("212/QĐ-UBND")
    field(page, "Authority").fill("Chủ tịch UBND tỉnh Tuyên Quang")
    field(page, "Ground").select_option("mark_misuse")
    field(page, "Public reason").fill("Dán biểu trưng OCOP 5 sao lên sản phẩm được công nhận 4 sao.")
    page.get_by_role("button", name="Revoke").click()
    page.wait_for_url(product_url)
    expect_flash(page, "Recognition 1702/QĐ-UBND revoked by decision 212/QĐ-UBND.")
    expect(panel.locator(".recognition-now .status")).to_have_text("revoked")
    expect(panel.locator(".recognition-now")).to_contain_text("revoked on 1 Jun 2026 (Misuse of the OCOP mark)")

    # 4. Gone from search, the producer's, province's and home pages; its page answers 410 and says why.
    assert search_names(page, base, "ban man") == [kept]
    assert card_names(page, producer_url) == [kept]
    assert card_names(page, f"{base}/provinces/08") == [kept]
    assert card_names(page, base + "/") == [kept]
    gone = page.goto(f"{base}/products/{slug}")
    assert gone.status == 410
    notice = page.get_by_role("alert")
    expect(notice).to_contain_text("This product is no longer a certified OCOP product.")
    expect(notice).to_contain_text("Its OCOP recognition was revoked on 1 Jun 2026 by decision 212/QĐ-UBND of "
                                   "Chủ tịch UBND tỉnh Tuyên Quang, on the ground: Misuse of the OCOP mark.")
    expect(notice).to_contain_text("Dán biểu trưng OCOP 5 sao")                  # the reason
    scan = page.goto(f"{base}/s/{code.replace(' ', '')}")
    assert scan.status == 200
    verdict = page.locator(".verdict")
    expect(verdict.get_by_role("heading", level=1)).to_have_text("✗ OCOP recognition revoked")
    expect(verdict).to_contain_text("revoked on 1 Jun 2026 by decision 212/QĐ-UBND, on the ground: "
                                    "Misuse of the OCOP mark.")
    expect(page.get_by_role("link", name="Product page")).to_have_count(0)

    # 5. Sign out; the administrator finds the revocation in the audit log, by the officer, ground before → after.
    page.goto(base + "/admin/")
    page.get_by_role("button", name="Sign out").click()
    expect_flash(page, "You are signed out.")
    sign_in(page, ADMIN)
    nav(page, "Audit log")
    field(page, "Record type").select_option(label="Recognition")
    page.get_by_role("button", name="Filter").click()
    expect_heading(page, "Audit log")
    entries = page.locator("table.audit tbody tr")
    expect(entries.locator("td:nth-child(3)")).to_have_text(["changed", "created", "created"])  # newest first
    expect(entries.locator("td:nth-child(2)")).to_have_text([email] * 3)      # the import's two, the revocation
    entry = entries.first
    expect(entry).to_contain_text("1702/QĐ-UBND")
    expect(entry.locator("li", has_text="revocation_ground")).to_have_text("revocation_ground: — → mark_misuse")
    expect(entry.locator("li", has_text="revocation_decision")).to_have_text("revocation_decision: — → 212/QĐ-UBND")


def sign_in(page, email: str) -> None:
    expect_heading(page, "Sign in")
    field(page, "E-mail address").fill(email)
    field(page, "Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect_heading(page, "Dashboard")


def card_names(page, url: str | None = None) -> list[str]:
    """The product names listed on a public page (``url``, or the page open now)."""
    if url:
        page.goto(url)
    return page.locator("ul.cards a.name").all_inner_texts()


def nav(page, name: str, heading: str | None = None) -> None:
    """Follow the admin menu's link ``name`` to the page titled ``heading`` (by default the same)."""
    page.get_by_role("navigation", name="Administration").get_by_role("link", name=name, exact=True).click()
    expect_heading(page, heading or name)


def expect_heading(page, name) -> None:
    """The page titled ``name`` has loaded, and fits the phone's width (no sideways scrolling)."""
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, f"{page.url} scrolls sideways"


def expect_flash(page, message) -> None:
    expect(page.locator("p.flash")).to_have_text(message)
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, f"{page.url} scrolls sideways"


def search_names(page, base: str, query: str) -> list[str]:
    page.goto(f"{base}/search?q={query.replace(' ', '+')}")
    return page.locator("ul.cards a.name").all_inner_texts()
