"""Every status each operation of the partner API answers is declared in its OpenAPI document.

A request is sent for each way an operation can answer (its successes, each refusal, a rate limit, a
failure) and the status it got is looked up among the operation's declared responses (the exact code, or
its range such as ``5XX``), so a new answer cannot slip past the document.
"""
from __future__ import annotations

import datetime as dt

import pytest

from catalog.kernel import calendar
from catalog.partners.api import changes, export, products, stamps
from catalog.partners.models import Partner
from tests import factories
from tests.api_helpers import auth, partner_key

NOW = calendar.start_of_day(dt.date(2026, 6, 1)) + dt.timedelta(hours=9)
MODULES = {"/products": products, "/products/{product_id}": products, "/changes": changes,
           "/export.ndjson": export, "/stamps/{code}": stamps}


@pytest.fixture()
def setting(client, session, frozen_clock):
    frozen_clock(NOW)
    catalog = factories.catalog_products()
    _, _, batch = factories.stamped_product()
    key = partner_key()
    from catalog.trace import stamps as trace_stamps
    code = trace_stamps.stamps_of(batch)[0].code
    revoked = catalog["gom"]
    from catalog.kernel import recognitions
    recognitions.revoke(revoked.recognitions[0], actor="t", revoked_on="2026-05-01", **factories.REVOCATION)
    factories.index_now()
    return {"key": key, "cam": catalog["cam"].id, "revoked": revoked.id, "code": code}


def _declared(document: dict, template: str, status: int) -> bool:
    responses = document["paths"][template]["get"]["responses"]
    return str(status) in responses or f"{status // 100}XX" in responses


def _cases(s: dict) -> list[tuple[str, str, dict, int]]:
    """(operation, URL, headers, expected status): every way each operation answers."""
    key = auth(s["key"])
    cases = [
        ("/products", "/api/v1/products", key, 200),
        ("/products", "/api/v1/products?limit=0", key, 400),
        ("/products", "/api/v1/products?colour=red", key, 400),
        ("/products", "/api/v1/products", {}, 401),
        ("/products/{product_id}", f"/api/v1/products/{s['cam']}", key, 200),
        ("/products/{product_id}", f"/api/v1/products/{s['cam']}?x=1", key, 400),
        ("/products/{product_id}", "/api/v1/products/999999", key, 404),
        ("/products/{product_id}", "/api/v1/products/99999999999999999999", key, 404),
        ("/products/{product_id}", f"/api/v1/products/{s['revoked']}", key, 410),
        ("/products/{product_id}", f"/api/v1/products/{s['cam']}", {}, 401),
        ("/changes", "/api/v1/changes", key, 200),
        ("/changes", "/api/v1/changes?after=abc", key, 400),
        ("/changes", "/api/v1/changes", auth("ocop_not-a-key"), 401),
        ("/export.ndjson", "/api/v1/export.ndjson", key, 200),
        ("/export.ndjson", "/api/v1/export.ndjson?all=1", key, 400),
        ("/export.ndjson", "/api/v1/export.ndjson", {}, 401),
        ("/stamps/{code}", f"/api/v1/stamps/{s['code']}", {}, 200),
        ("/stamps/{code}", "/api/v1/stamps/NOT-A-CODE", {}, 200),
        ("/stamps/{code}", f"/api/v1/stamps/{s['code']}?x=1", {}, 400),
        ("/stamps/{code}", "/api/v1/stamps/AB%00C", {}, 400),
        ("/stamps/{code}", "/api/v1/stamps/AB%2FC", {}, 404),
    ]
    for template, url, _, _ in list(cases):
        if "?" not in url:
            headers = key if template != "/stamps/{code}" else {}
            cases.append((template, url, {**headers, "Host": "evil.example"}, 400))
    return cases


def test_every_answer_of_every_operation_is_declared(app, client, session, setting, monkeypatch):
    document = client.get("/api/v1/openapi.json").get_json()
    seen: dict[str, set[int]] = {}
    for template, url, headers, expected in _cases(setting):
        response = client.get(url, headers=headers)
        assert response.status_code == expected, (url, headers, response.get_data(as_text=True)[:200])
        assert _declared(document, template, expected), f"{template} answers {expected}, undeclared"
        seen.setdefault(template, set()).add(expected)

    session_key = auth(setting["key"])
    etag = client.get("/api/v1/products", headers=session_key).headers["ETag"]
    assert client.get("/api/v1/products", headers={**session_key, "If-None-Match": etag}).status_code == 304
    assert _declared(document, "/products", 304)

    for template, module in MODULES.items():                     # a failure: problem JSON, declared
        url = next(url for t, url, h, status in _cases(setting) if t == template and status == 200)
        headers = session_key if template != "/stamps/{code}" else {}
        with monkeypatch.context() as patch:
            def fail(*args, **kwargs):
                raise RuntimeError("the service failed")
            patch.setattr(module, "load_args", fail)
            response = client.get(url, headers=headers)
        assert response.status_code == 500 and response.mimetype == "application/problem+json"
        assert _declared(document, template, 500), f"{template} answers 500, undeclared"

    session.query(Partner).one().active = False                           # suspended: every partner operation
    factories.index_now()
    for template in MODULES:
        if template == "/stamps/{code}":
            continue
        url = next(url for t, url, h, status in _cases(setting) if t == template and status == 200)
        assert client.get(url, headers=session_key).status_code == 403
        assert _declared(document, template, 403), f"{template} answers 403, undeclared"


def test_rate_limits_are_declared(app, client, setting, monkeypatch):
    document = client.get("/api/v1/openapi.json").get_json()
    monkeypatch.setitem(app.config, "CATALOG_API_RATE_LIMIT", "1 per hour")
    monkeypatch.setitem(app.config, "CATALOG_SCAN_RATE_LIMIT", "1 per hour")
    for template, url, headers in (("/changes", "/api/v1/changes", auth(setting["key"])),
                                   ("/stamps/{code}", f"/api/v1/stamps/{setting['code']}", {})):
        statuses = [client.get(url, headers=headers).status_code for _ in range(2)]
        assert statuses == [200, 429] and _declared(document, template, 429)
