"""The violations feature's blueprints: the consumer's report form, and violations and reports in the admin area."""
from flask import Blueprint

from catalog.platform.permissions import admin_blueprint

#: ``/s/<code>/report``: a shopper reports a problem with a stamped product.
public_bp = Blueprint("consumer_reports", __name__, template_folder="templates")
#: ``/admin/violations``, ``/admin/reports``.
bp = admin_blueprint("violations", __name__)
