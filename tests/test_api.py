"""The partner API as a retailer uses it: keys, listings, one product, the feed, the export, stamp checks."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from catalog.kernel import calendar, recognitions
from catalog.partners import operations as partners
from catalog.partners.api import schemas
from catalog.partners.models import ApiKey, Partner
from tests import factories
from tests.api_helpers import auth, conforms, partner_key
from tests.factories import REVOCATION

NOW = calendar.start_of_day(dt.date(2026, 6, 1)) + dt.timedelta(hours=9)


@pytest.fixture()
def catalog(session, frozen_clock):
    frozen_clock(NOW)
    return factories.catalog_products()


@pytest.fixture()
def key(session):
    return partner_key()


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    conforms(body, schemas.GoneSchema if status == 410 else schemas.ProblemSchema)
    return body


def test_partner_endpoints_need_a_valid_key(client, catalog, key, session):
    assert problem(client.get("/api/v1/products"), 401)["detail"].startswith("Send your API key")
    assert client.get("/api/v1/products").headers["WWW-Authenticate"].startswith("Bearer")
    problem(client.get("/api/v1/products", headers=auth("ocop_not-a-real-key")), 401)
    assert client.get("/api/v1/products", headers=auth(key)).status_code == 200
    stored = session.query(ApiKey).one()
    assert key not in stored.key_hash and stored.prefix == key[:12]
    partners.revoke_key(stored)
    factories.index_now()
    problem(client.get("/api/v1/products", headers=auth(key)), 401)


def test_a_suspended_partner_is_refused(client, catalog, key, session):
    session.query(Partner).one().active = False
    factories.index_now()
    assert "suspended" in problem(client.get("/api/v1/products", headers=auth(key)), 403)["detail"]


def test_listing_pages_with_a_stable_cursor(client, catalog, key):
    seen, cursor = [], None
    while True:
        response = client.get("/api/v1/products", query_string={"limit": 3, **({"cursor": cursor} if cursor else {})},
                              headers=auth(key))
        page = response.get_json()
        conforms(page, schemas.ProductPageSchema)
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(p.id for p in catalog.values())
    tea = next(i for i in client.get("/api/v1/products?q=tra+shan+tuyet", headers=auth(key)).get_json()["items"])
    assert "Trà" in tea["name"] and tea["recognition"]["status"] == "in_force"
    assert tea["url"].endswith("/products/" + tea["slug"])


def test_filters_and_bad_parameters(client, catalog, key):
    five = client.get("/api/v1/products?stars=5", headers=auth(key)).get_json()["items"]
    assert [p["name"] for p in five] == ["Nước mắm Phú Quốc Thành Đạt"]
    body = problem(client.get("/api/v1/products?limit=501&colour=red&stars=2", headers=auth(key)), 400)
    named = {(e["name"], e["problem"]) for e in body["errors"]}
    assert ("colour", "is not a known parameter") in named
    assert {"limit", "stars"} <= {name for name, _ in named}
    for bad in ("cursor=%25%25", "limit=1&limit=2"):
        assert problem(client.get(f"/api/v1/products?{bad}", headers=auth(key)), 400)["errors"][0]["name"] in bad


def test_etag_and_last_modified_answer_304_until_something_changes(client, catalog, key):
    first = client.get("/api/v1/products", headers=auth(key))
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = client.get("/api/v1/products", headers={**auth(key), "If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert client.get("/api/v1/products", headers={**auth(key), "If-Modified-Since": modified}).status_code == 304
    recognitions.revoke(catalog["gom"].recognitions[0], actor="test", revoked_on="2026-06-01", **REVOCATION)
    factories.index_now()
    changed = client.get("/api/v1/products", headers={**auth(key), "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_one_product_answers_410_once_it_is_no_longer_certified(client, catalog, key):
    cam = catalog["cam"]
    ok = client.get(f"/api/v1/products/{cam.id}", headers=auth(key))
    conforms(ok.get_json(), schemas.ProductSchema)
    assert ok.get_json()["producer"]["name"] == "HTX Anh Tài"
    recognitions.revoke(cam.recognitions[0], actor="test", revoked_on="2026-06-01", **REVOCATION)
    factories.index_now()
    gone = problem(client.get(f"/api/v1/products/{cam.id}", headers=auth(key)), 410)
    assert (gone["reason"], gone["since"], gone["decision_number"]) == ("revoked", "2026-06-01", "118/QĐ-UBND")
    problem(client.get("/api/v1/products/999999", headers=auth(key)), 404)


def test_replaying_the_feed_ends_with_exactly_the_listed_products(client, catalog, key, frozen_clock):
    """The issue's test: one revoked, one expired by the clock; both delistings seen with their reasons."""
    revoked = catalog["gom"]
    recognitions.revoke(revoked.recognitions[0], actor="test", revoked_on="2026-06-01", **REVOCATION)
    factories.index_now()
    expiring = factories.recognised_product(decision_date=dt.date(2023, 6, 10))     # valid until 10/6/2026
    factories.index_now()
    frozen_clock(expiring.recognitions[0].ends_at + dt.timedelta(seconds=1))
    held, delisted, after = set(), {}, "0"
    while True:
        page = client.get(f"/api/v1/changes?after={after}&limit=4", headers=auth(key)).get_json()
        conforms(page, schemas.ChangesPageSchema)
        for event in page["events"]:
            assert int(event["position"]) == int(after) + 1          # gap-free, in order
            after = event["position"]
            if event["kind"] == "delisted":
                held.discard(event["product_id"])
                delisted[event["product_id"]] = event["reason"]
            else:
                held.add(event["product_id"])
        if not page["events"]:
            break
    listed, cursor = set(), None
    while True:
        page = client.get("/api/v1/products", query_string={"limit": 500, **({"cursor": cursor} if cursor else {})},
                          headers=auth(key)).get_json()
        listed |= {item["id"] for item in page["items"]}
        if not (cursor := page["next_cursor"]):
            break
    assert held == listed
    assert delisted == {revoked.id: "revoked", expiring.id: "expired"}


