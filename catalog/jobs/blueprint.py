"""The jobs feature's admin pages, under ``/admin`` behind the sign-in guard."""
from catalog.platform.permissions import admin_blueprint

bp = admin_blueprint("jobs", __name__)
