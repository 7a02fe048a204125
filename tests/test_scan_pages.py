"""What a shopper sees on the scan side: checking a code by hand, a forged code, verdict-consistent
details, who is speaking, distinct scan counts, the code grouped as on its label (issue 13)."""
import datetime as dt
import re

import pytest
from sqlalchemy import select

from catalog.kernel import calendar, recognitions
from catalog.trace import codes, stamps
from catalog.trace.models.scans import Scan
from catalog.trace.models.stamps import Stamp
from catalog.trace.printing import sheets
from tests import factories
from tests.factories import REVOCATION
from tests.test_trace import NOW, scan

JSON = {"Accept": "application/json"}


@pytest.fixture()
def stamped(session, frozen_clock):
    """A recognised product with a lot and a batch of stamps, and the first stamp (as in test_trace)."""
    frozen_clock(NOW)
    product, lot, batch = factories.stamped_product()
    factories.index_now()
    return product, lot, batch, session.scalars(select(Stamp).where(Stamp.batch_id == batch.id)
                                                .order_by(Stamp.serial)).first()


def forged(code: str) -> str:
    """A code of the right form whose check character does not match: what a forger invents."""
    wrong = next(ch for ch in codes.ALPHABET if ch != code[-1])
    return code[:-1] + wrong


def sections(html: str, name: str) -> list[str]:
    return re.findall(rf'<section class="{name}">(.*?)</section>', html, re.S)


def report_links(html: str) -> list[str]:
    return re.findall(r'<a href="(/s/[^"]+/report)">([^<]+)</a>', html)


# 1. checking a code by hand

def test_the_check_page_and_home_have_a_code_field_that_works_without_script(client, stamped):
    for path in ("/s", "/s/", "/S", "/"):
        html = client.get(path).get_data(as_text=True)
        form = re.search(r'<form class="check" action="/s" method="get">(.*?)</form>', html, re.S)
        assert form and 'name="code"' in form.group(1) and "Kiểm tra tem" in form.group(1), path
        assert "<script" not in html


@pytest.mark.parametrize("typed", ["{grouped}", "{lower}", " {hyphens} ", "{grouped_lower}", "{dashes}"])
def test_a_typed_code_in_any_case_with_spaces_or_hyphens_goes_to_its_verdict(client, stamped, typed):
    code = stamped[3].code
    text = typed.format(grouped=codes.grouped(code), lower=code.lower(),
                        hyphens=codes.grouped(code).replace(" ", "-"),
                        grouped_lower=codes.grouped(code).lower(), dashes=codes.grouped(code).replace(" ", " – "))
    response = client.get("/s", query_string={"code": text})
    assert response.status_code == 303 and response.headers["Location"] == f"/s/{code}"
    assert client.get(response.headers["Location"], headers=JSON).get_json()["verdict"] == "genuine"


def test_a_typed_code_failing_its_check_may_be_a_typo_and_is_logged(client, stamped, session):
    code = stamped[3].code
    bad = forged(code)
    response = client.get("/s", query_string={"code": codes.grouped(bad).lower()})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Mã này không hợp lệ: hãy kiểm tra từng ký tự" in html
    assert f'value="{codes.grouped(bad)}"' in html                           # there to be corrected
    assert report_links(html) == [(f"/s/{bad}/report", "Báo nghi ngờ hàng giả")]
    assert [(r.code, r.verdict, r.stamp_id) for r in session.scalars(select(Scan))] == [(bad, "unknown", None)]
    not_a_code = client.get("/s", query_string={"code": "12345"})
    assert not_a_code.status_code == 422 and "17" in not_a_code.get_data(as_text=True)
    assert 'aria-invalid="true"' in not_a_code.get_data(as_text=True)
    assert session.query(Scan).count() == 1                                  # text that is no code is no scan


# 2. a forged code reached by a scan

