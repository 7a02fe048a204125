"""API partners and their keys.

A key is ``ocop_`` + 43 URL-safe characters (256 random bits), shown once at
creation. Only its SHA-256 is stored: a key that random cannot be guessed
back from the hash, so a slow password hash would only slow every API call.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import current_app
from marshmallow import EXCLUDE, Schema, validate
from sqlalchemy import case, func, select

from catalog.kernel import clock
from catalog.kernel.db import db
from catalog.kernel.errors import DomainError, InvalidInput, NotFound
from catalog.kernel.i18n import N_, Message
from catalog.kernel.ids import parse_id
from catalog.kernel.inputs import REQUIRED, Line, MaxLength, load
from catalog.partners import webhook_transport, webhooks
from catalog.partners.models import ApiKey, Partner, WebhookDelivery

KEY_PREFIX = "ocop_"
#: ``last_used_at`` is written at most this often per key (not on every request)
TOUCH_EVERY = dt.timedelta(minutes=5)


class PartnerInput(Schema):
    class Meta:
        unknown = EXCLUDE

    name = Line(required=True, error_messages=REQUIRED, validate=MaxLength(200))
    contact_email = Line(load_default=None, allow_none=True, validate=[
        MaxLength(254), validate.Email(error=N_("is not an e-mail address"))])
    webhook_url = Line(load_default=None, allow_none=True, validate=[
        MaxLength(500),
        validate.URL(schemes={"https", "http"}, require_tld=False, error=N_("is not an http(s) URL"))])


def create_partner(**fields) -> tuple[Partner, str]:
    """A new partner and its first key (the only time the key is seen)."""
    data = load(PartnerInput(), fields)
    _check_webhook_address(data["webhook_url"])
    if db.session.scalar(select(func.count()).select_from(Partner).where(Partner.name == data["name"])):
        raise InvalidInput({"name": [Message(N_("is already the name of another partner"))]})
    partner = Partner(**data, active=True,
                      webhook_secret=secrets.token_urlsafe(32) if data["webhook_url"] else None)
    db.session.add(partner)
    db.session.flush()
    return partner, issue_key(partner)


def update_partner(partner: Partner, **fields) -> Partner:
    data = load(PartnerInput(), {"name": partner.name, **fields})
    _check_webhook_address(data["webhook_url"])
    partner.contact_email, partner.webhook_url = data["contact_email"], data["webhook_url"]
    if partner.webhook_url and not partner.webhook_secret:
        partner.webhook_secret = secrets.token_urlsafe(32)
    db.session.flush()
    return partner


def _check_webhook_address(url: str | None) -> None:
    """Refuse a webhook URL whose host is a private, loopback or otherwise non-public address (each delivery
    checks every address the name resolves to as well)."""
    if not url:
        return
    try:
        webhook_transport.check_url(url, allow_private=current_app.config["CATALOG_WEBHOOKS_ALLOW_PRIVATE"])
    except webhook_transport.BlockedAddress:
        raise InvalidInput({"webhook_url": [Message(N_(
            "is not a public address: webhooks are only sent to public addresses"))]}) from None


def issue_key(partner: Partner) -> str:
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiKey(partner_id=partner.id, prefix=key[:12], key_hash=_digest(key)))
    db.session.flush()
    return key


def revoke_key(key: ApiKey) -> ApiKey:
    if key.revoked_at is None:
        key.revoked_at = clock.now()
        db.session.flush()
    return key


def set_active(partner: Partner, active: bool) -> Partner:
    """Suspend (the API answers 403, no new webhook deliveries are queued) or reactivate a partner."""
    partner.active = active
    db.session.flush()
    return partner


def get_key(partner: Partner, key_id) -> ApiKey:
    """One of ``partner``'s keys, by id (as posted by a form)."""
    return _owned(ApiKey, partner, key_id, field="key")


