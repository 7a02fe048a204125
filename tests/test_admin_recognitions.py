"""Admin recognition workflow: preview, record, refuse what the core refuses, revoke, the work list."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from catalog.kernel import recognitions
from catalog.kernel.models.recognitions import Recognition
from tests import factories
from tests.factories import post_form

NOW = dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.UTC)          # 10:00 in Hà Nội


@pytest.fixture()
def officer(client, session, frozen_clock):
    frozen_clock(NOW)
    factories.sign_in(client, "officer")
    client.get("/admin/recognitions?lang=en")                # English pages from here on
    return client


def count(session, product) -> int:
    return session.scalar(select(func.count()).select_from(Recognition).where(Recognition.product_id == product.id))


def decision(**overrides) -> dict:
    return {"decision_number": "2751/QĐ-UBND", "decision_date": "2024-12-20", "authority": "UBND tỉnh Tuyên Quang",
            "level": "province", "score": "65", **overrides}


def test_preview_shows_stars_and_validity_and_writes_nothing(officer, session):
    item = factories.product()
    path = f"/admin/products/{item.id}/recognitions/new?kind=first"
    page = post_form(officer, path, {**decision(score="92.5", level="national"), "preview": "1"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "★★★★★" in text and "5 stars" in text and "national level" in text
    assert "20 Dec 2027" in text                               # 36 months after the decision date
    assert 'value="2751/QĐ-UBND"' in text                       # what was typed is kept
    assert count(session, item) == 0
    mismatch = post_form(officer, path, {**decision(score="92.5"), "preview": "1"})
    assert mismatch.status_code == 422
    assert "5 stars are recognised at national level, not province" in mismatch.get_data(as_text=True)
    assert count(session, item) == 0


def test_save_records_a_first_recognition_and_the_product_page_shows_its_history(officer, session):
    item = factories.product()
    saved = post_form(officer, f"/admin/products/{item.id}/recognitions/new?kind=first", {**decision(), "save": "1"})
    assert saved.status_code == 303
    assert count(session, item) == 1
    page = officer.get(f"/admin/products/{item.id}/recognitions").get_data(as_text=True)
    assert "2751/QĐ-UBND" in page and "first recognition" in page and ">recognised<" in page
    assert "kind=upgrade" in page and "kind=first" not in page and "kind=re_recognition" not in page
    assert "/revoke" in page


def test_a_forced_re_recognition_outside_the_window_shows_the_core_message_and_writes_nothing(officer, session):
    item = factories.recognised_product()                      # valid until 20/12/2027; window opens 23/06/2027
    page = officer.get(f"/admin/products/{item.id}/recognitions").get_data(as_text=True)
    assert "kind=re_recognition" not in page                   # not offered...
    refused = post_form(officer, f"/admin/products/{item.id}/recognitions/new?kind=re_recognition",
                        {**decision(decision_number="99/QĐ-UBND", decision_date="2026-05-30", score="75"), "save": "1"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422                          # ...and refused when forced
    assert "a re-recognition can be decided at most 180 days before expiry" in text
    assert re.search(r'class="field invalid">\s*<label for="decision_date"', text)     # next to the field
    assert count(session, item) == 1


def test_an_upgrade_supersedes_the_recognition_in_force(officer, session):
    item = factories.recognised_product()
    path = f"/admin/products/{item.id}/recognitions/new?kind=upgrade"
    shown = post_form(officer, path, {**decision(decision_number="140/QĐ-UBND", decision_date="2026-05-20",
                                                 score="78"), "preview": "1"})
    assert shown.status_code == 200 and "4 stars" in shown.get_data(as_text=True)
    session.refresh(item.recognitions[0])
    assert item.recognitions[0].superseded_at is None and count(session, item) == 1     # the preview wrote nothing
    saved = post_form(officer, f"/admin/products/{item.id}/recognitions/new?kind=upgrade",
                      {**decision(decision_number="140/QĐ-UBND", decision_date="2026-05-20", score="78"), "save": "1"})
    assert saved.status_code == 303
    history = [e.kind for e in recognitions.history(item)]
    assert history == ["recognised", "upgraded", "superseded"]
    not_more = post_form(officer, f"/admin/products/{item.id}/recognitions/new?kind=upgrade",
                         {**decision(decision_number="141/QĐ-UBND", decision_date="2026-05-25", score="72"),
                          "save": "1"})
    assert not_more.status_code == 422 and "an upgrade needs more than the 4 stars in force" in not_more.get_data(
        as_text=True)


def test_revoking_takes_the_product_off_the_public_catalog(officer, client, session):
    item = factories.recognised_product()
    recognition = item.recognitions[0]
    path = f"/admin/recognitions/{recognition.id}/revoke"
    form = officer.get(path).get_data(as_text=True)
    assert "Misuse of the OCOP mark" in form and 'value="2026-06-01"' in form
    empty = post_form(officer, path, {})
    assert empty.status_code == 422 and recognition.revoked_at is None
    done = post_form(officer, path, {**factories.REVOCATION, "revoked_on": "2026-05-30"})
    assert done.status_code == 303
    session.refresh(recognition)
    assert recognition.revocation_ground == "criteria_not_met"
    assert client.get(f"/products/{item.slug}").status_code == 410
    again = post_form(officer, path, {**factories.REVOCATION, "revoked_on": "2026-05-31"})
    assert again.status_code == 422 and "already revoked" in again.get_data(as_text=True)


def test_an_editor_may_not_record_or_revoke(client, session):
    item = factories.recognised_product()
    factories.sign_in(client, "editor")
    token = factories.csrf_token(client, "/admin/producers")
    path = f"/admin/recognitions/{item.recognitions[0].id}/revoke"
    assert client.get(path).status_code == 403
    assert client.post(path, data={**factories.REVOCATION, "revoked_on": "2026-05-30", "csrf_token": token}
                       ).status_code == 403
    assert client.get("/admin/recognitions").status_code == 403
    assert client.get(f"/admin/products/{item.id}/recognitions/new?kind=upgrade").status_code == 403
    session.refresh(item.recognitions[0])
    assert item.recognitions[0].revoked_at is None


def test_the_work_list_filters_by_status_province_date_and_name(officer, session):
    made = {}
    for key, name, decided, commune in (
            ("ok", "Trà shan tuyết Hợp tâm", "2025-06-01", None),          # to 01/06/2028
            ("window", "Cam sành Hà Giang", "2023-11-01", None),            # to 01/11/2026: 153 days left
            ("expiring", "Mật ong hoa bạc hà", "2023-08-01", None),         # to 01/08/2026: 61 days left
            ("expired", "Gạo nếp cái hoa vàng", "2023-01-10", None),        # lapsed 10/01/2026
            ("revoked", "Cà phê rang xay Ea Tu", "2025-01-01", ("99066", "Ea Tu", "66"))):
        owner = factories.producer(commune_code=factories.commune(*commune).code) if commune else factories.producer()
        item = factories.product(name=name, producer_id=owner.id)
        recognitions.recognise(item, actor="test", **{**factories.DECISION, "decision_date": dt.date.fromisoformat(
            decided), "decision_number": f"{len(made) + 10}/QĐ-UBND"})
        made[key] = item
    recognitions.revoke(made["revoked"].recognitions[0], actor="test", revoked_on=dt.date(2026, 3, 1),
                        **{k: v for k, v in factories.REVOCATION.items()})

    def names(query: str) -> set[str]:
        page = officer.get(f"/admin/recognitions?{query}")
        assert page.status_code == 200, query
        return {key for key, item in made.items() if item.name in page.get_data(as_text=True)}

    assert names("") == set(made)
    assert names("status=in_force") == {"ok", "window", "expiring"}
    assert names("status=window") == {"window"}
    assert names("status=expiring") == {"expiring"}
    assert names("status=expired") == {"expired"}
    assert names("status=revoked") == {"revoked"}
    assert names("province=66") == {"revoked"}
    assert names("decided_from=2023-08-01&decided_to=2023-12-31") == {"window", "expiring"}
    assert names("q=tra+shan+tuyet") == {"ok"}
    assert names("q=mật+ong") == {"expiring"}
    bad = officer.get("/admin/recognitions?decided_from=31/02/2026")
    assert bad.status_code == 422 and "is not a date" in bad.get_data(as_text=True)
