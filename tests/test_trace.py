"""A consumer scans a stamp: every verdict, in HTML and JSON, at the edge instants, and the scan log."""
import datetime as dt
import re

import pytest
from sqlalchemy import select

from catalog.kernel import calendar, recognitions
from catalog.kernel.errors import InvalidInput, NotInForce
from catalog.trace import codes, stamps
from catalog.trace.models.scans import Scan
from catalog.trace.models.stamps import Stamp
from tests import factories
from tests.factories import REVOCATION

NOW = calendar.start_of_day(dt.date(2026, 6, 1)) + dt.timedelta(hours=9)
PHONE = {"User-Agent": "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/130.0 Mobile Safari/537.36"}


@pytest.fixture()
def stamped(session, frozen_clock):
    frozen_clock(NOW)
    product, lot, batch = factories.stamped_product()
    factories.index_now()
    first = session.scalars(select(Stamp).where(Stamp.batch_id == batch.id).order_by(Stamp.serial)).first()
    return product, lot, batch, first


def scan(client, code, json=False, address="203.0.113.7", headers=None, path="/s/"):
    accept = {"Accept": "application/json"} if json else {}
    return client.get(path + code, headers={**PHONE, **accept, **(headers or {})},
                      environ_base={"REMOTE_ADDR": address})


def test_genuine_stamp_page_and_json(client, stamped):
    product, lot, batch, stamp = stamped
    response = scan(client, stamp.code)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Sản phẩm OCOP chính hãng" in html or "Genuine OCOP product" in html
    for text in ("Cam sành Hà Giang (hộp 5kg)", "HTX Anh Tài", "Tuyên Quang", "CS-2026.05", "KQ-2026-0412",
                 "01/05/2026 06:30", "VT-HG-0012"):
        assert text in html, text
    assert "UTC" not in html                # the events' zone is the registry's: not repeated on each
    response = scan(client, stamp.code, json=True)
    data = response.get_json()
    assert list(data)[:2] == ["verdict", "reason"] and "Cam sành".encode() in response.data
    assert data["verdict"] == "genuine" and data["code"] == stamp.code
    assert data["recognition"] == {**data["recognition"], "stars": 3, "decision": "2751/QĐ-UBND",
                                   "valid_until": "2027-12-20", "status": "in_force"}
    assert data["product"]["gtin"] == "08934563138165" and data["producer"]["name"].startswith("Hợp tác xã Anh Tài")
    assert data["lot"]["code"] == "CS-2026.05" and [e["kind"] for e in data["events"]] == ["harvesting", "inspecting"]
    assert data["events"][0]["time"] == "2026-05-01T06:30:00+07:00"
    assert data["scans"]["count"] == 2 and data["scans"]["first_at"].startswith("2026-06-01T02:00")


def test_codes_resolve_in_any_case_with_a_trailing_slash(client, stamped):
    code = stamped[3].code
    for path in (f"/s/{code.lower()}", f"/s/{code}/", f"/S/{code}", f"/s/{codes.grouped(code).replace(' ', '-')}"):
        response = client.get(path, headers={"Accept": "application/json"})
        assert response.status_code == 200 and response.get_json()["verdict"] == "genuine", path


def test_mistyped_and_unknown_codes(client, stamped):
    code = stamped[3].code
    typo = code[:5] + ("A" if code[5] != "A" else "B") + code[6:]
    page = scan(client, typo)                   # scanned: a QR makes no typo, so never issued
    assert page.status_code == 404 and "hàng giả" in page.get_data(as_text=True)
    assert scan(client, typo, json=True).get_json()["reason"] == "check"
    never = codes.new_code()
    response = scan(client, never)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "counterfeit" in html or "giả" in html
    assert scan(client, never, json=True).get_json()["verdict"] == "unknown"


def test_expired_at_the_edge_instant(client, stamped, frozen_clock):
    code = stamped[3].code
    frozen_clock(calendar.end_of_day(dt.date(2027, 12, 20)) - dt.timedelta(microseconds=1))
    assert scan(client, code, json=True).get_json()["verdict"] == "genuine"
    frozen_clock(calendar.end_of_day(dt.date(2027, 12, 20)))
    data = scan(client, code, json=True).get_json()
    assert data["verdict"] == "expired" and data["recognition"]["status"] == "expired"
    html = scan(client, code).get_data(as_text=True)
    assert "20/12/2027" in html and ("không còn được sử dụng" in html or "may no longer be used" in html)


