"""What the API reads and writes, as marshmallow schemas; the OpenAPI document is built from them.

Query parameters are loaded with ``unknown=RAISE``: a misspelt or unknown
parameter is refused with its name, never silently ignored.
"""
from __future__ import annotations

import datetime as dt

from marshmallow import RAISE, Schema, fields, validate

from catalog.kernel import taxonomy
from catalog.kernel.models.producers import PRODUCER_KINDS
from catalog.kernel.models.recognitions import STATUSES as RECOGNITION_STATUSES
from catalog.partners.feed_models import DELISTING_REASONS, FEED_KINDS
from catalog.trace import VERDICTS

MAX_LIMIT = 500
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)
#: Text parameters cannot hold U+0000 (the app refuses it before any endpoint; the document says so).
NUL_FREE = r"^[^\x00]*$"
NO_NUL = validate.Regexp(NUL_FREE, error="must not contain NUL characters (U+0000)")


class Instant(fields.AwareDateTime):
    """An RFC 3339 instant with its offset, in UTC. Anything before 2000 means "since the
    beginning", anything past 9000 "after everything" (year 1 or 9999 with an offset cannot
    even be turned into UTC)."""

    def _deserialize(self, value, attr, data, **kwargs):
        instant = super()._deserialize(value, attr, data, **kwargs)
        try:
            return min(max(instant.astimezone(dt.UTC), EARLIEST), LATEST)
        except (OverflowError, ValueError):
            return EARLIEST if instant.year < 2000 else LATEST


class _Args(Schema):
    class Meta:
        unknown = RAISE


class ProductListArgs(_Args):
    q = fields.String(validate=[validate.Length(max=200), NO_NUL], metadata={
        "description": "The catalog's search (no diacritics needed); the best 1,000 text matches are considered"})
    sector = fields.String(validate=validate.OneOf(list(taxonomy.SECTORS_BY_CODE)))
    group = fields.String(validate=validate.OneOf(list(taxonomy.GROUPS_BY_CODE)))
    stars = fields.Integer(validate=validate.OneOf([3, 4, 5]))
    province = fields.String(validate=validate.Regexp(r"^[0-9]{2}$", error="must be a two-digit province code"))
    updated_since = Instant(metadata={
        "description": "Only products with a change-feed event recorded after this instant (RFC 3339)"})
    cursor = fields.String(
        validate=validate.Regexp(r"^[0-9]{1,18}$", error="must be a next_cursor from a previous page"),
        metadata={"description": "next_cursor of the previous page"})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=MAX_LIMIT))


class ChangesArgs(_Args):
    after = fields.String(load_default="0", validate=validate.Regexp(r"^[0-9]{1,18}$", error="must be a position "
                                                                     "(a whole number) from next_cursor"),
                          metadata={"description": "Events after this position; 0 or absent: from the start"})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=MAX_LIMIT))


class NoArgs(_Args):
    """For endpoints that take no query parameter: any given is refused by name."""


class ProducerSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(list(PRODUCER_KINDS)))


class PlaceSchema(Schema):
    commune = fields.String(required=True, allow_none=True)
    province_code = fields.String(required=True)
    province = fields.String(required=True)


class RecognitionSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(["in_force"]))
    stars = fields.Integer(required=True, validate=validate.Range(min=3, max=5))
    level = fields.String(required=True)
    authority = fields.String(required=True)
    decision_number = fields.String(required=True)
    decision_date = fields.Date(required=True)
    valid_until = fields.Date(required=True)


class ImageSchema(Schema):
    url = fields.Url(required=True)
    thumbnail_url = fields.Url(required=True)
    width = fields.Integer(required=True)
    height = fields.Integer(required=True)
    alt = fields.String(required=True, allow_none=True)


class ProductSchema(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)
    url = fields.Url(required=True, metadata={"description": "The public catalog page"})
    product_set = fields.Integer(required=True, validate=validate.Range(min=1, max=26))
    group = fields.String(required=True)
    sector = fields.String(required=True)
    packaging = fields.String(required=True, allow_none=True)
    gtin = fields.String(required=True, allow_none=True)
    standards = fields.List(fields.String(), required=True)
    description = fields.String(required=True, allow_none=True)
    story = fields.String(required=True, allow_none=True)
    producer = fields.Nested(ProducerSchema, required=True)
    place = fields.Nested(PlaceSchema, required=True)
    recognition = fields.Nested(RecognitionSchema, required=True)
    images = fields.List(fields.Nested(ImageSchema), required=True)
    updated_at = fields.DateTime(required=True)


class ProductPageSchema(Schema):
    items = fields.List(fields.Nested(ProductSchema), required=True)
    next_cursor = fields.String(required=True, allow_none=True, metadata={
        "description": "Pass as cursor for the next page; null on the last page"})


