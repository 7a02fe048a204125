"""Admin: lots and their traceability events: list, create a lot for a product, edit it, record its events."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from catalog.kernel import roles
from catalog.kernel.db import db
from catalog.kernel.ids import parse_id
from catalog.kernel.models.products import Product
from catalog.platform import forms, pagination
from catalog.platform.forms import Errors, attempt, saved
from catalog.platform.permissions import requires
from catalog.trace import lot_forms
from catalog.trace import lots as lot_services
from catalog.trace.blueprint import admin_bp as bp
from catalog.trace.models.lots import Lot, TraceEvent

FIELDS = ("code", "production_date", "expiry_date", "quantity", "unit", "origin_area_code", "origin_place")
LISTS = ("standards",)
EVENT_FIELDS = ("kind", "occurred_at", "utc_offset", "place", "location_code", "actor", "details",
                "document_title", "document_ref")


@bp.get("/lots")
@requires(roles.RECORDS)
def lots():
    args = request.args
    stmt = select(Lot).join(Lot.product).order_by(Lot.id.desc())
    product = None
    if (product_id := parse_id(args.get("product"))) is not None:
        product = db.session.get(Product, product_id)
        stmt = stmt.where(Lot.product_id == product_id)
    page = pagination.paginate(stmt, Lot, text=args.get("q", ""), number=pagination.page_number(args),
                                  columns=(Lot.code, Product.name),
                                  options=(selectinload(Lot.product), selectinload(Lot.events)))
    return render_template("trace/lots.html", page=page, query=args, product=product,
                           filters=pagination.filter_args(args, ("q", "product")))


@bp.route("/products/<id:product_id>/lots/new", methods=["GET", "POST"])
@requires(roles.RECORDS)
def lot_new(product_id: int):
    product = db.get_or_404(Product, product_id)
    form = {"standards": list(product.standards or [])}
    errors: Errors = {}
    if request.method == "POST":
        form = forms.submitted(FIELDS, LISTS)
        lot, errors = attempt(lambda: lot_services.create_lot(product, **forms.blanks_to_none(form)))
        if lot is not None:
            return saved(_("Lot %(code)s created.", code=lot.code), "trace_admin.lot", lot_id=lot.id)
    return render_template("trace/lot_form.html", product=product, form=form, errors=errors,
                           standards=forms.standard_choices()), 422 if errors else 200


@bp.route("/lots/<id:lot_id>", methods=["GET", "POST"])
@requires(roles.RECORDS)
def lot(lot_id: int):
    """The lot's record (editable), its events in time order, and a form to add one."""
    found = db.get_or_404(Lot, lot_id)
    form = forms.values_of(found, FIELDS + LISTS)
    errors: Errors = {}
    if request.method == "POST":
        form = forms.submitted(FIELDS, LISTS)
        errors = attempt(lambda: lot_services.update_lot(found, **forms.blanks_to_none(form)))[1]
        if not errors:
            return saved(_("Lot %(code)s saved.", code=found.code), "trace_admin.lot", lot_id=found.id)
    return render_template("trace/lot.html", lot=found, form=form, errors=errors,
                           event_form=_new_event_form(found), event_errors={},
                           **_choices()), 422 if errors else 200


@bp.route("/lots/<id:lot_id>/events/new", methods=["GET", "POST"])
@requires(roles.RECORDS)
def lot_event_new(lot_id: int):
    found = db.get_or_404(Lot, lot_id)
    form = _new_event_form(found)
    errors: Errors = {}
    if request.method == "POST":
        form = forms.submitted(EVENT_FIELDS)
        errors = _save_event(form, lambda data: lot_services.add_event(found, **data))
        if not errors:
            return saved(_("Event added to lot %(code)s.", code=found.code), "trace_admin.lot", lot_id=found.id,
                         _anchor="events")
    return _event_page(found, None, form, errors)


@bp.route("/events/<id:event_id>", methods=["GET", "POST"])
@requires(roles.RECORDS)
def lot_event(event_id: int):
    """Correct an event recorded with a mistake."""
    event = db.get_or_404(TraceEvent, event_id)
    form = lot_forms.event_values(event)
    errors: Errors = {}
    if request.method == "POST":
        form = forms.submitted(EVENT_FIELDS)
        errors = _save_event(form, lambda data: lot_services.update_event(event, **data))
        if not errors:
            return saved(_("Event saved."), "trace_admin.lot", lot_id=event.lot_id, _anchor="events")
    return _event_page(event.lot, event, form, errors)


@bp.post("/events/<id:event_id>/delete")
@requires(roles.RECORDS)
def lot_event_delete(event_id: int):
    event = db.get_or_404(TraceEvent, event_id)
    lot_id = event.lot_id
    lot_services.delete_event(event)
    return saved(_("Event deleted."), "trace_admin.lot", lot_id=lot_id, _anchor="events")


def _save_event(form: dict, save) -> dict:
    """Save the event typed in ``form`` with ``save``; the errors by field, or {} when saved."""
    instant, errors = lot_forms.event_instant(form)
    if errors:
        return errors
    data = forms.blanks_to_none({k: v for k, v in form.items() if k != "utc_offset"})
    data["occurred_at"] = instant
    return attempt(lambda: save(data))[1]


def _new_event_form(lot: Lot) -> dict:
    return {"utc_offset": lot_forms.UTC_OFFSETS[0], "actor": lot.product.producer.name}


def _event_page(lot: Lot, event: TraceEvent | None, form: dict, errors: dict):
    return render_template("trace/lot_event_form.html", lot=lot, event=event, form=form, errors=errors,
                           **_choices()), 422 if errors else 200


def _choices() -> dict:
    return {"standards": forms.standard_choices(), "kinds": lot_forms.event_kind_choices(),
            "offsets": [(offset, "UTC" + offset) for offset in lot_forms.UTC_OFFSETS]}
