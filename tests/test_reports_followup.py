"""Issue 13: public reasons and internal notes kept apart; consumer reports with a contact, a reference and a
public status page; the officers' queue (revoked products, whole-row links) and the revoke form's authority."""
from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import func, select

from catalog import create_app
from catalog.kernel import calendar, recognitions
from catalog.kernel.db import db
from catalog.kernel.models.types import UTCDateTime
from catalog.trace.models.stamps import Stamp
from catalog.violations import operations as violations
from catalog.violations.models import ConsumerReport, Violation
from catalog.violations.reports import REFERENCE_ALPHABET
from tests import factories
from tests.api_helpers import auth, partner_key
from tests.factories import REVOCATION, post_form

NOW = calendar.start_of_day(dt.date(2026, 6, 1)) + dt.timedelta(hours=9)
PUBLIC = "Sản phẩm không còn đáp ứng tiêu chí chất lượng"
SECRET = "Biên bản KT-17: chủ cơ sở khai nhận dùng nguyên liệu ngoài vùng, số ĐT 0912 000 111"
REFERENCE = re.compile(f"/reports/([{REFERENCE_ALPHABET}]{{10}})")


@pytest.fixture()
def stamped(session, frozen_clock):
    frozen_clock(NOW)
    item, _lot, batch = factories.stamped_product()
    code = session.scalars(select(Stamp.code).where(Stamp.batch_id == batch.id)).first()
    return item, code


@pytest.fixture()
def officer(app, session):
    client = app.test_client()
    factories.sign_in(client, "officer")
    client.get("/admin/reports?lang=en")
    return client


_ADDRESSES = itertools.count(1)


def send(client, code: str, **fields):
    """Send a report from an address of its own (the form's rate limit is per address, and has its own test)."""
    token = factories.csrf_token(client, f"/s/{code}/report")
    address = f"198.51.{next(_ADDRESSES) // 250}.{next(_ADDRESSES) % 250 + 1}"
    return client.post(f"/s/{code}/report", data={"csrf_token": token, **fields},
                       environ_base={"REMOTE_ADDR": address})


# -- 1. public reason, internal note ---------------------------------------------------------------------

def test_the_internal_note_is_on_no_public_page_json_api_or_feed(client, stamped, session):
    item, code = stamped
    key = partner_key()
    recognitions.revoke(item.recognitions[0], actor="officer", **{
        **REVOCATION, "revoked_on": "2026-06-01", "reason": PUBLIC, "internal_note": SECRET})
    factories.index_now()
    assert item.recognitions[0].revocation_note == SECRET
    gone = client.get(f"/products/{item.slug}")
    assert gone.status_code == 410 and PUBLIC in gone.get_data(as_text=True)
    scanned = client.get(f"/s/{code}")
    assert PUBLIC in scanned.get_data(as_text=True)             # the public reason is on the scan page too
    answers = [gone, scanned, client.get(f"/s/{code}", headers={"Accept": "application/json"}),
               client.get(f"/api/v1/products/{item.id}", headers=auth(key)),
               client.get("/api/v1/changes?after=0", headers=auth(key)),
               client.get(f"/api/v1/stamps/{code}", headers=auth(key)),
               client.get("/api/v1/export.ndjson", headers=auth(key))]
    for answer in answers:
        body = answer.get_data(as_text=True)
        assert "KT-17" not in body and "0912" not in body, answer.request.path


