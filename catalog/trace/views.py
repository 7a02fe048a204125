"""Resolving stamps: ``/s/<code>`` (any case, trailing slash tolerated) and GS1 Digital Link paths.

Each resolution is logged (core.verdicts). HTML for people, the verdict as
JSON for ``Accept: application/json``, the GS1 link set for
``Accept: application/linkset+json`` or ``?linkType=linkset``.
"""
from __future__ import annotations

from flask import (
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select

from catalog.kernel import visibility
from catalog.kernel.db import db
from catalog.kernel.models.products import Product
from catalog.platform import transaction
from catalog.platform.limits import limiter
from catalog.trace import digital_link, presenters, verdicts
from catalog.trace.blueprint import bp
from catalog.trace.client import client_of
from catalog.trace.models.lots import Lot
from catalog.trace.scan_views import StampView

PAGE_STATUS = {"format": 400, "check": 400, "not_issued": 404}


def _scan_limit() -> str:
    return current_app.config["CATALOG_SCAN_RATE_LIMIT"]




def wants(media_type: str) -> bool:
    best = request.accept_mimetypes.best_match([media_type, "text/html"])
    return best == media_type and request.accept_mimetypes[media_type] > request.accept_mimetypes["text/html"]


@bp.get("/s/<code>", strict_slashes=False)
@bp.get("/S/<code>", strict_slashes=False)
@limiter.limit(_scan_limit)
def scan(code: str):
    verdict = verdicts.resolve(code, client_of(request), policy=verdicts.suspicion_policy())
    return _logged(verdict, _answer(verdict, anchor=None))


@bp.get("/01/<path:rest>", strict_slashes=False)
@limiter.limit(_scan_limit)
def gs1(rest: str):
    raw_path = request.environ.get("RAW_URI", request.path).split("?", 1)[0]
    try:
        link = digital_link.parse_path(raw_path)
    except digital_link.DigitalLinkError as exc:
        if wants("application/json"):
            return jsonify(error="malformed GS1 Digital Link", detail=str(exc)), 400
        return render_template("trace/malformed.html", message=str(exc)), 400
    product = db.session.scalar(select(Product).where(Product.gtin == link.gtin))
    if product is None:
        return _answer(verdicts.Verdict("unknown", link.gtin, reason="unknown_gtin"), anchor=None, status=404)
    lot = db.session.scalar(select(Lot).where(Lot.product_id == product.id, Lot.code == link.lot)) \
        if link.lot else None
    stamp = None if link.lot and lot is None else _stamp_under(product, lot, link.serial)
    if stamp is not None:
        verdict = verdicts.verdict_for(stamp, client_of(request), policy=verdicts.suspicion_policy())
    else:
        status = visibility.explain(product)
        reason = "not_issued" if link.serial else ("unknown_lot" if link.lot and lot is None else None)
        kind = "unknown" if reason else ("genuine" if status.visible else _lapsed(status))
        verdict = verdicts.Verdict(kind, link.serial or link.lot or link.gtin, reason=reason, product=product,
                                   lot=lot, status=status)
    anchor = digital_link.format_uri(current_app.config["CATALOG_PUBLIC_URL"], link.gtin, link.lot, link.serial)
    return _logged(verdict, _answer(verdict, anchor=anchor, status=200))


def _logged(verdict: verdicts.Verdict, response):
    """Write the scan log row once the answer is rendered, in a fresh transaction (see end_reads)."""
    if verdict.scan is not None:
        response = current_app.make_response(response)
        transaction.end_reads()
        verdicts.log(verdict)
    return response


def _answer(verdict: verdicts.Verdict, anchor: str | None, status: int | None = None):
    stamp_url = url_for("trace.scan", code=verdict.stamp.code, _external=True) if verdict.stamp else None
    if verdict.product is not None and (request.args.get("linkType") or wants(digital_link.LINKSET_MEDIA_TYPE)):
        anchor = anchor or stamp_url or url_for("public.product", slug=verdict.product.slug, _external=True)
        document = presenters.linkset_for(anchor, verdict.product, stamp_url)
        link_type = request.args.get("linkType")
        if link_type and link_type not in ("linkset", "all"):
            return _redirect_to(document, link_type)
        response = jsonify(document)
        response.mimetype = digital_link.LINKSET_MEDIA_TYPE
        return response
    status = status or PAGE_STATUS.get(verdict.reason or "", 200)
    transaction.keep_despite_error_status()          # a scan of an unknown code is logged too
    if wants("application/json"):
        return jsonify(presenters.verdict_json(verdict)), status
    return render_template("trace/scan.html", v=verdict), status


def _redirect_to(document: dict, link_type: str):
    targets = document["linkset"][0].get(digital_link.link_type_uri(link_type))
    if not targets:
        return jsonify(error=f"no {link_type} link for this item"), 404
    query = request.query_string.decode()
    passed = "&".join(p for p in query.split("&") if p and not p.startswith("linkType="))
    href = targets[0]["href"]
    return redirect(href + (("&" if "?" in href else "?") + passed if passed else ""), code=307)


def _stamp_under(product: Product, lot: Lot | None, serial: str | None) -> StampView | None:
    stamp = verdicts.find_code(serial) if serial else None
    if stamp is None or stamp.batch.product_id != product.id:
        return None
    stamp_lot = stamp.lot or stamp.batch.lot
    return stamp if lot is None or stamp_lot is None or stamp_lot.id == lot.id else None




def _lapsed(status) -> str:
    return "revoked" if status.status == "revoked" else "expired"
