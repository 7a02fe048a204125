"""The trace feature's blueprints: stamp resolution for everyone, lots and stamps in the admin area."""
from flask import Blueprint

from catalog.platform.permissions import admin_blueprint

#: ``/s/<code>`` and the GS1 Digital Link paths.
bp = Blueprint("trace", __name__, template_folder="templates")
#: ``/admin/lots``, ``/admin/stamps``.
admin_bp = admin_blueprint("trace_admin", __name__)
