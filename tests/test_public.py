"""Public pages: what a consumer sees, in Vietnamese first, and what disappears when."""
import datetime as dt
import json
import re

import pytest

from catalog.kernel import calendar, recognitions
from tests import factories
from tests.factories import REVOCATION

NOW = calendar.start_of_day(dt.date(2026, 6, 1)) + dt.timedelta(hours=9)


@pytest.fixture()
def catalog(session, frozen_clock):
    frozen_clock(NOW)
    return factories.catalog_products()


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def test_home_counts_and_newest(client, catalog):
    html = page(client, "/")
    assert '<html lang="vi">' in html
    assert "Cam sành Hà Giang (hộp 5kg)" in html
    assert re.search(r"<b>1</b>\s*5 sao", html) and re.search(r"<b>5</b>\s*3 sao", html)
    assert '<script src' not in html            # the core path needs no JavaScript


def test_search_page_filters_and_facets(client, catalog):
    html = page(client, "/search?q=dak+lak")
    assert "Cà phê rang xay Ea Tu" in html and "Cam sành" not in html
    html = page(client, "/search?q=tra&sector=food&stars=3&province=08&sort=name")
    assert html.index("Trà San tuyết công phu Độ Khoa") < html.index("Trà shan tuyết đặc biệt Tương Mai")
    html = page(client, "/search?q=khong+co+gi+ca")
    assert "Không tìm thấy sản phẩm OCOP nào phù hợp." in html


def test_bad_search_arguments_are_explained(client, catalog):
    html = page(client, "/search?stars=9&sort=price", status=400)
    assert "Hạng sao:" in html and "Sắp xếp:" in html      # each refused field named as the form names it
    assert "Cam sành Hà Giang" in html        # the rest of the query still answers


def test_product_page_shows_the_recognition_and_structured_data(client, catalog):
    html = page(client, "/products/cam-sanh-ha-giang-hop-5kg")
    for text in ("HTX Anh Tài", "thôn Vĩnh Chính", "Xã Vĩnh Tuy", "Tuyên Quang", "2751/QĐ-UBND"[:0] or "100/QĐ-UBND",
                 "20/12/2024", "20/12/2027", "UBND tỉnh Tuyên Quang", "hộp 5kg"):
        assert text in html, text
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Product" and data["name"] == "Cam sành Hà Giang (hộp 5kg)"
    assert data["brand"]["name"] == "HTX Anh Tài" and "OCOP 3 sao" in data["award"]
    assert '<meta property="og:title" content="Cam sành Hà Giang (hộp 5kg) · OCOP 3★">' in html
    assert 'href="/producers/htx-anh-tai"' in html


def test_revoked_product_keeps_its_url_with_410_and_leaves_every_list(client, catalog):
    recognitions.revoke(catalog["cam"].recognitions[0], actor="officer", **{
        **REVOCATION, "revoked_on": dt.date(2026, 5, 30)})
    factories.index_now()
    response = client.get("/products/cam-sanh-ha-giang-hop-5kg")
    html = response.get_data(as_text=True)
    assert response.status_code == 410 and response.headers["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in html
    for text in ("30/05/2026", "118/QĐ-UBND", "Không còn đáp ứng tiêu chí khi kiểm tra"):
        assert text in html, text
    for url in ("/", "/search?q=cam+sanh", "/search", "/provinces/08", "/producers/htx-anh-tai", "/sitemap.xml"):
        assert "cam-sanh-ha-giang-hop-5kg" not in page(client, url), url
    assert re.search(r"<b>4</b>\s*3 sao", page(client, "/"))


def test_expired_product_answers_410_saying_when(client, catalog, frozen_clock):
    frozen_clock(calendar.end_of_day(dt.date(2027, 12, 20)) + dt.timedelta(hours=1))
    html = page(client, "/products/tra-shan-tuyet-dac-biet-tuong-mai", status=410)
    assert "20/12/2027" in html
    assert "tra-shan-tuyet-dac-biet-tuong-mai" not in page(client, "/sitemap.xml")


def test_unknown_and_never_recognised_products_are_404(client, catalog):
    page(client, "/products/khong-ton-tai", status=404)
    never = factories.product(name="Bánh chưng chưa công nhận")
    factories.index_now()
    page(client, f"/products/{never.slug}", status=404)


def test_producer_by_slug_or_id_and_province_pages(client, catalog):
    producer = catalog["hop_tam"].producer
    for key in (producer.slug, str(producer.id)):
        html = page(client, f"/producers/{key}")
        assert "Trà shan tuyết đặc biệt Tương Mai" in html and "Mật ong hoa bạc hà" in html
    html = page(client, "/provinces/66")
    assert "Cà phê rang xay Ea Tu" in html and "Cam sành" not in html
    page(client, "/provinces/99", status=404)


def test_sitemap_and_robots(client, catalog):
    xml = page(client, "/sitemap.xml")
    assert xml.count("<url>") == 9 and "/products/nuoc-mam-phu-quoc-thanh-dat</loc>" in xml
    robots = page(client, "/robots.txt")
    assert "Sitemap: http://127.0.0.1:5000/sitemap.xml" in robots and "Disallow: /admin/" in robots


def test_english_on_request_kept_in_a_cookie(client, catalog):
    html = page(client, "/?lang=en")
    assert '<html lang="en">' in html and "Newest recognitions" in html
    assert '<html lang="en">' in page(client, "/search?q=cam")          # the cookie keeps the choice
    assert '<html lang="vi">' in page(client, "/search?q=cam&lang=vi")
    assert "Mới được công nhận" in page(client, "/")
