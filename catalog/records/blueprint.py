"""The records feature's admin pages, under ``/admin`` behind the sign-in guard."""
from catalog.platform.permissions import admin_blueprint

bp = admin_blueprint("records", __name__)
