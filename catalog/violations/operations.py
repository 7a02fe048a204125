"""Violations found after certification, and the officers' handling of consumer reports.

A violation is filed open, then confirmed or dismissed with a note (final).
A confirmed violation may lead to revoking the product's recognition in force:
:data:`CATEGORY_GROUND` gives the revocation ground it pre-fills. A consumer
report is dismissed, or turned into a violation (linked both ways).
"""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from marshmallow import EXCLUDE, Schema, validate
from sqlalchemy import Select
from sqlalchemy.orm import contains_eager

from catalog.kernel import calendar, clock, recognitions
from catalog.kernel.db import db
from catalog.kernel.errors import DomainError, InvalidInput, NotInForce, TransitionRefused
from catalog.kernel.i18n import N_, Message
from catalog.kernel.inputs import REQUIRED, Block, Line, LocalDate, MaxLength, OneOf, load, longer_than, province_field
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.products import Product
from catalog.kernel.models.recognitions import Recognition
from catalog.kernel.text import clean_block
from catalog.kernel.visibility import recognition_in_force
from catalog.kernel.workflow import with_product
from catalog.platform import stored_files
from catalog.platform.images import clean_photo
from catalog.violations.models import (
    REPORT_STATUSES,
    VIOLATION_CATEGORIES,
    VIOLATION_STATUSES,
    ConsumerReport,
    Violation,
    ViolationEvidence,
)

#: The revocation ground a confirmed violation of each category suggests.
CATEGORY_GROUND = {
    "quality": "law_violation", "labelling": "law_violation", "mark_misuse": "mark_misuse",
    "intellectual_property": "law_violation", "environment": "law_violation", "counterfeit": "law_violation",
    "stopped_production": "stopped_production", "other": "criteria_not_met",
}
#: Evidence files: photos are cleaned like every upload; PDFs are checked by their signature.
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_FILES = 10
MAX_NOTE = 5000


class ViolationInput(Schema):
    class Meta:
        unknown = EXCLUDE

    found_on = LocalDate(required=True, error_messages=REQUIRED)
    category = Line(required=True, error_messages=REQUIRED, validate=OneOf(VIOLATION_CATEGORIES))
    description = Block(required=True, error_messages=REQUIRED, validate=MaxLength(5000))


class DecisionInput(Schema):
    class Meta:
        unknown = EXCLUDE

    status = Line(required=True, error_messages=REQUIRED, validate=validate.OneOf(
        ("confirmed", "dismissed"), error=N_("must be confirmed or dismissed")))
    note = Block(required=True, error_messages=REQUIRED, validate=MaxLength(MAX_NOTE))


#: What a report or violation already is, as a refusal names it.
_DECIDED = {"confirmed": N_("confirmed"), "dismissed": N_("dismissed"), "violation": N_("turned into a violation")}


class AlreadyDecided(TransitionRefused):
    code = "already_decided"

    def __init__(self, what: str, status: str):
        decided = Message(_DECIDED[status]) if status in _DECIDED else status
        super().__init__(Message(N_("this report is already %(status)s: its decision is final") if what == "report"
                                 else N_("this violation is already %(status)s: its decision is final"),
                                 status=decided), field="status")


def file_violation(product: Product | None, *, actor: str, evidence: Sequence[tuple[str, bytes]] = (),
                   uploads: Path | None = None, report: ConsumerReport | None = None, **fields: Any) -> Violation:
    """File an open violation. ``evidence`` is [(file name as uploaded, content)], all checked
    before anything is written; ``report``, if given, is the consumer report it comes from."""
    problems: dict[str, list[str]] = {}
    try:
        data = load(ViolationInput(), fields)
    except InvalidInput as exc:
        problems.update(exc.errors)
    if product is None:
        problems["product"] = [Message(N_("is required: choose the product concerned"))]
    if problems or product is None:
        raise InvalidInput(problems)
    if report is not None and report.status != "new":
        raise AlreadyDecided("report", report.status)
    checked = [_checked_evidence(name, content) for name, content in evidence if content]
    if len(checked) > MAX_EVIDENCE_FILES:
        raise InvalidInput({"evidence": [Message(N_("at most %(count)s files"), count=MAX_EVIDENCE_FILES)]})
    violation = Violation(product_id=product.id, filed_by=actor, status="open", **data)
    db.session.add(violation)
    db.session.flush()
    for original, content, content_type, suffix in checked:
        stored = f"{uuid.uuid4().hex}{suffix}"
        _write(uploads, stored, content)
        db.session.add(ViolationEvidence(violation_id=violation.id, filename=stored, original_name=original[:200],
                                         content_type=content_type, size=len(content)))
    if report is not None:
        _handle(report, "violation", actor, note=None)
        report.violation_id = violation.id
    db.session.flush()
    return violation


def decide(violation: Violation, *, actor: str, **fields: Any) -> Violation:
    """Confirm or dismiss an open violation, with a note."""
    data = load(DecisionInput(), fields)
    if violation.status != "open":
        raise AlreadyDecided("violation", violation.status)
    violation.status, violation.decision_note = data["status"], data["note"]
    violation.decided_at, violation.decided_by = clock.now(), actor
    db.session.flush()
    return violation


def revoke_for(violation: Violation, *, actor: str, **revocation: Any) -> Recognition:
    """Revoke the recognition in force of a confirmed violation's product, and link the two."""
    in_force = _revocable(violation)
    revoked = recognitions.revoke(in_force, actor=actor, **revocation)
    violation.recognition_id = revoked.id
    db.session.flush()
    return revoked


