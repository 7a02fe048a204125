"""QR trace (``/s/<code>``, GS1 Digital Link): a scan resolves a stamp to a verdict.

Built in the stamps issue on the core's visibility rule; only the blueprint exists yet.
"""
from flask import Blueprint

bp = Blueprint("trace", __name__)
