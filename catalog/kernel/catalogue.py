"""Producer and product records: create and edit, with every field checked first."""
from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from sqlalchemy import select

from catalog.kernel.db import db
from catalog.kernel.errors import InvalidInput, NotFound
from catalog.kernel.gtin import normalise_gtin
from catalog.kernel.i18n import N_, Message
from catalog.kernel.inputs import ProducerInput, ProductInput, load
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.products import Product
from catalog.kernel.models.units import Commune, Province
from catalog.kernel.taxonomy import resolve_set
from catalog.kernel.text import slugify

_PRODUCER_INPUT, _PRODUCT_INPUT = ProducerInput(), ProductInput()


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
    return _create(Producer, _producer_data(fields))


def update_producer(producer: Producer, **fields: Any) -> Producer:
    """Change a producer's record; its slug stays, so links keep working."""
    return _update(producer, _producer_data(_merged(producer, _PRODUCER_INPUT, fields)))


def create_product(**fields: Any) -> Product:
    return _create(Product, _product_data(fields, product_id=None))


def update_product(product: Product, **fields: Any) -> Product:
    """Change a product's record; its slug stays, so printed and shared links keep working."""
    return _update(product, _product_data(_merged(product, _PRODUCT_INPUT, fields), product_id=product.id))


def _create(model, data: dict[str, Any]):
    record = model(slug=_free_slug(model, data["name"]), **data)
    db.session.add(record)
    db.session.flush()
    return record


def _merged(record, schema, fields: dict[str, Any]) -> dict[str, Any]:
    """The record's current values with ``fields`` laid over them, to check as a whole."""
    return {**{key: getattr(record, key) for key in schema.fields}, **fields}


def _update(record, data: dict[str, Any]):
    for key, value in data.items():
        setattr(record, key, value)
    db.session.flush()
    return record


def get_product(product_id: int) -> Product:
    product = db.session.get(Product, product_id)
    if product is None:
        raise NotFound(Message(N_("no product with id %(id)s"), id=product_id), field="product")
    return product


def _producer_data(fields: dict[str, Any]) -> dict[str, Any]:
    data = load(_PRODUCER_INPUT, fields)
    commune = None
    if data["commune_code"]:
        commune = db.session.get(Commune, data["commune_code"])
        if commune is None:
            raise InvalidInput({"commune_code": [Message(N_("no commune with code %(code)s"),
                                                         code=data["commune_code"])]})
    if data["province_code"] is None:
        if commune is None:
            raise InvalidInput({"province_code": [Message(N_("is required (or give the commune)"))]})
        data["province_code"] = commune.province_code
    elif db.session.get(Province, data["province_code"]) is None:
        raise InvalidInput({"province_code": [Message(N_("no province with code %(code)s"),
                                                      code=data["province_code"])]})
    if commune is not None and commune.province_code != data["province_code"]:
        raise InvalidInput({"commune_code": [Message(
            N_("%(commune)s is in province %(province)s, not %(given)s"),
            commune=commune.full_name, province=commune.province_code, given=data["province_code"])]})
    if data["email"]:
        data["email"] = data["email"].lower()
    return data


def _product_data(fields: dict[str, Any], product_id: int | None) -> dict[str, Any]:
    data = load(_PRODUCT_INPUT, fields)
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
                errors["gtin"] = [Message(N_("GTIN %(gtin)s already belongs to product %(id)s"),
                                          gtin=data["gtin"], id=clash)]
    if db.session.get(Producer, data["producer_id"]) is None:
        errors["producer_id"] = [Message(N_("no producer with id %(id)s"), id=data["producer_id"])]
    if errors:
        raise InvalidInput(errors)
    return data


def _free_slug(model: type[Producer] | type[Product], name: str) -> str:
    base = slugify(name)
    pattern = re.compile(rf"^{re.escape(base)}(-\d+)?$")
    taken = [s for s in db.session.scalars(select(model.slug).where(model.slug.startswith(base)))
             if pattern.match(s)]
    return unique_slug(name, set(taken))
