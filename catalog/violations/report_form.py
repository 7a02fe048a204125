"""``/s/<code>/report``: a shopper reports a problem with a stamped product, into the officers' queue.

On its own page, so that a scan sets no cookie and carries no CSRF token;
rate-limited per client.
"""
from __future__ import annotations

from pathlib import Path

from flask import current_app, redirect, render_template, request, url_for

from catalog import trace
from catalog.kernel.errors import InvalidInput
from catalog.platform.limits import client_network, limiter
from catalog.violations.blueprint import public_bp as bp
from catalog.violations.reports import file_report


def _report_limit() -> str:
    return current_app.config["CATALOG_REPORT_RATE_LIMIT"]


@bp.get("/s/<code>/report")
def report_form(code: str):
    """The "report a problem" form."""
    stamp = trace.find_code(code)
    return render_template("violations/report_form.html", code=code, product=stamp.batch.product if stamp else None,
                           errors={}, form={}, sent=request.args.get("sent") == "1")


@bp.post("/s/<code>/report")
@limiter.limit(_report_limit, key_func=client_network)
def report(code: str):
    stamp = trace.find_code(code)
    photo = request.files.get("photo")
    try:
        file_report(code, stamp, name=request.form.get("name"), message=request.form.get("message"),
                    photo=photo.read() if photo and photo.filename else None,
                    network=trace.client_of(request).network,
                    uploads=Path(current_app.instance_path) / "uploads" / "reports")
    except InvalidInput as exc:
        return render_template("violations/report_form.html", code=code,
                               product=stamp.batch.product if stamp else None,
                               errors=exc.errors, form=request.form, sent=False), 422
    return redirect(url_for("consumer_reports.report_form", code=code, sent=1), code=303)
