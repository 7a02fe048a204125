"""Builders for test data, going through the core's services like every surface does."""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from catalog.core import catalogue, recognitions
from catalog.core.models import Commune, Product
from catalog.extensions import db

_counter = itertools.count(1)

DECISION = {
    "score": Decimal("65"),
    "level": "province",
    "authority": "UBND tỉnh Tuyên Quang",
    "decision_number": "2751/QĐ-UBND",
    "decision_date": dt.date(2024, 12, 20),
}

REVOCATION = {
    "decision_number": "118/QĐ-UBND",
    "authority": "Chủ tịch UBND tỉnh Tuyên Quang",
    "ground": "criteria_not_met",
    "reason": "Kiểm tra sau chứng nhận: chỉ tiêu chất lượng không đạt",
}


def commune(code: str = "99001", name: str = "Vĩnh Tuy", province_code: str = "08") -> Commune:
    found = db.session.get(Commune, code)
    if found is None:
        found = Commune(code=code, name=name, kind="xa", province_code=province_code)
        db.session.add(found)
        db.session.flush()
    return found


def producer(**overrides):
    fields = {"name": f"Hợp tác xã Anh Tài {next(_counter)}", "kind": "cooperative",
              "commune_code": commune().code, "address": "thôn Vĩnh Chính"}
    fields.update(overrides)
    return catalogue.create_producer(**fields)


def product(**overrides) -> Product:
    fields = {"name": "Cam sành Hà Giang (hộp 5kg)", "product_set": 1, "packaging": "hộp 5kg"}
    fields.update(overrides)
    if "producer_id" not in fields:
        fields["producer_id"] = producer().id
    return catalogue.create_product(**fields)


def recognised_product(decision_date: dt.date = DECISION["decision_date"], **decision) -> Product:
    item = product()
    recognitions.recognise(item, actor="test", **{**DECISION, "decision_date": decision_date, **decision})
    return item
