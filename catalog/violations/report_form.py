"""``/s/<code>/report``: a shopper reports a problem with a stamped product (or, for a code that resolves to
no product, a suspected counterfeit) into the officers' queue; ``/reports/<reference>``: they follow it.

On their own pages, so that a scan sets no cookie and carries no CSRF token; sending is rate-limited per
client network. The status page shows where the report stands and nothing the reporter gave.
"""
from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from catalog import trace
from catalog.kernel.errors import InvalidInput
from catalog.platform.limits import client_network, limiter
from catalog.violations.blueprint import public_bp as bp
from catalog.violations.reports import by_reference, file_report, public_status

_FIELDS = ("name", "message", "contact", "purchase_place")


def _report_limit() -> str:
    return current_app.config["CATALOG_REPORT_RATE_LIMIT"]


@bp.get("/s/<code>/report")
def report_form(code: str):
    """The "report a problem" form; "report a suspected counterfeit" when the code names no product."""
    stamp = trace.find_code(code)
    return render_template("violations/report_form.html", code=code, product=stamp.batch.product if stamp else None,
                           errors={}, form={})


@bp.post("/s/<code>/report")
@limiter.limit(_report_limit, key_func=client_network)
def report(code: str):
    stamp = trace.find_code(code)
    photo = request.files.get("photo")
    try:
        sent = file_report(code, stamp, **{name: request.form.get(name) for name in _FIELDS},
                           photo=photo.read() if photo and photo.filename else None,
                           network=trace.client_of(request).network,
                           uploads=Path(current_app.instance_path) / "uploads" / "reports")
    except InvalidInput as exc:
        return render_template("violations/report_form.html", code=code,
                               product=stamp.batch.product if stamp else None,
                               errors=exc.errors, form=request.form), 422
    return redirect(url_for("consumer_reports.report_status", reference=sent.reference, sent=1), code=303)


@bp.get("/reports/<reference>")
def report_status(reference: str):
    """Where a report stands, by its reference; the thank-you page right after sending (``?sent=1``)."""
    found = by_reference(reference)
    if found is None:
        abort(404)
    if found.reference != reference:
        return redirect(url_for("consumer_reports.report_status", reference=found.reference), code=301)
    response = current_app.make_response(render_template(
        "violations/report_status.html", report=found, status=public_status(found),
        sent=request.args.get("sent") == "1"))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.app_template_global("report_status_label")
def status_label(status: str) -> str:
    """A report's public status (:func:`catalog.violations.reports.public_status`) in the reader's language."""
    return {"received": _("received"), "under_review": _("under review"),
            "dismissed": _("closed: dismissed"), "violation": _("closed: turned into a violation"),
            "revoked": _("closed: the product's OCOP recognition was revoked")}.get(status, status)


@bp.app_template_global("report_status_explanation")
def status_explanation(status: str) -> str:
    return {
        "received": _("The report is in the OCOP office's queue; an officer will read it."),
        "under_review": _("An officer found grounds in the report and the office is examining the product."),
        "dismissed": _("The office looked into the report and took no action on it."),
        "violation": _("The office confirmed a violation and is dealing with the producer."),
        "revoked": _("The office confirmed a violation and the product's OCOP recognition was revoked: "
                     "it may no longer carry the OCOP mark."),
    }.get(status, "")
