"""``flask --app catalog demo-data``: realistic, reproducible, within the core's rules."""
import datetime as dt
from collections import Counter

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from catalog import create_app
from catalog.kernel import calendar, catalogue, visibility
from catalog.kernel.db import db
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.products import Product, ProductImage
from catalog.kernel.models.recognitions import Recognition
from catalog_demo import loader
from catalog_demo.cli import demo_data

AS_OF = "2026-11-01"
AT = calendar.start_of_day(dt.date(2026, 11, 1)) + dt.timedelta(hours=12)


def run_demo(app, *args):
    return app.test_cli_runner().invoke(demo_data, args=["--as-of", AS_OF, *args])


@pytest.fixture()
def demo(app, session):
    result = run_demo(app, "--products", "300", "--seed", "7")
    assert result.exit_code == 0, result.output
    return result


def test_default_demo_is_300_products_in_all_sectors_and_kinds(demo, session):
    assert "300 products" in demo.output
    products = session.scalars(select(Product)).all()
    assert len(products) == 300
    assert {p.set_info.sector.code for p in products} == {
        "food", "beverages", "herbal", "handicrafts", "ornamentals", "tourism"}
    assert {p.kind for p in session.scalars(select(Producer))} == {
        "cooperative", "enterprise", "cooperative_group", "household", "other"}
    assert len({p.producer.province_code for p in products}) >= 20
    assert all(p.story and p.description for p in products)
    assert sum(p.gtin is not None for p in products) > 50
    assert all(isinstance(p.standards, list) for p in products) and any(p.standards for p in products)


def test_stars_and_statuses_are_realistic(demo, session):
    in_force = Counter(r.stars for r in session.scalars(visibility.in_force_recognitions(AT)))
    total = sum(in_force.values())
    assert 0.65 <= in_force[3] / total <= 0.87
    assert 0.13 <= in_force[4] / total <= 0.33
    statuses = Counter(r.status_at(AT) for r in session.scalars(select(Recognition)))
    assert statuses["expired"] >= 10 and statuses["superseded"] >= 10 and statuses["revoked"] >= 5
    revoked = session.scalars(select(Recognition).where(Recognition.revoked_at.is_not(None))).all()
    assert all(r.revocation_ground and r.revocation_decision for r in revoked)
    kinds = Counter(r.kind for r in session.scalars(select(Recognition)))
    assert kinds["re_recognition"] and kinds["upgrade"]


def test_the_four_vinh_tuy_products_are_there(demo, session):
    names = {
        "Cam sành Hà Giang (hộp 5kg)": "HTX Anh Tài",
        "Trà shan tuyết Hợp tâm Tương Mai (gói 200 gram)": "Hộ kinh doanh Phạm Đức Tương",
        "Trà shan tuyết đặc biệt Tương Mai": "Hộ kinh doanh Phạm Đức Tương",
        "Trà San tuyết công phu Độ Khoa (Hộp 200 gram)": "Cơ sở sản xuất chè Độ Khoa",
    }
    for name, producer in names.items():
        product = session.scalars(select(Product).where(Product.name == name)).one()
        recognition = visibility.recognition_in_force(product, AT)
        assert product.producer.name == producer
        assert (product.producer.commune.name, product.producer.province.name) == ("Vĩnh Tuy", "Tuyên Quang")
        assert (recognition.stars, recognition.decision_date.year, recognition.decision_date.month) == (3, 2024, 12)
    kinds = {p.name: p.kind for p in session.scalars(select(Producer).where(Producer.name.in_(names.values())))}
    assert kinds == {"HTX Anh Tài": "cooperative", "Hộ kinh doanh Phạm Đức Tương": "household",
                     "Cơ sở sản xuất chè Độ Khoa": "other"}


def test_demo_histories_keep_the_core_rules(demo, session):
    products = session.scalars(select(Product)).all()
    for day in (dt.date(2023, 1, 1), dt.date(2025, 6, 1), dt.date(2026, 11, 1)):
        at = calendar.start_of_day(day)
        for product in products:
            assert sum(r.in_force_at(at) for r in product.recognitions) <= 1
        listed = session.scalar(select(func.count()).select_from(visibility.visible_products(at).subquery()))
        assert listed == sum(visibility.is_visible(p, at) for p in products)


