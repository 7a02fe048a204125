"""What a scan reads, as plain rows: the read model of every verdict, and its one loader.

A scan names a stamp (``/s/<code>``) or a GTIN with a lot and a serial (the
GS1 Digital Link forms ``/01/...``). :func:`load` reads either into one
:class:`Found`: the stamp, its product, producer, place, lot and events, and
the product's recognitions. The verdict is decided from it
(:func:`catalog.trace.verdicts.decide`) and every answer (page, JSON, link set)
shows it. Loaded through the ORM with eager loading a stamp took 1.75 ms;
these plain-column queries take under 0.5 ms, and a scan is the hot path.
The views carry the models' attribute names, so templates and JSON read them
alike; a recognition's view answers the kernel's visibility rule through the
model's own functions (:func:`~catalog.kernel.models.recognitions.is_in_force`).
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, bindparam, select

from catalog.kernel import clock
from catalog.kernel.db import db
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.products import Product, ProductImage, standard_labels
from catalog.kernel.models.recognitions import Recognition, is_in_force, status_of
from catalog.kernel.models.units import Commune, Province, commune_full_name
from catalog.kernel.taxonomy import SETS_BY_NUMBER, ProductSet
from catalog.trace import codes
from catalog.trace.digital_link import DigitalLink
from catalog.trace.models.lots import Lot, TraceEvent, local_time
from catalog.trace.models.stamps import Stamp, StampBatch, voided


@dataclass(frozen=True)
class PlaceView:
    name: str
    kind: str = ""

    @property
    def full_name(self) -> str:
        return commune_full_name(self.name, self.kind)


@dataclass(frozen=True)
class ProducerView:
    name: str
    kind: str
    slug: str
    address: str | None
    commune: PlaceView | None
    province: PlaceView


@dataclass(frozen=True, slots=True)
class RecognitionView:
    """The columns of a recognition a scan shows; in force by the model's own rule."""

    id: int
    stars: int
    authority: str
    decision_number: str
    decision_date: dt.date
    valid_until: dt.date
    starts_at: dt.datetime
    ends_at: dt.datetime
    superseded_at: dt.datetime | None
    revoked_on: dt.date | None
    revoked_at: dt.datetime | None
    revocation_decision: str | None
    revocation_ground: str | None
    revocation_reason: str | None       # the public reason (never the internal note)

    def in_force_at(self, at: dt.datetime) -> bool:
        return is_in_force(at, self.starts_at, self.ends_at, self.superseded_at, self.revoked_at)

    def status_at(self, at: dt.datetime | None = None) -> str:
        return status_of(at or clock.now(), self.starts_at, self.ends_at, self.superseded_at, self.revoked_at)


@dataclass(frozen=True, slots=True)
class PhotoView:
    """A product's main photo: its file name (the smaller copies are named after it) and size."""

    filename: str
    width: int
    height: int


@dataclass
class ProductView:
    id: int
    name: str
    slug: str
    gtin: str | None
    product_set: int
    packaging: str | None
    standards: list[str]
    producer: ProducerView
    recognitions: list[RecognitionView] = field(default_factory=list)
    photo: PhotoView | None = None

    @property
    def set_info(self) -> ProductSet:
        return SETS_BY_NUMBER[self.product_set]


@dataclass(frozen=True)
class EventView:
    kind: str
    occurred_at: dt.datetime
    utc_offset_minutes: int
    place: str
    location_code: str | None
    actor: str
    details: str | None
    document_title: str | None
    document_ref: str | None

    @property
    def local_time(self) -> dt.datetime:
        return local_time(self.occurred_at, self.utc_offset_minutes)


@dataclass
class LotView:
    id: int
    code: str
    production_date: dt.date | None
    expiry_date: dt.date | None
    quantity: Decimal | None
    unit: str | None
    origin_area_code: str | None
    origin_place: str | None
    standards: list[str]
    events: list[EventView] = field(default_factory=list)

    @property
    def standard_labels(self) -> list[str]:
        return standard_labels(self.standards)


@dataclass
class BatchView:
    id: int
    product_id: int
    voided_at: dt.datetime | None
    void_reason: str | None
    product: ProductView
    lot: LotView | None


@dataclass
class StampView:
    id: int
    code: str
    serial: int
    voided_at: dt.datetime | None
    void_reason: str | None
    batch: BatchView
    lot: LotView | None

    def voided(self) -> tuple[dt.datetime, str] | None:
        return voided(self)


