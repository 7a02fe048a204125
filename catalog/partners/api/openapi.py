"""The OpenAPI 3.1 document, built from the marshmallow schemas with apispec (once per process)."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from catalog.kernel.ids import MAX_ID
from catalog.partners.api import schemas

PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
#: What any operation may answer besides its own statuses (tests/test_api_statuses.py sends a request for
#: each status of each operation and checks the answer is declared here).
COMMON = {str(code): {"description": text, "content": PROBLEM} for code, text in (
    (400, "A query parameter is unknown, repeated or out of range (each is listed in errors), a parameter "
          "holds a NUL character, or the request names a host this service does not answer for"),
    (429, "Too many requests: wait for Retry-After seconds"),
    ("5XX", "The service failed (500) or is unavailable for a moment (503): retry later"))}
ERRORS = {**COMMON, **{str(code): {"description": text, "content": PROBLEM} for code, text in (
    (401, "No API key, or an invalid or revoked one"), (403, "The partner's access is suspended"))}}
SECURED: list[dict[str, list[str]]] = [{"partnerKey": []}]


def _ref(schema: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{schema}"}


def _json(schema: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


@lru_cache(maxsize=1)
def document(server_url: str) -> dict[str, Any]:
    spec = APISpec(title="OCOP partner API", version="1.0.0", openapi_version="3.1.0",
                   plugins=[MarshmallowPlugin()], servers=[{"url": server_url}],
                   info={"description": "Products whose OCOP recognition is in force now, a change feed that "
                                        "says at once when one loses it, a full export, and stamp checks."})
    spec.components.security_scheme("partnerKey", {"type": "http", "scheme": "bearer",
                                                   "description": "Your partner API key"})
    for name in ("Product", "ProductPage", "Event", "ChangesPage", "Problem", "Gone", "Verdict"):
        spec.components.schema(name, schema=getattr(schemas, f"{name}Schema"))
    spec.path("/products", operations={"get": {
        "summary": "Products certified now", "operationId": "listProducts", "security": SECURED,
        "parameters": [{"in": "query", "schema": schemas.ProductListArgs}],
        "responses": {"200": {**_json("ProductPage", "A page of products, by id"),
                              "headers": {"ETag": {"schema": {"type": "string"}},
                                          "Last-Modified": {"schema": {"type": "string"}}}},
                      "304": {"description": "Not modified since If-None-Match / If-Modified-Since"}, **ERRORS}}})
    spec.path("/products/{product_id}", operations={"get": {
        "summary": "One product", "operationId": "getProduct", "security": SECURED,
        "parameters": [{"in": "path", "name": "product_id", "required": True,
                        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}],
        "responses": {"200": _json("Product", "The product, certified now"),
                      "404": {"description": "No such product", "content": PROBLEM},
                      "410": {"description": "Not certified now: expired or revoked (delist it)",
                              "content": {"application/problem+json": {"schema": _ref("Gone")}}},
                      **ERRORS}}})
    spec.path("/changes", operations={"get": {
        "summary": "The change feed", "operationId": "listChanges", "security": SECURED,
        "parameters": [{"in": "query", "schema": schemas.ChangesArgs}],
        "responses": {"200": _json("ChangesPage", "Events after the given position, in order"), **ERRORS}}})
    spec.path("/export.ndjson", operations={"get": {
        "summary": "Every certified product, one JSON object per line", "operationId": "exportProducts",
        "security": SECURED,
        "responses": {"200": {"description": "Newline-delimited Product objects",
                              "content": {"application/x-ndjson": {"schema": {"type": "string"}}}}, **ERRORS}}})
    spec.path("/stamps/{code}", operations={"get": {
        "summary": "Check a stamp code (public)", "operationId": "checkStamp", "security": [],
        "parameters": [{"in": "path", "name": "code", "required": True,
                        "schema": {"type": "string", "pattern": schemas.NUL_FREE}}],
        "responses": {"200": _json("Verdict", "The verdict, as a scan would give it (\"unknown\" included)"),
                      "404": {"description": "The code holds a '/' (encoded or not): no such path",
                              "content": PROBLEM},
                      **COMMON}}})
    return spec.to_dict()
