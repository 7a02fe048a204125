"""A producer's contact and where to buy: checked by the kernel, kept by the admin form, shown to shoppers."""
import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from catalog.kernel import calendar, catalogue
from catalog.kernel.errors import InvalidInput
from catalog.kernel.models.producers import Producer
from tests import factories
from tests.factories import post_form as post

NOW = calendar.start_of_day(dt.date(2026, 6, 1)) + dt.timedelta(hours=9)
CONTACT = {"phone": "0912 345 678", "email": "LienHe@AnhTai.vn", "website": "anhtai.vn/cua-hang",
           "where_to_buy": "Cửa hàng OCOP Tuyên Quang;\n  chợ Vĩnh Tuy (sáng thứ Bảy)\u200b",
           "address": "thôn   Vĩnh Chính"}


@pytest.fixture()
def editor(client, session, frozen_clock):
    frozen_clock(NOW)
    factories.sign_in(client, "editor")
    client.get("/admin/?lang=en")
    return client


def field_error(html: str, field: str) -> str:
    found = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', html, re.S)
    assert found, f"no error shown next to {field}"
    return found.group(1)


def form_of(producer: Producer, **changes) -> dict[str, str]:
    fields = {"name": producer.name, "kind": producer.kind, "province_code": producer.province_code,
              "commune_code": producer.commune_code or ""}
    return {**fields, **changes}


def test_contact_fields_are_cleaned_and_kept(session):
    producer = factories.producer(**CONTACT)
    assert producer.phone == "0912 345 678" and producer.email == "lienhe@anhtai.vn"
    assert producer.website == "https://anhtai.vn/cua-hang"          # typed without a scheme: https
    assert producer.where_to_buy == "Cửa hàng OCOP Tuyên Quang;\n  chợ Vĩnh Tuy (sáng thứ Bảy)"   # no invisible mark
    assert producer.address == "thôn Vĩnh Chính"


@pytest.mark.parametrize(("field", "value", "message"), [
    ("phone", "call me", "is not a phone number"),
    ("phone", "0912", "is not a phone number"),
    ("phone", "+84 1234 5678 9012 345", "is not a phone number"),
    ("email", "lienhe@", "is not an email address"),
    ("email", "a" * 250 + "@x.vn", "is longer than"),
    ("website", "javascript:alert(document.cookie)", "is not a web address"),
    ("website", "JavaScript://anhtai.vn/%0aalert(1)", "is not a web address"),
    ("website", "data:text/html,<script>alert(1)</script>", "is not a web address"),
    ("website", "ftp://anhtai.vn", "is not a web address"),
    ("website", "https://user:secret@anhtai.vn", "is not a web address"),
    ("website", "https://localhost", "is not a web address"),
    ("website", "//anhtai.vn", "is not a web address"),
    ("website", "https://anh tai.vn", "is not a web address"),
    ("where_to_buy", "x" * 1001, "is longer than 1000"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 40 else None)
def test_a_bad_contact_field_is_refused_by_name(session, field, value, message):
    with pytest.raises(InvalidInput) as refused:
        factories.producer(**{field: value})
    assert list(refused.value.errors) == [field]
    assert message in str(refused.value.errors[field][0])


def test_the_form_edits_the_contact_and_shows_errors_by_the_fields_writing_nothing(editor, session):
    producer = factories.producer()
    factories.index_now()
    path = f"/admin/producers/{producer.id}"
    assert 'name="website"' in editor.get(path).get_data(as_text=True)
    refused = post(editor, path, form_of(producer, phone="12", email="nope", website="javascript:alert(1)",
                                         where_to_buy="Chợ Vĩnh Tuy"))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "is not a phone number" in field_error(html, "phone")
    assert "is not an email address" in field_error(html, "email")
    assert "is not a web address" in field_error(html, "website")
    assert 'value="javascript:alert(1)"' in html and "Chợ Vĩnh Tuy</textarea>" in html     # kept as typed
    session.expire_all()
    assert (producer.phone, producer.email, producer.website, producer.where_to_buy) == (None, None, None, None)
    saved = post(editor, path, form_of(producer, **CONTACT))
    assert saved.status_code == 303
    session.expire_all()
    assert producer.website == "https://anhtai.vn/cua-hang" and producer.where_to_buy.startswith("Cửa hàng OCOP")
    assert session.scalar(select(func.count()).select_from(Producer)) == 1


def test_the_public_producer_page_shows_the_contact_and_the_product_page_where_to_buy(client, session,
                                                                                     frozen_clock):
    frozen_clock(NOW)
    product = factories.recognised_product()
    catalogue.update_producer(product.producer, **CONTACT)
    factories.index_now()
    html = client.get(f"/producers/{product.producer.slug}").get_data(as_text=True)
    assert '<a href="tel:0912345678">0912 345 678</a>' in html
    assert '<a href="mailto:lienhe@anhtai.vn">lienhe@anhtai.vn</a>' in html
    assert re.search(r'<a href="https://anhtai.vn/cua-hang" rel="nofollow noopener"[^>]*>anhtai.vn/cua-hang</a>',
                     html)
    assert "Nơi mua" in html and "chợ Vĩnh Tuy (sáng thứ Bảy)" in html
    html = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert "Nơi mua" in html and "Cửa hàng OCOP Tuyên Quang" in html


def test_an_older_row_with_a_javascript_website_is_not_linked(client, session, frozen_clock):
    frozen_clock(NOW)
    product = factories.recognised_product()
    product.producer.website = "javascript:alert(1)"           # written around the kernel (an old import, SQL)
    factories.index_now()
    html = client.get(f"/producers/{product.producer.slug}").get_data(as_text=True)
    assert "javascript:" not in html


def test_a_producer_without_contact_shows_no_empty_headings(client, session, frozen_clock):
    frozen_clock(NOW)
    product = factories.recognised_product()
    factories.index_now()
    html = client.get(f"/producers/{product.producer.slug}").get_data(as_text=True)
    assert "Nơi mua" not in html and "tel:" not in html and "mailto:" not in html
