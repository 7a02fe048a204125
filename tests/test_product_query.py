"""The one product query: the text-match cap on every backend, facets and pages in SQL, and the same products
for the same filters on the public search, the partner API and the admin list."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from catalog import search
from catalog.kernel import calendar, catalogue, recognitions
from catalog.search import outbox, service
from catalog.search.backend import RankedIds
from catalog.search.fallback import LikeBackend
from catalog.search.models import SearchOutboxEntry
from tests import factories
from tests.api_helpers import auth, partner_key
from tests.factories import REVOCATION

NOW = calendar.start_of_day(dt.date(2026, 6, 1)) + dt.timedelta(hours=9)
TEAS = {"Trà shan tuyết Hợp tâm Tương Mai (gói 200 gram)", "Trà shan tuyết đặc biệt Tương Mai",
        "Trà San tuyết công phu Độ Khoa (Hộp 200 gram)"}


@pytest.fixture()
def catalog(session, frozen_clock):
    frozen_clock(NOW)
    return factories.catalog_products()


@pytest.mark.parametrize("which", ["database", "like"])
def test_every_database_backend_answers_only_the_best_matches(catalog, session, which):
    backend = search.backends(for_queries=True)[0] if which == "database" else LikeBackend()
    every = backend.match("tra shan tuyet", 100).ids
    best_two = backend.match("tra shan tuyet", 2).ids
    assert len(every) == 3 and best_two == every[:2]


def test_a_query_past_the_cap_gives_counts_facets_and_pages_of_the_same_best_matches(catalog, client, monkeypatch):
    monkeypatch.setattr(service, "MATCH_LIMIT", 2)
    results = search.search(search.SearchQuery(q="tra shan tuyet"))
    assert results.total == 2 and len(results.hits) == 2 and {c.name for c in results.hits} < TEAS
    assert sum(n for _sector, n in results.facets.sectors) == sum(n for _stars, n in results.facets.stars) == 2
    pages = [search.search(search.SearchQuery(q="tra shan tuyet", per_page=1, page=n)) for n in (1, 2)]
    assert [(p.total, p.pages) for p in pages] == [(2, 2), (2, 2)]
    assert [p.hits[0].name for p in pages] == [c.name for c in results.hits]
    listed = client.get("/api/v1/products?q=tra+shan+tuyet", headers=auth(partner_key())).get_json()["items"]
    assert sorted(item["id"] for item in listed) == sorted(c.product_id for c in results.hits)


def test_an_external_backends_ranked_ids_keep_their_order_and_the_rule_still_applies(catalog, app):
    recognitions.revoke(catalog["cam"].recognitions[0], actor="t", **{**REVOCATION, "revoked_on": dt.date(2026, 6, 1)})

    class Ranked:
        name = "ranked"

        def match(self, text, limit):
            return RankedIds([catalog["dac_biet"].id, catalog["cam"].id, 2**31 - 1, catalog["gom"].id,
                              catalog["hop_tam"].id][:limit])

    found = service.find(search.ProductQuery(q="anything"), service.Backends([Ranked()], {}))
    assert [c.product_id for c in found.hits] == [catalog[k].id for k in ("dac_biet", "gom", "hop_tam")]
    assert found.total == 3 and dict(found.facets.stars) == {3: 2, 4: 1}
    assert service.find(search.ProductQuery(q="x", stars=3), service.Backends([Ranked()], {})).total == 2


def test_facets_and_order_are_the_same_on_every_page(catalog):
    everything = search.search(search.SearchQuery(sort="name"))
    for number in (1, 2, 3):
        page = search.search(search.SearchQuery(sort="name", per_page=3, page=number))
        assert (page.total, page.pages, page.page.number) == (8, 3, number)
        assert page.facets == everything.facets
        assert page.hits == everything.hits[(number - 1) * 3:number * 3]
    past_the_end = search.search(search.SearchQuery(sort="name", per_page=3, page=9))
    assert past_the_end.page.number == 3 and past_the_end.hits == everything.hits[6:]


def test_a_filtered_page_two_keeps_each_facet_blind_to_its_own_filter(catalog):
    page = search.search(search.SearchQuery(sector="food", stars=3, per_page=2, page=2))
    assert (page.total, page.pages, len(page.hits)) == (5, 3, 2)
    assert [(s.code, n) for s, n in page.facets.sectors] == [("food", 5)]       # the 3-star products' sectors
    assert page.facets.stars == [(5, 1), (4, 1), (3, 5)]                          # the food products' stars


def test_the_public_search_the_api_and_the_admin_list_give_the_same_products(catalog, client, session):
    recognitions.revoke(catalog["dac_biet"].recognitions[0], actor="t",
                        **{**REVOCATION, "revoked_on": dt.date(2026, 6, 1)})
    factories.index_now()
    expected = {catalog[k].name for k in ("cam", "hop_tam", "do_khoa", "mat_ong")}
    public = {c.name for c in search.search(search.SearchQuery(sector="food", province="08")).hits}
    api = {item["name"] for item in client.get("/api/v1/products?sector=food&province=08",
                                               headers=auth(partner_key())).get_json()["items"]}
    factories.sign_in(client, "editor")
    html = client.get("/admin/products?sector=food&province=08&status=in_force").get_data(as_text=True)
    admin = {name for name in (p.name for p in catalog.values()) if name in html}
    assert public == api == admin == expected
    assert re.search(r"4 (products|sản phẩm)", html)
    q_public = {c.name for c in search.search(search.SearchQuery(q="tuong mai", province="08")).hits}
    q_api = {item["name"] for item in client.get("/api/v1/products?q=tuong+mai&province=08",
                                                 headers=auth(partner_key("Sàn B"))).get_json()["items"]}
    assert q_public == q_api == {catalog["hop_tam"].name}


def test_the_outbox_listens_once_however_often_it_is_started(catalog, session):
    outbox.listen()
    outbox.listen()
    catalogue.update_product(catalog["gom"], name="Bình gốm men rạn Phương Nguyên")
    session.flush()
    assert session.scalar(select(func.count()).select_from(SearchOutboxEntry)) == 1
