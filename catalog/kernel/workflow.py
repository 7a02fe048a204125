"""What the admin area may offer for a product's recognition now, the preview of a decision, and the work list.

The offer and the preview never restate a rule: they run :mod:`.lifecycle`'s
planning functions on transient copies of the product's recognitions (so
nothing the session holds is touched) with a probe decision dated today.
Whatever the core would refuse is not offered, and its message says why.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from marshmallow import EXCLUDE, Schema
from sqlalchemy import Select, inspect, select
from sqlalchemy.orm import contains_eager

from catalog.kernel import calendar, clock, programme
from catalog.kernel.db import db
from catalog.kernel.errors import DomainError, InvalidInput
from catalog.kernel.i18n import N_, Message
from catalog.kernel.inputs import Line, LocalDate, MaxLength, OneOf, RecognitionDecisionInput, load, province_field
from catalog.kernel.lifecycle import plan_recognition, plan_revocation
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.products import Product
from catalog.kernel.models.recognitions import KIND_FIRST, KIND_RE_RECOGNITION, KIND_UPGRADE, Recognition
from catalog.kernel.text import contains_words
from catalog.kernel.visibility import latest_recognition, recognition_in_force

REVOKE = "revoke"
#: Work-list filters: in force; in the filing window for re-recognition; expiring (filing period over);
#: lapsed (and not followed by a later decision); revoked.
WORKLIST_STATUSES = ("in_force", "window", "expiring", "expired", "revoked")


@dataclass
class Offer:
    """Which steps the core would take for a product now; ``refused`` holds the core's reason for the others."""

    allowed: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    in_force: Recognition | None = None


@dataclass
class Preview:
    stars: int | None = None
    required_level: str | None = None
    valid_until: dt.date | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)


def offer(product: Product, at: dt.datetime | None = None) -> Offer:
    at = at or clock.now()
    today = calendar.local_date(at)
    result = Offer(in_force=recognition_in_force(product, at))
    lowest = programme.MIN_RECOGNISED_SCORE
    probes = {KIND_FIRST: lowest, KIND_RE_RECOGNITION: lowest, KIND_UPGRADE: programme.MAX_SCORE}
    for kind, score in probes.items():
        try:
            plan_recognition(kind, product.id, _copies(product), _probe(score, today), actor="offer", at=at)
        except DomainError as exc:
            result.refused[kind] = exc.message
        else:
            result.allowed.append(kind)
    target = result.in_force or latest_recognition(product)
    refusal = Message(N_("the product has never been recognised")) if target is None \
        else revocation_refused(target, at)
    if refusal:
        result.refused[REVOKE] = refusal
    else:
        result.allowed.append(REVOKE)
    return result


def revocation_refused(recognition: Recognition, at: dt.datetime | None = None) -> str | None:
    """Why the core would refuse to revoke ``recognition`` today, or None if it would not."""
    at = at or clock.now()
    probe = {"revoked_on": calendar.local_date(at), "decision_number": "1", "authority": "-",
             "ground": next(iter(programme.REVOCATION_GROUNDS))}
    try:
        plan_revocation(_copy(recognition), probe, actor="offer", at=at)
    except DomainError as exc:
        return exc.message
    return None


def preview(kind: str, product: Product, form: dict[str, Any], at: dt.datetime | None = None) -> Preview:
    """Stars, required level and valid-until of a typed decision, plus what the core would refuse; writes nothing."""
    at = at or clock.now()
    result = Preview()
    for name in ("score", "decision_date"):
        try:
            value = load(RecognitionDecisionInput(only=(name,)), {name: form.get(name)})[name]
        except InvalidInput as exc:
            result.errors.update(exc.errors)
            continue
        if name == "score":
            result.stars = programme.stars_for_score(value)
            result.required_level = programme.required_level(result.stars)
        else:
            result.valid_until = programme.valid_until(value)
    try:
        decision = load(RecognitionDecisionInput(), form)
        plan_recognition(kind, product.id, _copies(product), decision, actor="preview", at=at)
    except DomainError as exc:
        for name, messages in exc.errors.items():
            result.errors.setdefault(name, []).extend(m for m in messages if m not in result.errors.get(name, []))
    return result


def _probe(score: Decimal, today: dt.date) -> dict[str, Any]:
    stars = programme.stars_for_score(score)
    return {"score": score, "level": programme.required_level(stars), "authority": "-", "decision_number": "1",
            "decision_date": today, "certificate_number": None, "note": None}


def _copy(recognition: Recognition) -> Recognition:
    """A transient twin: planning may set ``superseded_at`` or revocation fields on it, never on the real row."""
    return Recognition(**{attr.key: getattr(recognition, attr.key) for attr in inspect(Recognition).column_attrs})


def _copies(product: Product) -> list[Recognition]:
    return [_copy(r) for r in product.recognitions]


# -- the work list ------------------------------------------------------------------------------------

class WorklistFilter(Schema):
    class Meta:
        unknown = EXCLUDE

    status = Line(load_default=None, allow_none=True, validate=OneOf(WORKLIST_STATUSES))
    province = province_field()
    decided_from = LocalDate(load_default=None, allow_none=True)
    decided_to = LocalDate(load_default=None, allow_none=True)
    q = Line(load_default=None, allow_none=True, validate=MaxLength(200))


def with_product(entity, *, outer: bool = False) -> Select:
    """``entity`` rows (each with a ``product``) joined to their product and its producer, both loaded by the
    join; ``outer`` keeps rows with no product."""
    return (select(entity).join(entity.product, isouter=outer).join(Product.producer, isouter=outer)
            .options(contains_eager(entity.product).contains_eager(Product.producer)))


def products_matching(q: str, limit: int = 20) -> list[Product]:
    """Products whose name holds the words of ``q``, with or without diacritics ("tra shan tuyet")."""
    return list(db.session.scalars(select(Product).where(contains_words(q, Product.name))
                                   .order_by(Product.name).limit(limit)))


def worklist(args: dict[str, Any], at: dt.datetime | None = None) -> tuple[Select, dict[str, Any]]:
    """The recognitions matching ``args`` (raw query values), with the filters as loaded."""
    filters = load(WorklistFilter(), {k: v for k, v in args.items() if v not in (None, "")})
    at = at or clock.now()
    today = calendar.local_date(at)
    query = with_product(Recognition)
    status = filters["status"]
    latest_first = True
    if status in ("in_force", "window", "expiring"):
        query = query.where(Recognition.in_force_at(at))
        latest_first = False
        window_opens, window_closes = programme.filing_window_expiries(today)
        if status == "window":
            query = query.where(Recognition.valid_until.between(window_opens, window_closes))
        elif status == "expiring":
            query = query.where(Recognition.valid_until < window_opens)
    elif status == "expired":
        query = query.where(Recognition.expired_at(at), Recognition.is_latest())
    elif status == "revoked":
        query = query.where(Recognition.revoked_at <= at)
    if filters["province"]:
        query = query.where(Producer.province_code == filters["province"])
    if filters["decided_from"]:
        query = query.where(Recognition.decision_date >= filters["decided_from"])
    if filters["decided_to"]:
        query = query.where(Recognition.decision_date <= filters["decided_to"])
    if filters["q"]:
        query = query.where(contains_words(filters["q"], Product.name))
    order = ((Recognition.decision_date.desc(), Recognition.id.desc()) if latest_first
             else (Recognition.valid_until, Recognition.id))
    return query.order_by(*order), filters

