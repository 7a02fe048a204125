"""Admin: producers (chủ thể OCOP): list and search, create, edit; a producer's page lists its products."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from catalog.kernel import catalogue, roles, units, visibility
from catalog.kernel.db import db
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.products import Product
from catalog.platform import forms, pagination
from catalog.platform.forms import Errors, attempt, saved
from catalog.platform.permissions import requires
from catalog.records.blueprint import bp

FIELDS = ("name", "kind", "registration_number", "address", "province_code", "commune_code", "phone", "email",
          "representative", "website", "where_to_buy")


@bp.get("/producers")
@requires(roles.RECORDS)
def producers():
    args = request.args
    stmt = select(Producer).order_by(Producer.name, Producer.id)
    if args.get("province") in units.provinces():
        stmt = stmt.where(Producer.province_code == args["province"])
    page = pagination.paginate(stmt, Producer, text=args.get("q", ""), number=pagination.page_number(args),
                                  columns=(Producer.name, Producer.registration_number),
                                  options=(selectinload(Producer.province), selectinload(Producer.commune)))
    counts = dict(db.session.execute(
        select(Product.producer_id, func.count()).where(Product.producer_id.in_([p.id for p in page.items]))
        .group_by(Product.producer_id)).all()) if page.items else {}
    return render_template("records/producers.html", page=page, counts=counts, query=args,
                           filters=pagination.filter_args(args, ("q", "province")),
                           provinces=forms.province_choices())


@bp.route("/producers/new", methods=["GET", "POST"])
@requires(roles.RECORDS)
def producer_new():
    form = {"kind": "cooperative"}
    errors: Errors = {}
    if request.method == "POST":
        form = forms.submitted(FIELDS)
        producer, errors = attempt(lambda: catalogue.create_producer(**form))
        if producer is not None:
            return saved(_("Producer %(name)s created.", name=producer.name), "records.producer_edit",
                         producer_id=producer.id)
    return _form(None, form, errors)


@bp.route("/producers/<id:producer_id>", methods=["GET", "POST"])
@requires(roles.RECORDS)
def producer_edit(producer_id: int):
    producer = db.get_or_404(Producer, producer_id)
    form = forms.values_of(producer, FIELDS)
    errors: Errors = {}
    if request.method == "POST":
        form = forms.submitted(FIELDS)
        errors = attempt(lambda: catalogue.update_producer(producer, **form))[1]
        if not errors:
            return saved(_("Producer %(name)s saved.", name=producer.name), "records.producer_edit",
                         producer_id=producer.id)
    return _form(producer, form, errors)


def _form(producer: Producer | None, form: dict, errors: dict):
    products = []
    if producer is not None:
        products = [(product, visibility.explain(product)) for product in db.session.scalars(
            select(Product).where(Product.producer_id == producer.id).order_by(Product.name, Product.id)
            .options(selectinload(Product.recognitions)))]
    return render_template("records/producer_form.html", producer=producer, products=products, form=form,
                           errors=errors, kinds=forms.kind_choices(),
                           provinces=forms.province_choices()), 422 if errors else 200
