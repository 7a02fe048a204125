"""QR trace: ``/s/<code>`` and GS1 Digital Link paths resolve a stamp to a verdict.

The verdict comes from :mod:`catalog.trace.verdicts` (the core's visibility
rule at the instant of the scan); this package only reads the request,
renders the page, the JSON verdict or the GS1 link set; stamps are printed
through :mod:`catalog.trace.printing` (``flask stamps``, in cli.py).
"""
from flask import Blueprint

bp = Blueprint("trace", __name__, template_folder="templates")

from catalog.trace import views  # noqa: E402,F401
from catalog.trace.presenters import verdict_json  # noqa: E402  (the verdict JSON, also served by the partner API)

__all__ = ["bp", "verdict_json"]
