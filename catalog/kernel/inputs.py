"""Input checking at the core's boundary, with marshmallow.

Services take raw values (from forms, import files, the API or Python) and
load them through these schemas; any problem becomes :class:`InvalidInput`
naming each field, before anything is written.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from catalog.kernel import programme
from catalog.kernel.errors import InvalidInput
from catalog.kernel.ids import MAX_ID
from catalog.kernel.text import clean_block, clean_line

REQUIRED = {"required": "is required", "null": "is required"}


class _Text(fields.String):
    """Text where blank means absent: validators only see real text."""

    def _validate(self, value):
        if value is not None:
            super()._validate(value)


class Line(_Text):
    """One line of text, whitespace collapsed; blank counts as missing."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = clean_line(super()._deserialize(value, attr, data, **kwargs))
        if text is None:
            if self.required:
                raise ValidationError("is required")
            return None
        return text


class Block(_Text):
    """Multi-line text (descriptions, stories, reasons); blank counts as missing."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = clean_block(super()._deserialize(value, attr, data, **kwargs))
        if text is None and self.required:
            raise ValidationError("is required")
        return text


class LocalDate(fields.Field):
    """A calendar date: a ``date``, ``YYYY-MM-DD`` or the Vietnamese ``DD/MM/YYYY``."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, dt.datetime):
            raise ValidationError("must be a date, not a date and time")
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValidationError(f"{text!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)")


class Score(fields.Field):
    """A score out of 100 with at most two decimals; 49.9, "49,9" and "49.9" are the same."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise ValidationError("must be a number from 0 to 100")
        try:
            score = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise ValidationError(f"{value!r} is not a number") from None
        if not score.is_finite() or not Decimal(0) <= score <= programme.MAX_SCORE:
            raise ValidationError(f"{value} is outside 0-100")
        if score != score.quantize(Decimal("0.01")):
            raise ValidationError(f"{value} has more than two decimals")
        return score.quantize(Decimal("0.01"))


_DECISION_NUMBER = re.compile(r"^[0-9A-Za-zÀ-ỹĐđ][0-9A-Za-zÀ-ỹĐđ/.\- ]*$")
decision_number_field = Line(required=True, error_messages=REQUIRED, validate=[
    validate.Length(max=60, error="is longer than 60 characters"),
    validate.Regexp(_DECISION_NUMBER, error="is not a decision number such as 2751/QĐ-UBND"),
    validate.Regexp(r"\d", error="has no number in it (e.g. 2751/QĐ-UBND)"),
])


class RecognitionDecisionInput(Schema):
    class Meta:
        unknown = EXCLUDE

    score = Score(required=True, error_messages=REQUIRED)
    level = fields.String(required=True, error_messages=REQUIRED, validate=validate.OneOf(
        programme.LEVELS, error="must be one of: province, national"))
    authority = Line(required=True, error_messages=REQUIRED, validate=validate.Length(max=200))
    decision_number = decision_number_field
    decision_date = LocalDate(required=True, error_messages=REQUIRED)
    certificate_number = Line(load_default=None, allow_none=True, validate=validate.Length(max=60))
    note = Block(load_default=None, allow_none=True)


class RevocationInput(Schema):
    class Meta:
        unknown = EXCLUDE

    decision_number = decision_number_field
    revoked_on = LocalDate(required=True, error_messages=REQUIRED)
    authority = Line(required=True, error_messages=REQUIRED, validate=validate.Length(max=200))
    ground = fields.String(required=True, error_messages=REQUIRED, validate=validate.OneOf(
        tuple(programme.REVOCATION_GROUNDS),
        error="must be one of: " + ", ".join(programme.REVOCATION_GROUNDS)))
    reason = Block(load_default=None, allow_none=True)


#: The fields of a revocation decision, as forms name them.
REVOCATION_FIELDS = tuple(RevocationInput._declared_fields)


def load(schema: Schema, data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Load ``data`` through ``schema`` or raise :class:`InvalidInput` listing every problem."""
    try:
        return schema.load(data, partial=partial)
    except ValidationError as exc:
        messages = exc.normalized_messages()
        raise InvalidInput({field: _flatten(msgs) for field, msgs in messages.items()}) from None


def _flatten(messages: Any) -> list[str]:
    if isinstance(messages, dict):
        return [m for sub in messages.values() for m in _flatten(sub)]
    if isinstance(messages, (list, tuple)):
        return [m for sub in messages for m in _flatten(sub)]
    return [str(messages)]


def _standards(value: Any) -> list[str]:
    from catalog.kernel.models.products import STANDARDS
    items = value.split(",") if isinstance(value, str) else list(value or ())
    codes: list[str] = []
    for item in items:
        code = str(item).strip().lower().replace(" ", "").replace("-", "")
        if not code:
            continue
        if code not in STANDARDS:
            raise ValidationError(f"unknown standard {item!r}; known: {', '.join(STANDARDS)}")
        if code not in codes:
            codes.append(code)
    return codes


class Standards(fields.Field):
    """A list of standard codes, or a comma-separated string of them."""

    def _deserialize(self, value, attr, data, **kwargs):
        return _standards(value)


class ProducerInput(Schema):
    class Meta:
        unknown = EXCLUDE

    name = Line(required=True, error_messages=REQUIRED, validate=validate.Length(max=200))
    kind = fields.String(required=True, error_messages=REQUIRED, validate=validate.OneOf(
        ("cooperative", "enterprise", "cooperative_group", "household", "other"),
        error="must be one of: cooperative, enterprise, cooperative_group, household, other"))
    registration_number = Line(load_default=None, allow_none=True, validate=validate.Regexp(
        r"^[0-9A-Za-z./-]{1,30}$", error="must be 1-30 letters, digits, '.', '/' or '-'"))
    address = Line(load_default=None, allow_none=True, validate=validate.Length(max=300))
    commune_code = Line(load_default=None, allow_none=True, validate=validate.Regexp(
        r"^\d{5}$", error="must be a 5-digit commune code"))
    province_code = Line(load_default=None, allow_none=True, validate=validate.Regexp(
        r"^\d{2}$", error="must be a 2-digit province code"))
    phone = Line(load_default=None, allow_none=True, validate=validate.Regexp(
        r"^\+?[0-9 .()-]{8,20}$", error="is not a phone number"))
    email = Line(load_default=None, allow_none=True, validate=validate.Email(error="is not an email address"))
    representative = Line(load_default=None, allow_none=True, validate=validate.Length(max=120))


class ProductInput(Schema):
    class Meta:
        unknown = EXCLUDE

    name = Line(required=True, error_messages=REQUIRED, validate=validate.Length(max=200))
    producer_id = fields.Integer(required=True, error_messages={**REQUIRED, "invalid": "is not a producer id"},
                                 validate=validate.Range(min=1, max=MAX_ID, error="is not a producer id"))
    product_set = fields.Raw(required=True, error_messages=REQUIRED)
    packaging = Line(load_default=None, allow_none=True, validate=validate.Length(max=120))
    description = Block(load_default=None, allow_none=True)
    story = Block(load_default=None, allow_none=True)
    gtin = Line(load_default=None, allow_none=True)
    standards = Standards(load_default=list)
