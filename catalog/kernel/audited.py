"""Which tables the audit log follows, declared by each model where it is defined.

A model decorated with :func:`audited` has every ORM write of one of its rows
logged (by the audit feature, which reads :data:`REGISTRY`), named by
``summary``, with ``secrets`` never copied, and linked to the admin page that
shows the record (``page``: endpoint, URL variable, and whether the value is
the record's ``parent`` column rather than its own id).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T", bound=type)


@dataclass(frozen=True)
class Audited:
    label: str                                      # an English message id, e.g. "Product"
    summary: Callable[[dict[str, Any]], Any]        # the row's values -> what names it in the log
    secrets: frozenset[str] = frozenset()
    page: tuple[str, str] | None = None             # (endpoint, URL variable) of the record's admin page
    parent: str | None = None                       # column holding the id ``page`` needs, when not the row's own


REGISTRY: dict[type, Audited] = {}


def audited(label: str, summary: Callable[[dict[str, Any]], Any], *, secrets: frozenset[str] = frozenset(),
            page: tuple[str, str] | None = None, parent: str | None = None) -> Callable[[T], T]:
    def register(model: T) -> T:
        REGISTRY[model] = Audited(label, summary, secrets, page, parent)
        return model
    return register