def test_a_scanned_code_failing_its_check_is_not_issued_and_logged(client, stamped, session):
    code = stamped[3].code
    bad = forged(code)
    never = codes.new_code()
    for path in (f"/s/{bad}", f"/S/{bad.lower()}", f"/s/{never}"):
        response = client.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 404, path
        assert "Mã này không do hệ thống OCOP cấp: sản phẩm có thể là hàng giả." in html
        assert "nhập sai" not in html and "không hợp lệ" not in html
        assert re.search(r'<form class="check" action="/s" method="get">', html)       # retype, if it was typed
        assert [label for _, label in report_links(html)] == ["Báo nghi ngờ hàng giả"]
        assert "Phản ánh vấn đề về sản phẩm này" not in html
    assert client.get(f"/s/{bad}", headers=JSON).get_json()["reason"] == "check"
    rows = session.scalars(select(Scan).order_by(Scan.id)).all()
    assert [(r.code, r.verdict, r.stamp_id) for r in rows[:3]] == [
        (bad, "unknown", None), (bad, "unknown", None), (never, "unknown", None)]
    assert report_links(client.get(f"/s/{bad}").get_data(as_text=True))[0][0] == f"/s/{bad}/report"


def test_a_digital_link_with_a_forged_serial_is_a_logged_scan_with_a_counterfeit_report(client, stamped, session):
    bad = forged(stamped[3].code)
    html = client.get(f"/01/08934563138165/10/CS-2026.05/21/{bad}").get_data(as_text=True)
    assert "hàng giả" in html and report_links(html) == [(f"/s/{bad}/report", "Báo nghi ngờ hàng giả")]
    assert [(r.code, r.verdict) for r in session.scalars(select(Scan))] == [(bad, "unknown")]
    assert 'class="in-force"' not in html and sections(html, "history")     # the product's stars are not this stamp's


# 3. verdict-consistent details

def _revoke(product, frozen_clock):
    frozen_clock(calendar.start_of_day(dt.date(2026, 6, 2)) + dt.timedelta(hours=10))
    recognitions.revoke(product.recognitions[0], actor="officer", **{**REVOCATION, "revoked_on": dt.date(2026, 6, 2)})
    factories.index_now()


def test_a_genuine_page_shows_current_stars(client, stamped):
    html = scan(client, stamped[3].code).get_data(as_text=True)
    current = sections(html, "in-force")
    assert len(current) == 1 and '<span class="stars">★★★</span> 3 sao' in current[0]
    assert "20/12/2024 – 20/12/2027" in current[0] and 'class="history"' not in html


def test_a_revoked_stamp_page_has_no_current_looking_stars(client, stamped, frozen_clock):
    product, _, _, stamp = stamped
    _revoke(product, frozen_clock)
    html = scan(client, stamp.code).get_data(as_text=True)
    assert "in-force" not in html and 'class="stars"' not in html and '<body class="page-bad">' in html
    history = sections(html, "history")
    assert len(history) == 1 and "★★★" in history[0] and "★" not in html.replace(history[0], "")
    assert "trước đây 3 sao, bị thu hồi ngày 02/06/2026" in history[0]
    assert "20/12/2027" not in html                       # no "valid to 2027" left to skim
    assert "quyết định 2751/QĐ-UBND ngày 20/12/2024" in history[0]


def test_an_expired_stamp_page_shows_the_lapse_as_history(client, stamped, frozen_clock):
    frozen_clock(calendar.end_of_day(dt.date(2027, 12, 20)))
    html = scan(client, stamped[3].code).get_data(as_text=True)
    assert "in-force" not in html and 'class="stars"' not in html
    assert "trước đây 3 sao, hết hiệu lực ngày 20/12/2027" in sections(html, "history")[0]
    english = scan(client, stamped[3].code + "?lang=en").get_data(as_text=True)
    assert "formerly 3 stars, lapsed on 20 Dec 2027" in english or "formerly 3 stars, lapsed on" in english


def test_a_voided_stamp_page_does_not_vouch_for_the_product(client, stamped):
    stamps.void_stamp(stamped[3], reason="Tem in lỗi", actor="staff")
    factories.index_now()
    html = scan(client, stamped[3].code).get_data(as_text=True)
    assert "in-force" not in html and 'class="stars"' not in html and '<body class="page-bad">' in html
    assert "3 sao: của sản phẩm, tem này không bảo đảm cho gói hàng" in sections(html, "history")[0]


