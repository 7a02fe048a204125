"""Who is calling: a partner's bearer key, checked on every partner endpoint; rate limits per key.

The limiter runs before any view, so its key is computed from the request
itself: the digest of the bearer key (a partner's bucket), else the client's
network (public endpoints, and callers without a usable key).
"""
from __future__ import annotations

import hashlib

from flask import current_app, g, request

from catalog.kernel import clock
from catalog.partners import feed
from catalog.partners import operations as partners
from catalog.partners.api import bp
from catalog.platform import sqlite, transaction
from catalog.platform.limits import limiter
from catalog.platform.problems import Problem

PUBLIC_ENDPOINTS = {"api.stamp", "api.openapi_json", "api.docs"}
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="ocop-partner-api"'}


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def rate_key() -> str:
    token = _bearer()
    if token and token.startswith(partners.KEY_PREFIX):
        return "key:" + hashlib.sha256(token.encode()).hexdigest()[:24]
    address = request.remote_addr or ""
    return "net:" + (address.rsplit(".", 1)[0] if "." in address else address[:19])


def _partner_limit() -> str:
    return current_app.config["CATALOG_API_RATE_LIMIT"]


def _public_limit() -> str:
    return current_app.config["CATALOG_SCAN_RATE_LIMIT"]


#: Decorators for views: partner endpoints count per key, public ones per client network.
partner_limit = limiter.limit(_partner_limit, key_func=rate_key)
public_limit = limiter.limit(_public_limit, key_func=rate_key)


#: Endpoints that, once the key is checked, bring the change feed up to the clock when something is due.
CATCHING_UP = {"api.products", "api.changes"}


@bp.before_request
def _identify():
    g.api_key = None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    token = _bearer()
    if token is None:
        raise Problem(401, "Send your API key as 'Authorization: Bearer <key>'.", kind="unauthenticated",
                      headers=CHALLENGE)
    key = partners.authenticate(token, touch=False)         # reads only: an invalid key writes nothing
    if key is None:
        raise Problem(401, "This API key is not valid, or it was revoked.", kind="unauthenticated",
                      headers={**CHALLENGE, "WWW-Authenticate": CHALLENGE["WWW-Authenticate"]
                               + ', error="invalid_token"'})
    if not key.partner.active:
        raise Problem(403, "This partner's access to the API is suspended; contact the OCOP office.",
                      kind="forbidden")
    catching_up = request.endpoint in CATCHING_UP and feed.due(now := clock.now())
    if catching_up or partners.touch_due(key):
        # Writes follow (the key's last use; events time has caused that no sweep has appended yet): end the
        # reads and take SQLite's write lock first, then read the key again in that transaction.
        transaction.end_reads()
        sqlite.begin_immediately()
        if catching_up:
            feed.catch_up(now)
        key = partners.authenticate(token)
        if key is None:
            raise Problem(401, "This API key is not valid, or it was revoked.", kind="unauthenticated",
                          headers=CHALLENGE)
    g.api_key = key
