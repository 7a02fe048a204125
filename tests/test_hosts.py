"""The service's own address: absolute URLs come from CATALOG_PUBLIC_URL, never from the Host header, and a
request for an unknown host is refused with a clear 400."""
import datetime as dt
import re

import pytest

from catalog.kernel import calendar
from catalog.platform import hosts
from tests import api_helpers, factories

NOW = calendar.start_of_day(dt.date(2026, 6, 1)) + dt.timedelta(hours=9)
PUBLIC = "https://ocop.example.vn"


@pytest.fixture()
def stamped(session, frozen_clock):
    frozen_clock(NOW)
    product, lot, batch = factories.stamped_product()
    factories.index_now()
    from catalog.trace import stamps
    return product, lot, batch, stamps.stamps_of(batch)[0]


@pytest.fixture()
def public_url(app, monkeypatch):
    """The app configured for https://ocop.example.vn, also answering for www.ocop.example.vn."""
    monkeypatch.setitem(app.config, "CATALOG_PUBLIC_URL", PUBLIC)
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", hosts.trusted_hosts(PUBLIC, "www.ocop.example.vn, .cdn.vn"))
    return PUBLIC


def test_trusted_hosts_come_from_the_public_url_the_extra_list_and_loopback():
    assert hosts.trusted_hosts("https://ocop.example.vn:8443/", "WWW.ocop.example.vn, ,.cdn.vn") == [
        "ocop.example.vn", "www.ocop.example.vn", ".cdn.vn", "localhost", "127.0.0.1"]
    assert hosts.trusted_hosts("http://127.0.0.1:5000", None) == ["127.0.0.1", "localhost"]


def test_the_default_configuration_trusts_the_dev_server_and_the_test_client(app, client, session):
    assert set(app.config["TRUSTED_HOSTS"]) >= {"127.0.0.1", "localhost"}
    for host in ("127.0.0.1:5000", "localhost", "localhost:5000"):
        assert client.get("/ping", headers={"Host": host}).status_code == 200, host


@pytest.mark.parametrize("host", ["evil.example", "evil.example:5000", "ocop.example.vn.evil.example",
                                  "127.0.0.1.evil.example", ""])
def test_an_unknown_host_gets_a_clear_400(client, stamped, public_url, host):
    stamp = stamped[3]
    for path in ("/", "/robots.txt", "/sitemap.xml", "/products/cam-sanh-ha-giang-hop-5kg",
                 f"/01/08934563138165/10/CS-2026.05/21/{stamp.code}?linkType=gs1:pip"):
        response = client.get(path, headers={"Host": host})
        assert response.status_code == 400, (host, path)
        assert "Location" not in response.headers
        assert "không phục vụ tên miền" in response.get_data(as_text=True)
    problem = client.get("/api/v1/products", headers={"Host": host})
    assert problem.status_code == 400 and problem.mimetype == "application/problem+json"
    assert problem.get_json()["type"].endswith("/unknown-host") and PUBLIC in problem.get_json()["detail"]


@pytest.mark.parametrize("host", ["ocop.example.vn", "www.ocop.example.vn", "img.cdn.vn", "localhost"])
def test_absolute_urls_use_the_public_url_whatever_trusted_host_is_named(client, stamped, public_url, host):
    stamp = stamped[3]
    headers = {"Host": host}
    robots = client.get("/robots.txt", headers=headers).get_data(as_text=True)
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in robots
    sitemap = client.get("/sitemap.xml", headers=headers).get_data(as_text=True)
    locs = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert locs and all(loc.startswith(PUBLIC + "/") for loc in locs)
    html = client.get("/products/cam-sanh-ha-giang-hop-5kg", headers=headers).get_data(as_text=True)
    page = f"{PUBLIC}/products/cam-sanh-ha-giang-hop-5kg"
    assert f'<link rel="canonical" href="{page}">' in html
    assert f'<meta property="og:url" content="{page}">' in html
    assert f'"url": "{page}"' in html                        # the JSON-LD
    path = f"/01/08934563138165/10/CS-2026.05/21/{stamp.code}"
    redirect = client.get(path + "?linkType=gs1:pip", headers=headers)
    assert redirect.status_code == 307 and redirect.headers["Location"] == page
    links = client.get(path + "?linkType=linkset", headers=headers).get_json()["linkset"][0]
    assert links["anchor"] == PUBLIC + path
    assert links["https://gs1.org/voc/traceability"][0]["href"].lower() == f"{PUBLIC}/s/{stamp.code}".lower()
    verdict = client.get(f"/s/{stamp.code}", headers={**headers, "Accept": "application/json"}).get_json()
    assert verdict["product"]["url"] == page


def test_the_api_links_and_its_document_use_the_public_url(client, session, public_url):
    factories.recognised_product()
    auth = {"Host": "www.ocop.example.vn", **api_helpers.auth(api_helpers.partner_key())}
    items = client.get("/api/v1/products", headers=auth).get_json()["items"]
    assert items and all(item["url"].startswith(PUBLIC + "/products/") for item in items)
    document = client.get("/api/v1/openapi.json", headers=auth).get_json()
    assert document["servers"][0]["url"] == PUBLIC + "/api/v1"


def test_external_url_outside_a_request(app, public_url):
    with app.app_context():
        assert hosts.external_url("public.product", slug="x", _anchor="recognition") == \
            f"{PUBLIC}/products/x#recognition"


def test_link_type_redirect_keeps_the_query_before_the_fragment(client, stamped):
    stamp = stamped[3]
    path = f"/01/08934563138165/10/CS-2026.05/21/{stamp.code}"
    redirect = client.get(path + "?linkType=gs1:certificationInfo&x=1&utm_source=qr")
    assert redirect.status_code == 307
    assert redirect.headers["Location"] == \
        "http://127.0.0.1:5000/products/cam-sanh-ha-giang-hop-5kg?x=1&utm_source=qr#recognition"
    plain = client.get(path + "?linkType=gs1:certificationInfo")
    assert plain.headers["Location"] == "http://127.0.0.1:5000/products/cam-sanh-ha-giang-hop-5kg#recognition"
