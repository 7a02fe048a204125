"""Admin: partners of the API, their keys and their webhook delivery log (administrators only).

A new key (and a new webhook signing secret) is rendered once, in the answer to
the POST that made it: never put in a URL, the session or a flash message, and
the page is marked ``no-store``. Only its SHA-256 is kept (:mod:`catalog.partners.operations`).
"""
from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _

from catalog.kernel import roles
from catalog.kernel.errors import NotFound
from catalog.partners import operations as core
from catalog.partners.blueprint import bp
from catalog.partners.models import Partner
from catalog.platform.forms import Errors, attempt, saved
from catalog.platform.permissions import requires

FIELDS = ("name", "contact_email", "webhook_url")


@bp.context_processor
def _delivery_labels() -> dict:
    return {"delivery_status_label": lambda status: {
        "pending": _("pending"), "delivered": _("delivered"), "failed": _("failed")}.get(status, status)}


@bp.get("/partners")
@requires(roles.USERS)
def partners():
    return render_template("partners/partners.html", rows=core.overview())


@bp.route("/partners/new", methods=["GET", "POST"])
@requires(roles.USERS)
def partner_new():
    form = {name: request.form.get(name, "") for name in FIELDS}
    errors: Errors = {}
    if request.method == "POST":
        made, errors = attempt(lambda: core.create_partner(**form))
        if made is not None:
            partner, key = made
            return _shown_once(partner, key=key, secret=partner.webhook_secret, status=201)
    return render_template("partners/partner_form.html", form=form, errors=errors), 422 if errors else 200


@bp.route("/partners/<id:partner_id>", methods=["GET", "POST"])
@requires(roles.USERS)
def partner(partner_id: int):
    found = _partner(partner_id)
    if request.method == "GET":
        return _page(found)
    form = {name: request.form.get(name, "") for name in FIELDS[1:]}
    had_secret = found.webhook_secret is not None
    errors = attempt(lambda: core.update_partner(found, **form))[1]
    if errors:
        return _page(found, "edit", form, errors)
    if found.webhook_secret and not had_secret:     # a first webhook URL: its secret is shown now, once
        return _shown_once(found, secret=found.webhook_secret, status=200)
    return saved(_("Partner %(name)s saved.", name=found.name), "partners.partner", partner_id=found.id)


@bp.post("/partners/<id:partner_id>/active")
@requires(roles.USERS)
def partner_active(partner_id: int):
    found = _partner(partner_id)
    core.set_active(found, request.form.get("active") == "1")
    return saved(_("Partner %(name)s may use the API again.", name=found.name) if found.active
                 else _("Partner %(name)s is suspended: the API refuses its keys.", name=found.name),
                 "partners.partner", partner_id=found.id)


@bp.post("/partners/<id:partner_id>/keys")
@requires(roles.USERS)
def partner_key_new(partner_id: int):
    found = _partner(partner_id)
    return _shown_once(found, key=core.issue_key(found), status=201)


@bp.post("/partners/<id:partner_id>/keys/revoke")
@requires(roles.USERS)
def partner_key_revoke(partner_id: int):
    found = _partner(partner_id)
    key, errors = attempt(lambda: core.revoke_key(core.get_key(found, request.form.get("key"))))
    if key is None:
        return _page(found, "keys", {}, errors)
    return saved(_("Key %(prefix)s… revoked: the API no longer accepts it.", prefix=key.prefix), "partners.partner",
                 partner_id=found.id)


@bp.post("/partners/<id:partner_id>/deliveries/retry")
@requires(roles.USERS)
def partner_delivery_retry(partner_id: int):
    found = _partner(partner_id)
    delivery, errors = attempt(lambda: core.retry_delivery(found, request.form.get("delivery")))
    if delivery is None:
        return _page(found, "deliveries", {}, errors)
    return saved(_("Delivery of event %(position)s is due again: it is sent on the next webhook run.",
                   position=delivery.position), "partners.partner", partner_id=found.id)


def _partner(partner_id: int) -> Partner:
    try:
        return core.get_partner(partner_id)
    except NotFound:
        abort(404)


def _page(partner: Partner, which: str | None = None, form: dict | None = None, errors: dict | None = None):
    form = form if which == "edit" else {"contact_email": partner.contact_email, "webhook_url": partner.webhook_url}
    return render_template("partners/partner.html", partner=partner, which=which, form=form, errors=errors or {},
                           deliveries=core.deliveries(partner)), 422 if errors else 200


def _shown_once(partner: Partner, key: str | None = None, secret: str | None = None, status: int = 200):
    """The page that shows a new key or secret, this once: never cached, never linked to."""
    page = render_template("partners/partner_key.html", partner=partner, key=key, secret=secret)
    return page, status, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}

