"""The producers offered in the product form."""
from __future__ import annotations

from sqlalchemy import select

from catalog.kernel.db import db
from catalog.kernel.models.producers import Producer


def producer_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(select(Producer.id, Producer.name).order_by(Producer.name, Producer.id))
    return [(producer_id, name) for producer_id, name in rows]
