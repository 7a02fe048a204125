"""Admin record pages: producers, products (with photos), lots and traceability events, through their forms."""
from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest
from PIL import ExifTags, Image
from sqlalchemy import func, select

from catalog.kernel import calendar, recognitions
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.products import Product, ProductImage
from catalog.trace.models.lots import Lot, TraceEvent
from catalog.trace.models.stamps import Stamp
from tests import factories
from tests.factories import post_form as post

NOW = calendar.start_of_day(dt.date(2026, 5, 20)) + dt.timedelta(hours=9)


@pytest.fixture()
def editor(client, session, frozen_clock):
    """A signed-in editor (the least of the roles allowed to keep records), reading English."""
    frozen_clock(NOW)
    factories.sign_in(client, "editor")
    client.get("/admin/?lang=en")
    return client


def count(session, model, *where):
    return session.scalar(select(func.count()).select_from(model).where(*where))


def text_of(response) -> str:
    return response.get_data(as_text=True)


def field_error(html: str, field: str) -> str:
    found = re.search(rf'<p class="field-error" id="{field}-error">(.*?)</p>', html, re.S)
    assert found, f"no error shown next to {field}"
    return found.group(1)


# -- producers ------------------------------------------------------------------------------------

def test_a_producer_created_through_the_form_is_found_without_accents(editor, session):
    created = post(editor, "/admin/producers/new", {
        "name": "Hợp tác xã Chè Đồng Tâm", "kind": "cooperative", "province_code": "08",
        "address": "thôn Tân Lập", "phone": "0912 345 678"})
    assert created.status_code == 303
    producer = session.scalar(select(Producer).where(Producer.name == "Hợp tác xã Chè Đồng Tâm"))
    assert created.headers["Location"] == f"/admin/producers/{producer.id}"
    assert "Hợp tác xã Chè Đồng Tâm created" in text_of(editor.get(created.headers["Location"]))
    assert "Hợp tác xã Chè Đồng Tâm" in text_of(editor.get("/admin/producers?q=che+dong+tam"))
    assert "Hợp tác xã Chè Đồng Tâm" in text_of(editor.get("/admin/producers?q=dong&province=08"))
    assert "Hợp tác xã Chè Đồng Tâm" not in text_of(editor.get("/admin/producers?q=dong&province=01"))
    assert "Hợp tác xã Chè Đồng Tâm" not in text_of(editor.get("/admin/producers?q=dong+thap"))


def test_a_bad_producer_shows_errors_by_the_fields_keeps_what_was_typed_and_writes_nothing(editor, session):
    before = count(session, Producer)
    response = post(editor, "/admin/producers/new", {
        "name": "HTX Mây tre đan Phú Vinh", "kind": "cooperative", "province_code": "08",
        "email": "not-an-email", "representative": "Nguyễn Văn An"})
    html = text_of(response)
    assert response.status_code == 422
    assert "is not an email address" in field_error(html, "email")
    assert 'value="HTX Mây tre đan Phú Vinh"' in html and 'value="Nguyễn Văn An"' in html
    assert count(session, Producer) == before


def test_a_producer_edited_keeps_its_address_on_the_web_and_lists_its_products(editor, session):
    product = factories.product(name="Miến dong Bình Liêu")
    producer = product.producer
    slug = producer.slug
    page = text_of(editor.get(f"/admin/producers/{producer.id}"))
    assert "Miến dong Bình Liêu" in page and f"/admin/products/new?producer_id={producer.id}" in page
    saved = post(editor, f"/admin/producers/{producer.id}", {
        "name": "HTX Miến dong Bình Liêu", "kind": "cooperative", "province_code": "08",
        "commune_code": producer.commune_code, "phone": ""})
    assert saved.status_code == 303
    session.refresh(producer)
    assert (producer.name, producer.slug, producer.phone) == ("HTX Miến dong Bình Liêu", slug, None)


# -- products -------------------------------------------------------------------------------------

