"""Admin: products: list with search and filters, create, edit, and the product's page (status now,
full recognition history, lots, photos, and the recognition actions)."""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from catalog import search
from catalog.kernel import calendar, catalogue, recognitions, roles, taxonomy, units, visibility
from catalog.kernel.db import db
from catalog.kernel.ids import parse_id
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.products import Product
from catalog.platform import forms, images, pagination
from catalog.platform.forms import Errors, attempt, saved
from catalog.platform.permissions import requires
from catalog.records import forms as record_forms
from catalog.records import media
from catalog.records import photos as product_images
from catalog.records.blueprint import bp
from catalog.trace import Lot, TraceEvent

FIELDS = ("name", "producer_id", "product_set", "packaging", "gtin", "description", "story")
LISTS = ("standards",)
FILTERS = ("q", "sector", "set", "province", "status", "producer")
STATUSES = {"in_force": search.VISIBLE, "not_in_force": search.NOT_VISIBLE}


@bp.get("/products")
@requires(roles.RECORDS)
def products():
    args = request.args
    product_set = parse_id(args.get("set"))
    query = search.ProductQuery(
        words=args.get("q", ""), sector=args.get("sector") if args.get("sector") in taxonomy.SECTORS_BY_CODE else None,
        product_set=product_set if product_set in taxonomy.SETS_BY_NUMBER else None,
        province=args.get("province") if args.get("province") in units.provinces() else None,
        producer_id=parse_id(args.get("producer")), status=STATUSES.get(args.get("status", ""), search.ANY),
        sort="record")
    page = pagination.paginate(search.record_list(query), Product, number=pagination.page_number(args),
                                  options=(selectinload(Product.recognitions),
                                           selectinload(Product.producer).selectinload(Producer.province)))
    rows = [(product, visibility.explain(product)) for product in page.items]
    return render_template("records/products.html", page=page, rows=rows, query=args,
                           filters=pagination.filter_args(args, FILTERS),
                           sectors=forms.sector_choices(), sets=forms.set_choices(),
                           provinces=forms.province_choices(),
                           statuses=[("in_force", _("In force")), ("not_in_force", _("Not in force"))])


@bp.route("/products/new", methods=["GET", "POST"])
@requires(roles.RECORDS)
def product_new():
    form: dict[str, Any] = {"producer_id": request.args.get("producer_id", ""), "standards": []}
    errors: Errors = {}
    if request.method == "POST":
        form = forms.submitted(FIELDS, LISTS)
        product, errors = attempt(lambda: catalogue.create_product(**form))
        if product is not None:
            return saved(_("Product %(name)s created.", name=product.name), "records.product", product_id=product.id)
    return _form(None, form, errors)


@bp.route("/products/<id:product_id>/edit", methods=["GET", "POST"])
@requires(roles.RECORDS)
def product_edit(product_id: int):
    product = db.get_or_404(Product, product_id)
    form, errors = forms.values_of(product, FIELDS + LISTS), {}
    if request.method == "POST":
        form = forms.submitted(FIELDS, LISTS)
        errors = attempt(lambda: catalogue.update_product(product, **form))[1]
        if not errors:
            return saved(_("Product %(name)s saved.", name=product.name), "records.product", product_id=product.id)
    return _form(product, form, errors)


def _form(product: Product | None, form: dict, errors: dict):
    return render_template("records/product_form.html", product=product, form=form, errors=errors,
                           producers=record_forms.producer_choices(), sets=forms.set_choices(),
                           standards=forms.standard_choices()), 422 if errors else 200


@bp.get("/products/<id:product_id>")
@requires(roles.RECORDS)
def product(product_id: int):
    return _page(db.get_or_404(Product, product_id))


@bp.post("/products/<id:product_id>/photos")
@requires(roles.RECORDS)
def product_photo_add(product_id: int):
    """Upload a photo; only the first 8 MB and a byte are read, so a bigger file is refused unread."""
    product = db.get_or_404(Product, product_id)
    upload, form = request.files.get("photo"), {"alt": request.form.get("alt", "")}
    if upload is None or not upload.filename:
        errors = {"photo": [_("choose a photo to upload")]}
    else:
        errors = attempt(lambda: product_images.add_image(product, upload.stream.read(images.MAX_BYTES + 1),
                                                          folder=media.products_folder(), alt=form["alt"]))[1]
        if not errors:
            return saved(_("Photo added."), "records.product", product_id=product.id, _anchor="photos")
    return _page(product, photo_form=form, photo_errors=errors)


@bp.post("/products/<id:product_id>/photos/edit")
@requires(roles.RECORDS)
def product_photo_edit(product_id: int):
    """Remove a photo, or make one the main photo (the buttons carry the photo's id)."""
    product = db.get_or_404(Product, product_id)
    shown = {str(image.id): image for image in product.images}
    if request.form.get("remove") in shown:
        product_images.remove_image(shown[request.form["remove"]], media.products_folder())
        flash(_("Photo removed."))
    elif request.form.get("main") in shown:
        product_images.make_main(shown[request.form["main"]])
        flash(_("Main photo chosen."))
    else:
        return _page(product, photo_errors={"photos": [_("choose one of the photos shown")]})
    return redirect(url_for("records.product", product_id=product.id, _anchor="photos"), code=303)


def _page(product: Product, photo_form: dict | None = None, photo_errors: dict | None = None):
    lots = db.session.execute(
        select(Lot, func.count(TraceEvent.id)).outerjoin(TraceEvent, TraceEvent.lot_id == Lot.id)
        .where(Lot.product_id == product.id).group_by(Lot.id).order_by(Lot.id.desc())).all()
    return render_template("records/product.html", product=product, public=visibility.explain(product),
                           history=recognitions.history(product), lots=lots, zone=calendar.zone(),
                           photo_form=photo_form or {}, photo_errors=photo_errors or {}), \
        422 if photo_errors else 200