def test_demo_data_refuses_a_database_that_holds_data(demo, app):
    again = run_demo(app, "--products", "10")
    assert again.exit_code == 1 and "already holds" in again.output
    skipped = run_demo(app, "--products", "10", "--if-empty")
    assert skipped.exit_code == 0 and "nothing loaded" in skipped.output


def test_after_loading_the_services_keep_working(demo, session):
    producer = session.scalars(select(Producer)).first()
    product = catalogue.create_product(name="Mật ong bạc hà", producer_id=producer.id, product_set=4)
    assert product.id > 300


def _snapshot(data):
    return ([(p["slug"], p["name"], p["gtin"], p["product_set"]) for p in data.products],
            [(r.product_id, r.kind, r.score, r.decision_number, r.decision_date, r.revoked_on)
             for r in data.histories.recognitions])


def test_same_seed_gives_the_same_data(session):
    day = dt.date(2026, 11, 1)
    first = _snapshot(loader.generate(120, seed=11, as_of=day))
    assert first == _snapshot(loader.generate(120, seed=11, as_of=day))
    assert first != _snapshot(loader.generate(120, seed=12, as_of=day))


@pytest.mark.postgres
def test_demo_data_on_postgresql(scratch_database, tmp_path):
    app = create_app({"DATABASE_URL": scratch_database("postgresql"), "SECRET_KEY": "x"})
    app.instance_path = str(tmp_path)                       # its photos go there
    with app.app_context():
        upgrade()
        result = app.test_cli_runner().invoke(demo_data, args=["--products", "150", "--seed", "3"])
        assert result.exit_code == 0, result.output
        assert db.session.scalar(select(func.count()).select_from(Product)) == 150
        assert db.session.scalar(select(func.count()).select_from(ProductImage)) == 135      # 9 in 10
        producer = db.session.scalars(select(Producer)).first()
        assert catalogue.create_product(name="Nước mắm cá cơm", producer_id=producer.id, product_set=9).id > 150
        db.session.rollback()
        db.session.remove()
        db.engine.dispose()


def test_every_scan_verdict_is_reachable_with_demo_data(demo, client, frozen_clock):
    frozen_clock(AT)
    examples = dict(part.split(" /s/") for part in demo.output.split("stamps to scan: ")[1].strip().split(", "))
    assert set(examples) == {"genuine", "voided", "suspicious", "revoked", "expired"}
    for verdict, code in examples.items():
        assert client.get(f"/s/{code}", headers={"Accept": "application/json"}).get_json()["verdict"] == verdict
    assert client.get("/s/0000000000000000" + "0", headers={"Accept": "application/json"}).get_json()[
        "verdict"] == "unknown"


def test_most_demo_products_have_a_placeholder_photo_stored_as_an_upload_is(demo, app, session, client):
    from pathlib import Path

    from PIL import Image
    folder = Path(app.instance_path) / "uploads" / "products"
    images = session.scalars(select(ProductImage)).all()
    assert len(images) == 270 and len({i.product_id for i in images}) == 270 and all(i.position == 0 for i in images)
    for image in images[:40]:
        stem = image.filename.removesuffix(".jpg")
        sizes = {}
        for suffix in ("", "-t", "-s"):
            with Image.open(folder / f"{stem}{suffix}.jpg") as photo:
                photo.load()                                            # decodes whole
                assert photo.format == "JPEG"
                sizes[suffix] = photo.size
        assert sizes == {"": (image.width, image.height), "-t": (400, 300), "-s": (160, 120)}
    product = session.get(Product, images[0].product_id)
    assert client.get(f"/media/products/{images[0].thumbnail}").status_code == 200
    assert product.images == [images[0]]


def test_demo_producers_have_contacts_that_pass_the_kernel_checks(demo, session):
    producers = session.scalars(select(Producer)).all()
    with_site = [p for p in producers if p.website]
    with_shops = [p for p in producers if p.where_to_buy]
    assert 0.15 <= len(with_site) / len(producers) <= 0.6 and 0.5 <= len(with_shops) / len(producers) <= 0.9
    assert all(p.website.startswith("https://") and p.website.endswith(".ocop-demo.vn") for p in with_site)
    producer = with_site[0]
    catalogue.update_producer(producer, website=producer.website, where_to_buy=producer.where_to_buy)   # as loaded


def test_demo_data_without_photos(app, session):
    result = run_demo(app, "--products", "30", "--seed", "7", "--no-photos")
    assert result.exit_code == 0, result.output
    assert session.scalar(select(func.count()).select_from(ProductImage)) == 0