PRODUCT = {"name": "Trà shan tuyết Đồng Tâm (gói 100 g)", "product_set": "11", "packaging": "gói 100 g",
           "gtin": "8934563138165", "standards": ["vietgap", "haccp"]}


def test_a_product_created_through_the_form_appears_in_the_list_and_its_filters(editor, session):
    producer = factories.producer()
    created = post(editor, "/admin/products/new", {**PRODUCT, "producer_id": str(producer.id)})
    assert created.status_code == 303
    product = session.scalar(select(Product).where(Product.name == PRODUCT["name"]))
    assert (product.gtin, product.standards) == ("08934563138165", ["vietgap", "haccp"])
    page = text_of(editor.get(created.headers["Location"]))
    assert "never recognised" in page.lower() and "VietGAP, HACCP" in page
    for query in ("q=tra+shan+tuyet+dong+tam", "q=08934563138165", "sector=food&set=11",
                  "province=08&status=not_in_force", f"producer={producer.id}", "q=dong+tam&province=08"):
        assert PRODUCT["name"] in text_of(editor.get(f"/admin/products?{query}")), query
    for query in ("q=ca+phe", "sector=beverages", "set=12", "province=01", "status=in_force"):
        assert PRODUCT["name"] not in text_of(editor.get(f"/admin/products?{query}")), query


def test_lists_are_paged_and_the_pager_keeps_the_filters(editor, session, monkeypatch):
    from catalog.platform import pagination as records_lists
    monkeypatch.setattr(records_lists, "PER_PAGE", 2)
    for name in ("Mật ong bạc hà A", "Mật ong bạc hà B", "Mật ong bạc hà C", "Chè Shan"):
        factories.product(name=name)
    first = text_of(editor.get("/admin/products?q=mat+ong"))
    assert "3 products" in first and "Mật ong bạc hà A" in first and "Mật ong bạc hà C" not in first
    assert 'href="/admin/products?q=mat+ong&amp;page=2"' in first
    second = text_of(editor.get("/admin/products?q=mat+ong&page=2"))
    assert "Mật ong bạc hà C" in second and "Mật ong bạc hà A" not in second and "Chè Shan" not in second


def test_a_page_past_the_end_shows_the_last_page(editor, session, monkeypatch):
    from catalog.platform import pagination as records_lists
    monkeypatch.setattr(records_lists, "PER_PAGE", 2)
    for name in ("Mật ong bạc hà A", "Mật ong bạc hà B", "Mật ong bạc hà C"):
        factories.product(name=name)
    last = text_of(editor.get("/admin/products?q=mat+ong&page=9"))
    assert "Mật ong bạc hà C" in last and "Mật ong bạc hà A" not in last
    assert 'href="/admin/products?q=mat+ong&amp;page=1"' in last


def test_a_bad_gtin_is_shown_next_to_its_field_and_no_product_is_written(editor, session):
    producer = factories.producer()
    before = count(session, Product)
    response = post(editor, "/admin/products/new", {**PRODUCT, "producer_id": str(producer.id),
                                                    "gtin": "8934563138166"})
    html = text_of(response)
    assert response.status_code == 422
    assert "check digit" in field_error(html, "gtin")
    assert f'value="{PRODUCT["name"]}"' in html and 'value="8934563138166"' in html
    assert 'value="haccp" checked' in html and 'value="globalgap" checked' not in html
    assert count(session, Product) == before


def test_an_empty_product_form_names_the_missing_fields(editor, session):
    response = post(editor, "/admin/products/new", {}, form="/admin/products/new")
    html = text_of(response)
    assert response.status_code == 422
    assert "is required" in field_error(html, "name") and field_error(html, "producer_id")