def test_export_streams_every_listed_product_as_ndjson(client, catalog, key):
    response = client.get("/api/v1/export.ndjson", headers=auth(key))
    assert response.mimetype == "application/x-ndjson"
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    for document in lines:
        conforms(document, schemas.ProductSchema)
    assert sorted(d["id"] for d in lines) == sorted(p.id for p in catalog.values())
    assert response.headers["X-Total-Count"] == str(len(lines))


def test_stamp_check_is_public_and_logs_no_scan(client, session, frozen_clock):
    from catalog.trace.models.scans import Scan
    from catalog.trace.models.stamps import Stamp
    frozen_clock(NOW)
    _, _, batch = factories.stamped_product()
    factories.index_now()
    code = session.query(Stamp).filter_by(batch_id=batch.id).first().code
    answer = client.get(f"/api/v1/stamps/{code}")
    conforms(answer.get_json(), schemas.VerdictSchema)
    assert answer.get_json()["verdict"] == "genuine"
    assert client.get("/api/v1/stamps/NOT-A-CODE").get_json()["verdict"] == "unknown"
    assert session.query(Scan).count() == 0


def test_unknown_endpoints_and_methods_are_problems_too(client, key):
    problem(client.get("/api/v1/nothing-here", headers=auth(key)), 404)
    response = client.post("/api/v1/products", headers=auth(key))
    assert problem(response, 405)["detail"].startswith("POST is not allowed")


def test_rate_limit_per_key_answers_429_with_retry_after(app, client, session, monkeypatch):
    monkeypatch.setitem(app.config, "CATALOG_API_RATE_LIMIT", "2 per minute")
    key = partner_key("Tạp hoá giới hạn")
    statuses = [client.get("/api/v1/changes", headers=auth(key)) for _ in range(3)]
    assert [r.status_code for r in statuses] == [200, 200, 429]
    problem(statuses[-1], 429)
    assert int(statuses[-1].headers["Retry-After"]) > 0
    other = partner_key("Một đối tác khác")
    assert client.get("/api/v1/changes", headers=auth(other)).status_code == 200     # its own bucket


def test_openapi_document_and_docs_page(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.1") and {"/products", "/products/{product_id}", "/changes",
                                                  "/export.ndjson", "/stamps/{code}"} <= set(spec["paths"])
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "GET /changes" in page and "cdn" not in page.lower()


def test_partners_command_prints_a_key_that_works(app, client, session):
    result = app.test_cli_runner().invoke(args=["partners", "create", "Siêu thị Co.op Hà Giang"])
    assert result.exit_code == 0, result.output
    key = result.output.split("keep it secret): ")[1].split()[0]
    assert client.get("/api/v1/changes", headers=auth(key)).status_code == 200


def test_updated_since_pages_through_only_what_changed_and_never_ends_early(client, catalog, key, frozen_clock):
    from catalog.kernel import catalogue
    changed = [catalog["mat_ong"], catalog["gom"]]               # the last ids: pages of the others come first
    frozen_clock(NOW + dt.timedelta(hours=1))
    for item in changed:
        catalogue.update_product(item, story="Câu chuyện mới của sản phẩm.")
    factories.index_now()
    since = (NOW + dt.timedelta(minutes=30)).isoformat()
    seen, cursor = [], None
    while True:
        body = client.get("/api/v1/products", headers=auth(key), query_string={
            "updated_since": since, "limit": 1, **({"cursor": cursor} if cursor else {})}).get_json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(item.id for item in changed)
    with_q = client.get("/api/v1/products", headers=auth(key), query_string={"updated_since": since, "q": "mật ong"})
    assert [item["id"] for item in with_q.get_json()["items"]] == [catalog["mat_ong"].id]
    for far, expected in (("9999-12-31T23:59:59-14:00", 0), ("0001-01-01T00:00:00+14:00", len(catalog))):
        listed = client.get("/api/v1/products", headers=auth(key), query_string={"updated_since": far, "limit": 100})
        assert len(listed.get_json()["items"]) == expected, far
