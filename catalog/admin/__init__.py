"""Admin area (``/admin``): officers and staff manage records, recognitions, stamps and reports.

Built in the admin issue, on top of the core's services; only the blueprint exists yet.
"""
from flask import Blueprint

bp = Blueprint("admin", __name__)