def test_a_product_edited_keeps_its_slug(editor, session):
    product = factories.product(packaging="hộp 5kg")
    slug = product.slug
    saved = post(editor, f"/admin/products/{product.id}/edit", {
        "name": "Cam sành Hà Giang loại 1", "producer_id": str(product.producer_id), "product_set": "1",
        "packaging": "", "standards": ["vietgap"]})
    assert saved.status_code == 303 and saved.headers["Location"] == f"/admin/products/{product.id}"
    session.refresh(product)
    assert (product.name, product.slug, product.packaging, product.standards) == (
        "Cam sành Hà Giang loại 1", slug, None, ["vietgap"])


def test_the_product_page_shows_its_status_now_and_its_whole_recognition_history(editor, session):
    product = factories.recognised_product()
    recognitions.revoke(product.recognitions[0], actor="officer@tuyenquang.gov.vn", **{
        **factories.REVOCATION, "revoked_on": dt.date(2026, 5, 2)})
    html = text_of(editor.get(f"/admin/products/{product.id}"))
    assert 'class="status revoked"' in html and "revoked on 2 May 2026" in html
    for text in ("2751/QĐ-UBND", "118/QĐ-UBND", "Recognised", "Revoked", "officer@tuyenquang.gov.vn",
                 "Kiểm tra sau chứng nhận", "20 Dec 2027"):
        assert text.lower() in html.lower(), text


# -- photos ---------------------------------------------------------------------------------------