def test_revoked_at_the_revocation_instant(client, stamped, frozen_clock):
    product, _, _, stamp = stamped
    frozen_clock(calendar.start_of_day(dt.date(2026, 6, 2)) + dt.timedelta(hours=10))
    recognitions.revoke(product.recognitions[0], actor="officer", **{**REVOCATION, "revoked_on": dt.date(2026, 6, 2)})
    factories.index_now()
    frozen_clock(calendar.start_of_day(dt.date(2026, 6, 2)) - dt.timedelta(microseconds=1))
    assert scan(client, stamp.code, json=True).get_json()["verdict"] == "genuine"
    frozen_clock(calendar.start_of_day(dt.date(2026, 6, 2)))
    data = scan(client, stamp.code, json=True).get_json()
    assert data["verdict"] == "revoked" and data["recognition"]["revocation_ground"] == "criteria_not_met"
    html = scan(client, stamp.code).get_data(as_text=True)
    assert "02/06/2026" in html and "118/QĐ-UBND" in html


def test_voided_stamp_and_batch(client, stamped, session):
    _, _, batch, stamp = stamped
    stamps.void_stamp(stamp, reason="Tem in lỗi", actor="staff")
    factories.index_now()                       # committed, as the admin request that voids it would
    assert scan(client, stamp.code, json=True).get_json()["verdict"] == "voided"
    other = session.scalars(select(Stamp).where(Stamp.batch_id == batch.id, Stamp.serial == 2)).one()
    assert scan(client, other.code, json=True).get_json()["verdict"] == "genuine"
    stamps.void_batch(batch, reason="Lô tem bị thất lạc", actor="staff")
    factories.index_now()
    data = scan(client, other.code, json=True).get_json()
    assert data["verdict"] == "voided" and "thất lạc" in data["voided"]["reason"]
    with pytest.raises(InvalidInput, match="already voided"):
        stamps.void_stamp(other, reason="again", actor="staff")
    fresh = stamps.stamps_of(stamps.issue_batch(stamped[0], 1, actor="t"))[0]
    with pytest.raises(InvalidInput, match="reason: is required"):
        stamps.void_stamp(fresh, reason=" ", actor="staff")


def test_suspicious_after_many_networks_but_not_for_one_device_rescanning(client, stamped, frozen_clock):
    code = stamped[3].code
    for minute in range(25):                                   # the same phone, again and again
        frozen_clock(NOW + dt.timedelta(minutes=minute))
        assert scan(client, code, json=True).get_json()["verdict"] == "genuine"
    for n in range(4):                                          # five networks in a day: still fine
        assert scan(client, code, json=True, address=f"198.51.{n}.9").get_json()["verdict"] == "genuine"
    data = scan(client, code, json=True, address="192.0.2.44").get_json()   # a sixth
    assert data["verdict"] == "suspicious" and data["scans"]["count"] == 30
    html = scan(client, code, address="192.0.2.45").get_data(as_text=True)
    assert re.search(r"(quét|scanned) 6 ", html)      # distinct: .45 is .44's network and phone again


def test_scan_log_keeps_networks_not_addresses(client, stamped, session):
    code = stamped[3].code
    scan(client, code, address="203.0.113.77")
    scan(client, code.lower(), address="2001:db8:1234:5678::1")
    scan(client, "NOTACODE", address="203.0.113.78")
    rows = session.scalars(select(Scan).order_by(Scan.id)).all()
    assert [(r.network, r.verdict) for r in rows] == [
        ("203.0.113.0/24", "genuine"), ("2001:db8:1234::/48", "genuine"), ("203.0.113.0/24", "unknown")]
    assert rows[0].agent == "Chrome/Android" and rows[2].stamp_id is None
    assert all("203.0.113.77" not in (r.network or "") for r in rows)


def test_scan_page_is_small_and_needs_no_script(client, stamped):
    html = scan(client, stamped[3].code).get_data()
    assert len(html) <= 30 * 1024
    assert b"<script" not in html and b"<img" not in html


