"""Admin: stamp batches (issue, print as PNGs or a PDF of labels, bind to a lot, void) and suspicious stamps.

Issuing, binding and voiding are the core's (:mod:`catalog.trace.stamps`); the figures are
:mod:`catalog.admin.figures`'s; printing is :mod:`catalog.trace.printing`'s, as for ``flask stamps``.
"""
from __future__ import annotations

import tempfile
import zipfile

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from catalog.kernel import clock, roles, visibility
from catalog.kernel.db import db
from catalog.kernel.errors import DomainError, InvalidInput, NotFound
from catalog.kernel.ids import parse_id
from catalog.kernel.models.products import Product
from catalog.kernel.text import is_digits
from catalog.platform.forms import Errors, attempt, saved
from catalog.platform.i18n import day
from catalog.platform.pagination import page_number, paginate
from catalog.platform.permissions import requires
from catalog.trace import codes, figures, verdicts
from catalog.trace import printing as stamp_printing
from catalog.trace import stamps as core_stamps
from catalog.trace.blueprint import admin_bp as bp
from catalog.trace.models.lots import Lot
from catalog.trace.models.stamps import Stamp, StampBatch

BATCHES_PAGE = 50
STAMPS_PAGE = 100
MAX_ISSUE = 100_000         # per batch from the web form; the CLI issues more
SPOOL_BYTES = 16 * 2**20    # downloads are built in memory up to this size, then on disk


@bp.context_processor
def _verdict_labels() -> dict:
    return {"verdict_label": verdict_label}


def verdict_label(verdict: str) -> str:
    """A scan verdict in the reader's language."""
    return {"genuine": _("genuine"), "expired": _("expired"), "revoked": _("revoked"), "voided": _("voided"),
            "unknown": _("unknown"), "suspicious": _("suspicious")}.get(verdict, verdict)


@bp.get("/stamps")
@requires(roles.RECORDS)
def stamps():
    product_id, search = parse_id(request.args.get("product_id")), request.args.get("q", "")
    page = paginate(figures.batches(product_id=product_id, search=search), StampBatch, number=_page(),
                    per_page=BATCHES_PAGE)
    return render_template("trace/stamps.html", page=page, search=search,
                           scans=figures.scans_by_batch([b.id for b in page.items]),
                           product=db.session.get(Product, product_id) if product_id else None)


@bp.route("/stamps/new", methods=["GET", "POST"])
@requires(roles.RECORDS)
def stamp_new():
    at = clock.now()
    posted = request.method == "POST"
    form = request.form.to_dict() if posted else {"product": request.args.get("product_id", ""), "count": ""}
    product = _product(form.get("product"))
    errors: Errors = {}
    if posted:
        batch, errors = attempt(lambda: _issue(form, product))
        if batch is not None:
            return saved(_("Batch %(batch)d issued: %(count)d stamps for %(product)s.", batch=batch.id,
                           count=batch.count, product=batch.product.name), "trace_admin.stamp_batch",
                         batch_id=batch.id)
    search = request.args.get("q", "")
    return render_template(
        "trace/stamp_form.html", form=form, errors=errors, product=product, search=search, max_issue=MAX_ISSUE,
        found=figures.find_products(search, at) if product is None else [],
        in_force=product is not None and visibility.is_visible(product, at),
        lots=_lots(product) if product else []), 422 if errors else 200


@bp.get("/stamps/<id:batch_id>")
@requires(roles.RECORDS)
def stamp_batch(batch_id: int):
    return _batch_page(_batch(batch_id))


@bp.post("/stamps/<id:batch_id>/bind")
@requires(roles.RECORDS)
def stamp_bind(batch_id: int):
    batch, form = _batch(batch_id), request.form.to_dict()
    try:
        lot = _required_lot(batch.product, form.get("lot"))
        bound = core_stamps.bind_to_lot(batch, lot, _serial(form, "first"), _serial(form, "last"))
    except DomainError as exc:
        return _batch_page(batch, "bind", form, exc.errors)
    return saved(_("%(count)d stamps bound to lot %(lot)s.", count=bound, lot=lot.code), "trace_admin.stamp_batch",
                 batch_id=batch.id)


