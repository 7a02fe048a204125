"""Browsing the public catalog: who speaks, a search box everywhere, back to the results, a way out of no
results, event times, the favicon and how long browsers keep the static files."""
import datetime as dt
import hashlib
import os
import re
from urllib.parse import quote, unquote

import pytest
from sqlalchemy import select

import catalog.platform
from catalog.kernel import calendar, recognitions
from catalog.trace.models.stamps import Stamp
from tests import factories
from tests.factories import REVOCATION

NOW = calendar.start_of_day(dt.date(2026, 6, 1)) + dt.timedelta(hours=9)
REGISTRY = "Hệ thống OCOP tỉnh Ninh Bình"
OFFICE = "Văn phòng Điều phối Chương trình OCOP tỉnh Ninh Bình"
STATIC = os.path.join(os.path.dirname(catalog.platform.__file__), "static")


@pytest.fixture()
def catalog(session, frozen_clock):
    frozen_clock(NOW)
    return factories.catalog_products()


@pytest.fixture()
def registry(app, monkeypatch):
    monkeypatch.setitem(app.config, "CATALOG_REGISTRY_NAME", REGISTRY)
    monkeypatch.setitem(app.config, "CATALOG_OFFICE_NAME", OFFICE)


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def header(html):
    return re.search(r'<header class="site">(.*?)</header>', html, re.S).group(1)


def test_every_public_page_names_the_registry_and_has_the_search_box(client, catalog, registry):
    recognitions.revoke(catalog["gom"].recognitions[0], actor="officer", **{
        **REVOCATION, "revoked_on": dt.date(2026, 5, 30)})
    factories.index_now()
    producer = catalog["cam"].producer
    for url, status in (("/", 200), ("/search?q=tra", 200), ("/search?q=khong+co+gi", 200),
                        ("/products/cam-sanh-ha-giang-hop-5kg", 200), (f"/producers/{producer.slug}", 200),
                        ("/provinces/08", 200), ("/products/binh-gom-men-lam-phuong-nguyen", 410),
                        ("/products/khong-ton-tai", 404)):
        html = page(client, url, status)
        top = header(html)
        assert f'<a class="brand" href="/">{REGISTRY}</a>' in top, url          # who speaks, linking home
        assert re.search(r'<form[^>]*action="/search" method="get" role="search">', top), url
        assert 'name="q"' in top and "Ví dụ: trà shan tuyết" in top, url
        assert re.search(r'<a [^>]*hreflang="vi"[^>]*aria-current="true">Tiếng Việt</a>', top), url
        footer = html[html.index('<footer class="site">'):]
        assert OFFICE in footer and REGISTRY in footer, url
        assert f"· {REGISTRY}</title>" in html, url
    top = header(page(client, "/search?q=cam&lang=en"))
    assert re.search(r'<a [^>]*hreflang="en"[^>]*aria-current="true">English</a>', top)
    assert 'value="cam"' in top                  # the search page's query stays in the box


def test_search_results_lead_back_to_the_same_search(client, catalog):
    html = page(client, "/search?q=tra&sector=food&page=1")
    back = quote("/search?q=tra&sector=food", safe="")
    assert f'href="/products/tra-shan-tuyet-dac-biet-tuong-mai?back={back}"' in html
    html = page(client, f"/products/tra-shan-tuyet-dac-biet-tuong-mai?back={back}")
    assert '<p class="back"><a href="/search?q=tra&amp;sector=food">← Quay lại kết quả tìm kiếm</a></p>' in html
    producer = catalog["dac_biet"].producer
    link = re.search(rf'href="/producers/{producer.slug}\?back=([^"]*)"', html).group(1)
    assert unquote(link) == "/search?q=tra&sector=food"                           # the producer page keeps it
    html = page(client, f"/producers/{producer.slug}?back={back}")
    assert '<a href="/search?q=tra&amp;sector=food">← Quay lại kết quả tìm kiếm</a>' in html
    assert f"?back={back}" in html                                                # and so do its cards
    html = page(client, "/products/tra-shan-tuyet-dac-biet-tuong-mai")
    assert "Quay lại kết quả" not in html                                         # not reached from a search
    html = page(client, f"/products/tra-shan-tuyet-dac-biet-tuong-mai?back={quote('/search', safe='')}")
    assert '<a href="/search">← Quay lại kết quả tìm kiếm</a>' in html           # every product listed


@pytest.mark.parametrize("back", [
    "https://evil.example/search?q=tra", "//evil.example/search?q=tra", "/\\evil.example/search",
    "https:/search?q=tra", "javascript:alert(1)//search", "/admin/?q=tra", "/search/../admin?q=tra",
    "/search?q=tra#https://evil.example", "/search?stars=9", "/search?q=" + "a" * 1200])
def test_back_is_only_ever_a_search_of_this_site(client, catalog, back):
    html = page(client, f"/products/tra-shan-tuyet-dac-biet-tuong-mai?back={quote(back, safe='')}")
    assert '<p class="back">' not in html and "Quay lại kết quả" not in html
    links = re.findall(r'href="([^"]*)"', html)
    assert not [link for link in links if "evil" in link and not link.startswith("/products/")], links


def test_back_keeps_only_the_search_fields(client, catalog):
    back = quote("/search?q=tra&next=https://evil.example&province=08", safe="")
    html = page(client, f"/products/tra-shan-tuyet-dac-biet-tuong-mai?back={back}")
    assert '<a href="/search?q=tra&amp;province=08">← Quay lại kết quả tìm kiếm</a>' in html


