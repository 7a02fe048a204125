"""``/api/v1/openapi.json`` and ``/api/v1/docs``: the API described for machines and for people."""
from __future__ import annotations

from flask import jsonify, render_template

from catalog.partners.api import bp, openapi
from catalog.partners.api.args import load_args
from catalog.partners.api.schemas import NoArgs
from catalog.platform.hosts import external_url


def _document() -> dict:
    return openapi.document(external_url("api.products").rsplit("/products", 1)[0])


@bp.get("/openapi.json")
def openapi_json():
    load_args(NoArgs())
    return jsonify(_document())


@bp.get("/docs")
def docs():
    load_args(NoArgs())
    return render_template("api/docs.html", spec=_document())