def test_issuing_rules(stamped, session):
    product, lot, batch, _ = stamped
    codes_ = session.scalars(select(Stamp.code).where(Stamp.batch_id == batch.id)).all()
    serials = session.scalars(select(Stamp.serial).where(Stamp.batch_id == batch.id)).all()
    assert len(set(codes_)) == 5 and sorted(serials) == [1, 2, 3, 4, 5]
    for bad in (0, -1, 1_000_001, "10"):
        with pytest.raises(InvalidInput, match="count"):
            stamps.issue_batch(product, bad, actor="t")
    uncertified = factories.product(name="Chưa công nhận")
    with pytest.raises(NotInForce, match="only for certified products"):
        stamps.issue_batch(uncertified, 10, actor="t")
    other = factories.recognised_product()
    with pytest.raises(InvalidInput, match="belongs to another product"):
        stamps.issue_batch(other, 3, actor="t", lot=lot)


def test_stamps_bound_later_when_packing(client, stamped, session):
    from catalog.trace import lots
    product, lot, _, _ = stamped
    loose = stamps.issue_batch(product, 4, actor="t")
    factories.index_now()
    assert scan(client, stamps.stamps_of(loose)[0].code, json=True).get_json()["lot"] is None
    later = lots.create_lot(product, code="CS-2026.06")
    assert stamps.bind_to_lot(loose, later, 1, 2) == 2
    factories.index_now()
    bound = stamps.stamps_of(loose)
    assert scan(client, bound[0].code, json=True).get_json()["lot"]["code"] == "CS-2026.06"
    assert scan(client, bound[3].code, json=True).get_json()["lot"] is None


def test_digital_link_resolves_to_the_same_stamp(client, stamped):
    import biip

    from catalog.trace.printing import urls
    product, lot, _, stamp = stamped
    with client.application.test_request_context():
        uri = urls.digital_link_url(stamp)
        short = urls.stamp_url(stamp, form="short")
    assert uri == f"http://127.0.0.1:5000/01/08934563138165/10/CS-2026.05/21/{stamp.code}"
    assert short == f"HTTP://127.0.0.1:5000/S/{stamp.code}"
    parsed = biip.parse(uri).gs1_digital_link_uri
    assert parsed.element_strings.get(ai="01").value == "08934563138165"
    assert parsed.element_strings.get(ai="10").value == "CS-2026.05"
    assert parsed.element_strings.get(ai="21").value == stamp.code
    path = uri.removeprefix("http://127.0.0.1:5000")
    data = client.get(path, headers={"Accept": "application/json"}).get_json()
    assert data["verdict"] == "genuine" and data["code"] == stamp.code
    assert client.get(path + "/", headers={"Accept": "application/json"}).get_json()["verdict"] == "genuine"


def test_digital_link_unknown_serial_falls_back_to_the_lot(client, stamped):
    response = client.get("/01/08934563138165/10/CS-2026.05/21/ZZZZZZZZZZZZZZZZZ",
                          headers={"Accept": "application/json"})
    data = response.get_json()
    assert response.status_code == 200 and data["verdict"] == "unknown" and data["reason"] == "not_issued"
    assert data["lot"]["code"] == "CS-2026.05" and data["product"]["name"] == "Cam sành Hà Giang (hộp 5kg)"
    html = client.get("/01/08934563138165/10/CS-2026.05/21/ZZZZZZZZZZZZZZZZZ").get_data(as_text=True)
    assert "CS-2026.05" in html and ("counterfeit" in html or "giả" in html)


@pytest.mark.parametrize(("path", "problem"), [                 # the reason, in the page's Vietnamese
    ("/01/08934563138164/10/CS-2026.05", "số kiểm tra"),
    ("/01/8934563138165", "14"),
    ("/01/08934563138165/21/X/10/Y", "thứ tự phải là 22, 10, 21"),
    ("/01/08934563138165/10/" + "A" * 21, "số lô (AI 10)"),
])
def test_malformed_digital_links_answer_400_with_the_reason(client, stamped, path, problem):
    response = client.get(path)
    assert response.status_code == 400 and problem in response.get_data(as_text=True)