def test_no_results_offers_a_correction_nearby_sets_and_browsing(client, catalog):
    html = page(client, "/search?q=cam+sanhh+xyzq")
    assert "Không tìm thấy sản phẩm OCOP nào phù hợp." in html
    assert 'class="notice"' not in html and 'class="facets"' not in html          # no red box, no empty facets
    assert 'Có phải bạn muốn tìm <a href="/search?q=cam+sanh">cam sanh</a>?' in html
    assert "Cam sành Hà Giang" in page(client, "/search?q=cam+sanh")              # the suggestion finds it
    assert '<a href="/search">Xem tất cả sản phẩm đang được công nhận</a>' in html
    html = page(client, "/search?q=ruou+ngo")
    assert '<a href="/search?group=2.1">Rượu trắng</a>' in html                   # the set its words name
    assert "Có phải bạn muốn tìm" not in html                                     # nothing to correct
    html = page(client, "/search?q=mat+ong+rung&province=01")
    assert '<a href="/search?group=1.2">Mật ong, mật khác và nông sản thực phẩm khác</a>' in html
    assert '<a href="/search?q=mat+ong+rung">Bỏ bộ lọc và tìm lại</a>' in html


def test_a_correction_that_finds_nothing_is_not_offered(client, catalog):
    html = page(client, "/search?q=xyzqw+zzzzk")
    assert "Có phải bạn muốn tìm" not in html and "Xem tất cả sản phẩm" in html


def test_search_filters_are_folded_under_one_control(client, catalog):
    html = page(client, "/search?q=tra&sector=food&stars=3")
    details = re.search(r'<details class="filters">(.*?)</details>', html, re.S).group(1)
    assert re.search(r'<summary>Bộ lọc <span class="badge">2</span></summary>', details)   # two filters on
    assert details.count("<select") == 4 and details.count('form="site-search"') == 5     # one form with the box
    assert 'class="facets"' in details


def test_event_times_say_their_zone_only_when_it_is_not_the_registrys(client, session, frozen_clock):
    from catalog.trace import lots
    frozen_clock(NOW)
    product, lot, batch = factories.stamped_product()
    lots.add_event(lot, kind="shipping", occurred_at="2026-05-03T10:15:00+09:00", place="Cảng Osaka",
                   actor="Công ty TNHH Thành Đạt")
    factories.index_now()
    code = session.scalars(select(Stamp).where(Stamp.batch_id == batch.id).order_by(Stamp.serial)).first().code
    html = page(client, f"/s/{code}")
    assert "01/05/2026 06:30<br>" in html and "01/05/2026 06:30 (UTC" not in html
    assert "03/05/2026 10:15 (UTC+09:00)" in html


def test_event_time_filter(app):
    from catalog.platform.i18n import event_time
    zone = dt.timezone
    with app.test_request_context("/"):
        assert event_time(dt.datetime(2026, 5, 1, 6, 30, tzinfo=zone(dt.timedelta(hours=7)))) == "01/05/2026 06:30"
        assert event_time(dt.datetime(2026, 5, 1, 6, 30, tzinfo=zone(-dt.timedelta(hours=5, minutes=30)))) \
            == "01/05/2026 06:30 (UTC-05:30)"
        assert event_time(None) == "—"
    with app.test_request_context("/?lang=en"):
        assert event_time(dt.datetime(2026, 5, 1, 23, 30, tzinfo=zone(dt.timedelta(hours=9)))) \
            == "1 May 2026 23:30 (UTC+09:00)"            # its own day, not the registry's (2 May there)


def _digest(name):
    with open(os.path.join(STATIC, name), "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:12]


def test_favicon_answers_and_every_layout_links_it(client, catalog):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    assert response.data[:4] == b"\x00\x00\x01\x00"                 # an ICO file
    icon = f'<link rel="icon" href="/static/favicon.svg?v={_digest("favicon.svg")}" type="image/svg+xml">'
    svg = client.get(f"/static/favicon.svg?v={_digest('favicon.svg')}")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    for url in ("/", "/search?q=tra", "/products/cam-sanh-ha-giang-hop-5kg", "/products/khong-ton-tai"):
        assert icon in client.get(url).get_data(as_text=True), url
    factories.sign_in(client, "admin")
    assert icon in page(client, "/admin/")


def test_stylesheets_carry_their_hash_and_are_kept_a_year(client, catalog):
    css = _digest("catalog.css")
    html = page(client, "/")
    assert f'<link rel="stylesheet" href="/static/catalog.css?v={css}">' in html
    hashed = client.get(f"/static/catalog.css?v={css}")
    assert hashed.status_code == 200 and hashed.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    for url in ("/static/catalog.css", "/static/catalog.css?v=0123456789ab"):      # unhashed, or an old hash
        plain = client.get(url)
        assert plain.status_code == 200 and "immutable" not in plain.headers["Cache-Control"], url
        assert plain.headers["Cache-Control"] == "public, max-age=300", url
    assert client.get("/static/nothing.css").status_code == 404
    assert "Content-Security-Policy" in hashed.headers                             # the headers are kept
    factories.sign_in(client, "admin")
    html = page(client, "/admin/")
    for name in ("catalog.css", "admin.css"):
        assert f'href="/static/{name}?v={_digest(name)}"' in html, name
    assert not re.findall(r'href="/static/[^"?]*"', html)                       # none without its hash