@dataclass(frozen=True)
class Found:
    """What a scanned stamp code or Digital Link names, as loaded: what its verdict is decided from.

    ``code`` is the stamp's canonical code, else what was scanned (a mistyped or unknown code,
    the serial, lot or GTIN of a Digital Link). ``missing`` says what could not be found:
    ``format`` or ``check`` (not a code, mistyped), ``not_issued`` (no such stamp, or not of this
    product and lot), ``unknown_gtin``, ``unknown_lot``; None when all that was named was found.
    """

    code: str
    missing: str | None = None
    stamp: StampView | None = None
    product: ProductView | None = None
    lot: LotView | None = None

    @classmethod
    def of_stamp(cls, stamp: StampView) -> Found:
        return cls(stamp.code, stamp=stamp, product=stamp.batch.product, lot=stamp.lot or stamp.batch.lot)


def load(scanned: str | DigitalLink) -> Found:
    """THE loader of a scan: a stamp code as typed or decoded, or a parsed Digital Link.

    A Digital Link names a product by GTIN, optionally a lot of it and a stamp (the serial):
    the stamp counts only when it belongs to that product and, when both have one, that lot;
    otherwise what was found of the product and lot is shown with the reason.
    """
    if isinstance(scanned, DigitalLink):
        return _load_link(scanned)
    try:
        code = codes.normalise(scanned)
    except codes.CodeError as exc:
        return Found((exc.read if exc.reason == "check" else scanned.strip())[:40], exc.reason)
    stamp = load_stamp(code)
    return Found(code, "not_issued") if stamp is None else Found.of_stamp(stamp)


def find_code(scanned: str) -> StampView | None:
    """The stamp a scanned or typed code names, or None when it is not a valid code or was never issued."""
    return load(scanned).stamp


def _load_link(link: DigitalLink) -> Found:
    product = _product_with_gtin(link.gtin)
    if product is None:
        return Found(link.serial or link.gtin, "unknown_gtin")
    lot = _lot_named(product.id, link.lot) if link.lot else None
    if link.lot and lot is None:
        return Found(link.serial or link.lot, "not_issued" if link.serial else "unknown_lot", product=product)
    stamp = find_code(link.serial) if link.serial else None
    if stamp is not None and stamp.batch.product_id == product.id:
        stamp_lot = stamp.lot or stamp.batch.lot
        if lot is None or stamp_lot is None or stamp_lot.id == lot.id:
            return Found.of_stamp(stamp)
    if link.serial:
        return Found(link.serial, "not_issued", product=product, lot=lot)
    return Found(link.lot or link.gtin, product=product, lot=lot)


_PRODUCT_COLUMNS = (Product.id, Product.name, Product.slug, Product.gtin, Product.product_set, Product.packaging,
                    Product.standards, Producer.name, Producer.kind, Producer.slug, Producer.address,
                    Commune.name, Commune.kind, Province.name,
                    ProductImage.filename, ProductImage.width, ProductImage.height)
_RECOGNITION_COLUMNS = (Recognition.id, Recognition.stars, Recognition.authority, Recognition.decision_number,
                        Recognition.decision_date, Recognition.valid_until, Recognition.starts_at,
                        Recognition.ends_at, Recognition.superseded_at, Recognition.revoked_on,
                        Recognition.revoked_at, Recognition.revocation_decision, Recognition.revocation_ground,
                        Recognition.revocation_reason)
_LOT_COLUMNS = (Lot.id, Lot.code, Lot.production_date, Lot.expiry_date, Lot.quantity, Lot.unit,
                Lot.origin_area_code, Lot.origin_place, Lot.standards)


if TYPE_CHECKING:
    AnySelect = Select[*tuple[Any, ...]]


@dataclass(frozen=True)
class _Queries:
    stamp: AnySelect
    product: AnySelect
    recognitions: AnySelect
    lots: AnySelect
    lot: AnySelect
    events: AnySelect


def _with_producer(statement: AnySelect) -> AnySelect:
    return (statement.join(Producer, Producer.id == Product.producer_id)
            .join(Province, Province.code == Producer.province_code)
            .outerjoin(Commune, Commune.code == Producer.commune_code)
            .outerjoin(ProductImage, ProductImage.id == _main_photo()))


def _main_photo():
    """The id of the product's main photo (the first by position), for an outer join."""
    return (select(ProductImage.id).where(ProductImage.product_id == Product.id)
            .order_by(ProductImage.position, ProductImage.id).limit(1).correlate(Product).scalar_subquery())


