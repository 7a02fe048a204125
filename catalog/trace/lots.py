"""Lots and traceability events: record what happened to a product's lot, checked first.

Together with the product and producer records they carry the data items of
Circular 02/2024/TT-BKHCN: product name and image, producer name and address,
the stages (product code, location code, event time), trace code and serial
(the stamp), shelf life (the lot's expiry) and the standards applied.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate
from sqlalchemy import select

from catalog.kernel.db import db
from catalog.kernel.errors import InvalidInput, NotFound
from catalog.kernel.i18n import N_, Message
from catalog.kernel.inputs import REQUIRED, Block, Line, LocalDate, MaxLength, OneOf, Standards, load
from catalog.kernel.models.products import Product
from catalog.trace.digital_link import LOT_PATTERN
from catalog.trace.models.lots import TRACE_EVENT_KINDS, Lot, TraceEvent
from catalog.trace.models.stamps import Stamp, StampBatch


class Instant(fields.Field):
    """A date and time with its offset (``2026-05-04T07:30+07:00``); a naive one is refused."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, dt.datetime):
            parsed = value
        else:
            try:
                parsed = dt.datetime.fromisoformat(str(value).strip())
            except ValueError:
                raise ValidationError(Message(N_("%(value)s is not a date and time such as 2026-05-04T07:30+07:00"),
                                              value=repr(value))) from None
        if parsed.tzinfo is None:
            raise ValidationError(Message(N_("needs its time-zone offset, e.g. +07:00")))
        return parsed


class LotInput(Schema):
    class Meta:
        unknown = EXCLUDE

    code = Line(required=True, error_messages=REQUIRED, validate=validate.Regexp(
        LOT_PATTERN, error=Message(N_("must be 1-20 letters, digits, '.', '_' or '-' (GS1 AI 10 without escaping)"))))
    production_date = LocalDate(load_default=None, allow_none=True)
    expiry_date = LocalDate(load_default=None, allow_none=True)
    quantity = fields.Decimal(load_default=None, allow_none=True, places=3,
                              validate=validate.Range(min=0, error=Message(N_("cannot be negative"))))
    unit = Line(load_default=None, allow_none=True, validate=MaxLength(20))
    origin_area_code = Line(load_default=None, allow_none=True, validate=MaxLength(40))
    origin_place = Line(load_default=None, allow_none=True, validate=MaxLength(200))
    standards = Standards(load_default=list)


class EventInput(Schema):
    class Meta:
        unknown = EXCLUDE

    kind = fields.String(required=True, error_messages=REQUIRED, validate=OneOf(TRACE_EVENT_KINDS))
    occurred_at = Instant(required=True, error_messages=REQUIRED)
    place = Line(required=True, error_messages=REQUIRED, validate=MaxLength(200))
    location_code = Line(load_default=None, allow_none=True, validate=MaxLength(40))
    actor = Line(required=True, error_messages=REQUIRED, validate=MaxLength(200))
    details = Block(load_default=None, allow_none=True)
    document_title = Line(load_default=None, allow_none=True, validate=MaxLength(200))
    document_ref = Line(load_default=None, allow_none=True, validate=MaxLength(300))


def create_lot(product: Product, **raw: Any) -> Lot:
    data = _lot_data(product, raw, lot_id=None)
    lot = Lot(product=product, **data)
    db.session.add(lot)
    db.session.flush()
    return lot


def update_lot(lot: Lot, **raw: Any) -> Lot:
    """Correct a lot's record: the given fields over its current values, checked as a whole."""
    current = {key: getattr(lot, key) for key in LotInput().fields}
    data = _lot_data(lot.product, {**current, **raw}, lot_id=lot.id)
    if data["code"] != lot.code and _has_stamps(lot):
        raise InvalidInput({"code": [Message(N_("cannot change: stamps issued for this lot carry lot code %(code)s"),
                                              code=lot.code)]})
    for key, value in data.items():
        setattr(lot, key, value)
    db.session.flush()
    return lot


def _has_stamps(lot: Lot) -> bool:
    """Printed Digital Link QR codes of these stamps name the lot by its code."""
    return db.session.scalar(select(StampBatch.id).where(StampBatch.lot_id == lot.id).limit(1)) is not None \
        or db.session.scalar(select(Stamp.id).where(Stamp.lot_id == lot.id).limit(1)) is not None


def _lot_data(product: Product, raw: dict[str, Any], lot_id: int | None) -> dict[str, Any]:
    data = load(LotInput(), raw)
    if data["production_date"] and data["expiry_date"] and data["expiry_date"] < data["production_date"]:
        raise InvalidInput({"expiry_date": [Message(N_("is before the production date"))]})
    clash = db.session.scalar(select(Lot.id).where(Lot.product_id == product.id, Lot.code == data["code"]))
    if clash and clash != lot_id:
        raise InvalidInput({"code": [Message(N_("lot %(code)s already exists for this product"), code=data["code"])]})
    return data


def add_event(lot: Lot, **raw: Any) -> TraceEvent:
    event = TraceEvent(lot=lot, **_event_data(raw))
    db.session.add(event)
    db.session.flush()
    return event


def update_event(event: TraceEvent, **raw: Any) -> TraceEvent:
    """Correct an event: the given fields over its current values (its time as it was locally)."""
    current = {key: getattr(event, key) for key in EventInput().fields}
    current["occurred_at"] = event.local_time
    for key, value in _event_data({**current, **raw}).items():
        setattr(event, key, value)
    db.session.flush()
    return event


def delete_event(event: TraceEvent) -> None:
    """Take back an event recorded by mistake."""
    lot = event.lot
    db.session.delete(event)
    db.session.flush()
    db.session.expire(lot, ["events"])


def _event_data(raw: dict[str, Any]) -> dict[str, Any]:
    data = load(EventInput(), raw)
    when: dt.datetime = data.pop("occurred_at")
    offset = when.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0      # Instant refuses naive times
    if not -720 <= minutes <= 840:
        raise InvalidInput({"occurred_at": [Message(N_("has a time-zone offset outside -12:00 to +14:00"))]})
    return {**data, "occurred_at": when.astimezone(dt.UTC), "utc_offset_minutes": minutes}


def find_lot(product: Product, code: str) -> Lot:
    lot = db.session.scalar(select(Lot).where(Lot.product_id == product.id, Lot.code == code))
    if lot is None:
        raise NotFound(Message(N_("product %(product)s has no lot %(code)s"), product=product.slug, code=code),
                       field="lot")
    return lot
