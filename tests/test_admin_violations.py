"""Admin violations and consumer reports: filing with evidence, deciding, revoking from a violation, the queue."""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from catalog.kernel.db import db
from catalog.trace.models.stamps import Stamp
from catalog.violations import operations as violations
from catalog.violations import reports
from catalog.violations.models import ConsumerReport, Violation
from tests import factories
from tests.factories import post_form

NOW = dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.UTC)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture()
def officer(client, session, frozen_clock):
    frozen_clock(NOW)
    factories.sign_in(client, "officer")
    client.get("/admin/violations?lang=en")
    return client


def filed(product, tmp_path, **fields) -> Violation:
    return violations.file_violation(product, actor="inspector@ocop.example.vn", uploads=tmp_path, **{
        "found_on": "2026-05-20", "category": "mark_misuse", "description": "Dùng biểu trưng 4 sao khi chỉ đạt 3 sao",
        **fields})


def test_filing_a_violation_with_evidence_files_and_downloading_them(officer, session):
    item = factories.recognised_product()
    chooser = officer.get("/admin/violations/new?q=cam+sanh").get_data(as_text=True)
    assert f"product_id={item.id}" in chooser                  # found without the diacritics
    path = f"/admin/violations/new?product_id={item.id}"
    response = post_form(officer, path, {
        "product_id": str(item.id), "found_on": "2026-05-28", "category": "labelling",
        "description": "Nhãn <b>thiếu</b> hạn sử dụng",
        "evidence": [(io.BytesIO(PDF), "biên bản.pdf"), (io.BytesIO(png()), "nhan.png")]},
        content_type="multipart/form-data")
    assert response.status_code == 303
    violation = session.scalars(select(Violation).where(Violation.product_id == item.id)).one()
    assert violation.status == "open" and [e.content_type for e in violation.evidence] == ["application/pdf",
                                                                                             "image/jpeg"]
    page = officer.get(response.headers["Location"]).get_data(as_text=True)
    assert "biên bản.pdf" in page and "Nhãn &lt;b&gt;thiếu&lt;/b&gt;" in page
    download = officer.get(f"/admin/violations/{violation.id}/evidence/{violation.evidence[0].id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("attachment")
    other = filed(factories.recognised_product(), Path(officer.application.instance_path) / "uploads" / "evidence",
                  evidence=[("x.pdf", PDF)])
    crossed = officer.get(f"/admin/violations/{violation.id}/evidence/{other.evidence[0].id}")
    assert crossed.status_code == 404                         # evidence is reached only through its violation


def test_evidence_that_is_neither_pdf_nor_image_is_refused_next_to_the_field(officer, session):
    item = factories.recognised_product()
    path = f"/admin/violations/new?product_id={item.id}"
    response = post_form(officer, path, {
        "product_id": str(item.id), "found_on": "2026-05-28", "category": "quality", "description": "Mẫu không đạt",
        "evidence": [(io.BytesIO(b"<script>alert(1)</script>"), "report.html")]}, content_type="multipart/form-data")
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="evidence-error"' in text and "report.html: not a PDF, JPEG, PNG or WebP file" in text
    assert "Mẫu không đạt" in text                            # what was typed is kept
    assert session.scalar(select(func.count()).select_from(Violation)) == 0
    no_product = post_form(officer, "/admin/violations/new", {"found_on": "2026-05-28"})
    assert no_product.status_code == 422 and 'id="product-error"' in no_product.get_data(as_text=True)


def test_a_confirmed_violation_leads_to_a_revocation_that_takes_the_product_down(officer, client, session, tmp_path):
    item = factories.recognised_product()
    violation = filed(item, tmp_path)
    assert officer.get(f"/admin/violations/{violation.id}/revoke").status_code == 303     # not while open
    forced = officer.post(f"/admin/violations/{violation.id}/revoke", data={
        **factories.REVOCATION, "revoked_on": "2026-05-30",
        "csrf_token": factories.csrf_token(officer, f"/admin/violations/{violation.id}")})
    assert forced.status_code == 422 and "only a confirmed violation" in forced.get_data(as_text=True)
    decided = officer.post(f"/admin/violations/{violation.id}/decide", data={
        "status": "confirmed", "note": "Biên bản kiểm tra số 12",
        "csrf_token": factories.csrf_token(officer, f"/admin/violations/{violation.id}")})
    assert decided.status_code == 303
    page = officer.get(f"/admin/violations/{violation.id}").get_data(as_text=True)
    assert f"/admin/violations/{violation.id}/revoke" in page
    form = officer.get(f"/admin/violations/{violation.id}/revoke").get_data(as_text=True)
    assert '<option value="mark_misuse" selected>' in form     # the ground matching the category
    assert "Dùng biểu trưng 4 sao" in form
    done = post_form(officer, f"/admin/violations/{violation.id}/revoke", {
        "decision_number": "118/QĐ-UBND", "revoked_on": "2026-05-30", "authority": "Chủ tịch UBND tỉnh Tuyên Quang",
        "ground": "mark_misuse", "reason": "Sử dụng sai biểu trưng"})
    assert done.status_code == 303
    session.refresh(violation)
    assert violation.recognition_id == item.recognitions[0].id and violation.recognition.revoked_on == dt.date(
        2026, 5, 30)
    assert client.get(f"/products/{item.slug}").status_code == 410
    assert "118/QĐ-UBND" in officer.get(f"/admin/violations/{violation.id}").get_data(as_text=True)


def test_a_dismissed_violation_cannot_be_decided_again(officer, session, tmp_path):
    violation = filed(factories.recognised_product(), tmp_path)
    path = f"/admin/violations/{violation.id}"
    empty = officer.post(f"{path}/decide", data={"csrf_token": factories.csrf_token(officer, path)})
    assert empty.status_code == 422 and violation.status == "open"
    dismissed = officer.post(f"{path}/decide", data={"status": "dismissed", "note": "Nhầm sản phẩm",
                                                     "csrf_token": factories.csrf_token(officer, path)})
    assert dismissed.status_code == 303
    assert "Confirm the violation" not in officer.get(path).get_data(as_text=True)
    again = officer.post(f"{path}/decide", data={"status": "confirmed", "note": "Xem lại",
                                                 "csrf_token": factories.csrf_token(officer, path)})
    assert again.status_code == 422 and "already dismissed: its decision is final" in again.get_data(as_text=True)
    session.refresh(violation)
    assert violation.status == "dismissed" and violation.decision_note == "Nhầm sản phẩm"


def consumer_report(app, batch=None, photo: bytes | None = None) -> ConsumerReport:
    """A report as the scan page files it (a stamp row stands in for the scan's stamp view)."""
    stamp = session_stamp(batch) if batch is not None else None
    return reports.file_report(stamp.code if stamp else "ZZZ999", stamp, name="Chị Lan",
                               message="Tem bị bóc ra dán lại, nghi hàng giả", photo=photo, network=None,
                               uploads=Path(app.instance_path) / "uploads" / "reports")


def session_stamp(batch) -> Stamp:
    return db.session.scalars(select(Stamp).where(Stamp.batch_id == batch.id)).first()


def test_a_report_turned_into_a_violation_leaves_the_queue(app, officer, session):
    item, _lot, batch = factories.stamped_product(count=2)
    report = consumer_report(app, batch, photo=png())
    queue = officer.get("/admin/reports").get_data(as_text=True)
    assert f'href="/admin/reports/{report.id}"' in queue
    detail = officer.get(f"/admin/reports/{report.id}").get_data(as_text=True)
    assert "Tem bị bóc ra dán lại" in detail and f"/admin/reports/{report.id}/photo" in detail
    photo = officer.get(f"/admin/reports/{report.id}/photo")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    assert photo.headers["X-Content-Type-Options"] == "nosniff"
    path = f"/admin/reports/{report.id}/violation"
    form = officer.get(path).get_data(as_text=True)
    assert item.name in form and "Tem bị bóc ra dán lại" in form and 'name="attach_photo" value="1" checked' in form
    made = post_form(officer, path, {"product_id": str(item.id), "found_on": "2026-05-31", "category": "counterfeit",
                                     "description": "Tem giả", "attach_photo": "1"})
    assert made.status_code == 303
    session.refresh(report)
    violation = session.get(Violation, report.violation_id)
    assert report.status == "violation" and violation.product_id == item.id and len(violation.evidence) == 1
    assert f'href="/admin/reports/{report.id}"' not in officer.get("/admin/reports").get_data(as_text=True)
    assert f'href="/admin/reports/{report.id}"' in officer.get("/admin/reports?status=violation").get_data(as_text=True)
    assert officer.get(path).status_code == 303                # handled: no second violation from it


def test_dismissing_a_report_needs_a_note(app, officer, session):
    report = consumer_report(app)
    path = f"/admin/reports/{report.id}"
    empty = officer.post(f"{path}/dismiss", data={"note": " ", "csrf_token": factories.csrf_token(officer, path)})
    assert empty.status_code == 422 and 'id="note-error"' in empty.get_data(as_text=True)
    too_long = officer.post(f"{path}/dismiss", data={"note": "Đ" * 5001,
                                                     "csrf_token": factories.csrf_token(officer, path)})
    assert too_long.status_code == 422 and 'id="note-error"' in too_long.get_data(as_text=True)
    assert officer.get(f"{path}/photo").status_code == 404
    done = officer.post(f"{path}/dismiss", data={"note": "Không đủ thông tin",
                                                 "csrf_token": factories.csrf_token(officer, path)})
    assert done.status_code == 303
    session.refresh(report)
    assert report.status == "dismissed" and report.note == "Không đủ thông tin"
    assert f'href="{path}"' not in officer.get("/admin/reports").get_data(as_text=True)
    assert f'href="{path}"' in officer.get("/admin/reports?status=dismissed").get_data(as_text=True)


def test_the_lists_filter_by_status_province_category_and_date(app, officer, session, tmp_path):
    here = factories.recognised_product()
    there = factories.product(producer_id=factories.producer(
        commune_code=factories.commune("99066", "Ea Tu", "66").code).id)
    a = filed(here, tmp_path, found_on="2026-05-02", category="quality")
    b = filed(there, tmp_path, found_on="2026-05-20", category="labelling")
    c = filed(here, tmp_path, found_on="2026-04-01", category="labelling")
    violations.decide(c, actor="test", status="dismissed", note="Không vi phạm")

    def ids(query: str) -> set[int]:
        page = officer.get(f"/admin/violations?{query}")
        assert page.status_code == 200, query
        return {v.id for v in (a, b, c) if f'href="/admin/violations/{v.id}"' in page.get_data(as_text=True)}

    assert ids("") == {a.id, b.id, c.id}
    assert ids("status=open") == {a.id, b.id}
    assert ids("province=66") == {b.id}
    assert ids("category=labelling") == {b.id, c.id}
    assert ids("found_from=2026-05-01&found_to=2026-05-10") == {a.id}
    assert officer.get("/admin/violations?category=weather").status_code == 422
    old = consumer_report(app)
    old.created_at = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)
    recent = consumer_report(app)
    session.flush()
    queue = officer.get("/admin/reports?sent_from=2026-05-01").get_data(as_text=True)
    assert f'href="/admin/reports/{recent.id}"' in queue and f'href="/admin/reports/{old.id}"' not in queue
    assert f'href="/admin/reports/{old.id}"' in officer.get("/admin/reports?sent_to=2026-03-01").get_data(as_text=True)
    assert f'href="/admin/reports/{old.id}"' not in officer.get("/admin/reports?province=08").get_data(as_text=True)


def test_an_editor_may_not_see_violations_or_reports(client, session, tmp_path):
    violation = filed(factories.recognised_product(), tmp_path)
    factories.sign_in(client, "editor")
    for path in ("/admin/violations", f"/admin/violations/{violation.id}", "/admin/violations/new", "/admin/reports"):
        assert client.get(path).status_code == 403, path
