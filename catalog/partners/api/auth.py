"""Who is calling: a partner's bearer key, checked on every partner endpoint; rate limits per key.

The partner endpoints' limit is set on the blueprint, so the limiter checks it
before the blueprint's own hooks (:func:`_identify`), refused keys included; its
key function therefore finds out itself whether the bearer key is valid: a
read-only lookup, kept in ``flask.g`` for the request (:func:`_known_key`;
:func:`_identify` uses the same). Only a VALID key (unrevoked, its partner active) gets a bucket of its
own; a missing, unknown or revoked key counts against the client's network
(``limits.client_network``), so inventing keys buys nothing and writes no counter.

Budgets: ``CATALOG_API_RATE_LIMIT`` per valid key, ONE across the partner API
(shared scope ``partner-api``), stamp checks with the key included: a partner's
app checking stamps spends its own key's budget, not the public scan budget of
the network it calls from. Without a valid key the partner endpoints share one
such budget per network, and ``/api/v1/stamps`` counts in the client's scan budget
(``limits.scan_limit``, shared with ``/s/<code>`` and the Digital Link paths).
"""
from __future__ import annotations

from collections.abc import Callable

from flask import current_app, g, request
from sqlalchemy.exc import SQLAlchemyError

from catalog.kernel import clock
from catalog.kernel.db import db
from catalog.partners import feed
from catalog.partners import operations as partners
from catalog.partners.api import bp
from catalog.partners.models import ApiKey
from catalog.platform import limits, sqlite, transaction
from catalog.platform.limits import client_network, limiter
from catalog.platform.problems import Problem

PUBLIC_ENDPOINTS = {"api.stamp", "api.openapi_json", "api.docs"}
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="ocop-partner-api"'}
_LOOKED_UP = "_api_key_looked_up"


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _known_key() -> ApiKey | None:
    """The unrevoked key the request bears, else None; looked up once per request (reads only)."""
    if _LOOKED_UP not in g:
        token = _bearer()
        setattr(g, _LOOKED_UP, partners.authenticate(token, touch=False) if token else None)
    return getattr(g, _LOOKED_UP)


def _valid_key() -> ApiKey | None:
    """The key if it may use the API now (its partner active): the only kind with a bucket of its own.

    Asked by the limiter, which must not fail: while the database cannot answer this is None (nothing kept
    for the request), and :func:`_identify`'s own lookup raises the outage, answered 503."""
    try:
        key = _known_key()
    except SQLAlchemyError:
        db.session.rollback()
        return None
    return key if key is not None and key.partner.active else None


def rate_key() -> str:
    key = _valid_key()
    return f"key:{key.id}" if key is not None else "net:" + client_network()


def _partner_limit() -> str:
    return current_app.config["CATALOG_API_RATE_LIMIT"]


# Partner endpoints: one budget per valid key across the API, else one per client network. On the blueprint,
# so that it is checked before any of the blueprint's own hooks (_identify): a refused key is counted too.
# (A limit decorating a view is only checked when the view runs, after _identify has refused the key.)
limiter.shared_limit(_partner_limit, scope="partner-api", key_func=rate_key,
                     exempt_when=lambda: request.endpoint in PUBLIC_ENDPOINTS)(bp)

_by_key_when_valid = limiter.shared_limit(_partner_limit, scope="partner-api", key_func=rate_key,
                                         exempt_when=lambda: _valid_key() is None)
_as_a_scan_otherwise = limits.scan_limit(exempt_when=lambda: _valid_key() is not None)


def public_limit(view: Callable) -> Callable:
    """``/api/v1/stamps``: a valid key spends its own budget (as above), anyone else the client's scan budget."""
    return _by_key_when_valid(_as_a_scan_otherwise(view))


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
    key = _known_key()                                      # reads only: an invalid key writes nothing
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