@bp.post("/stamps/<id:batch_id>/void")
@requires(roles.RECORDS)
def stamp_void_batch(batch_id: int):
    batch, form = _batch(batch_id), request.form.to_dict()
    errors = attempt(lambda: core_stamps.void_batch(batch, reason=form.get("batch_reason"),
                                                    actor=current_user.email))[1]
    if errors:
        return _batch_page(batch, "void_batch", form, _renamed(errors, reason="batch_reason", batch="_"))
    return saved(_("Batch %(batch)d voided: its stamps now scan as voided.", batch=batch.id), "trace_admin.stamp_batch",
                 batch_id=batch.id)


@bp.post("/stamps/<id:batch_id>/void-stamp")
@requires(roles.RECORDS)
def stamp_void(batch_id: int):
    batch, form = _batch(batch_id), request.form.to_dict()
    try:
        stamp = _stamp_in(batch, form.get("stamp"))
        core_stamps.void_stamp(stamp, reason=form.get("stamp_reason"), actor=current_user.email)
    except DomainError as exc:
        return _batch_page(batch, "void_stamp", form, _renamed(exc.errors, reason="stamp_reason"))
    return saved(_("Stamp %(code)s (no. %(serial)d) voided.", code=stamp.code, serial=stamp.serial),
                 "trace_admin.stamp_batch", batch_id=batch.id)


@bp.get("/stamps/<id:batch_id>/png.zip")
@requires(roles.RECORDS)
def stamp_png_zip(batch_id: int):
    """One QR PNG a stamp, named by serial and code; voided stamps are left out."""
    batch = _batch(batch_id)
    if (refused := _unprintable(batch)) is not None:
        return refused
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_STORED) as archive:
        for label in stamp_printing.batch_labels(batch, skip_voided=True):
            archive.writestr(stamp_printing.zip_name(label), stamp_printing.qr_png(label.url))
    spool.seek(0)
    return send_file(spool, mimetype="application/zip", as_attachment=True,
                     download_name=f"ocop-stamps-{batch.id}.zip")


@bp.get("/stamps/<id:batch_id>/sheet.pdf")
@requires(roles.RECORDS)
def stamp_sheet_pdf(batch_id: int):
    """The batch as a vector PDF of labels, ``?layout=`` one of the printing layouts (A4 sheets of 24 by
    default, or a 40 x 30 mm roll); written as drawn (memory stays at one page)."""
    layout = request.args.get("layout") or stamp_printing.DEFAULT_LAYOUT
    if layout not in stamp_printing.LAYOUTS:
        abort(400, description=_("layout: must be one of %(layouts)s", layouts=", ".join(stamp_printing.LAYOUTS)))
    batch = _batch(batch_id)
    if (refused := _unprintable(batch)) is not None:
        return refused
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    try:
        stamp_printing.sheet_pdf(stamp_printing.batch_labels(batch, skip_voided=True), spool,
                                 imprint=stamp_printing.imprint(), layout=layout)
    except stamp_printing.AddressTooLong as exc:
        flash(_("The labels cannot be printed: the check address %(address)s does not fit a %(width)s mm label. "
                "Set a shorter CATALOG_PUBLIC_URL.", address=exc.address, width=format(exc.width, "g")))
        return redirect(url_for("trace_admin.stamp_batch", batch_id=batch.id), code=303)
    spool.seek(0)
    suffix = "" if layout == stamp_printing.DEFAULT_LAYOUT else f"-{layout}"
    return send_file(spool, mimetype="application/pdf", as_attachment=True,
                     download_name=f"ocop-stamps-{batch.id}{suffix}.pdf")


@bp.get("/stamps/suspicious")
@requires(roles.RECORDS)
def stamps_suspicious():
    policy = verdicts.suspicion_policy()
    return render_template("trace/stamp_suspicious.html", policy=policy, lookback=figures.SUSPICIOUS_LOOKBACK,
                           rows=figures.suspicious_stamps(clock.now(), policy))


# -- helpers ------------------------------------------------------------------------------

def _batch_page(batch: StampBatch, which: str | None = None, form: dict | None = None,
                errors: dict | None = None):
    """The batch page; after a refused form, that form (``which``) shows its errors, with status 422."""
    return render_template(
        "trace/stamp_batch.html", batch=batch,
        page=paginate(figures.stamp_rows(batch), number=_page(), per_page=STAMPS_PAGE, total=batch.count),
        scans=figures.scans_by_batch([batch.id])[batch.id], lots=_lots(batch.product),
        in_force=visibility.is_visible(batch.product), which=which, form=form or {}, errors=errors or {},
    ), 422 if errors else 200