def test_the_verdict_json_says_whether_the_recognition_is_current(client, stamped, frozen_clock):
    product, _, _, stamp = stamped
    assert scan(client, stamp.code, json=True).get_json()["recognition"]["status"] == "in_force"
    _revoke(product, frozen_clock)
    for answer in (scan(client, stamp.code, json=True).get_json(),
                   client.get(f"/api/v1/stamps/{stamp.code}").get_json()):
        assert answer["verdict"] == "revoked" and answer["recognition"]["status"] == "revoked"
        assert answer["recognition"]["stars"] == 3            # the fields partners read are kept
    spec = client.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    recognition = next(s for name, s in schemas.items() if name.startswith("StampRecognition"))
    assert set(recognition["properties"]["status"]["enum"]) == {
        "in_force", "expired", "superseded", "revoked", "not_yet_in_force"}
    counts = next(s for name, s in schemas.items() if name.startswith("ScanCount"))
    assert {"count", "first_at", "distinct", "networks"} <= set(counts["required"])


# 4. who is speaking, and how to tell a genuine stamp

def test_the_scan_page_names_the_registry_and_office_links_home_and_marks_the_language(client, stamped, app,
                                                                                   monkeypatch):
    monkeypatch.setitem(app.config, "CATALOG_REGISTRY_NAME", "Hệ thống OCOP tỉnh Ninh Bình")
    monkeypatch.setitem(app.config, "CATALOG_OFFICE_NAME", "Văn phòng Điều phối OCOP tỉnh Ninh Bình")
    for path in (f"/s/{stamped[3].code}", f"/s/{codes.new_code()}", "/s", "/s/help"):
        html = client.get(path).get_data(as_text=True)
        assert '<a class="registry" href="/">Hệ thống OCOP tỉnh Ninh Bình</a>' in html, path
        assert "Văn phòng Điều phối OCOP tỉnh Ninh Bình" in html
        assert re.search(r'lang="vi" aria-current="true">Tiếng Việt', html) and html.count('aria-current="') == 1
        assert 'href="/s/help"' in html or path == "/s/help"
    english = client.get(f"/s/{stamped[3].code}?lang=en").get_data(as_text=True)
    assert re.search(r'lang="en" aria-current="true">English', english) and english.count('aria-current="') == 1


def test_how_to_tell_a_genuine_stamp(client, stamped, app, monkeypatch):
    monkeypatch.setitem(app.config, "CATALOG_PUBLIC_URL", "https://ocop.ninhbinh.gov.vn")
    html = client.get("/s/help").get_data(as_text=True)
    assert "Cách nhận biết tem thật" in html and "ocop.ninhbinh.gov.vn" in html and "ocop.ninhbinh.gov.vn/s" in html
    for verdict in ("Sản phẩm OCOP chính hãng", "Tem này đã bị hủy", "Mã không có trong hệ thống",
                    "Công nhận OCOP đã bị thu hồi"):
        assert verdict in html
    english = client.get("/s/help?lang=en").get_data(as_text=True)
    assert "How to tell a genuine stamp" in english and "What each answer means" in english


# 5. scan counts as the suspicion rule counts them

def test_the_page_counts_distinct_scans_and_networks_not_reloads(client, stamped, frozen_clock):
    code = stamped[3].code
    for minute in range(4):                                   # one phone reloading
        frozen_clock(NOW + dt.timedelta(minutes=minute))
        scan(client, code)
    response = scan(client, code, address="198.51.100.4")      # another network
    html = response.get_data(as_text=True)
    assert "Đã được quét 2 lần kể từ 01/06/2026, từ 2 mạng trong 24 giờ qua" in html
    data = scan(client, code, json=True, address="198.51.100.4").get_json()
    assert data["scans"] == {**data["scans"], "count": 6, "distinct": 2, "networks": 2}


# 6. the code grouped as on the label, and a light page

def test_the_code_is_grouped_as_on_the_printed_label(client, stamped):
    code = stamped[3].code
    html = scan(client, code).get_data(as_text=True)
    assert f'<span class="code">{codes.grouped(code)}</span>' in html
    assert sheets.group_code is codes.grouped and re.fullmatch(r"(\w{4} ){4}\w", codes.grouped(code))


@pytest.mark.parametrize("which", ["genuine", "unknown", "check", "help"])
def test_scan_pages_stay_light_without_script_or_inline_styles(client, stamped, which):
    path = {"genuine": f"/s/{stamped[3].code}", "unknown": f"/s/{codes.new_code()}", "check": "/s",
            "help": "/s/help"}[which]
    html = client.get(path).get_data()
    assert len(html) <= 10 * 1024, len(html)
    assert b"<script" not in html and b"style=" not in html
