"""Reading query parameters through a schema, refusing the unknown and the out of range (400)."""
from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import Schema, ValidationError

from catalog.platform.problems import Problem, parameter_errors


def load_args(schema: Schema) -> dict[str, Any]:
    raw = {key: request.args.getlist(key) for key in request.args}
    repeated = sorted(key for key, values in raw.items() if len(values) > 1)
    if repeated:
        raise Problem(400, "A query parameter was given more than once.", kind="invalid-parameters",
                      errors=[{"name": key, "in": "query", "problem": "must be given once"} for key in repeated])
    try:
        return schema.load({key: values[0] for key, values in raw.items()})
    except ValidationError as exc:
        raise Problem(400, "Some query parameters are not valid; see errors.", kind="invalid-parameters",
                      errors=parameter_errors(exc.normalized_messages())) from None


def encode_cursor(last_id: int) -> str:
    """Pages are by product id: the cursor is the last id of the page (stable whatever changes meanwhile)."""
    return str(last_id)
