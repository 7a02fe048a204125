"""Producer and product records: checked fields, stable slugs, nothing half-written."""
import pytest
from sqlalchemy import func, select

from catalog.kernel import catalogue
from catalog.kernel.errors import InvalidInput
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.products import Product
from tests import factories


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_product_gets_an_ascii_slug_that_survives_renaming(session):
    first = factories.product(name="Trà shan tuyết Hợp tâm Tương Mai (gói 200 gram)", product_set="11")
    second = factories.product(name="Trà shan tuyết Hợp tâm Tương Mai (gói 200 gram)", product_set=11)
    assert first.slug == "tra-shan-tuyet-hop-tam-tuong-mai-goi-200-gram"
    assert second.slug == first.slug + "-2"
    catalogue.update_product(first, name="Trà shan tuyết Hợp Tâm Tương Mai")
    assert first.slug == "tra-shan-tuyet-hop-tam-tuong-mai-goi-200-gram"
    assert first.set_info.sector.code == "food" and first.set_info.group.code == "1.5"


def test_product_set_can_be_given_by_name(session):
    product = factories.product(product_set="Tương, nước mắm, gia vị dạng lỏng khác")
    assert product.product_set == 9


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"product_set": "Bánh kẹo"}, "product_set", "unknown product set"),
    ({"gtin": "8934563138164"}, "gtin", "check digit"),
    ({"gtin": "12345"}, "gtin", "has 5 digits"),
    ({"name": ""}, "name", "is required"),
    ({"standards": ["vietgap", "iso 22000", "halal"]}, "standards", "unknown standard 'halal'"),
    ({"producer_id": 999999}, "producer_id", "no producer with id 999999"),
])
def test_bad_products_are_refused_with_the_field_and_nothing_is_written(session, change, field, message):
    producer = factories.producer()
    before = count(session, Product)
    with pytest.raises(InvalidInput, match=message) as caught:
        catalogue.create_product(**{"name": "Nước mắm Phú Quốc", "producer_id": producer.id,
                                    "product_set": 9, **change})
    assert field in caught.value.errors
    assert count(session, Product) == before


def test_gtin_is_normalised_and_unique(session):
    product = factories.product(gtin="8934563138165", standards="VietGAP, iso22000")
    assert (product.gtin, product.standards) == ("08934563138165", ["vietgap", "iso22000"])
    with pytest.raises(InvalidInput, match="already belongs to product"):
        factories.product(gtin="08934563138165")


@pytest.mark.parametrize(("change", "field"), [
    ({"kind": "company"}, "kind"),
    ({"email": "not-an-email"}, "email"),
    ({"commune_code": "00000"}, "commune_code"),
    ({"commune_code": None, "province_code": None}, "province_code"),
    ({"province_code": "99", "commune_code": None}, "province_code"),
    ({"province_code": "01"}, "commune_code"),    # the commune is in Tuyên Quang, not Hà Nội
    ({"phone": "call me"}, "phone"),
])
def test_bad_producers_are_refused_with_the_field(session, change, field):
    before = count(session, Producer)
    with pytest.raises(InvalidInput) as caught:
        factories.producer(**change)
    assert field in caught.value.errors
    assert count(session, Producer) == before


def test_producer_province_comes_from_its_commune(session):
    producer = factories.producer(name="Hộ kinh doanh Phạm Đức Tương", kind="household", email="Tuong@Example.VN")
    assert (producer.province_code, producer.province.name) == ("08", "Tuyên Quang")
    assert (producer.slug, producer.email, producer.kind_label) == (
        "ho-kinh-doanh-pham-duc-tuong", "tuong@example.vn", "Hộ kinh doanh")


def test_blank_optional_fields_are_absent_not_errors(session):
    producer = factories.producer(registration_number="  ", phone="", email=" ", address="\t", representative="")
    assert (producer.registration_number, producer.phone, producer.email, producer.address) == (None, None, None, None)
