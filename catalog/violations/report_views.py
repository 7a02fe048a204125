"""Admin: the queue of consumer reports sent from the scan page; dismissed, or turned into a violation."""
from __future__ import annotations

import re
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user

from catalog.kernel import roles, visibility
from catalog.kernel.db import db
from catalog.kernel.models.products import Product
from catalog.platform import forms
from catalog.platform.forms import attempt, filtered_page, saved
from catalog.platform.permissions import requires
from catalog.violations import operations as violations
from catalog.violations.blueprint import bp
from catalog.violations.models import ConsumerReport
from catalog.violations.views import status_label, violation_form

PER_PAGE = 50
_PHOTO = re.compile(r"[0-9a-f]{32}\.jpg")


@bp.get("/reports", endpoint="reports")
@requires(roles.VIOLATIONS)
def report_list():
    form = request.args.to_dict()
    page, filters, errors = filtered_page(violations.report_list, form, PER_PAGE)
    if filters is not None:
        form.setdefault("status", filters["status"] or "all")
    choices = [(s, status_label(s)) for s in ("new", "dismissed", "violation")] + [("all", _("all"))]
    return render_template("violations/reports.html", page=page, errors=errors, form=form, status_choices=choices,
                           province_choices=forms.province_choices()), 422 if errors else 200


@bp.get("/reports/<id:report_id>")
@requires(roles.VIOLATIONS)
def report(report_id: int):
    return _detail(db.get_or_404(ConsumerReport, report_id), {}, {})


@bp.post("/reports/<id:report_id>/dismiss")
@requires(roles.VIOLATIONS)
def report_dismiss(report_id: int):
    found = db.get_or_404(ConsumerReport, report_id)
    form = request.form.to_dict()
    errors = attempt(lambda: violations.dismiss_report(found, actor=current_user.email, note=form.get("note")))[1]
    if errors:
        return _detail(found, form, errors)
    return saved(_("Consumer report no. %(id)s dismissed.", id=found.id), "violations.reports")


@bp.route("/reports/<id:report_id>/violation", methods=["GET", "POST"])
@requires(roles.VIOLATIONS)
def report_violation(report_id: int):
    """The violation form pre-filled from the report; filing it takes the report out of the queue."""
    found = db.get_or_404(ConsumerReport, report_id)
    if found.status != "new" and request.method == "GET":
        flash(_("This report has already been handled."))
        return redirect(url_for("violations.report", report_id=found.id), code=303)
    return violation_form(report=found)


@bp.get("/reports/<id:report_id>/photo")
@requires(roles.VIOLATIONS)
def report_photo(report_id: int):
    """The consumer's photo: a JPEG we re-encoded and named, shown only to officers."""
    found = db.get_or_404(ConsumerReport, report_id)
    if not found.photo or not _PHOTO.fullmatch(found.photo):
        abort(404)
    response = send_from_directory(Path(current_app.instance_path) / "uploads" / "reports", found.photo,
                                   mimetype="image/jpeg", max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _detail(found: ConsumerReport, form: dict, errors: dict):
    return render_template("violations/report.html", report=found, form=form, errors=errors), 422 if errors else 200


@bp.app_template_global("report_product_status")
def product_status(product: Product) -> visibility.PublicStatus:
    """Whether a reported product is still certified (the queue flags one already revoked or expired)."""
    return visibility.explain(product)