@dataclass(frozen=True)
class PartnerRow:
    """A partner as listed: its keys in use, their last use, and its deliveries waiting or given up."""

    partner: Partner
    keys_in_use: int
    last_used_at: dt.datetime | None
    pending: int
    failed: int


def overview() -> list[PartnerRow]:
    keys = (select(ApiKey.partner_id, func.count().label("in_use"), func.max(ApiKey.last_used_at).label("last"))
            .where(ApiKey.revoked_at.is_(None)).group_by(ApiKey.partner_id).subquery())
    deliveries = (select(WebhookDelivery.partner_id,
                         func.sum(case((WebhookDelivery.status == "pending", 1), else_=0)).label("pending"),
                         func.sum(case((WebhookDelivery.status == "failed", 1), else_=0)).label("failed"))
                  .where(WebhookDelivery.status.in_(("pending", "failed")))
                  .group_by(WebhookDelivery.partner_id).subquery())
    rows = db.session.execute(
        select(Partner, keys.c.in_use, keys.c.last, deliveries.c.pending, deliveries.c.failed)
        .outerjoin(keys, keys.c.partner_id == Partner.id)
        .outerjoin(deliveries, deliveries.c.partner_id == Partner.id)
        .order_by(Partner.name)).all()
    return [PartnerRow(p, in_use or 0, last, int(pending or 0), int(failed or 0))
            for p, in_use, last, pending, failed in rows]


def deliveries(partner: Partner, limit: int = 50) -> list[WebhookDelivery]:
    """The partner's latest webhook deliveries, newest first."""
    return list(db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.partner_id == partner.id)
                                   .order_by(WebhookDelivery.id.desc()).limit(limit)))


def retry_delivery(partner: Partner, delivery_id) -> WebhookDelivery:
    """Make a pending or failed delivery due now (a failed one gets one more attempt)."""
    delivery = _owned(WebhookDelivery, partner, delivery_id, field="delivery")
    if delivery.status == "delivered":
        raise DomainError(Message(N_("was already delivered")), field="delivery", code="already_delivered")
    delivery.status, delivery.next_attempt_at = "pending", clock.now()
    db.session.flush()
    webhooks.mark_queued()
    return delivery


def get_partner(partner_id: int) -> Partner:
    found = db.session.get(Partner, partner_id)
    if found is None:
        raise NotFound(Message(N_("no partner with id %(id)s"), id=partner_id))
    return found


def authenticate(raw_key: str, *, touch: bool = True) -> ApiKey | None:
    """The unrevoked key for ``raw_key``, else None (the caller checks ``key.partner.active``).
    ``touch``: record its use (a write, at most every :data:`TOUCH_EVERY`); else only reads."""
    if not raw_key or not raw_key.startswith(KEY_PREFIX) or len(raw_key) > 100:
        return None
    key = db.session.scalar(select(ApiKey).where(ApiKey.key_hash == _digest(raw_key)))
    if key is None or key.revoked_at is not None:
        return None
    if touch and touch_due(key):
        key.last_used_at = clock.now()
        db.session.flush()
    return key


def touch_due(key: ApiKey) -> bool:
    """Whether the key's last use is old enough to be recorded again."""
    return key.last_used_at is None or clock.now() - key.last_used_at > TOUCH_EVERY


Owned = TypeVar("Owned", ApiKey, WebhookDelivery)


def _owned(model: type[Owned], partner: Partner, row_id: Any, *, field: str) -> Owned:
    """``partner``'s row of ``model`` by the id a form posted; NotFound for no such row or another partner's."""
    number = parse_id(row_id)
    found = db.session.get(model, number) if number is not None else None
    if found is None or found.partner_id != partner.id:
        raise NotFound(Message(N_("%(partner)s has no key %(id)s") if model is ApiKey else
                               N_("%(partner)s has no webhook delivery %(id)s"), partner=partner.name,
                               id=repr(row_id)), field=field)
    return found


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
