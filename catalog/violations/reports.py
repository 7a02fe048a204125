"""Consumer reports from the scan page, queued for the officers."""
from __future__ import annotations

import uuid
from pathlib import Path

from marshmallow import EXCLUDE, Schema, validate

from catalog.kernel.db import db
from catalog.kernel.i18n import N_
from catalog.kernel.inputs import REQUIRED, Block, Line, MaxLength, load
from catalog.platform import stored_files
from catalog.platform.images import clean_photo
from catalog.trace import StampView
from catalog.violations.models import ConsumerReport


class ReportInput(Schema):
    class Meta:
        unknown = EXCLUDE

    name = Line(load_default=None, allow_none=True, validate=MaxLength(120))
    message = Block(required=True, error_messages=REQUIRED, validate=validate.Length(
        min=5, max=2000, error=N_("must be 5 to 2,000 characters")))


def file_report(code: str, stamp: StampView | None, *, name: str | None, message: str | None,
                photo: bytes | None, network: str | None, uploads: Path) -> ConsumerReport:
    """Check everything first (text and photo), then write the photo and the report."""
    data = load(ReportInput(), {"name": name, "message": message})
    cleaned = clean_photo(photo) if photo else None
    filename = None
    if cleaned is not None:
        filename = f"{uuid.uuid4().hex}.jpg"
        stored_files.write(uploads / filename, cleaned)
    report = ConsumerReport(code=code[:40], stamp_id=stamp.id if stamp else None,
                            product_id=stamp.batch.product_id if stamp else None,
                            name=data["name"], message=data["message"], photo=filename, network=network)
    db.session.add(report)
    db.session.flush()
    return report