class EventSchema(Schema):
    position = fields.String(required=True, metadata={"description": "Increasing, gap-free; pass the last one "
                                                      "you applied as after"})
    kind = fields.String(required=True, validate=validate.OneOf(FEED_KINDS))
    reason = fields.String(required=True, allow_none=True, validate=validate.OneOf(DELISTING_REASONS),
                           metadata={"description": "delisted: expired or revoked; otherwise null"})
    product_id = fields.Integer(required=True)
    occurred_at = fields.DateTime(required=True, metadata={"description": "When the change took effect"})
    recorded_at = fields.DateTime(required=True)


class ChangesPageSchema(Schema):
    events = fields.List(fields.Nested(EventSchema), required=True)
    next_cursor = fields.String(required=True, metadata={"description": "Pass as after to get what follows"})


class ParameterErrorSchema(Schema):
    name = fields.String(required=True)
    problem = fields.String(required=True)
    in_ = fields.String(required=True, data_key="in")


class ProblemSchema(Schema):
    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.List(fields.Nested(ParameterErrorSchema))


class GoneSchema(ProblemSchema):
    product_id = fields.Integer(required=True)
    reason = fields.String(required=True, validate=validate.OneOf(DELISTING_REASONS + ("never_recognised",
                                                                                       "not_yet_in_force")))
    since = fields.Date(required=True, allow_none=True)
    decision_number = fields.String(allow_none=True)


class StampProductSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    slug = fields.String(required=True)
    gtin = fields.String(required=True, allow_none=True)
    product_set = fields.Integer(required=True)
    sector = fields.String(required=True)
    packaging = fields.String(required=True, allow_none=True)
    standards = fields.List(fields.String(), required=True)
    url = fields.Url(required=True)


class StampProducerSchema(Schema):
    name = fields.String(required=True)
    kind = fields.String(required=True)
    address = fields.String(required=True, allow_none=True)
    commune = fields.String(required=True, allow_none=True)
    province = fields.String(required=True)
    url = fields.Url(required=True)


class StampRecognitionSchema(Schema):
    stars = fields.Integer(required=True)
    decision = fields.String(required=True)
    authority = fields.String(required=True)
    decision_date = fields.Date(required=True)
    valid_until = fields.Date(required=True)
    status = fields.String(required=True, validate=validate.OneOf(RECOGNITION_STATUSES), metadata={
        "description": "whether this recognition is current: in_force, or history (expired, superseded, revoked, "
                       "not_yet_in_force); the stars and decision are current only while in_force"})
    revoked_on = fields.Date(required=True, allow_none=True)
    revocation_ground = fields.String(required=True, allow_none=True)


class LotSchema(Schema):
    code = fields.String(required=True)
    production_date = fields.Date(required=True, allow_none=True)
    expiry_date = fields.Date(required=True, allow_none=True)
    quantity = fields.String(required=True, allow_none=True)
    unit = fields.String(required=True, allow_none=True)
    origin_area_code = fields.String(required=True, allow_none=True)
    origin_place = fields.String(required=True, allow_none=True)
    standards = fields.List(fields.String(), required=True)


class DocumentSchema(Schema):
    title = fields.String(required=True)
    ref = fields.String(required=True, allow_none=True)


class TraceEventSchema(Schema):
    kind = fields.String(required=True)
    time = fields.DateTime(required=True)
    place = fields.String(required=True, allow_none=True)
    location_code = fields.String(required=True, allow_none=True)
    actor = fields.String(required=True, allow_none=True)
    details = fields.String(required=True, allow_none=True)
    document = fields.Nested(DocumentSchema, required=True, allow_none=True)


class VoidedSchema(Schema):
    at = fields.DateTime(required=True)
    reason = fields.String(required=True, allow_none=True)


class ScanCountSchema(Schema):
    count = fields.Integer(required=True, metadata={"description": "every scan logged, reloads included"})
    first_at = fields.DateTime(required=True, allow_none=True)
    distinct = fields.Integer(required=True, metadata={
        "description": "scans as the suspicion rule counts them: the same device again within 30 minutes counts once"})
    networks = fields.Integer(required=True, allow_none=True, metadata={
        "description": "client networks that scanned the stamp within the suspicion rule's window (24 hours); "
                       "null without a stamp, or when the distinct scans alone make it suspicious"})


class VerdictSchema(Schema):
    verdict = fields.String(required=True, validate=validate.OneOf(VERDICTS))
    reason = fields.String(required=True, allow_none=True, metadata={
        "description": "unknown: format (not a code), check (its check character does not match: mistyped "
                       "if typed by hand, else never issued), not_issued, unknown_gtin or unknown_lot"})
    code = fields.String(required=True)
    product = fields.Nested(StampProductSchema, required=True, allow_none=True)
    producer = fields.Nested(StampProducerSchema, required=True, allow_none=True)
    recognition = fields.Nested(StampRecognitionSchema, required=True, allow_none=True)
    lot = fields.Nested(LotSchema, required=True, allow_none=True)
    events = fields.List(fields.Nested(TraceEventSchema), required=True)
    voided = fields.Nested(VoidedSchema, required=True, allow_none=True)
    scans = fields.Nested(ScanCountSchema, required=True)
