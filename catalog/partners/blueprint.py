"""The partners feature's admin pages (partners, keys, deliveries), under ``/admin`` behind the sign-in guard.

The API itself is :data:`catalog.partners.api.bp`.
"""
from catalog.platform.permissions import admin_blueprint

bp = admin_blueprint("partners", __name__)
