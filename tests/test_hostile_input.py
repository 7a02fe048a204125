"""Input typed or fuzzed to break queries: numbers no row can have, and NUL characters.

Ids are 32-bit on PostgreSQL, which fails a whole statement for an out-of-range
parameter ("integer out of range") where SQLite just finds nothing; "²" passes
``str.isdigit`` but ``int`` refuses it; PostgreSQL refuses NUL in any text
parameter. Each must get the answer an unknown id or a bad value gets (404, a
form or parameter error), never a 500. The suite runs on PostgreSQL in CI,
where these used to fail.
"""
from __future__ import annotations

import re

import pytest

from catalog.kernel.ids import MAX_ID, parse_id
from tests import factories
from tests.api_helpers import auth, partner_key

HUGE = "99999999999"          # > 2**31 - 1
ODD = ("²", "١٢", "-1", "0", " 7 ", HUGE, str(MAX_ID + 1))


def test_parse_id_takes_only_what_a_row_could_have():
    assert [parse_id(value) for value in ODD] == [None, None, None, None, 7, None, None]
    assert parse_id(str(MAX_ID)) == MAX_ID and parse_id(12) == 12 and parse_id(True) is None


def test_every_route_with_an_id_answers_404_for_an_id_out_of_range(app, client, session):
    factories.sign_in(client, "admin")
    checked = 0
    for rule in app.url_map.iter_rules():
        if not any(type(conv).__name__ == "RowIdConverter" for conv in rule._converters.values()):
            continue
        path = re.sub(r"<id:[^>]+>", HUGE, rule.rule)
        path = re.sub(r"<[^>]+>", "x", path)
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(path, method=method)
        assert response.status_code == 404, f"{method} {path}: {response.status_code}"
        checked += 1
    assert checked >= 30                     # admin records, stamps, violations, reports, partners, API


@pytest.mark.parametrize("path", [
    f"/admin/products?producer={HUGE}&set=²&page={HUGE}",
    "/admin/products?producer=²&page=²",
    f"/admin/lots?product={HUGE}",
    f"/admin/stamps?product_id={HUGE}&page={HUGE}",
    f"/admin/stamps/new?product_id={HUGE}",
    f"/admin/violations/new?product_id={HUGE}",
    f"/admin/producers?page={HUGE}",
    "/admin/audit?page=²",
    f"/admin/?q={HUGE}",
])
def test_admin_pages_ignore_numbers_no_row_can_have(client, session, path):
    factories.sign_in(client, "admin")
    assert client.get(path).status_code == 200


def test_admin_forms_name_the_field_for_an_id_no_row_can_have(client, session):
    factories.sign_in(client, "officer")
    product, lot, batch = factories.stamped_product(count=3)
    issued = factories.post_form(client, "/admin/stamps/new", {"product": HUGE, "count": "2"})
    assert issued.status_code == 422
    path = f"/admin/stamps/{batch.id}"
    for form in ({"lot": HUGE}, {"lot": str(lot.id), "first": "²"}, {"lot": str(lot.id), "first": HUGE}):
        response = factories.post_form(client, f"{path}/bind", form, form=path)
        assert response.status_code == 422, (form, response.status_code)
    created = factories.post_form(client, "/admin/products/new",
                                  {"name": "Trà thử", "producer_id": HUGE, "product_set": "1"})
    assert created.status_code == 422


def test_partner_forms_refuse_ids_no_row_can_have(client, session):
    from catalog.partners import operations as partners
    factories.sign_in(client, "admin")
    partner = partners.create_partner(name="Sàn số lớn")[0]
    path = f"/admin/partners/{partner.id}"
    for action, field in (("keys/revoke", "key"), ("deliveries/retry", "delivery")):
        response = factories.post_form(client, f"{path}/{action}", {field: HUGE}, form=path)
        assert response.status_code == 422, (action, response.status_code)


@pytest.mark.parametrize("path, status", [
    (f"/producers/{HUGE}", 404),
    ("/provinces/01?page=²", 200),
    (f"/provinces/01?page={HUGE}", 200),
    ("/search?page=²", 400),
    (f"/search?stars={HUGE}", 400),
])
def test_public_pages(client, session, path, status):
    factories.catalog_products()
    assert client.get(path).status_code == status


def test_api_cursor_past_the_largest_id_is_an_empty_last_page(client, session):
    factories.catalog_products()
    response = client.get(f"/api/v1/products?cursor={HUGE}", headers=auth(partner_key("Sàn con trỏ")))
    assert response.status_code == 200
    assert response.get_json() == {"items": [], "next_cursor": None}


@pytest.mark.parametrize("query, parameter", [
    ("cursor=١٢", "cursor"),
    ("province=١٢", "province"),
    ("after=١٢", "after"),
])
def test_api_refuses_cursors_no_page_can_have(client, session, query, parameter):
    key = partner_key("Sàn con trỏ")
    endpoint = "changes" if parameter == "after" else "products"
    response = client.get(f"/api/v1/{endpoint}?{query}", headers=auth(key))
    assert response.status_code == 400
    assert [error["name"] for error in response.get_json()["errors"]] == [parameter]


# -- NUL characters -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/search?q=a%00b", "/producers/a%00b", "/products/a%00b", "/provinces/0%001",
                                  "/s/AB%00CD", "/01/08934563138165/21/AB%00C", "/admin/login?next=%00"])
def test_a_nul_character_in_a_public_request_is_a_400_page_naming_it(client, session, path):
    response = client.get(f"{path}{'&' if '?' in path else '?'}lang=en")
    assert response.status_code == 400
    assert "must not contain NUL characters" in response.get_data(as_text=True)


def test_a_nul_character_in_an_admin_form_is_refused_and_nothing_is_written(client, session):
    from sqlalchemy import func, select

    from catalog.kernel.models.producers import Producer
    factories.sign_in(client, "admin")
    before = session.scalar(select(func.count()).select_from(Producer))
    response = factories.post_form(client, "/admin/producers/new?lang=en", {
        "name": "HTX\x00 Nul", "kind": "cooperative", "province_code": "08"}, form="/admin/producers/new")
    assert response.status_code == 400 and "name: must not contain NUL" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Producer)) == before
    assert client.get("/admin/products?q=a%00b").status_code == 400


@pytest.mark.parametrize("path, where, name", [("/api/v1/products?q=a%00b", "query", "q"),
                                               ("/api/v1/stamps/AB%00CD", "path", "/api/v1/stamps/AB\\0CD")])
def test_a_nul_character_in_an_api_request_is_a_problem_naming_it(client, session, path, where, name):
    response = client.get(path, headers=auth(partner_key("Sàn NUL")))
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert response.get_json()["errors"] == [{"name": name, "in": where,
                                              "problem": "must not contain NUL characters (U+0000)"}]


def test_core_text_drops_control_characters_so_imports_cannot_carry_them():
    from catalog.kernel.text import clean_block, clean_line
    assert clean_line("Trà \x00 shan\x1b tuyết\t") == "Trà shan tuyết"
    assert clean_block("Dòng 1\x00\r\n\tDòng 2\x07") == "Dòng 1\n\tDòng 2"
