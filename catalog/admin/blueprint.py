"""The admin shell's blueprint: the dashboard at ``/admin/``, the layout and navigation templates."""
from catalog.platform.permissions import admin_blueprint

bp = admin_blueprint("admin", __name__)