def test_gs1_link_set_and_link_type_redirect(client, stamped):
    stamp = stamped[3]
    path = f"/01/08934563138165/10/CS-2026.05/21/{stamp.code}"
    for response in (client.get(path, headers={"Accept": "application/linkset+json"}),
                     client.get(path + "?linkType=linkset")):
        assert response.status_code == 200 and response.mimetype == "application/linkset+json"
        links = response.get_json()["linkset"][0]
        assert links["anchor"].endswith(path)
        for relation in ("pip", "certificationInfo", "traceability"):
            assert links[f"https://gs1.org/voc/{relation}"][0]["href"].startswith("http")
    redirect = client.get(path + "?linkType=gs1:pip&utm_source=qr")
    assert redirect.status_code == 307
    assert redirect.headers["Location"].endswith("/products/cam-sanh-ha-giang-hop-5kg?utm_source=qr")


def test_report_a_problem_needs_csrf_is_stored_and_rate_limited(client, stamped, session):
    import io

    from PIL import Image

    from catalog.violations.models import ConsumerReport
    code = stamped[3].code
    scan_page = scan(client, code)
    assert "Set-Cookie" not in scan_page.headers              # a scan leaves no cookie behind
    assert f'href="/s/{code}/report"' in scan_page.get_data(as_text=True)
    page = client.get(f"/s/{code}/report").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post(f"/s/{code}/report", data={"message": "Tem bị bóc ra dán lại"}).status_code == 400
    empty = client.post(f"/s/{code}/report", data={"csrf_token": token, "message": " "})
    assert empty.status_code == 422 and "Tem" not in session.scalars(select(ConsumerReport.message)).all()
    photo = io.BytesIO()
    image = Image.new("RGB", (3000, 2000), "orange")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    image.save(photo, "JPEG", exif=exif)
    sent = client.post(f"/s/{code}/report", data={
        "csrf_token": token, "name": "Lan", "message": "Tem bị bóc ra dán lại",
        "photo": (io.BytesIO(photo.getvalue()), "anh.jpg")}, content_type="multipart/form-data")
    report = session.scalars(select(ConsumerReport)).one()
    assert sent.status_code == 303 and sent.headers["Location"].endswith(f"/reports/{report.reference}?sent=1")
    assert "Cảm ơn bạn" in client.get(sent.headers["Location"]).get_data(as_text=True)
    assert (report.name, report.stamp_id, report.product_id) == ("Lan", stamped[3].id, stamped[0].id)
    stored = Image.open(f"{client.application.instance_path}/uploads/reports/{report.photo}")
    assert max(stored.size) == 1600 and not stored.getexif()
    bad = client.post(f"/s/{code}/report", data={"csrf_token": token, "message": "Ảnh lỗi",
                                                 "photo": (io.BytesIO(b"not an image"), "x.jpg")},
                      content_type="multipart/form-data")
    assert bad.status_code == 422 and ("JPEG, PNG hoặc WebP" in bad.get_data(as_text=True))
    statuses = [client.post(f"/s/{code}/report", data={"csrf_token": token, "message": "Lần nữa"}).status_code
                for _ in range(4)]
    assert statuses[-1] == 429 and 303 in statuses


