"""Product photos where a shopper looks: result cards, the product page and the scan page, in the sizes stored."""
import datetime as dt
import io
import random
import re
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from catalog.kernel import calendar
from catalog.records import photos
from catalog.trace.models.stamps import Stamp
from tests import factories

NOW = calendar.start_of_day(dt.date(2026, 6, 1)) + dt.timedelta(hours=9)
PHONE = {"User-Agent": "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/130.0 Mobile Safari/537.36"}
IMG = re.compile(r"<img [^>]*>")


def a_photo(size=(2000, 1500), seed=1) -> bytes:
    """A photo-like picture (a gradient with grain: JPEG cannot flatten it), as a phone would send it."""
    rng = random.Random(seed)
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    grain = Image.frombytes("RGB", (size[0] // 4, size[1] // 4),
                            bytes(rng.randrange(256) for _ in range(size[0] // 4 * size[1] // 4 * 3)))
    image = Image.blend(image, grain.resize(size), 0.35)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


def folder(app) -> Path:
    return Path(app.instance_path) / "uploads" / "products"


@pytest.fixture()
def pictured(app, session, frozen_clock):
    """A stamped, recognised product with one photo (2000 x 1500 sent, 1600 x 1200 kept), indexed."""
    frozen_clock(NOW)
    product, lot, batch = factories.stamped_product(count=1)
    image = photos.add_image(product, a_photo(), folder=folder(app))
    factories.index_now()
    stamp = session.scalars(select(Stamp).where(Stamp.batch_id == batch.id)).one()
    return product, image, stamp


def attributes(tag: str) -> dict[str, str]:
    return dict(re.findall(r'([a-z-]+)="([^"]*)"', tag))


def img_of(html: str, stem: str) -> dict[str, str]:
    tags = [tag for tag in IMG.findall(html) if stem in tag]
    assert tags, f"no photo {stem} in the page"
    return attributes(tags[0])


def srcset_widths(client, srcset: str) -> dict[int, tuple[int, int]]:
    """Each candidate's ``w`` descriptor -> the size of the file it names, fetched."""
    found = {}
    for candidate in srcset.split(", "):
        url, width = candidate.split(" ")
        served = client.get(url)
        assert served.status_code == 200 and served.mimetype == "image/jpeg", url
        found[int(width.removesuffix("w"))] = Image.open(io.BytesIO(served.data)).size
    return found


def test_an_upload_keeps_a_160_px_copy_for_the_scan_page(app, session, pictured):
    _, image, _ = pictured
    stem = image.filename.removesuffix(".jpg")
    sizes = {name: Image.open(folder(app) / name).size for name in (f"{stem}.jpg", f"{stem}-t.jpg", f"{stem}-s.jpg")}
    assert sizes == {f"{stem}.jpg": (1600, 1200), f"{stem}-t.jpg": (400, 300), f"{stem}-s.jpg": (160, 120)}


def test_result_cards_show_the_main_photo_lazily_with_its_sizes(client, pictured):
    product, image, _ = pictured
    stem = image.filename.removesuffix(".jpg")
    for url in ("/search?q=cam", f"/producers/{product.producer.slug}"):
        tag = img_of(client.get(url).get_data(as_text=True), stem)
        assert tag["alt"] == product.name and tag["loading"] == "lazy"
        assert (tag["width"], tag["height"]) == ("96", "72") and tag["sizes"] == "96px"
        assert srcset_widths(client, tag["srcset"]) == {160: (160, 120), 400: (400, 300)}


def test_the_product_page_shows_the_photo_in_every_stored_size(client, pictured):
    product, image, _ = pictured
    tag = img_of(client.get(f"/products/{product.slug}").get_data(as_text=True), image.filename.removesuffix(".jpg"))
    assert tag["alt"] == product.name and "loading" not in tag           # the first thing seen: not deferred
    assert (tag["width"], tag["height"]) == ("640", "480") and "100vw" in tag["sizes"]
    assert srcset_widths(client, tag["srcset"]) == {160: (160, 120), 400: (400, 300), 1600: (1600, 1200)}


def test_a_product_without_photo_has_no_img(client, session, frozen_clock):
    frozen_clock(NOW)
    product = factories.recognised_product()
    factories.index_now()
    assert "<img" not in client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert "<img" not in client.get("/search?q=cam").get_data(as_text=True)


def test_the_scan_page_with_its_thumbnail_stays_under_30_kb(client, pictured):
    product, image, stamp = pictured
    response = client.get(f"/s/{stamp.code}", headers=PHONE, environ_base={"REMOTE_ADDR": "203.0.113.7"})
    html = response.get_data(as_text=True)
    tag = img_of(html, image.filename.removesuffix(".jpg"))
    assert tag["alt"] == product.name and (tag["width"], tag["height"]) == ("80", "60")
    assert tag["src"].endswith("-s.jpg") and tag["srcset"] == tag["src"] + " 160w"
    thumbnail = client.get(tag["src"])
    assert Image.open(io.BytesIO(thumbnail.data)).size == (160, 120)
    assert len(response.data) + len(thumbnail.data) <= 30 * 1024, (len(response.data), len(thumbnail.data))


def test_photos_are_cached_for_a_year_as_their_names_never_change(app, client, pictured):
    product, image, _ = pictured
    served = client.get(f"/media/products/{image.filename}")
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    again = photos.add_image(product, a_photo(seed=2), folder=folder(app))     # a new photo: a new name
    assert again.filename != image.filename and again.thumbnail != image.thumbnail


def test_a_photo_stored_before_the_160_px_size_gets_it_on_first_request(app, client, session, pictured):
    _, image, _ = pictured
    factories.index_now()                                  # committed, as an older photo is
    small = folder(app) / image.filename.replace(".jpg", "-s.jpg")
    small.unlink()
    served = client.get(f"/media/products/{small.name}")
    assert served.status_code == 200 and served.headers["Cache-Control"].endswith("immutable")
    assert Image.open(io.BytesIO(served.data)).size == (160, 120)
    assert small.read_bytes() == served.data               # kept for the next request
    assert not [p for p in folder(app).iterdir() if p.name.endswith(".tmp")]


def test_no_copy_is_made_for_a_name_that_is_not_a_photo_of_ours(app, client, session, pictured):
    _, image, _ = pictured
    stranger = "0" * 32
    (folder(app) / f"{stranger}.jpg").write_bytes((folder(app) / image.filename).read_bytes())   # no row
    assert client.get(f"/media/products/{stranger}-s.jpg").status_code == 404
    assert not (folder(app) / f"{stranger}-s.jpg").exists()
    assert client.get(f"/media/products/{'f' * 32}-s.jpg").status_code == 404
    assert client.get(f"/media/products/{'f' * 32}-x.jpg").status_code == 404
    (folder(app) / f"{stranger}.jpg").unlink()


def test_removing_a_photo_removes_its_160_px_copy_too(app, session, pictured):
    _, image, _ = pictured
    factories.index_now()
    names = photos.file_names(image.filename)
    assert len(names) == 3 and all((folder(app) / name).exists() for name in names)
    photos.remove_image(image, folder(app))
    factories.index_now()
    assert not any((folder(app) / name).exists() for name in names)