def png_with_gps(size=(2400, 1200)) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "N", (22.0, 49.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = "E", (104.0, 58.0, 12.0)
    out = io.BytesIO()
    image.save(out, "PNG", exif=exif)
    assert Image.open(io.BytesIO(out.getvalue())).getexif().get_ifd(ExifTags.IFD.GPSInfo)   # it is there
    return out.getvalue()


def upload(client, product, data: bytes, name: str, alt: str = ""):
    path = f"/admin/products/{product.id}"
    return post(client, f"{path}/photos", {"photo": (io.BytesIO(data), name), "alt": alt}, form=path,
                content_type="multipart/form-data")


def photos_folder(app) -> Path:
    return Path(app.instance_path) / "uploads" / "products"


def test_an_uploaded_png_with_gps_comes_back_as_a_small_jpeg_without_metadata(app, editor, session):
    product = factories.product()
    response = upload(editor, product, png_with_gps(), "IMG_0001.png", alt="Hộp cam 5 kg")
    assert response.status_code == 303
    image = session.scalar(select(ProductImage).where(ProductImage.product_id == product.id))
    assert (image.width, image.height, image.position, image.alt) == (1600, 800, 0, "Hộp cam 5 kg")
    page = text_of(editor.get(f"/admin/products/{product.id}"))
    assert f"/media/products/{image.thumbnail}" in page and "Main photo" in page
    for name, longest in ((image.filename, 1600), (image.thumbnail, 400)):
        served = editor.get(f"/media/products/{name}")
        assert served.status_code == 200 and served.mimetype == "image/jpeg"
        photo = Image.open(io.BytesIO(served.data))
        assert photo.format == "JPEG" and max(photo.size) == longest
        assert not photo.getexif() and "exif" not in photo.info and b"PhoneMaker" not in served.data


@pytest.mark.parametrize(("make", "name", "message"), [
    (lambda: b"just some text, not a photo\n" * 10, "photo.jpg", "is not a JPEG, PNG or WebP photo"),
    (lambda: _bomb(), "bomb.png", "has too many pixels"),
    (lambda: b"\xff\xd8\xff" + b"\0" * (8 * 1024 * 1024), "huge.jpg", "is larger than 8 MB"),
], ids=["text-renamed-jpg", "decompression-bomb", "over-8-MB"])
def test_a_refused_upload_shows_why_by_the_field_and_keeps_nothing(app, editor, session, make, name, message):
    product = factories.product()
    before = set(photos_folder(app).glob("*")) if photos_folder(app).exists() else set()
    response = upload(editor, product, make(), name, alt="Ảnh sản phẩm")
    html = text_of(response)
    assert response.status_code == 422
    assert message in field_error(html, "photo") and 'value="Ảnh sản phẩm"' in html
    assert count(session, ProductImage, ProductImage.product_id == product.id) == 0
    assert (set(photos_folder(app).glob("*")) if photos_folder(app).exists() else set()) == before


def _bomb() -> bytes:
    """A small PNG that unpacks to 64 million pixels."""
    out = io.BytesIO()
    Image.new("1", (8000, 8000)).save(out, "PNG")
    assert len(out.getvalue()) < 100_000
    return out.getvalue()


def test_an_upload_without_a_file_asks_for_one(editor, session):
    product = factories.product()
    response = post(editor, f"/admin/products/{product.id}/photos", {}, form=f"/admin/products/{product.id}")
    assert response.status_code == 422 and "choose a photo" in field_error(text_of(response), "photo")


def test_choosing_the_main_photo_and_removing_one_also_removes_its_files(app, editor, session):
    product = factories.product()
    for colour in ("red", "blue"):
        out = io.BytesIO()
        Image.new("RGB", (300, 200), colour).save(out, "JPEG")
        assert upload(editor, product, out.getvalue(), f"{colour}.jpg", alt=colour).status_code == 303
    red, blue = session.scalars(select(ProductImage).where(ProductImage.product_id == product.id)
                                .order_by(ProductImage.position)).all()
    path = f"/admin/products/{product.id}"
    assert post(editor, f"{path}/photos/edit", {"main": str(blue.id)}, form=path).status_code == 303
    session.expire_all()
    assert [i.alt for i in product.images] == ["blue", "red"]
    files = [photos_folder(app) / name for name in (blue.filename, blue.thumbnail)]
    assert all(f.exists() for f in files)
    assert post(editor, f"{path}/photos/edit", {"remove": str(blue.id)}, form=path).status_code == 303
    session.expire_all()
    assert [(i.alt, i.position) for i in product.images] == [("red", 0)]
    assert not any(f.exists() for f in files)
    stranger = factories.product()
    refused = post(editor, f"/admin/products/{stranger.id}/photos/edit", {"remove": str(red.id)},
                   form=f"/admin/products/{stranger.id}")
    assert refused.status_code == 422 and count(session, ProductImage, ProductImage.id == red.id) == 1


@pytest.fixture()
def read_only_photos(app, monkeypatch):
    """The photos folder made read-only (``chmod 555``). Root writes through that, so under root (``id -u`` 0,
    as in CI containers) writing and deleting in the folder are also made to fail as they would, with
    PermissionError. ``read_only(False)`` makes it writable again, ``read_only(True)`` read-only."""
    folder = photos_folder(app)
    folder.mkdir(parents=True, exist_ok=True)
    real_write, real_unlink = Path.write_bytes, Path.unlink
    state = {"read_only": True}

    def refused(path: Path) -> bool:
        return state["read_only"] and path.parent == folder

    def write_bytes(path, data):
        if refused(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_write(path, data)

    def unlink(path, missing_ok=False):
        if refused(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_unlink(path, missing_ok=missing_ok)

    if os.geteuid() == 0:
        monkeypatch.setattr(Path, "write_bytes", write_bytes)
        monkeypatch.setattr(Path, "unlink", unlink)

    def read_only(flag: bool) -> None:
        state["read_only"] = flag
        folder.chmod(0o555 if flag else 0o755)
    read_only(True)
    yield read_only
    folder.chmod(0o755)


def _jpeg(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), colour).save(out, "JPEG")
    return out.getvalue()


def test_a_photo_that_cannot_be_stored_answers_503_and_keeps_neither_row_nor_file(app, editor, session,
                                                                                   read_only_photos):
    product = factories.product()
    before = set(photos_folder(app).iterdir())
    response = upload(editor, product, _jpeg("green"), "green.jpg", alt="Ảnh")
    assert response.status_code == 503
    assert count(session, ProductImage, ProductImage.product_id == product.id) == 0
    assert set(photos_folder(app).iterdir()) == before


def test_a_removal_whose_files_cannot_be_deleted_succeeds_and_a_job_deletes_them_later(app, editor, session,
                                                                                       read_only_photos, caplog):
    from catalog.platform import jobs
    product = factories.product()
    read_only_photos(False)                              # writable for the upload
    assert upload(editor, product, _jpeg("red"), "red.jpg", alt="red").status_code == 303
    image = session.scalar(select(ProductImage).where(ProductImage.product_id == product.id))
    files = [photos_folder(app) / name for name in (image.filename, image.thumbnail)]
    path = f"/admin/products/{product.id}"
    token = factories.csrf_token(editor, path)
    read_only_photos(True)
    with caplog.at_level("WARNING"):
        response = editor.post(f"{path}/photos/edit", data={"remove": str(image.id), "csrf_token": token})
    assert response.status_code == 303                     # the removal is committed and answered as done
    session.expire_all()
    assert count(session, ProductImage, ProductImage.product_id == product.id) == 0
    assert all(f.exists() for f in files)                  # for now
    assert any("could not delete" in r.getMessage() and image.filename in r.getMessage() for r in caplog.records)
    assert editor.get(path).status_code == 200             # the next request finds a working session
    huey = app.extensions["catalog.jobs"].huey             # the job failed once; its retry waits in the queue
    retries = [task for task in huey.scheduled() if task.name == "files.delete"]
    assert len(retries) == 1
    read_only_photos(False)
    due = max(task.eta for task in retries)              # as the worker would, once the back-off is over
    for task in huey.read_schedule(due):
        with app.app_context():
            huey.execute(task, timestamp=due)
    assert not any(f.exists() for f in files)
    assert jobs.JOBS["files.delete"].retries >= 5


# -- lots and events ------------------------------------------------------------------------------

def test_a_lot_created_for_a_product_is_listed_and_a_bad_one_writes_nothing(editor, session):
    product = factories.product(standards=["vietgap"])
    path = f"/admin/products/{product.id}/lots/new"
    assert 'value="vietgap" checked' in text_of(editor.get(path))      # the product's standards, offered
    bad = post(editor, path, {"code": "CS-2026.06", "production_date": "2026-06-10", "expiry_date": "2026-06-01",
                              "quantity": "", "unit": "hộp"})
    html = text_of(bad)
    assert bad.status_code == 422 and "before the production date" in field_error(html, "expiry_date")
    assert 'value="CS-2026.06"' in html and count(session, Lot, Lot.product_id == product.id) == 0
    created = post(editor, path, {"code": "CS-2026.06", "production_date": "2026-06-01",
                                  "expiry_date": "2026-07-15", "quantity": "500", "unit": "hộp",
                                  "standards": ["vietgap"]})
    assert created.status_code == 303
    lot = session.scalar(select(Lot).where(Lot.product_id == product.id))
    assert (lot.code, lot.quantity, lot.unit, lot.standards) == ("CS-2026.06", 500, "hộp", ["vietgap"])
    assert "500 hộp" in text_of(editor.get(f"/admin/products/{product.id}"))
    assert "CS-2026.06" in text_of(editor.get(f"/admin/lots?product={product.id}&q=cs-2026"))
    assert "CS-2026.06" not in text_of(editor.get("/admin/lots?q=XK-2025"))


def test_an_event_added_to_a_lot_shows_on_the_lot_page_and_the_public_scan(editor, session):
    product, lot, batch = factories.stamped_product(count=2)
    stamp = session.scalars(select(Stamp).where(Stamp.batch_id == batch.id)).first()
    path = f"/admin/lots/{lot.id}/events/new"
    added = post(editor, path, {
        "kind": "shipping", "occurred_at": "2026-05-03T14:15", "utc_offset": "+07:00",
        "place": "Kho hàng Hà Nội", "actor": "HTX Anh Tài", "document_title": "Phiếu xuất kho",
        "document_ref": "PXK-0503"}, form=f"/admin/lots/{lot.id}")
    assert added.status_code == 303 and added.headers["Location"] == f"/admin/lots/{lot.id}#events"
    event = session.scalar(select(TraceEvent).where(TraceEvent.place == "Kho hàng Hà Nội"))
    assert event.occurred_at == dt.datetime(2026, 5, 3, 7, 15, tzinfo=dt.UTC) and event.utc_offset_minutes == 420
    assert "Kho hàng Hà Nội" in text_of(editor.get(f"/admin/lots/{lot.id}"))
    scan = text_of(editor.get(f"/s/{stamp.code}"))
    assert "Kho hàng Hà Nội" in scan and "3 May 2026 14:15" in scan and "PXK-0503" in scan   # the editor reads English
    assert "(UTC+07:00)" not in scan                  # the registry's own zone goes unsaid


def test_a_bad_event_shows_errors_by_the_fields_and_writes_nothing(editor, session):
    product, lot, _ = factories.stamped_product(count=1)
    before = count(session, TraceEvent)
    response = post(editor, f"/admin/lots/{lot.id}/events/new", {
        "kind": "shipping", "occurred_at": "2026-05-03T14:15", "utc_offset": "+07:00", "place": "",
        "actor": "Nhà xe Hoàng Long", "details": "Xe 29H-123.45"})
    html = text_of(response)
    assert response.status_code == 422 and "is required" in field_error(html, "place")
    assert 'value="Nhà xe Hoàng Long"' in html and "Xe 29H-123.45" in html and 'value="2026-05-03T14:15"' in html
    assert count(session, TraceEvent) == before


def test_an_event_is_corrected_in_its_own_time_zone_or_deleted(editor, session):
    product, lot, _ = factories.stamped_product(count=1)
    event = lot.events[0]
    form = text_of(editor.get(f"/admin/events/{event.id}"))
    assert 'value="2026-05-01T06:30"' in form and '<option value="+07:00" selected>' in form
    saved = post(editor, f"/admin/events/{event.id}", {
        "kind": "harvesting", "occurred_at": "2026-05-01T08:30", "utc_offset": "+09:00",
        "place": "Vườn cam Vĩnh Chính", "actor": "HTX Anh Tài"})
    assert saved.status_code == 303
    session.refresh(event)
    assert event.occurred_at == dt.datetime(2026, 4, 30, 23, 30, tzinfo=dt.UTC) and event.utc_offset_minutes == 540
    deleted = post(editor, f"/admin/events/{event.id}/delete", {}, form=f"/admin/events/{event.id}")
    assert deleted.status_code == 303
    assert count(session, TraceEvent, TraceEvent.id == event.id) == 0


def test_a_lot_code_printed_on_stamps_cannot_change_but_its_other_fields_can(editor, session):
    product, lot, _ = factories.stamped_product(count=1)
    fields = {"code": "CS-2026.05", "production_date": "2026-05-02", "expiry_date": "2026-06-30",
              "quantity": "1100", "unit": "hộp"}
    refused = post(editor, f"/admin/lots/{lot.id}", {**fields, "code": "CS-2026.5"})
    assert refused.status_code == 422 and "stamps issued for this lot" in field_error(text_of(refused), "code")
    saved = post(editor, f"/admin/lots/{lot.id}", fields)
    assert saved.status_code == 303
    session.refresh(lot)
    assert (lot.code, lot.expiry_date, lot.origin_place) == ("CS-2026.05", dt.date(2026, 6, 30), None)


def test_a_photo_added_in_a_transaction_rolled_back_leaves_no_file(app, session, tmp_path):
    from catalog.records import photos as product_images
    product = factories.product()
    out = io.BytesIO()
    Image.new("RGB", (50, 40), "green").save(out, "WEBP")
    image = product_images.add_image(product, out.getvalue(), folder=tmp_path)
    assert (tmp_path / image.filename).exists() and (tmp_path / image.thumbnail).exists()
    session.rollback()
    assert list(tmp_path.iterdir()) == []