def test_a_violation_pre_fills_only_the_internal_note_and_the_authority(app, officer, client, session, stamped,
                                                                      tmp_path):
    item, _code = stamped
    violation = violations.file_violation(item, actor="inspector@ocop.example.vn", uploads=tmp_path,
                                          found_on="2026-05-20", category="quality", description=SECRET)
    violations.decide(violation, actor="inspector@ocop.example.vn", status="confirmed", note="Xác nhận")
    path = f"/admin/violations/{violation.id}/revoke"
    form = officer.get(path).get_data(as_text=True)
    internal = re.search(r'<textarea id="internal_note"[^>]*>([^<]*)</textarea>', form).group(1)
    public = re.search(r'<textarea id="reason"[^>]*>([^<]*)</textarea>', form).group(1)
    assert "KT-17" in internal and public == ""                   # the inspector's note is not made public
    assert "Published" in form and "never published" in form     # the form says which field is published
    authority = re.search(r'<input id="authority"[^>]*value="([^"]*)"', form).group(1)
    assert authority == item.recognitions[0].authority            # the office that recognised it
    done = post_form(officer, path, {"decision_number": "118/QĐ-UBND", "revoked_on": "2026-06-01",
                                     "authority": authority, "ground": "law_violation", "reason": PUBLIC,
                                     "internal_note": internal})
    assert done.status_code == 303
    session.refresh(violation)
    assert violation.recognition.revocation_reason == PUBLIC and SECRET in violation.recognition.revocation_note
    page = client.get(f"/products/{item.slug}").get_data(as_text=True)
    assert PUBLIC in page and "KT-17" not in page


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_reason_written_before_the_upgrade_stays_public(scratch_database, backend):
    app = create_app({"DATABASE_URL": scratch_database(backend), "SECRET_KEY": "x"})
    with app.app_context():
        upgrade(revision="0011")
        at = dt.datetime(2024, 12, 20, 17, tzinfo=dt.UTC)
        rows = {
            "producers": {"id": 1, "slug": "htx-anh-tai", "name": "HTX Anh Tài", "kind": "cooperative",
                          "province_code": "08", "created_at": at, "updated_at": at},
            "products": {"id": 1, "slug": "cam-sanh-ham-yen", "name": "Cam sành Hàm Yên", "producer_id": 1,
                         "product_set": 1, "standards": "[]", "created_at": at, "updated_at": at},
            "recognitions": {"id": 1, "product_id": 1, "kind": "first", "score": 75, "stars": 4, "level": "province",
                             "authority": "UBND tỉnh Tuyên Quang", "decision_number": "2751/QĐ-UBND",
                             "decision_date": dt.date(2024, 12, 20), "valid_until": dt.date(2027, 12, 20),
                             "starts_at": at, "ends_at": dt.datetime(2027, 12, 20, 17, tzinfo=dt.UTC),
                             "created_at": at, "revoked_on": dt.date(2025, 3, 1),
                             "revoked_at": dt.datetime(2025, 2, 28, 17, tzinfo=dt.UTC),
                             "revocation_decision": "118/QĐ-UBND", "revocation_ground": "criteria_not_met",
                             "revocation_authority": "UBND tỉnh Tuyên Quang", "revocation_reason": PUBLIC},
            "consumer_reports": {"id": 1, "code": "ABC", "message": "Tem bị bóc", "status": "new", "created_at": at},
        }
        for name, row in rows.items():
            table = sa.table(name, *(sa.column(c, UTCDateTime() if isinstance(v, dt.datetime) else None)
                                     for c, v in row.items()))
            db.session.execute(table.insert().values(**row))
        db.session.commit()
        upgrade()
        found = db.session.execute(sa.text("SELECT revocation_reason, revocation_note FROM recognitions")).one()
        assert tuple(found) == (PUBLIC, None)
        reference = db.session.scalar(sa.text("SELECT reference FROM consumer_reports"))
        assert re.fullmatch(f"[{REFERENCE_ALPHABET}]{{10}}", reference)
        db.session.remove()
    gone = app.test_client().get("/products/cam-sanh-ham-yen")
    assert gone.status_code == 410 and PUBLIC in gone.get_data(as_text=True)
    assert app.test_client().get(f"/reports/{reference}").status_code == 200
    with app.app_context():
        db.engine.dispose()


# -- 2. reports with follow-up ---------------------------------------------------------------------------

def test_a_report_with_contact_gets_a_reference_and_a_status_page_with_nothing_personal(
        app, client, officer, session, stamped, tmp_path):
    item, code = stamped
    sent = send(client, code, name="Chị Lan", message="Tem bị bóc ra dán lại", contact="0912 345 678",
                purchase_place="Chợ  Hàm Yên,\u200b quầy 12")
    assert sent.status_code == 303
    reference = REFERENCE.search(sent.headers["Location"]).group(1)
    report = session.scalars(select(ConsumerReport)).one()
    assert report.reference == reference and reference != str(report.id)
    assert (report.contact, report.purchase_place) == ("0912345678", "Chợ Hàm Yên, quầy 12")
    thanks = client.get(sent.headers["Location"] + "&lang=en")
    page = thanks.get_data(as_text=True)
    assert thanks.status_code == 200 and "Thank you" in page and f'href="/reports/{reference}"' in page
    assert item.name in page and "received" in page
    for personal in ("0912", "Chị Lan", "Hàm Yên", "bóc ra", "/photo"):
        assert personal not in page, personal
    assert thanks.headers["Cache-Control"] == "private, no-store"
    assert client.get(f"/reports/{reference.lower()}").status_code == 301           # typed in lower case
    assert client.get("/reports/ABCDEFGHJK").status_code == 404
    detail = officer.get(f"/admin/reports/{report.id}").get_data(as_text=True)
    assert "0912345678" in detail and "Chợ Hàm Yên, quầy 12" in detail and reference in detail   # officers see it

    # turned into a violation: under review; confirmed: a violation; revoked: the product's recognition revoked
    violation = violations.file_violation(item, actor="officer@ocop.example.vn", uploads=tmp_path, report=report,
                                          found_on="2026-05-30", category="labelling", description="Xem tem")
    assert "under review" in client.get(f"/reports/{reference}?lang=en").get_data(as_text=True)
    violations.decide(violation, actor="officer@ocop.example.vn", status="confirmed", note="Đúng")
    assert "turned into a violation" in client.get(f"/reports/{reference}?lang=en").get_data(as_text=True)
    violations.revoke_for(violation, actor="officer@ocop.example.vn", **{**REVOCATION, "revoked_on": "2026-06-01"})
    assert "recognition was revoked" in client.get(f"/reports/{reference}?lang=en").get_data(as_text=True)

    other = REFERENCE.search(send(client, code, message="Không quét được").headers["Location"]).group(1)
    dismissed = session.scalars(select(ConsumerReport).where(ConsumerReport.reference == other)).one()
    violations.dismiss_report(dismissed, actor="officer@ocop.example.vn", note="Không đủ thông tin")
    page = client.get(f"/reports/{other}?lang=en").get_data(as_text=True)
    assert "closed: dismissed" in page and "Không đủ thông tin" not in page          # the officer's note neither


