"""Producer and product records: create and edit, with every field checked first."""
from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from sqlalchemy import select

from ..extensions import db
from .errors import InvalidInput, NotFound
from .gtin import normalise_gtin
from .inputs import ProducerInput, ProductInput, load
from .models import Commune, Producer, Product, Province
from .taxonomy import resolve_set
from .text import slugify


def unique_slug(name: str, taken: Collection[str]) -> str:
    """``slugify(name)``, with ``-2``, ``-3``... appended when ``taken`` already has it."""
    base = slugify(name)
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def create_producer(**fields: Any) -> Producer:
    data = _producer_data(fields)
    producer = Producer(slug=_free_slug(Producer, data["name"]), **data)
    db.session.add(producer)
    db.session.flush()
    return producer


def update_producer(producer: Producer, **fields: Any) -> Producer:
    """Change a producer's record; its slug stays, so links keep working."""
    current = {k: getattr(producer, k) for k in ProducerInput().fields}
    data = _producer_data({**current, **fields})
    for key, value in data.items():
        setattr(producer, key, value)
    db.session.flush()
    return producer


def create_product(**fields: Any) -> Product:
    data = _product_data(fields, product_id=None)
    product = Product(slug=_free_slug(Product, data["name"]), **data)
    db.session.add(product)
    db.session.flush()
    return product


def update_product(product: Product, **fields: Any) -> Product:
    """Change a product's record; its slug stays, so printed and shared links keep working."""
    current = {k: getattr(product, k) for k in ProductInput().fields}
    data = _product_data({**current, **fields}, product_id=product.id)
    for key, value in data.items():
        setattr(product, key, value)
    db.session.flush()
    return product


def get_product(product_id: int) -> Product:
    product = db.session.get(Product, product_id)
    if product is None:
        raise NotFound(f"no product with id {product_id}", field="product")
    return product


def _producer_data(fields: dict[str, Any]) -> dict[str, Any]:
    data = load(ProducerInput(), fields)
    commune = None
    if data["commune_code"]:
        commune = db.session.get(Commune, data["commune_code"])
        if commune is None:
            raise InvalidInput({"commune_code": [f"no commune with code {data['commune_code']}"]})
    if data["province_code"] is None:
        if commune is None:
            raise InvalidInput({"province_code": ["is required (or give the commune)"]})
        data["province_code"] = commune.province_code
    elif db.session.get(Province, data["province_code"]) is None:
        raise InvalidInput({"province_code": [f"no province with code {data['province_code']}"]})
    if commune is not None and commune.province_code != data["province_code"]:
        raise InvalidInput({"commune_code": [
            f"{commune.full_name} is in province {commune.province_code}, not {data['province_code']}"]})
    if data["email"]:
        data["email"] = data["email"].lower()
    return data


def _product_data(fields: dict[str, Any], product_id: int | None) -> dict[str, Any]:
    data = load(ProductInput(), fields)
    errors: dict[str, list[str]] = {}
    try:
        data["product_set"] = resolve_set(data["product_set"]).number
    except InvalidInput as exc:
        errors.update(exc.errors)
    if data["gtin"]:
        try:
            data["gtin"] = normalise_gtin(data["gtin"])
        except InvalidInput as exc:
            errors.update(exc.errors)
        else:
            clash = db.session.scalar(select(Product.id).where(Product.gtin == data["gtin"]))
            if clash is not None and clash != product_id:
                errors["gtin"] = [f"GTIN {data['gtin']} already belongs to product {clash}"]
    if db.session.get(Producer, data["producer_id"]) is None:
        errors["producer_id"] = [f"no producer with id {data['producer_id']}"]
    if errors:
        raise InvalidInput(errors)
    return data


def _free_slug(model: type[Producer] | type[Product], name: str) -> str:
    base = slugify(name)
    pattern = re.compile(rf"^{re.escape(base)}(-\d+)?$")
    taken = [s for s in db.session.scalars(select(model.slug).where(model.slug.startswith(base)))
             if pattern.match(s)]
    return unique_slug(name, set(taken))
