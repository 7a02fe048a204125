"""Input checking at the core's boundary, with marshmallow.

Services take raw values (from forms, import files, the API or Python) and
load them through these schemas; any problem becomes :class:`InvalidInput`
naming each field, before anything is written.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from catalog.kernel import programme
from catalog.kernel.errors import InvalidInput
from catalog.kernel.i18n import N_, Message
from catalog.kernel.ids import MAX_ID
from catalog.kernel.text import clean_block, clean_line

#: marshmallow's messages for a missing field. A field's own messages (``error=``) are msgids marked with ``N_``;
#: checks that put a value in their message raise a :class:`Message`.
REQUIRED: dict[str, str | list[Any] | dict[Any, Any]] = {"required": N_("is required"), "null": N_("is required")}


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
                raise ValidationError(Message(N_("is required")))
            return None
        return text


class Block(_Text):
    """Multi-line text (descriptions, stories, reasons); blank counts as missing."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = clean_block(super()._deserialize(value, attr, data, **kwargs))
        if text is None and self.required:
            raise ValidationError(Message(N_("is required")))
        return text


class LocalDate(fields.Field):
    """A calendar date: a ``date``, ``YYYY-MM-DD`` or the Vietnamese ``DD/MM/YYYY``."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, dt.datetime):
            raise ValidationError(Message(N_("must be a date, not a date and time")))
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        raise ValidationError(Message(N_("%(value)s is not a date (use YYYY-MM-DD or DD/MM/YYYY)"), value=repr(text)))


class Score(fields.Field):
    """A score out of 100 with at most two decimals; 49.9, "49,9" and "49.9" are the same."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise ValidationError(Message(N_("must be a number from 0 to 100")))
        try:
            score = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise ValidationError(Message(N_("%(value)s is not a number"), value=repr(value))) from None
        if not score.is_finite() or not Decimal(0) <= score <= programme.MAX_SCORE:
            raise ValidationError(Message(N_("%(value)s is outside 0-100"), value=value))
        if score != score.quantize(Decimal("0.01")):
            raise ValidationError(Message(N_("%(value)s has more than two decimals"), value=value))
        return score.quantize(Decimal("0.01"))


def longer_than(limit: int) -> Message:
    """The problem of a text longer than ``limit`` characters."""
    return Message(N_("is longer than %(limit)s characters"), limit=limit)


class MaxLength(validate.Validator):
    """At most ``limit`` characters (marshmallow's own Length words it with the number in, untranslatable)."""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, value: Any) -> Any:
        if value is not None and len(value) > self.limit:
            raise ValidationError(longer_than(self.limit))
        return value


class MinLength(validate.Validator):
    """At least ``limit`` characters."""

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, value: Any) -> Any:
        if value is not None and len(value) < self.limit:
            raise ValidationError(Message(N_("must be at least %(limit)s characters"), limit=self.limit))
        return value


def one_of(choices: Iterable[str]) -> Message:
    """The problem of a value that is none of ``choices`` (codes, listed as they are typed)."""
    return Message(N_("must be one of: %(choices)s"), choices=", ".join(choices))


class OneOf(validate.Validator):
    """One of ``choices``."""

    def __init__(self, choices: Iterable[str]):
        self.choices = tuple(choices)

    def __call__(self, value: Any) -> Any:
        if value not in self.choices:
            raise ValidationError(one_of(self.choices))
        return value


_DECISION_NUMBER = re.compile(r"^[0-9A-Za-zÀ-ỹĐđ][0-9A-Za-zÀ-ỹĐđ/.\- ]*$")
decision_number_field = Line(required=True, error_messages=REQUIRED, validate=[
    MaxLength(60),
    validate.Regexp(_DECISION_NUMBER, error=N_("is not a decision number such as 2751/QĐ-UBND")),
    validate.Regexp(r"\d", error=N_("has no number in it (e.g. 2751/QĐ-UBND)")),
])


class RecognitionDecisionInput(Schema):
    class Meta:
        unknown = EXCLUDE

    score = Score(required=True, error_messages=REQUIRED)
    level = fields.String(required=True, error_messages=REQUIRED, validate=OneOf(programme.LEVELS))
    authority = Line(required=True, error_messages=REQUIRED, validate=MaxLength(200))
    decision_number = decision_number_field
    decision_date = LocalDate(required=True, error_messages=REQUIRED)
    certificate_number = Line(load_default=None, allow_none=True, validate=MaxLength(60))
    note = Block(load_default=None, allow_none=True)


class RevocationInput(Schema):
    class Meta:
        unknown = EXCLUDE

    decision_number = decision_number_field
    revoked_on = LocalDate(required=True, error_messages=REQUIRED)
    authority = Line(required=True, error_messages=REQUIRED, validate=MaxLength(200))
    ground = fields.String(required=True, error_messages=REQUIRED, validate=OneOf(programme.REVOCATION_GROUNDS))
    #: PUBLIC: published on the product's page and its stamps' scan page
    reason = Block(load_default=None, allow_none=True, validate=MaxLength(2000))
    #: INTERNAL: for officers only (a violation's description goes here, never into ``reason``)
    internal_note = Block(load_default=None, allow_none=True, validate=MaxLength(5000))


