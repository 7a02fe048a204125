"""Shared by the API tests: a partner with a key, and checking answers against the published schemas."""
from __future__ import annotations

from catalog.partners import operations as partners


def partner_key(name: str = "Sàn TMĐT Thử nghiệm", **fields) -> str:
    from tests.factories import index_now
    _, key = partners.create_partner(name=name, **fields)
    index_now()
    return key


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def conforms(document, schema_class) -> None:
    """The marshmallow schema the OpenAPI document is built from accepts ``document`` exactly
    (unknown fields are errors too)."""
    errors = schema_class().validate(document)
    assert errors == {}, errors
