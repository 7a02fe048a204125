"""The verdict as JSON (``Accept: application/json``) and as the GS1 link set, read from the one read model."""
from __future__ import annotations

from typing import Any

from catalog.kernel.visibility import PublicStatus
from catalog.platform.hosts import external_url
from catalog.trace import digital_link
from catalog.trace.scan_views import EventView, LotView, ProductView, RecognitionView
from catalog.trace.verdicts import Verdict


def verdict_json(verdict: Verdict) -> dict[str, Any]:
    return {
        "verdict": verdict.verdict,
        "reason": verdict.reason,
        "code": verdict.code,
        "product": _product(verdict.product),
        "producer": _producer(verdict.product),
        "recognition": _recognition(verdict.status),
        "lot": _lot(verdict.lot),
        "events": [_event(e) for e in verdict.lot.events] if verdict.lot else [],
        "voided": None if verdict.voided_at is None else {
            "at": verdict.voided_at.isoformat(), "reason": verdict.void_reason},
        "scans": {"count": verdict.scan_count,
                  "first_at": verdict.first_scan_at.isoformat() if verdict.first_scan_at else None,
                  "distinct": verdict.distinct_scans, "networks": verdict.networks},
    }


def _recognition(status: PublicStatus[RecognitionView] | None) -> dict[str, Any] | None:
    recognition = status.recognition if status else None
    if status is None or recognition is None:
        return None
    return {"stars": recognition.stars, "decision": recognition.decision_number,
            "authority": recognition.authority, "decision_date": recognition.decision_date.isoformat(),
            "valid_until": recognition.valid_until.isoformat(), "status": status.status,
            "revoked_on": recognition.revoked_on.isoformat() if recognition.revoked_on else None,
            "revocation_ground": recognition.revocation_ground}


def _product(product: ProductView | None) -> dict[str, Any] | None:
    if product is None:
        return None
    return {"id": product.id, "name": product.name, "slug": product.slug, "gtin": product.gtin,
            "product_set": product.product_set, "sector": product.set_info.sector.code,
            "packaging": product.packaging, "standards": product.standards,
            "url": external_url("public.product", slug=product.slug)}


def _producer(product: ProductView | None) -> dict[str, Any] | None:
    if product is None:
        return None
    producer = product.producer
    return {"name": producer.name, "kind": producer.kind, "address": producer.address,
            "commune": producer.commune.name if producer.commune else None, "province": producer.province.name,
            "url": external_url("public.producer", key=producer.slug)}


def _lot(lot: LotView | None) -> dict[str, Any] | None:
    if lot is None:
        return None
    return {"code": lot.code,
            "production_date": lot.production_date.isoformat() if lot.production_date else None,
            "expiry_date": lot.expiry_date.isoformat() if lot.expiry_date else None,
            "quantity": str(lot.quantity) if lot.quantity is not None else None, "unit": lot.unit,
            "origin_area_code": lot.origin_area_code, "origin_place": lot.origin_place, "standards": lot.standards}


def _event(event: EventView) -> dict[str, Any]:
    return {"kind": event.kind, "time": event.local_time.isoformat(), "place": event.place,
            "location_code": event.location_code, "actor": event.actor, "details": event.details,
            "document": None if not event.document_title else {
                "title": event.document_title, "ref": event.document_ref}}


def linkset_for(anchor: str, product: ProductView, scan_url: str | None) -> dict[str, Any]:
    page = external_url("public.product", slug=product.slug)
    links = {
        "gs1:pip": [{"href": page, "title": product.name, "type": "text/html", "hreflang": "vi"}],
        "gs1:certificationInfo": [{"href": page + "#recognition", "title": "Công nhận OCOP",
                                   "type": "text/html", "hreflang": "vi"}],
    }
    if scan_url:
        links["gs1:traceability"] = [{"href": scan_url, "title": "Truy xuất nguồn gốc", "type": "text/html",
                                      "hreflang": "vi"}]
        links["gs1:verificationService"] = [{"href": scan_url, "title": "Kiểm tra tem", "type": "application/json"}]
    return digital_link.linkset(anchor, links, description=product.name)
