"""Admin pages for API partners: create (key shown once), revoke and issue keys, suspend, webhook delivery log."""
from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from sqlalchemy import select

from catalog.kernel import calendar, clock
from catalog.partners import operations as partners
from catalog.partners import webhooks
from catalog.partners.models import ApiKey, Partner, WebhookDelivery
from tests import factories
from tests.api_helpers import auth

NOW = calendar.start_of_day(dt.date(2026, 6, 1)) + dt.timedelta(hours=9)
KEY = re.compile(r"ocop_[A-Za-z0-9_-]{43}")


@pytest.fixture()
def admin(client, session, frozen_clock):
    frozen_clock(NOW)
    factories.sign_in(client, "admin")
    return client


def post(client, path: str, **data):
    return factories.post_form(client, path, data, form="/admin/partners/new")


def shown_key(response) -> str:
    text = response.get_data(as_text=True)
    keys = set(KEY.findall(text))
    assert len(keys) == 1, text[:1000]
    return keys.pop()


def create(client, name="Siêu thị Co.op Hà Giang", **fields):
    response = post(client, "/admin/partners/new?lang=en", name=name, **fields)
    assert response.status_code == 201, response.get_data(as_text=True)[:1000]
    partner = factories.db.session.scalar(select(Partner).where(Partner.name == name))
    return partner, shown_key(response), response


def test_an_admin_creates_a_partner_and_sees_its_key_once(admin, session):
    partner, key, response = create(admin, contact_email="api@coop.example.vn",
                                    webhook_url="https://coop.example.vn/ocop-hook")
    text = response.get_data(as_text=True)
    assert "it will not be shown again" in text
    assert response.headers["Cache-Control"] == "no-store"
    assert partner.webhook_secret and partner.webhook_secret in text      # the signing secret, this once too
    assert key not in response.headers.get("Location", "") and "Location" not in response.headers
    stored = session.scalars(select(ApiKey).where(ApiKey.partner_id == partner.id)).one()
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest() and stored.prefix == key[:12]
    assert admin.get("/api/v1/changes", headers=auth(key)).status_code == 200
    for page in ("/admin/partners", f"/admin/partners/{partner.id}"):       # never again
        later = admin.get(page).get_data(as_text=True)
        assert partner.name in later and key not in later and partner.webhook_secret not in later
    assert key[:12] in admin.get(f"/admin/partners/{partner.id}").get_data(as_text=True)


def test_a_refused_form_keeps_what_was_typed_and_says_why(admin, session):
    partners.create_partner(name="Sàn Tiki")
    response = post(admin, "/admin/partners/new?lang=en", name="Sàn Tiki", contact_email="not an address",
                    webhook_url="ftp://tiki.example/hook")
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and not KEY.search(text)
    assert 'id="contact_email-error"' in text and 'id="webhook_url-error"' in text
    assert 'value="Sàn Tiki"' in text and 'value="not an address"' in text and 'value="ftp://tiki.example/hook"' in text
    taken = post(admin, "/admin/partners/new?lang=en", name="Sàn Tiki", contact_email="api@tiki.example.vn")
    text = taken.get_data(as_text=True)
    assert taken.status_code == 422 and not KEY.search(text)
    assert 'id="name-error"' in text and "already the name of another partner" in text
    assert session.scalar(select(Partner).where(Partner.name == "Sàn Tiki")).contact_email is None


def test_revoking_a_key_and_issuing_another_through_the_page(admin, session):
    partner, key, _ = create(admin)
    stored = session.scalars(select(ApiKey).where(ApiKey.partner_id == partner.id)).one()
    page = f"/admin/partners/{partner.id}"
    assert post(admin, f"{page}/keys/revoke", key=str(stored.id)).status_code == 303
    assert admin.get("/api/v1/changes", headers=auth(key)).status_code == 401
    issued = post(admin, f"{page}/keys?lang=en")
    assert issued.status_code == 201 and "it will not be shown again" in issued.get_data(as_text=True)
    assert admin.get("/api/v1/changes", headers=auth(shown_key(issued))).status_code == 200
    other, _, _ = create(admin, name="Một đối tác khác")                   # a key of another partner: refused
    refused = post(admin, f"/admin/partners/{other.id}/keys/revoke?lang=en", key=str(stored.id + 1))
    assert refused.status_code == 422 and "has no key" in refused.get_data(as_text=True)