def revocation_blocked(violation: Violation) -> str | None:
    """Why :func:`revoke_for` would refuse this violation now (before any revocation input), or None."""
    try:
        _revocable(violation)
    except DomainError as exc:
        return exc.message
    return None


def _revocable(violation: Violation) -> Recognition:
    if violation.status != "confirmed":
        raise TransitionRefused(Message(N_("only a confirmed violation can lead to a revocation")), field="status",
                                code="violation_not_confirmed")
    in_force = recognition_in_force(violation.product)
    if in_force is None:
        raise NotInForce(Message(N_("this product has no recognition in force to revoke")))
    return in_force


def revocation_defaults(violation: Violation) -> dict[str, str]:
    """What the revocation form starts with for a confirmed violation: the ground its category suggests, the
    authority that recognised the product (the office that revokes it), and the violation's description as the
    INTERNAL note. Never the public reason: an inspector's note is not for the public page."""
    defaults = {"ground": CATEGORY_GROUND[violation.category],
                "internal_note": f"{VIOLATION_CATEGORIES[violation.category].vi}: {violation.description}"[:5000]}
    in_force = recognition_in_force(violation.product)
    if in_force is not None:
        defaults["authority"] = in_force.authority
    return defaults


def dismiss_report(report: ConsumerReport, *, actor: str, note: str | None) -> ConsumerReport:
    """Dismiss a new report; the note says why, for whoever reads the queue later."""
    text = clean_block(note)
    if report.status == "new" and text is None:
        raise InvalidInput({"note": [Message(N_("is required: say why the report is dismissed"))]})
    if text is not None and len(text) > MAX_NOTE:
        raise InvalidInput({"note": [longer_than(MAX_NOTE)]})
    return _handle(report, "dismissed", actor, text)


def _handle(report: ConsumerReport, status: str, actor: str, note: str | None) -> ConsumerReport:
    if report.status != "new":
        raise AlreadyDecided("report", report.status)
    report.status, report.handled_by, report.handled_at = status, actor, clock.now()
    report.note = note
    db.session.flush()
    return report


def _checked_evidence(name: str, content: bytes) -> tuple[str, bytes, str, str]:
    if len(content) > MAX_EVIDENCE_BYTES:
        raise InvalidInput({"evidence": [Message(N_("%(file)s: larger than %(mb)s MB"), file=name,
                                                 mb=MAX_EVIDENCE_BYTES // (1024 * 1024))]})
    if content.startswith(b"%PDF-"):
        return name, content, "application/pdf", ".pdf"
    try:
        return name, clean_photo(content, field="evidence"), "image/jpeg", ".jpg"
    except InvalidInput:
        raise InvalidInput({"evidence": [Message(N_("%(file)s: not a PDF, JPEG, PNG or WebP file"),
                                                 file=name)]}) from None


def _write(uploads: Path | None, stored: str, content: bytes) -> None:
    if uploads is None:
        raise DomainError(Message(N_("no folder for evidence files was given")), field="evidence")
    stored_files.write(uploads / stored, content)


# -- lists for the officers ------------------------------------------------------------------------

class ViolationFilter(Schema):
    class Meta:
        unknown = EXCLUDE

    status = Line(load_default=None, allow_none=True, validate=OneOf(VIOLATION_STATUSES))
    province = province_field()
    category = Line(load_default=None, allow_none=True, validate=OneOf(VIOLATION_CATEGORIES))
    found_from = LocalDate(load_default=None, allow_none=True)
    found_to = LocalDate(load_default=None, allow_none=True)


class ReportFilter(Schema):
    class Meta:
        unknown = EXCLUDE

    status = Line(load_default=None, allow_none=True, validate=OneOf(REPORT_STATUSES))
    province = province_field()
    sent_from = LocalDate(load_default=None, allow_none=True)
    sent_to = LocalDate(load_default=None, allow_none=True)


def violation_list(args: dict[str, Any]) -> tuple[Select, dict[str, Any]]:
    """Violations matching ``args`` (raw query values), newest finding first, with the filters as loaded."""
    filters = load(ViolationFilter(), _given(args))
    query = with_product(Violation)
    if filters["status"]:
        query = query.where(Violation.status == filters["status"])
    if filters["province"]:
        query = query.where(Producer.province_code == filters["province"])
    if filters["category"]:
        query = query.where(Violation.category == filters["category"])
    if filters["found_from"]:
        query = query.where(Violation.found_on >= filters["found_from"])
    if filters["found_to"]:
        query = query.where(Violation.found_on <= filters["found_to"])
    return query.order_by(Violation.found_on.desc(), Violation.id.desc()), filters


def report_list(args: dict[str, Any]) -> tuple[Select, dict[str, Any]]:
    """Consumer reports matching ``args``; the queue (new) by default, oldest first so none waits forever."""
    filters = load(ReportFilter(), {"status": "new", **_given(args)})
    if args.get("status") == "all":
        filters["status"] = None
    query = with_product(ConsumerReport, outer=True).options(
        contains_eager(ConsumerReport.product).selectinload(Product.recognitions))   # whether still in force
    if filters["status"]:
        query = query.where(ConsumerReport.status == filters["status"])
    if filters["province"]:
        query = query.where(Producer.province_code == filters["province"])
    if filters["sent_from"]:
        query = query.where(ConsumerReport.created_at >= calendar.start_of_day(filters["sent_from"]))
    if filters["sent_to"]:
        query = query.where(ConsumerReport.created_at < calendar.end_of_day(filters["sent_to"]))
    order = ConsumerReport.created_at if filters["status"] == "new" else ConsumerReport.created_at.desc()
    return query.order_by(order, ConsumerReport.id), filters


def _given(args: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in args.items() if v not in (None, "") and not (k == "status" and v == "all")}