@functools.cache
def _queries() -> _Queries:
    """The scan's statements, built once per process (building them cost more than running them)."""
    stamp = _with_producer(
        select(Stamp.id, Stamp.code, Stamp.serial, Stamp.voided_at, Stamp.void_reason, Stamp.lot_id,
               StampBatch.id, StampBatch.voided_at, StampBatch.void_reason, StampBatch.lot_id, *_PRODUCT_COLUMNS)
        .join(StampBatch, StampBatch.id == Stamp.batch_id).join(Product, Product.id == StampBatch.product_id)
    ).where(Stamp.code == bindparam("code"))
    return _Queries(
        stamp=stamp,
        product=_with_producer(select(*_PRODUCT_COLUMNS)).where(Product.gtin == bindparam("gtin")),
        recognitions=select(*_RECOGNITION_COLUMNS).where(Recognition.product_id == bindparam("product_id")),
        lots=select(*_LOT_COLUMNS).where(Lot.id.in_(bindparam("ids", expanding=True))),
        lot=select(*_LOT_COLUMNS).where(Lot.product_id == bindparam("product_id"), Lot.code == bindparam("code")),
        events=(select(TraceEvent.lot_id, TraceEvent.kind, TraceEvent.occurred_at, TraceEvent.utc_offset_minutes,
                       TraceEvent.place, TraceEvent.location_code, TraceEvent.actor, TraceEvent.details,
                       TraceEvent.document_title, TraceEvent.document_ref)
                .where(TraceEvent.lot_id.in_(bindparam("ids", expanding=True)))
                .order_by(TraceEvent.occurred_at, TraceEvent.id)))


def load_stamp(code: str) -> StampView | None:
    """The stamp with this canonical code, with everything its verdict shows."""
    row = db.session.connection().execute(_queries().stamp, {"code": code}).first()
    if row is None:
        return None
    (stamp_id, stamp_code, serial, voided_at, void_reason, stamp_lot_id, batch_id, batch_voided_at,
     batch_void_reason, batch_lot_id, *product_row) = row
    product = _product(product_row)
    lots = _lots({i for i in (stamp_lot_id, batch_lot_id) if i is not None})
    batch = BatchView(batch_id, product.id, batch_voided_at, batch_void_reason, product, lots.get(batch_lot_id))
    return StampView(stamp_id, stamp_code, serial, voided_at, void_reason, batch, lots.get(stamp_lot_id))


def _product_with_gtin(gtin: str) -> ProductView | None:
    row = db.session.connection().execute(_queries().product, {"gtin": gtin}).first()
    return None if row is None else _product(list(row))


def _product(row: list[Any]) -> ProductView:
    """A product (with its producer, place and recognitions) from the :data:`_PRODUCT_COLUMNS` of a row."""
    (product_id, name, slug, gtin, product_set, packaging, standards, producer_name, producer_kind, producer_slug,
     address, commune_name, commune_kind, province_name, photo, photo_width, photo_height) = row
    producer = ProducerView(producer_name, producer_kind, producer_slug, address,
                            PlaceView(commune_name, commune_kind) if commune_name else None, PlaceView(province_name))
    recognitions = [RecognitionView(*r) for r in db.session.connection().execute(
        _queries().recognitions, {"product_id": product_id})]
    return ProductView(product_id, name, slug, gtin, product_set, packaging, standards or [], producer, recognitions,
                       PhotoView(photo, photo_width, photo_height) if photo else None)


def _lot_named(product_id: int, code: str) -> LotView | None:
    row = db.session.connection().execute(_queries().lot, {"product_id": product_id, "code": code}).first()
    return None if row is None else _with_events({row[0]: _lot(row)})[row[0]]


def _lots(ids: set[int]) -> dict[int, LotView]:
    if not ids:
        return {}
    return _with_events({row[0]: _lot(row) for row in db.session.connection().execute(
        _queries().lots, {"ids": list(ids)})})


def _lot(row: Any) -> LotView:
    (lot_id, code, production_date, expiry_date, quantity, unit, origin_area_code, origin_place, standards) = row
    return LotView(lot_id, code, production_date, expiry_date, quantity, unit, origin_area_code, origin_place,
                   standards or [])


def _with_events(lots: dict[int, LotView]) -> dict[int, LotView]:
    for lot_id, *values in db.session.connection().execute(_queries().events, {"ids": list(lots)}):
        lots[lot_id].events.append(EventView(*values))
    return lots