def _batch(batch_id: int) -> StampBatch:
    try:
        return core_stamps.get_batch(batch_id)
    except NotFound:
        abort(404)


def _unprintable(batch: StampBatch):
    """A redirect back to the batch with the reason when there is nothing to print, else None."""
    if batch.voided_at is not None:
        flash(_("Batch %(batch)d is voided: there is nothing to print.", batch=batch.id))
    elif not db.session.scalar(select(func.count(Stamp.id)).where(Stamp.batch_id == batch.id,
                                                                  Stamp.voided_at.is_(None))):
        flash(_("Every stamp of batch %(batch)d is voided: there is nothing to print.", batch=batch.id))
    else:
        return None
    return redirect(url_for("trace_admin.stamp_batch", batch_id=batch.id), code=303)


def _product(value: str | None) -> Product | None:
    value = (value or "").strip()
    product_id = parse_id(value)
    return db.session.get(Product, product_id) if product_id is not None else None


def _lots(product: Product) -> list[tuple[int, str]]:
    """The product's lots as choices, newest first: ``(id, "code (production date)")``."""
    lots = db.session.scalars(select(Lot).where(Lot.product_id == product.id)
                              .order_by(Lot.created_at.desc(), Lot.id.desc()))
    return [(lot.id, f"{lot.code} ({day(lot.production_date)})" if lot.production_date else lot.code)
            for lot in lots]


def _issue(form: dict, product: Product | None) -> StampBatch:
    """Check the whole form (every field's problem at once), then let the core issue."""
    errors: dict[str, list[str]] = {}
    if product is None:
        errors["product"] = [_("choose a product")]
    count = (form.get("count") or "").strip()
    if not count.isdigit() or not 1 <= int(count) <= MAX_ISSUE:
        errors["count"] = [_("must be a whole number from 1 to %(max)s", max=f"{MAX_ISSUE:,}")]
    try:
        lot = _lot(product, form.get("lot"), required=False)
    except InvalidInput as exc:
        errors.update(exc.errors)
    if errors or product is None:
        raise InvalidInput(errors)
    return core_stamps.issue_batch(product, int(count), actor=current_user.email, lot=lot)


def _required_lot(product: Product, value: str | None) -> Lot:
    """The product's lot chosen in the form; a problem when none is."""
    lot = _lot(product, value, required=True)
    if lot is None:                                 # _lot refuses an empty choice when required
        raise InvalidInput({"lot": [_("choose a lot")]})
    return lot


def _lot(product: Product | None, value: str | None, *, required: bool) -> Lot | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise InvalidInput({"lot": [_("choose a lot")]})
        return None
    lot_id = parse_id(value)
    lot = db.session.get(Lot, lot_id) if lot_id is not None else None
    if lot is None or product is None or lot.product_id != product.id:
        raise InvalidInput({"lot": [_("choose one of the product's lots")]})
    return lot


def _serial(form: dict, field: str) -> int | None:
    value = (form.get(field) or "").strip()
    if not value:
        return None
    if not is_digits(value):
        raise InvalidInput({field: [_("must be a whole number")]})
    return int(value)           # the core checks the range before any query


def _stamp_in(batch: StampBatch, value: str | None) -> Stamp:
    """The batch's stamp by serial (digits, up to 7) or by code (as printed, any case, grouped or not)."""
    value = (value or "").strip()
    if not value:
        raise InvalidInput({"stamp": [_("give the stamp's code or serial number")]})
    if is_digits(value) and len(value) <= 7:
        condition = Stamp.serial == int(value)
    else:
        try:
            condition = Stamp.code == codes.normalise(value)
        except codes.CodeError as exc:
            raise InvalidInput({"stamp": [str(exc)]}) from None
    stamp = db.session.scalar(select(Stamp).where(Stamp.batch_id == batch.id, condition))
    if stamp is None:
        raise InvalidInput({"stamp": [_("batch %(batch)d has no stamp %(stamp)s", batch=batch.id, stamp=value)]})
    return stamp


def _renamed(errors: dict[str, list[str]], **names: str) -> dict[str, list[str]]:
    """The core's field names as this page's form calls them (two forms here have a reason)."""
    renamed: dict[str, list[str]] = {}
    for field, messages in errors.items():
        renamed.setdefault(names.get(field, field), []).extend(messages)
    return renamed


def _page() -> int:
    return page_number(request.args)