#: The fields of a revocation decision, as forms name them.
REVOCATION_FIELDS = tuple(RevocationInput._declared_fields)


def load(schema: Schema, data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Load ``data`` through ``schema`` or raise :class:`InvalidInput` listing every problem.

    marshmallow formats the messages it raises itself (``error=``, ``error_messages``) into plain text:
    those are msgids, made Messages again by InvalidInput."""
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
    return [Message.of(str(messages))]


def _standards(value: Any) -> list[str]:
    from catalog.kernel.models.products import STANDARDS
    items = value.split(",") if isinstance(value, str) else list(value or ())
    codes: list[str] = []
    for item in items:
        code = str(item).strip().lower().replace(" ", "").replace("-", "")
        if not code:
            continue
        if code not in STANDARDS:
            raise ValidationError(Message(N_("unknown standard %(value)s; known: %(known)s"),
                                          value=repr(item), known=", ".join(STANDARDS)))
        if code not in codes:
            codes.append(code)
    return codes


class Standards(fields.Field):
    """A list of standard codes, or a comma-separated string of them."""

    def _deserialize(self, value, attr, data, **kwargs):
        return _standards(value)


def province_field() -> Line:
    """An optional province, by its 2-digit code (forms, filters and imports alike)."""
    return Line(load_default=None, allow_none=True, validate=validate.Regexp(
        r"^\d{2}$", error=N_("must be a 2-digit province code")))


#: A producer's "where to buy" (shops, markets, online stores), in characters.
WHERE_TO_BUY_LENGTH = 1000
_PHONE = re.compile(r"\+?[0-9 .()-]{8,24}")
_HOST = re.compile(r"(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]")


class Phone(Line):
    """A phone number as people write it (``0912 345 678``, ``+84 24 3825 1234``, ``(024) 3825.1234``):
    digits with spaces, dots, hyphens and brackets, 8 to 15 digits, an optional leading ``+``."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if text is not None and not (_PHONE.fullmatch(text) and 8 <= sum(c.isdigit() for c in text) <= 15):
            raise ValidationError(Message(N_("is not a phone number (8 to 15 digits, e.g. 0912 345 678)")))
        return text


class Website(Line):
    """A public web address: ``http://`` or ``https://`` only (``htx.vn`` is read as ``https://htx.vn``);
    never another scheme (``javascript:``, ``data:``), a password in the address, or a host without a domain."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if text is None:
            return None
        if not re.match(r"[a-z][a-z0-9+.-]*:", text, re.IGNORECASE):
            text = "https://" + text
        problem = N_("is not a web address starting with http:// or https://")
        if len(text) > 300:
            raise ValidationError(longer_than(300))
        try:
            parts = urlsplit(text)
            host = (parts.hostname or "").encode("idna").decode("ascii")
            parts.port                                              # noqa: B018  (raises on a bad port)
        except (ValueError, UnicodeError):
            raise ValidationError(Message(problem)) from None
        if (parts.scheme.lower() not in ("http", "https") or " " in text or parts.username or parts.password
                or not _HOST.fullmatch(host)):
            raise ValidationError(Message(problem))
        return text


class ProducerInput(Schema):
    class Meta:
        unknown = EXCLUDE

    name = Line(required=True, error_messages=REQUIRED, validate=MaxLength(200))
    kind = fields.String(required=True, error_messages=REQUIRED, validate=OneOf(
        ("cooperative", "enterprise", "cooperative_group", "household", "other")))
    registration_number = Line(load_default=None, allow_none=True, validate=validate.Regexp(
        r"^[0-9A-Za-z./-]{1,30}$", error=N_("must be 1-30 letters, digits, '.', '/' or '-'")))
    address = Line(load_default=None, allow_none=True, validate=MaxLength(300))
    commune_code = Line(load_default=None, allow_none=True, validate=validate.Regexp(
        r"^\d{5}$", error=N_("must be a 5-digit commune code")))
    province_code = province_field()
    phone = Phone(load_default=None, allow_none=True)
    email = Line(load_default=None, allow_none=True, validate=[
        MaxLength(254), validate.Email(error=N_("is not an email address"))])
    representative = Line(load_default=None, allow_none=True, validate=MaxLength(120))
    website = Website(load_default=None, allow_none=True)
    where_to_buy = Block(load_default=None, allow_none=True, validate=MaxLength(WHERE_TO_BUY_LENGTH))


class ProductInput(Schema):
    class Meta:
        unknown = EXCLUDE

    name = Line(required=True, error_messages=REQUIRED, validate=MaxLength(200))
    producer_id = fields.Integer(required=True, error_messages={**REQUIRED, "invalid": N_("is not a producer id")},
                                 validate=validate.Range(min=1, max=MAX_ID, error=N_("is not a producer id")))
    product_set = fields.Raw(required=True, error_messages=REQUIRED)
    packaging = Line(load_default=None, allow_none=True, validate=MaxLength(120))
    description = Block(load_default=None, allow_none=True)
    story = Block(load_default=None, allow_none=True)
    gtin = Line(load_default=None, allow_none=True)
    standards = Standards(load_default=list)
