"""Resolving stamps: ``/s/<code>`` (any case, trailing slash tolerated) and GS1 Digital Link paths;
checking a code by hand (``/s``) and how to tell a genuine stamp (``/s/help``).

Each resolution of a stamp is logged (trace.verdicts). HTML for people, the verdict as
JSON for ``Accept: application/json``, the GS1 link set for
``Accept: application/linkset+json`` or ``?linkType=linkset``.

A code reaches ``/s/<code>`` from a QR (or a link), which cannot make a typo: one whose check
character does not match was never issued (a forger's invention), and its page says so. A code
typed into the ``/s`` form is checked there first: a typo gets the form back, "check each
character"; a valid code is sent on to ``/s/<CODE>`` (303), so both meet one verdict.
"""
from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import (
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue

from catalog.platform import limits, transaction
from catalog.platform.hosts import external_url
from catalog.platform.problems import problem_response
from catalog.trace import codes, digital_link, presenters, verdicts
from catalog.trace.blueprint import bp
from catalog.trace.client import client_of

PAGE_STATUS = {"format": 400, "check": 404, "not_issued": 404}     # a scanned bad check: never issued


#: The client's one scan budget, shared by these paths and ``/api/v1/stamps`` (platform.limits.scan_limit).
scan_limit = limits.scan_limit()


def wants(media_type: str) -> bool:
    best = request.accept_mimetypes.best_match([media_type, "text/html"])
    return best == media_type and request.accept_mimetypes[media_type] > request.accept_mimetypes["text/html"]


@bp.get("/S", strict_slashes=False)
@bp.get("/s", strict_slashes=False)               # registered first: the one url_for builds
@scan_limit
def check() -> ResponseReturnValue:
    """The code field: a valid code goes on to its verdict; a typo is shown here, to be typed again.

    A code failing only its check character may be a typo or a forger's invention: it is
    logged as a scan of an unknown code (as at ``/s/<code>``), and the page says both.
    """
    typed = request.args.get("code", "")
    if not typed.strip():
        return render_template("trace/check.html", typed="", error=None, verdict=None)
    try:
        code = codes.normalise(typed[:100])
    except codes.CodeError as exc:
        if exc.reason != "check":
            return render_template("trace/check.html", typed=typed[:100], error=exc.args[0], verdict=None), 422
        verdict = verdicts.resolve(typed[:100], client_of(request), policy=verdicts.suspicion_policy())
        transaction.keep_despite_error_status()
        page = render_template("trace/check.html", typed=codes.grouped(verdict.code), error=None, verdict=verdict)
        return _logged(verdict, (page, 422))
    return redirect(url_for("trace.scan", code=code), code=303)


@bp.get("/s/help")
def help_page() -> ResponseReturnValue:
    """How to tell a genuine stamp: what it looks like, the registry's address, the verdicts, what to do."""
    return render_template("trace/help.html", host=urlsplit(current_app.config["CATALOG_PUBLIC_URL"]).netloc)


@bp.get("/S/<code>", strict_slashes=False)       # the printed short form (upper case: a compact QR)
@bp.get("/s/<code>", strict_slashes=False)        # registered first: the one url_for builds
@scan_limit
def scan(code: str) -> ResponseReturnValue:
    verdict = verdicts.resolve(code, client_of(request), policy=verdicts.suspicion_policy())
    return _logged(verdict, _answer(verdict, anchor=None))


@bp.get("/01/<path:rest>", strict_slashes=False)
@scan_limit
def gs1(rest: str) -> ResponseReturnValue:
    raw_path = request.environ.get("RAW_URI", request.path).split("?", 1)[0]
    try:
        link = digital_link.parse_path(raw_path)
    except digital_link.DigitalLinkError as exc:
        if wants("application/json"):
            return problem_response(400, str(exc), kind="malformed-digital-link")
        return render_template("trace/malformed.html", message=str(exc)), 400
    verdict = verdicts.resolve(link, client_of(request), policy=verdicts.suspicion_policy())
    anchor = digital_link.format_uri(current_app.config["CATALOG_PUBLIC_URL"], link.gtin, link.lot, link.serial)
    # a known GTIN answers 200, also with an unknown lot or serial: the page shows what was found
    return _logged(verdict, _answer(verdict, anchor=anchor, status=200 if verdict.product is not None else 404))


def _logged(verdict: verdicts.Verdict, response: ResponseReturnValue) -> ResponseReturnValue:
    """Write the scan log row once the answer is rendered, in a fresh transaction (see end_reads)."""
    if verdict.scan is not None:
        response = current_app.make_response(response)
        transaction.end_reads()
        verdicts.log(verdict)
    return response


def _answer(verdict: verdicts.Verdict, anchor: str | None, status: int | None = None) -> ResponseReturnValue:
    stamp_url = external_url("trace.scan", code=verdict.stamp.code) if verdict.stamp else None
    if verdict.product is not None and (request.args.get("linkType") or wants(digital_link.LINKSET_MEDIA_TYPE)):
        anchor = anchor or stamp_url or external_url("public.product", slug=verdict.product.slug)
        document = presenters.linkset_for(anchor, verdict.product, stamp_url)
        link_type = request.args.get("linkType")
        if link_type and link_type not in ("linkset", "all"):
            return _redirect_to(document, link_type)
        response = jsonify(document)
        response.mimetype = digital_link.LINKSET_MEDIA_TYPE
        return response
    status = status or PAGE_STATUS.get(verdict.reason or "", 200)
    transaction.keep_despite_error_status()          # a scan of an unknown code is logged too
    if wants("application/json"):
        return jsonify(presenters.verdict_json(verdict)), status
    return render_template("trace/scan.html", v=verdict), status


def _redirect_to(document: dict, link_type: str) -> ResponseReturnValue:
    targets = document["linkset"][0].get(digital_link.link_type_uri(link_type))
    if not targets:
        return problem_response(404, f"There is no {link_type} link for this item.", kind="no-such-link",
                                link_type=link_type)
    query = request.query_string.decode("latin-1")
    passed = "&".join(p for p in query.split("&") if p and not p.startswith("linkType="))
    href = targets[0]["href"]
    if passed:      # the other parameters go along, in the query: before the target's #fragment
        parts = urlsplit(href)
        href = urlunsplit(parts._replace(query="&".join(q for q in (parts.query, passed) if q)))
    return redirect(href, code=307)
