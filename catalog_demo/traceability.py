"""Lots, events, stamps and scans for the demo, so that every scan verdict can be tried.

The four Vĩnh Tuy products get a lot with its harvest, test and packing events
and a batch of stamps (genuine; one voided; one scanned from many networks,
so suspicious); a revoked and a lapsed product get stamps issued while they
were certified. Demo stamp codes come from the seeded generator so that the
same seed gives the same codes; real stamps use the system's random source.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from catalog.kernel.models.recognitions import Recognition
from catalog.trace import codes

STAMPS_PER_BATCH = 20


@dataclass
class TraceData:
    lots: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    batches: list[dict[str, Any]] = field(default_factory=list)
    stamps: list[dict[str, Any]] = field(default_factory=list)
    scans: list[dict[str, Any]] = field(default_factory=list)
    examples: dict[str, str] = field(default_factory=dict)     # verdict -> a code that shows it

    def count(self) -> int:
        return len(self.lots) + len(self.events) + len(self.batches) + len(self.stamps) + len(self.scans)


def build(rng: random.Random, now: dt.datetime, products: list[dict[str, Any]],
          recognitions: list[Recognition]) -> TraceData:
    data = TraceData()
    by_product: dict[int, list[Recognition]] = {}
    for recognition in recognitions:
        by_product.setdefault(recognition.product_id, []).append(recognition)
    status = {pid: {r.status_at(now) for r in rs} for pid, rs in by_product.items()}
    certified = [p for p in products[:4] if "in_force" in status.get(p["id"], ())]
    for product in certified:
        lot = _lot(data, product, now)
        _batch(data, rng, product, lot, now - dt.timedelta(days=20))
    if certified:
        orange = [s for s in data.stamps if s["batch_id"] == data.batches[0]["id"]]
        orange[-1].update(voided_at=now - dt.timedelta(days=2), void_reason="Tem in lỗi, đã thu hồi (demo-data)")
        data.examples.update(genuine=orange[0]["code"], voided=orange[-1]["code"],
                             suspicious=orange[-2]["code"])
        for n in range(8):
            data.scans.append({"stamp_id": orange[-2]["id"], "code": orange[-2]["code"], "verdict": "genuine",
                               "scanned_at": now - dt.timedelta(hours=20 - n), "network": f"198.51.{n}.0/24",
                               "agent": "Chrome/Android"})
    for wanted in ("revoked", "expired"):
        product = next((p for p in products if status.get(p["id"]) == {wanted}), None)
        if product is not None:
            started = min(r.starts_at for r in by_product[product["id"]])
            batch = _batch(data, rng, product, None, started + dt.timedelta(days=30), count=5)
            data.examples[wanted] = next(s["code"] for s in data.stamps if s["batch_id"] == batch["id"])
    return data


def _lot(data: TraceData, product: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    packed = (now - dt.timedelta(days=21)).date()
    lot = {"id": len(data.lots) + 1, "product_id": product["id"], "code": f"L{packed:%y%m%d}-{product['id']:04d}",
           "production_date": packed, "expiry_date": packed + dt.timedelta(days=365), "quantity": 500,
           "unit": "hộp", "origin_area_code": f"VT-{product['id']:05d}", "origin_place": "thôn Vĩnh Chính, xã Vĩnh Tuy",
           "standards": product["standards"], "created_at": now}
    data.lots.append(lot)
    plus7 = dt.timezone(dt.timedelta(hours=7))
    steps = (("harvesting", 24, "Vườn của hộ thành viên", "Thu hái, phân loại tại vườn", None),
             ("processing", 23, "Xưởng chế biến của chủ thể", "Sơ chế, làm khô, đóng gói sơ cấp", None),
             ("inspecting", 22, "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng", "Đạt chỉ tiêu an toàn thực phẩm",
              "Phiếu kết quả thử nghiệm"),
             ("packing", 21, "Xưởng đóng gói", "Đóng hộp, dán tem truy xuất", None),
             ("shipping", 19, "Kho của chủ thể", "Xuất hàng cho đại lý tại Hà Nội", None))
    for kind, days_ago, place, details, document in steps:
        when = (now - dt.timedelta(days=days_ago)).astimezone(plus7).replace(hour=8, minute=0, second=0,
                                                                               microsecond=0)
        data.events.append({
            "id": len(data.events) + 1, "lot_id": lot["id"], "kind": kind, "occurred_at": when.astimezone(dt.UTC),
            "utc_offset_minutes": 420, "place": place, "location_code": lot["origin_area_code"],
            "actor": "Chủ thể sản xuất", "details": details, "document_title": document,
            "document_ref": f"KQ-{lot['code']}" if document else None, "created_at": now})
    return lot


def _batch(data: TraceData, rng: random.Random, product: dict[str, Any], lot: dict[str, Any] | None,
           issued_at: dt.datetime, count: int = STAMPS_PER_BATCH) -> dict[str, Any]:
    batch = {"id": len(data.batches) + 1, "product_id": product["id"], "lot_id": lot["id"] if lot else None,
             "count": count, "issued_at": issued_at, "issued_by": "demo-data", "voided_at": None, "void_reason": None}
    data.batches.append(batch)
    for serial in range(1, count + 1):
        data.stamps.append({"id": len(data.stamps) + 1, "code": codes.new_code(rng.getrandbits),
                            "batch_id": batch["id"], "serial": serial, "lot_id": batch["lot_id"],
                            "voided_at": None, "void_reason": None})
    return batch
