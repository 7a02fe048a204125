"""Admin: the recognition work list, recording decisions (first, re-recognition, upgrade) and revoking.

Only the steps :func:`core.workflow.offer` finds allowed now are offered;
a forced request still goes to the core, whose refusal is shown next to the
field it concerns (422, nothing written).
"""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from catalog.kernel import calendar, clock, inputs, programme, recognitions, roles, units, visibility, workflow
from catalog.kernel.db import db
from catalog.kernel.models.products import Product
from catalog.kernel.models.recognitions import KIND_FIRST, KIND_RE_RECOGNITION, KIND_UPGRADE, Recognition
from catalog.platform import forms
from catalog.platform.forms import Errors, attempt, filtered_page
from catalog.platform.i18n import day
from catalog.platform.permissions import can, requires
from catalog.recognitions.blueprint import bp

RECORD = {KIND_FIRST: recognitions.recognise, KIND_RE_RECOGNITION: recognitions.re_recognise,
          KIND_UPGRADE: recognitions.upgrade}
DECISION_FIELDS = ("score", "level", "authority", "decision_number", "decision_date", "certificate_number", "note")
PER_PAGE = 50


@bp.get("/recognitions", endpoint="recognitions")
@requires(roles.RECOGNITIONS)
def recognition_list():
    page, _filters, errors = filtered_page(workflow.worklist, request.args.to_dict(), PER_PAGE)
    return render_template("recognitions/recognitions.html", page=page, errors=errors, form=request.args.to_dict(),
                           provinces=units.provinces(), province_choices=forms.province_choices(), now=clock.now(),
                           status_choices=[(s, label(s)) for s in workflow.WORKLIST_STATUSES]), 422 if errors else 200


@bp.get("/products/<id:product_id>/recognitions")
@requires(roles.RECOGNITIONS)
def product_recognitions(product_id: int):
    """The product's recognition status, the actions open now and its full history."""
    return render_template("recognitions/recognition_product.html", product=db.get_or_404(Product, product_id))


@bp.route("/products/<id:product_id>/recognitions/new", methods=["GET", "POST"])
@requires(roles.RECOGNITIONS)
def recognition_new(product_id: int):
    product = db.get_or_404(Product, product_id)
    kind = request.args.get("kind", "")
    if kind not in RECORD:
        flash(_("Choose one of the actions offered for this product."))
        return redirect(url_for("recognitions.product_recognitions", product_id=product.id), code=303)
    offer = workflow.offer(product)
    latest = visibility.latest_recognition(product)
    form, preview = {"authority": latest.authority if latest else ""}, None
    errors: Errors = {}
    if request.method == "POST":
        form = request.form.to_dict()
        decision = {name: form.get(name) for name in DECISION_FIELDS}
        if "preview" in request.form:
            preview = workflow.preview(kind, product, decision)
            errors = preview.errors
        else:
            made, errors = attempt(lambda: RECORD[kind](product, actor=current_user.email, **decision))
            if made is not None:
                flash(_("Decision %(number)s recorded: %(stars)s stars, valid until %(until)s.",
                        number=made.decision_number, stars=made.stars, until=day(made.valid_until)))
                return redirect(product_url(product.id), code=303)
    return render_template("recognitions/recognition_form.html", product=product, kind=kind, offer=offer, form=form,
                           errors=errors, preview=preview, in_force=offer.in_force,
                           min_stars=programme.MIN_RECOGNISED_STARS), 422 if errors else 200


@bp.route("/recognitions/<id:recognition_id>/revoke", methods=["GET", "POST"])
@requires(roles.RECOGNITIONS)
def recognition_revoke(recognition_id: int):
    recognition = db.get_or_404(Recognition, recognition_id)
    form = {"revoked_on": calendar.local_date(clock.now()).isoformat(), "authority": recognition.authority}
    errors: Errors = {}
    if request.method == "POST":
        form = request.form.to_dict()
        errors = attempt(lambda: recognitions.revoke(recognition, actor=current_user.email,
                                                     **{name: form.get(name) for name in inputs.REVOCATION_FIELDS}))[1]
        if not errors:
            flash(_("Recognition %(number)s revoked by decision %(decision)s.",
                    number=recognition.decision_number, decision=recognition.revocation_decision))
            return redirect(product_url(recognition.product_id), code=303)
    return render_template("recognitions/recognition_revoke.html", recognition=recognition, violation=None, form=form,
                           errors=errors, refused=workflow.revocation_refused(recognition),
                           ground_choices=forms.ground_choices()), 422 if errors else 200


@bp.app_template_global("recognition_product_url")
def product_url(product_id: int) -> str:
    """The product's admin page, or its recognition page while the product pages are not there."""
    if "records.product" in current_app.view_functions:
        return url_for("records.product", product_id=product_id)
    return url_for("recognitions.product_recognitions", product_id=product_id)


@bp.app_template_global("recognition_panel")
def recognition_panel(product: Product) -> dict:
    """What ``_recognition_panel.html`` shows: status and history for all, actions for officers."""
    return {"status": visibility.explain(product), "decisions": sorted(
                product.recognitions, key=lambda r: (r.starts_at, r.id), reverse=True),
            "events": recognitions.history(product), "now": clock.now(),
            "offer": workflow.offer(product) if can(roles.RECOGNITIONS) else None}


@bp.app_template_global("recognition_label")
def label(code: str | None) -> str:
    """English msgids for the recognition vocabulary: statuses, kinds, history events, levels, list filters."""
    filing_from, filing_to = programme.RE_RECOGNITION_FILING_DAYS
    labels = {
        **{status: _(term) for status, term in visibility.PUBLIC_STATUS_TERMS.items()},
        "window": _("in the re-recognition window (%(a)s to %(b)s days before expiry)", a=filing_from, b=filing_to),
        "expiring": _("expiring (within %(days)s days)", days=filing_to),
        KIND_FIRST: _("first recognition"), KIND_RE_RECOGNITION: _("re-recognition"), KIND_UPGRADE: _("upgrade"),
        workflow.REVOKE: _("revocation"),
        "recognised": _("recognised"), "re_recognised": _("re-recognised"), "upgraded": _("upgraded"),
        "province": _("provincial"), "national": _("national"),
    }
    return labels.get(code or "", code or "")
