"""Admin: violations found in post-certification inspection, their evidence, decision, and the revocation
a confirmed one may lead to."""
from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from catalog.kernel import calendar, clock, inputs, roles, visibility, workflow
from catalog.kernel.db import db
from catalog.kernel.ids import parse_id
from catalog.kernel.models.products import Product
from catalog.platform import forms, labels
from catalog.platform.forms import Errors, attempt, filtered_page, saved
from catalog.platform.i18n import translate
from catalog.platform.permissions import requires
from catalog.violations import operations as violations
from catalog.violations.blueprint import bp
from catalog.violations.models import VIOLATION_CATEGORIES, ConsumerReport, Violation, ViolationEvidence

PER_PAGE = 50


def evidence_folder() -> Path:
    return Path(current_app.instance_path) / "uploads" / "evidence"


@bp.get("/violations", endpoint="violations")
@requires(roles.VIOLATIONS)
def violation_list():
    form = request.args.to_dict()
    page, _filters, errors = filtered_page(violations.violation_list, form, PER_PAGE)
    return render_template("violations/violations.html", page=page, errors=errors, form=form,
                           province_choices=forms.province_choices(), category_choices=category_choices(),
                           status_choices=[(s, status_label(s)) for s in ("open", "confirmed", "dismissed")]), \
        422 if errors else 200


@bp.route("/violations/new", methods=["GET", "POST"])
@requires(roles.VIOLATIONS)
def violation_new():
    return violation_form()


def violation_form(report: ConsumerReport | None = None):
    """File a violation, from scratch or from a consumer report (shared by both pages)."""
    product_id = parse_id(request.values.get("product_id")) or (report.product_id if report else None)
    product = db.session.get(Product, product_id) if product_id else None
    today = calendar.local_date(clock.now())
    form = {"found_on": today.isoformat(), "attach_photo": "1"}
    errors: Errors = {}
    if report is not None:
        form.update(found_on=calendar.local_date(report.created_at).isoformat(), description=_(
            "%(message)s\n\n(Consumer report no. %(id)s, stamp code %(code)s)",
            message=report.message, id=report.id, code=report.code))
    if request.method == "POST":
        form = request.form.to_dict()
        # Read one byte past the limit at most: the core refuses a bigger file without it all in memory.
        evidence = [(f.filename, f.stream.read(violations.MAX_EVIDENCE_BYTES + 1))
                    for f in request.files.getlist("evidence") if f and f.filename]
        if report is not None and report.photo and form.get("attach_photo"):
            photo = Path(current_app.instance_path) / "uploads" / "reports" / report.photo
            if photo.is_file():
                evidence.append((f"report-{report.id}.jpg", photo.read_bytes()))
        filed, errors = attempt(lambda: violations.file_violation(
            product, actor=current_user.email, evidence=evidence, uploads=evidence_folder(), report=report,
            found_on=form.get("found_on"), category=form.get("category"), description=form.get("description")))
        if filed is not None:
            return saved(_("Violation no. %(id)s filed; it is open until confirmed or dismissed.", id=filed.id),
                         "violations.violation", violation_id=filed.id)
    q = (request.args.get("q") or "").strip()
    return render_template("violations/violation_form.html", product=product, report=report, form=form, errors=errors,
                           q=q, matches=workflow.products_matching(q) if q and product is None else [],
                           category_choices=category_choices()), 422 if errors else 200


@bp.get("/violations/<id:violation_id>")
@requires(roles.VIOLATIONS)
def violation(violation_id: int):
    return _detail(db.get_or_404(Violation, violation_id), {}, {})


@bp.post("/violations/<id:violation_id>/decide")
@requires(roles.VIOLATIONS)
def violation_decide(violation_id: int):
    found = db.get_or_404(Violation, violation_id)
    form = request.form.to_dict()
    errors = attempt(lambda: violations.decide(found, actor=current_user.email, status=form.get("status"),
                                               note=form.get("note")))[1]
    if errors:
        return _detail(found, form, errors)
    return saved(_("Violation no. %(id)s %(status)s.", id=found.id, status=status_label(found.status)),
                 "violations.violation", violation_id=found.id)


def _detail(found: Violation, form: dict, errors: dict):
    reports = db.session.scalars(select(ConsumerReport).where(ConsumerReport.violation_id == found.id)).all()
    return render_template("violations/violation.html", violation=found, form=form, errors=errors, reports=reports,
                           revoke_blocked=violations.revocation_blocked(found)), 422 if errors else 200


@bp.route("/violations/<id:violation_id>/revoke", methods=["GET", "POST"])
@requires(roles.VIOLATIONS)
def violation_revoke(violation_id: int):
    """The revocation form, pre-filled from a confirmed violation, recorded through ``revoke_for``."""
    found = db.get_or_404(Violation, violation_id)
    blocked = violations.revocation_blocked(found)
    if blocked and request.method == "GET":
        flash(_("No revocation can follow this violation now: %(reason)s.", reason=translate(blocked)))
        return redirect(url_for("violations.violation", violation_id=found.id), code=303)
    target = (visibility.recognition_in_force(found.product) or found.recognition
              or visibility.latest_recognition(found.product))
    form = {"revoked_on": calendar.local_date(clock.now()).isoformat(),
            "authority": target.authority if target is not None else ""}
    errors: Errors = {}
    if found.status == "confirmed":
        form.update(violations.revocation_defaults(found))
    if request.method == "POST":
        form = request.form.to_dict()
        revocation = {name: form.get(name) for name in inputs.REVOCATION_FIELDS}
        revoked, errors = attempt(lambda: violations.revoke_for(found, actor=current_user.email, **revocation))
        if revoked is not None:
            return saved(_("Recognition %(number)s revoked by decision %(decision)s.",
                           number=revoked.decision_number, decision=revoked.revocation_decision),
                         "violations.violation", violation_id=found.id)
    return render_template("recognitions/recognition_revoke.html", recognition=target, violation=found, form=form,
                           errors=errors, refused=blocked,
                           ground_choices=forms.ground_choices()), 422 if errors else 200


@bp.get("/violations/<id:violation_id>/evidence/<id:evidence_id>")
@requires(roles.VIOLATIONS)
def violation_evidence(violation_id: int, evidence_id: int):
    """An evidence file, always as a download (never rendered in the admin's origin)."""
    evidence = db.get_or_404(ViolationEvidence, evidence_id)
    if evidence.violation_id != violation_id:
        abort(404)
    response = send_from_directory(evidence_folder(), evidence.filename, mimetype=evidence.content_type,
                                   as_attachment=True, download_name=evidence.original_name, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


category_label = labels.by_code(VIOLATION_CATEGORIES)


def category_choices() -> list[tuple[str, str]]:
    return [(code, category_label(code)) for code in VIOLATION_CATEGORIES]


@bp.app_template_global("violation_status_label")
def status_label(code: str) -> str:
    return {"open": _("open"), "confirmed": _("confirmed"), "dismissed": _("dismissed"), "new": _("new"),
            "violation": _("turned into a violation")}.get(code, code)