def test_scans_are_rate_limited_per_client(scratch_database):
    from flask_migrate import upgrade

    from catalog import create_app
    app = create_app({"DATABASE_URL": scratch_database("sqlite"), "SECRET_KEY": "x",
                      "CATALOG_SCAN_RATE_LIMIT": "3 per minute"})
    with app.app_context():
        upgrade()
    client = app.test_client()
    statuses = [client.get("/s/00000000000000000", environ_base={"REMOTE_ADDR": "203.0.113.5"}).status_code
                for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    other = client.get("/s/00000000000000000", environ_base={"REMOTE_ADDR": "203.0.113.6"})
    assert other.status_code == 404
    assert int(client.get("/s/00000000000000000", environ_base={"REMOTE_ADDR": "203.0.113.5"})
               .headers["Retry-After"]) > 0


def _same_verdict(client, stamp, lot_code: str) -> dict:
    """The verdict JSON of ``stamp`` by ``/s/<code>`` and by its Digital Link URI: equal but for the scan count."""
    by_code = scan(client, stamp.code, json=True)
    by_link = scan(client, f"08934563138165/10/{lot_code}/21/{stamp.code}", json=True, path="/01/")
    assert by_code.status_code == by_link.status_code == 200
    first, second = by_code.get_json(), by_link.get_json()
    assert second["scans"]["count"] == first["scans"]["count"] + 1          # both are scans of the stamp
    assert {**first, "scans": None} == {**second, "scans": None}
    return first


@pytest.mark.parametrize("ending", ["expiry", "revocation"])
def test_a_stamp_by_its_code_and_by_its_digital_link_gets_the_same_verdict(client, stamped, frozen_clock, ending):
    product, lot, _, stamp = stamped
    if ending == "revocation":
        frozen_clock(calendar.start_of_day(dt.date(2026, 6, 2)) + dt.timedelta(hours=10))
        recognitions.revoke(product.recognitions[0], actor="officer",
                            **{**REVOCATION, "revoked_on": dt.date(2026, 6, 2)})
        factories.index_now()
        instant = calendar.start_of_day(dt.date(2026, 6, 2))
    else:
        instant = calendar.end_of_day(dt.date(2027, 12, 20))
    frozen_clock(instant - dt.timedelta(microseconds=1))
    before = _same_verdict(client, stamp, lot.code)
    assert before["verdict"] == "genuine" and before["recognition"]["status"] == "in_force"
    frozen_clock(instant)
    after = _same_verdict(client, stamp, lot.code)
    expected = "revoked" if ending == "revocation" else "expired"
    assert after["verdict"] == expected and after["recognition"]["status"] == expected
    assert after["lot"]["code"] == lot.code and len(after["events"]) == 2


def test_a_digital_link_without_a_stamp_shows_the_product_or_lot_and_logs_no_scan(client, stamped, session):
    _, lot, _, _ = stamped
    json = {"Accept": "application/json"}
    by_lot = client.get(f"/01/08934563138165/10/{lot.code}", headers=json)
    data = by_lot.get_json()
    assert by_lot.status_code == 200 and (data["verdict"], data["reason"], data["code"]) == ("genuine", None, lot.code)
    assert data["lot"]["origin_area_code"] == "VT-HG-0012" and [e["kind"] for e in data["events"]] == [
        "harvesting", "inspecting"]
    assert data["recognition"]["status"] == "in_force"
    assert data["scans"] == {"count": 0, "first_at": None, "distinct": 0, "networks": None}
    by_product = client.get("/01/08934563138165", headers=json).get_json()
    assert (by_product["verdict"], by_product["code"], by_product["lot"]) == ("genuine", "08934563138165", None)
    unknown_lot = client.get("/01/08934563138165/10/NOPE", headers=json)
    data = unknown_lot.get_json()
    assert unknown_lot.status_code == 200 and (data["verdict"], data["reason"]) == ("unknown", "unknown_lot")
    assert data["product"]["name"] == "Cam sành Hà Giang (hộp 5kg)" and data["lot"] is None
    assert "Lô hàng không có trong hệ thống" in client.get("/01/08934563138165/10/NOPE").get_data(as_text=True)
    unknown_gtin = client.get("/01/08934563138172/10/CS-2026.05", headers=json)
    data = unknown_gtin.get_json()
    assert unknown_gtin.status_code == 404 and (data["verdict"], data["reason"]) == ("unknown", "unknown_gtin")
    assert data["product"] is None and data["code"] == "08934563138172"
    assert session.query(Scan).count() == 0                 # look-ups of a product or lot, not scans of a stamp


def test_digital_link_errors_asked_as_json_are_problem_documents(client, stamped):
    stamp = stamped[3]
    malformed = client.get("/01/08934563138164/10/CS-2026.05", headers={"Accept": "application/json"})
    assert malformed.status_code == 400 and malformed.mimetype == "application/problem+json"
    body = malformed.get_json()
    assert body["status"] == 400 and body["type"].endswith("/malformed-digital-link")
    assert "check digit" in body["detail"] and "error" not in body
    no_link = client.get(f"/01/08934563138165/10/CS-2026.05/21/{stamp.code}?linkType=gs1:epil")
    assert no_link.status_code == 404 and no_link.mimetype == "application/problem+json"
    body = no_link.get_json()
    assert body["status"] == 404 and body["type"].endswith("/no-such-link") and body["link_type"] == "gs1:epil"
    assert "gs1:epil" in body["detail"] and "error" not in body
