"""Roles and what each may do: one table, read by every surface that offers or refuses an action.

A view declares the permission it needs; a role holds a set of them. Roles are named in both languages.
"""
from __future__ import annotations

from typing import Protocol

from catalog.kernel.i18n import Label

#: Roles, least to most powerful.
ROLES = ("editor", "officer", "admin")
ROLE_LABELS: dict[str, Label] = {
    "editor": Label("Nhập liệu", "Data entry"),
    "officer": Label("Cán bộ OCOP", "OCOP officer"),
    "admin": Label("Quản trị", "Administrator"),
}

#: Permissions, by what they guard.
VIEW = "view"                     # dashboard and read-only lists
RECORDS = "records"               # producers, products, lots, events, stamps
RECOGNITIONS = "recognitions"     # record decisions, revoke
VIOLATIONS = "violations"         # violations and consumer reports
USERS = "users"                   # accounts (and partners)
PERMISSIONS: dict[str, frozenset[str]] = {
    "editor": frozenset({VIEW, RECORDS}),
    "officer": frozenset({VIEW, RECORDS, RECOGNITIONS, VIOLATIONS}),
    "admin": frozenset({VIEW, RECORDS, RECOGNITIONS, VIOLATIONS, USERS}),
}
ALL_PERMISSIONS = PERMISSIONS["admin"]


class Holder(Protocol):
    """Whoever asks: an account with a role, active or not."""

    role: str
    active: bool


def can(holder: Holder | None, permission: str) -> bool:
    return bool(holder is not None and holder.active and permission in PERMISSIONS.get(holder.role, ()))
