"""Products as partners receive them: plain rows in, JSON-ready dicts out (no ORM objects).

Lists, single products and the 20,000-product export share this one shape
(:class:`schemas.ProductSchema` describes it in the OpenAPI document).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from catalog.kernel import taxonomy
from catalog.kernel.db import db
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.products import Product, ProductImage
from catalog.kernel.models.recognitions import Recognition
from catalog.kernel.models.units import Commune, Province
from catalog.kernel.visibility import in_force_recognitions
from catalog.platform.hosts import external_url

CHUNK = 1000
_COLUMNS = (Product.id, Product.slug, Product.name, Product.product_set, Product.packaging, Product.gtin,
            Product.standards, Product.description, Product.story, Product.updated_at,
            Producer.id, Producer.name, Producer.kind, Commune.name, Province.code, Province.name)
_RECOGNITION_COLUMNS = ("stars", "level", "authority", "decision_number", "decision_date", "valid_until")


def documents(product_ids: Sequence[int], at: dt.datetime) -> list[dict[str, Any]]:
    """The visible products among ``product_ids``, in that order (invisible ones are left out)."""
    links = _Links()
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(product_ids), CHUNK):
        found.update(_chunk(product_ids[start:start + CHUNK], at, links))
    return [found[pid] for pid in product_ids if pid in found]


def stream(product_ids: Sequence[int], at: dt.datetime) -> Iterator[dict[str, Any]]:
    """Like :func:`documents`, a chunk at a time: memory stays flat whatever the count."""
    links = _Links()
    for start in range(0, len(product_ids), CHUNK):
        chunk = product_ids[start:start + CHUNK]
        found = _chunk(chunk, at, links)
        yield from (found[pid] for pid in chunk if pid in found)


def _chunk(ids: Sequence[int], at: dt.datetime, links: _Links) -> dict[int, dict[str, Any]]:
    recognition = aliased(Recognition, in_force_recognitions(at).subquery())
    rows = db.session.execute(
        select(*_COLUMNS, *(getattr(recognition, name) for name in _RECOGNITION_COLUMNS)).select_from(Product)
        .join(recognition, recognition.product_id == Product.id)
        .join(Producer, Producer.id == Product.producer_id)
        .join(Province, Province.code == Producer.province_code)
        .outerjoin(Commune, Commune.code == Producer.commune_code)
        .where(Product.id.in_(ids))).all()
    images = defaultdict(list)
    for image in db.session.execute(select(ProductImage.product_id, ProductImage.filename, ProductImage.thumbnail,
                                           ProductImage.width, ProductImage.height, ProductImage.alt)
                                    .where(ProductImage.product_id.in_(ids))
                                    .order_by(ProductImage.position, ProductImage.id)):
        images[image[0]].append({"url": links.media(image[1]), "thumbnail_url": links.media(image[2]),
                                 "width": image[3], "height": image[4], "alt": image[5]})
    return {row[0]: _document(row, images[row[0]], links) for row in rows}


def _document(row, images: list[dict[str, Any]], links: _Links) -> dict[str, Any]:
    (pid, slug, name, product_set, packaging, gtin, standards, description, story, updated_at, producer_id,
     producer_name, producer_kind, commune, province_code, province, stars, level, authority, number,
     decided, valid_until) = row
    info = taxonomy.SETS_BY_NUMBER[product_set]
    return {
        "id": pid, "slug": slug, "name": name, "url": links.product(slug),
        "product_set": product_set, "group": info.group.code, "sector": info.sector.code,
        "packaging": packaging, "gtin": gtin, "standards": list(standards or []),
        "description": description, "story": story,
        "producer": {"id": producer_id, "name": producer_name, "kind": producer_kind},
        "place": {"commune": commune, "province_code": province_code, "province": province},
        "recognition": {"status": "in_force", "stars": stars, "level": level, "authority": authority,
                        "decision_number": number, "decision_date": decided.isoformat(),
                        "valid_until": valid_until.isoformat()},
        "images": images,
        "updated_at": updated_at.isoformat(),
    }


class _Links:
    """Absolute URLs from one ``url_for`` each (20,000 calls would cost more than the export's queries)."""

    def __init__(self) -> None:
        self._product = external_url("public.product", slug="-")[:-1]
        self._media = external_url("media.product_photo", name="-")[:-1]

    def product(self, slug: str) -> str:
        return self._product + slug

    def media(self, name: str) -> str:
        return self._media + name