def test_suspending_a_partner_refuses_its_keys_until_reactivated(admin, session):
    partner, key, _ = create(admin)
    assert post(admin, f"/admin/partners/{partner.id}/active", active="0").status_code == 303
    assert admin.get("/api/v1/changes", headers=auth(key)).status_code == 403
    assert "suspended" in admin.get("/admin/partners?lang=en").get_data(as_text=True)
    assert post(admin, f"/admin/partners/{partner.id}/active", active="1").status_code == 303
    assert admin.get("/api/v1/changes", headers=auth(key)).status_code == 200


def test_editing_contact_and_a_first_webhook_shows_its_secret_once(admin, session):
    partner, _, _ = create(admin)
    page = f"/admin/partners/{partner.id}"
    bad = post(admin, page, contact_email="x@coop.example.vn", webhook_url="not a url")
    assert bad.status_code == 422 and 'value="not a url"' in bad.get_data(as_text=True)
    assert partner.webhook_url is None and partner.contact_email is None
    first = post(admin, page + "?lang=en", contact_email="x@coop.example.vn", webhook_url="https://coop.example.vn/h")
    assert first.status_code == 200 and partner.webhook_secret in first.get_data(as_text=True)
    assert first.headers["Cache-Control"] == "no-store"
    again = post(admin, page, contact_email="y@coop.example.vn", webhook_url="https://coop.example.vn/h2")
    assert again.status_code == 303 and (partner.contact_email, partner.webhook_url) == (
        "y@coop.example.vn", "https://coop.example.vn/h2")


def test_an_officer_may_not_open_the_partner_pages(client, session):
    partner, _ = partners.create_partner(name="Sàn Shopee")
    factories.sign_in(client, "officer")
    token = factories.csrf_token(client, "/admin/")
    for path in ("/admin/partners", "/admin/partners/new", f"/admin/partners/{partner.id}"):
        assert client.get(path).status_code == 403, path
    for path in (f"/admin/partners/{partner.id}/keys", f"/admin/partners/{partner.id}/active", "/admin/partners/new"):
        assert client.post(path, data={"csrf_token": token, "name": "x"}).status_code == 403, path
    assert partner.active and len(partner.keys) == 1
    assert "/admin/partners" not in client.get("/admin/").get_data(as_text=True)


def test_the_delivery_log_shows_a_failed_delivery_and_retries_it(app, admin, session, frozen_clock, webhooks_held):
    partner, _ = partners.create_partner(name="Sàn Lazada", webhook_url="https://lazada.example/hook")
    factories.recognised_product()
    factories.index_now()
    delivery = session.scalars(select(WebhookDelivery).where(WebhookDelivery.partner_id == partner.id)).first()
    assert delivery is not None and delivery.status == "pending"
    for _ in range(webhooks.MAX_ATTEMPTS):                  # every attempt answered 500, until given up
        frozen_clock(clock.now() + dt.timedelta(hours=7))
        webhooks.deliver_due(send=lambda url, body, headers: 500)
    assert delivery.status == "failed" and delivery.attempts == webhooks.MAX_ATTEMPTS
    row = next(r for r in partners.overview() if r.partner.id == partner.id)
    assert row.failed >= 1
    page = f"/admin/partners/{partner.id}"
    text = admin.get(page + "?lang=en").get_data(as_text=True)
    assert "failed" in text and "HTTP 500" in text and "Retry now" in text
    assert post(admin, f"{page}/deliveries/retry", delivery=str(delivery.id)).status_code == 303
    session.refresh(delivery)
    assert delivery.status == "pending" and delivery.next_attempt_at == clock.now()
    webhooks.deliver_due(send=lambda url, body, headers: 204)
    assert delivery.status == "delivered" and delivery.delivered_at == clock.now()
    refused = post(admin, f"{page}/deliveries/retry?lang=en", delivery=str(delivery.id))
    assert refused.status_code == 422 and "already delivered" in refused.get_data(as_text=True)
    assert "HTTP 204" in admin.get(page).get_data(as_text=True)
