"""``GET /api/v1/stamps/<code>``: the scan verdict of a stamp, for partners' own apps (public, rate-limited).

Every verdict answers 200, "unknown" included (with its reason: format, check, not_issued).
A partner checking a code is not a consumer scanning a package: the check is
not written to the scan log, so it cannot make a genuine stamp look copied.
"""
from __future__ import annotations

from flask import jsonify

from catalog import trace
from catalog.partners.api import bp
from catalog.partners.api.args import load_args
from catalog.partners.api.auth import public_limit
from catalog.partners.api.schemas import NoArgs


@bp.get("/stamps/<code>")
@public_limit
def stamp(code: str):
    load_args(NoArgs())
    verdict = trace.resolve(code, record=False)
    return jsonify(trace.verdict_json(verdict))        # "unknown" is an answer, not an API error
