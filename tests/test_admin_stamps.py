"""Admin stamps: issue a batch through the form, print it (ZIP of PNGs, PDF sheet), bind, void, suspicious stamps."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from PIL import Image
from sqlalchemy import select

from catalog.kernel import calendar, recognitions
from catalog.trace import codes, lots, stamps
from catalog.trace.models.stamps import Stamp, StampBatch
from catalog.trace.printing import stamp_url
from tests import factories

NOW = calendar.start_of_day(dt.date(2026, 6, 1)) + dt.timedelta(hours=9)


@pytest.fixture()
def stamped(session, frozen_clock):
    frozen_clock(NOW)
    product, lot, batch = factories.stamped_product(count=3)
    return product, lot, batch


@pytest.fixture()
def editor(client, session):
    return factories.sign_in(client, "editor")


def post(client, path, data, token_path="/admin/stamps"):
    return factories.post_form(client, path, data, form=token_path)


def scan(client, code, address="203.0.113.7"):
    return client.get(f"/s/{code}", headers={"Accept": "application/json"}, environ_base={"REMOTE_ADDR": address})


def codes_of(session, batch) -> list[Stamp]:
    return list(session.scalars(select(Stamp).where(Stamp.batch_id == batch.id).order_by(Stamp.serial)))


def test_list_shows_batches_with_scans_and_filters_by_product(client, stamped, editor, session):
    product, _, batch = stamped
    other = factories.product(name="Mật ong hoa bạc hà", product_set=4)
    recognitions.recognise(other, actor="test", **factories.DECISION)
    stamps.issue_batch(other, 2, actor="test")
    factories.index_now()
    first = codes_of(session, batch)[0]
    for address in ("203.0.113.7", "198.51.100.7"):
        assert scan(client, first.code, address).status_code == 200
    page = client.get("/admin/stamps?lang=en").get_data(as_text=True)
    assert "2 batches" in page and "Mật ong hoa bạc hà" in page and "CS-2026.05" in page
    row = re.search(rf'stamps/{batch.id}".*?</tr>', page, re.S).group(0)
    assert re.search(r'<td class="number">3</td>.*<td class="number">2</td>', row, re.S)     # 3 stamps, 2 scans
    filtered = client.get("/admin/stamps?q=cam+sanh&lang=en").get_data(as_text=True)     # typed without accents
    assert "1 batch" in filtered and "Mật ong" not in filtered
    by_id = client.get(f"/admin/stamps?product_id={other.id}&lang=en").get_data(as_text=True)
    assert "1 batch" in by_id and f'stamps/{batch.id}"' not in by_id


def test_an_editor_issues_a_batch_bound_to_a_lot(client, stamped, editor, session):
    product, lot, _ = stamped
    factories.index_now()
    client.get("/admin/stamps?lang=en")                  # the editor works in English (kept in a cookie)
    found = client.get("/admin/stamps/new?q=cam+sanh").get_data(as_text=True)
    assert f"/admin/stamps/new?product_id={product.id}" in found
    form = client.get(f"/admin/stamps/new?product_id={product.id}").get_data(as_text=True)
    assert f'<option value="{lot.id}">CS-2026.05 (2 May 2026)</option>' in form
    response = post(client, "/admin/stamps/new", {"product": product.id, "lot": lot.id, "count": "7"})
    assert response.status_code == 303
    batch_id = int(response.headers["Location"].rsplit("/", 1)[1])
    batch = session.get(StampBatch, batch_id)
    assert batch.count == 7 and batch.issued_by == editor.email and batch.lot_id == lot.id
    assert [s.serial for s in codes_of(session, batch)] == list(range(1, 8))
    assert {s.lot_id for s in codes_of(session, batch)} == {lot.id}
    page = client.get(f"/admin/stamps/{batch_id}?lang=en").get_data(as_text=True)
    assert f"Stamp batch {batch_id}" in page and f"Batch {batch_id} issued: 7 stamps" in page


def test_issue_form_refusals_keep_what_was_typed(client, stamped, editor, session, frozen_clock):
    product, lot, _ = stamped
    other = factories.recognised_product()
    foreign = lots.create_lot(other, code="L-OTHER")
    before = session.query(StampBatch).count()
    response = post(client, "/admin/stamps/new?lang=en", {"product": product.id, "lot": foreign.id, "count": "abc"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="count-error"' in page and "must be a whole number from 1 to 100,000" in page
    assert 'id="lot-error"' in page and 'value="abc"' in page and product.name in page
    too_many = post(client, "/admin/stamps/new", {"product": product.id, "count": "100001"})
    assert too_many.status_code == 422
    empty = post(client, "/admin/stamps/new", {})
    assert empty.status_code == 422 and 'id="product-error"' in empty.get_data(as_text=True)
    frozen_clock(calendar.end_of_day(product.recognitions[0].valid_until))     # the recognition has just lapsed
    lapsed = post(client, "/admin/stamps/new?lang=en", {"product": product.id, "count": "5"})
    text = lapsed.get_data(as_text=True)
    assert lapsed.status_code == 422 and "no OCOP recognition in force" in text and 'value="5"' in text
    assert session.query(StampBatch).count() == before


def test_png_zip_holds_one_decodable_qr_per_stamp_named_by_serial_and_code(app, client, stamped, editor, session):
    zxingcpp = pytest.importorskip("zxingcpp")
    _, _, batch = stamped
    all_stamps = codes_of(session, batch)
    stamps.void_stamp(all_stamps[1], reason="misprinted", actor="test")       # voided stamps are not printed
    response = client.get(f"/admin/stamps/{batch.id}/png.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert f"ocop-stamps-{batch.id}.zip" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.namelist() == [f"0000001-{all_stamps[0].code}.png", f"0000003-{all_stamps[2].code}.png"]
    with app.test_request_context():
        expected = stamp_url(all_stamps[0])
    assert expected == f"HTTP://127.0.0.1:5000/S/{all_stamps[0].code}"
    image = Image.open(io.BytesIO(archive.read(archive.namelist()[0])))
    decoded = zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    assert [result.text for result in decoded] == [expected]


def test_pdf_sheet_has_a_page_per_24_stamps_and_a_roll_a_page_per_stamp(client, stamped, editor):
    product, _, _ = stamped
    batch = stamps.issue_batch(product, 50, actor="test")
    page = client.get(f"/admin/stamps/{batch.id}").get_data(as_text=True)
    assert f"/admin/stamps/{batch.id}/sheet.pdf?layout=roll-40x30" in page and "Cuộn nhãn 40 × 30 mm (PDF)" in page
    response = client.get(f"/admin/stamps/{batch.id}/sheet.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f"ocop-stamps-{batch.id}.pdf" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"%PDF-") and b"/Type /Pages /Count 3 " in response.data
    assert len(re.findall(rb"/Type /Page ", response.data)) == 3
    assert b"/MediaBox [0 0 595.276 841.89]" in response.data and b"/Image" not in response.data
    roll = client.get(f"/admin/stamps/{batch.id}/sheet.pdf?layout=roll-40x30")
    assert roll.status_code == 200 and f"ocop-stamps-{batch.id}-roll-40x30.pdf" in roll.headers["Content-Disposition"]
    assert b"/Type /Pages /Count 50 " in roll.data and roll.data.count(b"/MediaBox [0 0 113.386 85.039]") == 50


def test_an_unknown_layout_is_a_clear_400(client, stamped, editor):
    _, _, batch = stamped
    response = client.get(f"/admin/stamps/{batch.id}/sheet.pdf?layout=a5")
    assert response.status_code == 400 and "layout: phải là một trong a4, roll-40x30" in response.get_data(as_text=True)


def test_a_public_address_too_long_for_the_label_is_explained_not_a_broken_pdf(client, stamped, editor, app,
                                                                                monkeypatch):
    _, _, batch = stamped
    monkeypatch.setitem(app.config, "CATALOG_PUBLIC_URL",
                        "https://truy-xuat-nguon-goc-san-pham-ocop.so-nong-nghiep.ninhbinh.gov.vn")
    response = client.get(f"/admin/stamps/{batch.id}/sheet.pdf")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/admin/stamps/{batch.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "truy-xuat-nguon-goc-san-pham-ocop.so-nong-nghiep.ninhbinh.gov.vn/s" in page and "CATALOG_PUBLIC_URL" in page


def test_voiding_a_stamp_through_the_form_shows_on_the_scan_page(client, stamped, editor, session):
    _, _, batch = stamped
    target, other = codes_of(session, batch)[:2]
    factories.index_now()
    page = f"/admin/stamps/{batch.id}"
    missing = post(client, f"{page}/void-stamp?lang=en", {"stamp": target.code.lower()}, page)
    text = missing.get_data(as_text=True)
    assert missing.status_code == 422 and 'id="stamp_reason-error"' in text and f'value="{target.code.lower()}"' in text
    unknown = post(client, f"{page}/void-stamp", {"stamp": "99", "stamp_reason": "x"}, page)
    assert unknown.status_code == 422 and 'id="stamp-error"' in unknown.get_data(as_text=True)
    done = post(client, f"{page}/void-stamp", {"stamp": codes.grouped(target.code), "stamp_reason": "Tem in lỗi"}, page)
    assert done.status_code == 303 and done.headers["Location"] == page
    factories.index_now()
    data = scan(client, target.code).get_json()
    assert data["verdict"] == "voided" and "Tem in lỗi" in data["voided"]["reason"]
    assert scan(client, other.code).get_json()["verdict"] == "genuine"
    by_serial = post(client, f"{page}/void-stamp", {"stamp": str(other.serial), "stamp_reason": "Rách"}, page)
    assert by_serial.status_code == 303
    factories.index_now()
    assert scan(client, other.code).get_json()["verdict"] == "voided"


def test_voiding_the_batch_voids_every_stamp_and_stops_printing(client, stamped, editor, session):
    _, _, batch = stamped
    page = f"/admin/stamps/{batch.id}"
    refused = post(client, f"{page}/void", {"batch_reason": " "}, page)
    assert refused.status_code == 422 and 'id="batch_reason-error"' in refused.get_data(as_text=True)
    too_long = post(client, f"{page}/void?lang=en", {"batch_reason": "Đ" * 201}, page)
    assert too_long.status_code == 422 and "is longer than 200 characters" in too_long.get_data(as_text=True)
    assert post(client, f"{page}/void", {"batch_reason": "Lô tem bị thất lạc"}, page).status_code == 303
    factories.index_now()
    assert {scan(client, s.code).get_json()["verdict"] for s in codes_of(session, batch)} == {"voided"}
    for download in ("png.zip", "sheet.pdf"):
        response = client.get(f"{page}/{download}")
        assert response.status_code == 303 and response.headers["Location"] == page
    again = post(client, f"{page}/void", {"batch_reason": "again"}, page)
    assert again.status_code == 422 and "already voided" in again.get_data(as_text=True)


def test_binding_a_serial_range_to_a_lot(client, stamped, editor, session):
    product, _, _ = stamped
    loose = stamps.issue_batch(product, 5, actor="test")
    later = lots.create_lot(product, code="CS-2026.06")
    page = f"/admin/stamps/{loose.id}"
    wrong = post(client, f"{page}/bind?lang=en", {"lot": later.id, "first": "4", "last": "9"}, page)
    assert wrong.status_code == 422 and "must be within 1-5" in wrong.get_data(as_text=True)
    assert post(client, f"{page}/bind", {"lot": "", "first": "2"}, page).status_code == 422
    done = post(client, f"{page}/bind", {"lot": later.id, "first": "2", "last": "3"}, page)
    assert done.status_code == 303
    session.expire_all()
    assert [s.lot_id for s in codes_of(session, loose)] == [None, later.id, later.id, None, None]


def test_batch_page_lists_stamps_by_page_with_scans_and_last_verdict(client, stamped, editor, session):
    product, _, _ = stamped
    batch = stamps.issue_batch(product, 120, actor="test")
    factories.index_now()
    last = codes_of(session, batch)[-1]
    scan(client, last.code)
    first_page = client.get(f"/admin/stamps/{batch.id}?lang=en").get_data(as_text=True)
    assert "Page 1 of 2" in first_page and codes_of(session, batch)[99].code in first_page
    assert last.code not in first_page
    second = client.get(f"/admin/stamps/{batch.id}?page=2&lang=en").get_data(as_text=True)
    row = re.search(rf"<code>{last.code}</code>.*?</tr>", second, re.S).group(0)
    assert '<td class="number">1</td>' in row and "genuine" in row
    assert client.get("/admin/stamps/999999").status_code == 404


def test_suspicious_stamps_are_listed_until_voided(client, stamped, editor, session, frozen_clock):
    _, _, batch = stamped
    copied, fine = codes_of(session, batch)[:2]
    factories.index_now()
    for n in range(7):                                  # seven networks in an hour: a copied stamp
        frozen_clock(NOW + dt.timedelta(minutes=n))
        scan(client, copied.code, address=f"198.51.{n}.9")
    scan(client, fine.code)
    listed = client.get("/admin/stamps/suspicious?lang=en").get_data(as_text=True)
    assert copied.code in listed and fine.code not in listed and "1 stamp" in listed
    row = re.search(rf"<code>{copied.code}</code>.*?</tr>", listed, re.S).group(0)
    assert '<td class="number">7</td>' in row and "suspicious" in row
    dashboard = client.get("/admin/?lang=en").get_data(as_text=True)
    assert copied.code in dashboard
    page = f"/admin/stamps/{batch.id}"
    assert post(client, f"{page}/void-stamp", {"stamp": copied.code, "stamp_reason": "Tem bị sao chép"},
                page).status_code == 303
    assert f"<code>{copied.code}</code>" not in client.get("/admin/stamps/suspicious").get_data(as_text=True)


def test_a_lapsed_product_keeps_its_batches_printable_without_stars(client, stamped, editor, frozen_clock):
    product, _, batch = stamped
    frozen_clock(calendar.end_of_day(product.recognitions[0].valid_until) + dt.timedelta(days=1))
    page = client.get(f"/admin/stamps/{batch.id}?lang=en").get_data(as_text=True)
    assert "no recognition in force" in page
    assert client.get(f"/admin/stamps/{batch.id}/sheet.pdf").status_code == 200
