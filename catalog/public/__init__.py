"""Public catalog: pages of the products whose OCOP recognition is in force now."""
from flask import Blueprint

bp = Blueprint("public", __name__, template_folder="templates")

from catalog.platform import errors  # noqa: E402,F401
from catalog.public import links, products, seo, views  # noqa: E402,F401