@pytest.mark.parametrize("contact, error", [
    ("0123 456", "neither a Vietnamese phone number"), ("lan@", "not an e-mail address"),
    ("+1 415 555 0100", "neither a Vietnamese phone number")])
def test_a_bad_phone_or_email_is_refused_next_to_the_field_and_nothing_is_written(client, session, stamped,
                                                                               contact, error):
    _item, code = stamped
    client.get(f"/s/{code}/report?lang=en")
    refused = send(client, code, message="Tem bị bóc ra dán lại", contact=contact)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="contact-error"' in page and error in page
    assert "Tem bị bóc ra dán lại" in page and 'aria-invalid="true"' in page        # what was typed is kept
    assert session.scalar(select(func.count()).select_from(ConsumerReport)) == 0


@pytest.mark.parametrize("contact, kept", [("+84 912.345.678", "0912345678"), ("(024) 3825 1234", "02438251234"),
                                           ("Lan.Nguyen@Example.vn", "Lan.Nguyen@Example.vn")])
def test_phones_and_emails_are_accepted(client, session, stamped, contact, kept):
    _item, code = stamped
    assert send(client, code, message="Tem bị bóc ra dán lại", contact=contact).status_code == 303
    assert session.scalars(select(ConsumerReport.contact)).one() == kept


@pytest.mark.parametrize("code", ["00000000000000000", "ZZZZ-NOT-OURS"])
def test_a_code_that_names_no_product_is_a_counterfeit_report(app, client, officer, session, stamped, code):
    form = client.get(f"/s/{code}/report?lang=en").get_data(as_text=True)
    assert "Report a suspected counterfeit" in form and "Report a problem with this product" not in form
    sent = send(client, code, message="Mua ở chợ, tem lạ", purchase_place="Chợ Đồng Xuân")
    assert sent.status_code == 303
    report = session.scalars(select(ConsumerReport)).one()
    assert (report.stamp_id, report.product_id, report.code, report.counterfeit) == (None, None, code, True)
    status = client.get(sent.headers["Location"] + "&lang=en").get_data(as_text=True)
    assert "suspected counterfeit" in status and "Đồng Xuân" not in status
    queue = officer.get("/admin/reports").get_data(as_text=True)
    row = re.search(rf'<tr class="linked">(?:(?!</tr>).)*?/admin/reports/{report.id}".*?</tr>', queue, re.S).group(0)
    assert "Suspected counterfeit" in row and "code not issued by the registry" in row


# -- 3. the officers' queue ------------------------------------------------------------------------------

def test_the_queue_shows_a_revoked_product_and_links_the_whole_row(app, client, officer, session, stamped):
    item, code = stamped
    send(client, code, message="Tem bị bóc ra dán lại", contact="lan@example.vn")
    report = session.scalars(select(ConsumerReport)).one()
    queue = officer.get("/admin/reports").get_data(as_text=True)
    link = f'<a class="row-link" href="/admin/reports/{report.id}">'
    assert link in queue and "not in force" not in queue and "contact given" in queue
    recognitions.revoke(item.recognitions[0], actor="officer", **{**REVOCATION, "revoked_on": "2026-06-01"})
    session.flush()
    queue = officer.get("/admin/reports").get_data(as_text=True)
    row = queue[queue.index('<tr class="linked">'):]
    row = row[:row.index("</tr>")]
    assert link in row and "not in force: revoked" in row
    css = officer.get("/static/admin.css").get_data(as_text=True)
    assert "a.row-link::after" in css and "tr.linked{position:relative}" in css


def test_the_recognition_revoke_form_pre_fills_the_authority(officer, session, frozen_clock):
    frozen_clock(NOW)
    item = factories.recognised_product()
    recognition = item.recognitions[0]
    form = officer.get(f"/admin/recognitions/{recognition.id}/revoke").get_data(as_text=True)
    assert re.search(r'<input id="authority"[^>]*value="([^"]*)"', form).group(1) == recognition.authority
    assert session.scalar(select(func.count()).select_from(Violation)) == 0
