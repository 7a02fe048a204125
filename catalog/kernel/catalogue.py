"""Producer and product records: create and edit, with every field checked first."""
from __future__ import annotations

import re
from collections.abc import Callable, Collection
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
#: A product of a producer given as a record (saved, or new in this transaction): no producer_id to check.
_PRODUCT_OF_PRODUCER = ProductInput(exclude=("producer_id",))


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


def _producer_data(fields: dict[str, Any], commune: Commune | None = None) -> dict[str, Any]:
    """The producer's checked fields; ``commune``: the record ``fields["commune_code"]`` names, if the caller
    holds it (it may be new in this transaction, not flushed yet)."""
    data = load(_PRODUCER_INPUT, fields)
    if commune is None and data["commune_code"]:
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


def _product_data(fields: dict[str, Any], product_id: int | None, *, of_producer: bool = False,
                  gtin_owner: Callable[[str], int | None] | None = None) -> dict[str, Any]:
    """The product's checked fields. ``of_producer``: its producer is given as a record, so ``fields`` holds
    no ``producer_id``; ``gtin_owner``: which product holds a GTIN (default: ask the database)."""
    data = load(_PRODUCT_OF_PRODUCER if of_producer else _PRODUCT_INPUT, fields)
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
            clash = (gtin_owner or _gtin_owner)(data["gtin"])
            if clash is not None and clash != product_id:
                errors["gtin"] = [Message(N_("GTIN %(gtin)s already belongs to product %(id)s"),
                                          gtin=data["gtin"], id=clash)]
    if not of_producer and db.session.get(Producer, data["producer_id"]) is None:
        errors["producer_id"] = [Message(N_("no producer with id %(id)s"), id=data["producer_id"])]
    if errors:
        raise InvalidInput(errors)
    return data


def _gtin_owner(gtin: str) -> int | None:
    return db.session.scalar(select(Product.id).where(Product.gtin == gtin))


def _free_slug(model: type[Producer] | type[Product], name: str) -> str:
    base = slugify(name)
    pattern = re.compile(rf"^{re.escape(base)}(-\d+)?$")
    taken = [s for s in db.session.scalars(select(model.slug).where(model.slug.startswith(base)))
             if pattern.match(s)]
    return unique_slug(name, set(taken))


class NewRecords:
    """Many new producers and products in one transaction (an import), written by one flush.

    Each is checked as :func:`create_producer` and :func:`create_product` check it; what those ask the
    database for every record (the slugs taken, which product holds a GTIN) is read once here and kept
    up to date with the records this batch makes. Records are added to the session, not flushed: the
    caller flushes, once, when it is done (a product's producer is given as a record, so a producer
    made here needs no id first). Run it with autoflush off, or every query flushes what it added.
    """

    def __init__(self) -> None:
        self._slugs: dict[type, set[str]] = {}
        self._gtins: dict[str, int | Product] | None = None
        self._provinces: list[Province] | None = None

    def producer(self, *, commune: Commune | None = None, **fields: Any) -> Producer:
        """:func:`create_producer`, not flushed; its ``commune`` may be given as a record (saved, or new in
        this transaction) rather than by ``commune_code``."""
        if self._provinces is None:     # held, so that the identity map keeps them for every check
            self._provinces = list(db.session.scalars(select(Province)))
        if commune is not None:
            fields["commune_code"] = commune.code
        producer = self._add(Producer, _producer_data(fields, commune))
        if commune is not None:
            producer.commune = commune
        return producer

    def product(self, producer: Producer, **fields: Any) -> Product:
        """:func:`create_product` for ``producer`` (saved, or made by this batch), not flushed."""
        product = self._add(Product, _product_data(fields, None, of_producer=True, gtin_owner=self._gtin_owner))
        product.producer = producer
        if product.gtin:
            self._gtin_owners()[product.gtin] = product
        return product

    def _add(self, model: type[Producer] | type[Product], data: dict[str, Any]) -> Any:
        taken = self._slugs.get(model)
        if taken is None:
            taken = self._slugs[model] = set(db.session.scalars(select(model.slug)))
        record = model(slug=unique_slug(data["name"], taken), **data)
        taken.add(record.slug)
        db.session.add(record)
        return record

    def _gtin_owners(self) -> dict[str, int | Product]:
        if self._gtins is None:
            self._gtins = {gtin: product_id for gtin, product_id in db.session.execute(
                select(Product.gtin, Product.id).where(Product.gtin.is_not(None))) if gtin is not None}
        return self._gtins

    def _gtin_owner(self, gtin: str) -> int | None:
        owner = self._gtin_owners().get(gtin)
        if isinstance(owner, Product):
            if owner.id is None:
                db.session.flush()          # a product of this batch: a refusal names it by its id
            return owner.id
        return owner
