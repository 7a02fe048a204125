"""Consumer reports from the scan page, queued for the officers; the reporter follows one by its reference.

A report names a stamp code. When the code resolves to a stamp it is about that stamp's product; when it
resolves to none (a code the registry never issued, or one whose check character is wrong) it is a report of
a suspected counterfeit, carrying the code as typed or scanned.

The reporter may leave a phone number or an e-mail address (``contact``) and where the product was bought;
they are for the officers only. The reporter is given a ``reference`` (random, :data:`REFERENCE_LENGTH`
characters of :data:`REFERENCE_ALPHABET`, never the row id) to follow the report at ``/reports/<reference>``,
a page that shows its :func:`public_status` and nothing the reporter wrote.
"""
from __future__ import annotations

import re
import secrets
import uuid
from pathlib import Path
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, validate
from sqlalchemy import select

from catalog.kernel.db import db
from catalog.kernel.i18n import N_, Message
from catalog.kernel.inputs import REQUIRED, Block, Line, MaxLength, load
from catalog.platform import stored_files
from catalog.platform.images import clean_photo
from catalog.trace import StampView
from catalog.violations.models import ConsumerReport

#: No 0/O, 1/I/L: a reference read aloud over the phone or copied by hand is not misread.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 10                  # 31**10, about 8 * 10**14: not guessable, not enumerable
_REFERENCE = re.compile(f"[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}}")

#: A Vietnamese phone number once spaces, dots, hyphens and brackets are gone: a mobile (0 and 9 digits,
#: the first 3, 5, 7, 8 or 9) or a landline (02 and 9 digits), written with 0 or with +84 / 84.
_PHONE = re.compile(r"(?:\+?84|0)((?:[35789]\d{8})|(?:2\d{9}))")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_EMAIL = validate.Email(error=N_("is not an e-mail address"))


class Contact(Line):
    """A phone number (kept as 0 and its digits) or an e-mail address (kept as typed); blank is none."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if text is None:
            return None
        if "@" in text:
            if len(text) > 254:
                raise ValidationError(Message(N_("is longer than %(limit)s characters"), limit=254))
            try:
                return _EMAIL(text)
            except ValidationError:
                raise ValidationError(Message(N_("is not an e-mail address: write it as name@example.com"))) \
                    from None
        phone = _PHONE.fullmatch(_PHONE_SEPARATORS.sub("", text))
        if phone is None:
            raise ValidationError(Message(N_(
                "is neither a Vietnamese phone number (e.g. 0912 345 678) nor an e-mail address")))
        return "0" + phone.group(1)


class ReportInput(Schema):
    class Meta:
        unknown = EXCLUDE

    name = Line(load_default=None, allow_none=True, validate=MaxLength(120))
    message = Block(required=True, error_messages=REQUIRED, validate=validate.Length(
        min=5, max=2000, error=N_("must be 5 to 2,000 characters")))
    contact = Contact(load_default=None, allow_none=True)
    purchase_place = Line(load_default=None, allow_none=True, validate=MaxLength(200))


def file_report(code: str, stamp: StampView | None, *, name: str | None, message: str | None,
                photo: bytes | None, network: str | None, uploads: Path, contact: str | None = None,
                purchase_place: str | None = None) -> ConsumerReport:
    """Check everything first (text, contact and photo), then write the photo and the report.

    ``stamp`` None: the code resolves to no stamp, and the report is of a suspected counterfeit."""
    data = load(ReportInput(), {"name": name, "message": message, "contact": contact,
                                "purchase_place": purchase_place})
    cleaned = clean_photo(photo) if photo else None
    filename = None
    if cleaned is not None:
        filename = f"{uuid.uuid4().hex}.jpg"
        stored_files.write(uploads / filename, cleaned)
    report = ConsumerReport(code=code[:40], stamp_id=stamp.id if stamp else None,
                            product_id=stamp.batch.product_id if stamp else None, reference=new_reference(),
                            photo=filename, network=network, **data)
    db.session.add(report)
    db.session.flush()
    return report


def new_reference() -> str:
    """A fresh reference: random, so a clash is all but impossible; one is still looked for."""
    while True:
        reference = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        if db.session.scalar(select(ConsumerReport.id).where(ConsumerReport.reference == reference)) is None:
            return reference


def by_reference(reference: str) -> ConsumerReport | None:
    """The report of ``reference`` (any case, spaces and hyphens ignored), or None."""
    wanted = re.sub(r"[\s-]", "", reference or "").upper()
    if not _REFERENCE.fullmatch(wanted):
        return None
    return db.session.scalar(select(ConsumerReport).where(ConsumerReport.reference == wanted))


#: What the public status page says, by :func:`public_status`.
PUBLIC_STATUSES = ("received", "under_review", "dismissed", "violation", "revoked")


def public_status(report: ConsumerReport) -> str:
    """Where the report stands, as its reporter is told: ``received`` (in the queue), ``under_review`` (turned
    into a violation the officers are examining), or closed with the outcome: ``dismissed`` (the report, or the
    violation it became), ``violation`` (confirmed) or ``revoked`` (the violation led to revoking the product's
    recognition)."""
    if report.status == "new":
        return "received"
    if report.status == "dismissed":
        return "dismissed"
    violation: Any = report.violation
    if violation is None or violation.status == "open":
        return "under_review"
    if violation.recognition_id is not None:
        return "revoked"
    return "violation" if violation.status == "confirmed" else "dismissed"
