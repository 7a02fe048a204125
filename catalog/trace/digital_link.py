"""GS1 Digital Link URIs for stamps of products with a GTIN, and the linkset a resolver returns.

A stamp is reachable at ``/01/<GTIN-14>/10/<lot>/21/<serial>``, the serial being the stamp code.
Rules followed: GS1 Digital Link URI Syntax (ref.gs1.org/standards/digital-link/uri-syntax) for
the path; GS1-Conformant Resolver 1.2.0 (ref.gs1.org/standards/resolver) and its linkset JSON
schema (ref.gs1.org/standards/resolver/linkset-schema) for the linkset.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from catalog.kernel.errors import InvalidInput
from catalog.kernel.gtin import GTIN_LENGTHS, normalise_gtin
from catalog.kernel.i18n import N_, Message

# Lots, serials (and CPVs) are kept to characters that never need percent-encoding in a path.
LOT_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,20}$")
LINKSET_MEDIA_TYPE = "application/linkset+json"
LINK_TYPES = ("gs1:pip", "gs1:certificationInfo", "gs1:traceability", "gs1:verificationService")
# The linkset names relation types by full URI (RFC 9264 allows only registered names or URIs as
# keys, and the GS1 linkset schema refuses CURIEs); GS1's own resolvers use this namespace.
GS1_VOC = "https://gs1.org/voc/"
DEFAULT_LINK = GS1_VOC + "defaultLink"

_QUALIFIERS = ("22", "10", "21")  # the only key qualifiers of AI 01, in the order the standard fixes
_NAMES = {"01": N_("GTIN (AI 01)"), "22": N_("CPV (AI 22)"), "10": N_("lot (AI 10)"), "21": N_("serial (AI 21)")}
_DIGITS = re.compile(r"^[0-9]+$")
_LINK_MEMBERS = {"href", "title", "type", "hreflang"}
_HREFLANG = re.compile(r"^[A-Za-z]{2}(-[A-Za-z]{2})?$")


class DigitalLinkError(ValueError):
    """A Digital Link URI or one of its parts is malformed; the message says which part and why (for a 400).

    The message is a :class:`~catalog.kernel.i18n.Message` (``str(error)`` is it): English in JSON, translated
    on the page."""

    def __init__(self, message: Message):
        super().__init__(message)
        self.message = message


def _name(ai: str) -> Message:
    return Message(_NAMES[ai])


def _check_value(ai: str, value: str) -> str:
    if "%" in value:
        raise DigitalLinkError(Message(N_("%(name)s %(value)s is percent-encoded; this service's values never need "
                                          "encoding"), name=_name(ai), value=repr(value)))
    if not LOT_PATTERN.match(value):
        raise DigitalLinkError(Message(N_("%(name)s %(value)s must be 1 to 20 characters from A-Z, a-z, 0-9, '.', "
                                          "'_', '-'"), name=_name(ai), value=repr(value)))
    return value


def _check_gtin(value: str, *, strict: bool) -> str:
    """The GTIN as 14 digits; the check digit rule itself lives in catalog.kernel.gtin."""
    if "%" in value:
        raise DigitalLinkError(Message(N_("GTIN (AI 01) %(value)s is percent-encoded; it is 14 plain digits"),
                                       value=repr(value)))
    if not _DIGITS.match(value):
        raise DigitalLinkError(Message(N_("GTIN (AI 01) %(value)s must contain the digits 0-9 only"),
                                       value=repr(value)))
    if strict and len(value) != 14:
        # GS1 Digital Link URI Syntax: "gtin-value = 14DIGIT"; GTIN-8/12/13 SHALL be padded with
        # leading zeros. So a path with another length is not a Digital Link URI: refuse it (400),
        # naming the 14-digit form when the digits are a valid shorter GTIN.
        padded = None
        if len(value) in GTIN_LENGTHS:
            try:
                padded = normalise_gtin(value)
            except InvalidInput:
                pass
        raise DigitalLinkError(
            Message(N_("GTIN (AI 01) %(value)s has %(count)s digits; a Digital Link URI carries 14"),
                    value=value, count=len(value)) if padded is None else
            Message(N_("GTIN (AI 01) %(value)s has %(count)s digits; a Digital Link URI carries 14; write it as "
                       "/01/%(gtin)s"), value=value, count=len(value), gtin=padded))
    try:
        return normalise_gtin(value)
    except InvalidInput as exc:
        raise DigitalLinkError(Message.of(exc.errors["gtin"][0])) from None


@dataclass(frozen=True)
class DigitalLink:
    """The parts of a Digital Link path: a GTIN and its key qualifiers. Checked when built."""

    gtin: str
    lot: str | None = None
    serial: str | None = None
    cpv: str | None = None  # AI 22, consumer product variant: parsed when present, never issued here

    def __post_init__(self):
        _check_gtin(self.gtin, strict=True)
        for ai, value in self._qualifiers():
            _check_value(ai, value)

    def _qualifiers(self) -> list[tuple[str, str]]:
        values = {"22": self.cpv, "10": self.lot, "21": self.serial}
        return [(ai, value) for ai in _QUALIFIERS if (value := values[ai]) is not None]

    def path(self) -> str:
        """``/01/<gtin>[/22/<cpv>][/10/<lot>][/21/<serial>]``, the canonical order."""
        return "".join(f"/{ai}/{value}" for ai, value in [("01", self.gtin), *self._qualifiers()])


def format_uri(base_url: str, gtin: str, lot: str | None = None, serial: str | None = None) -> str:
    """The Digital Link URI printed in a QR code; a GTIN of 8, 12 or 13 digits is padded to 14."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise DigitalLinkError(Message(N_("base URL %(url)s must be an http(s) URL with no query or fragment"),
                                       url=repr(base_url)))
    link = DigitalLink(_check_gtin(str(gtin), strict=False), lot, serial)
    return base_url.rstrip("/") + link.path()


def parse_path(path: str) -> DigitalLink:
    """The Digital Link in a request path (no scheme, host or query), or DigitalLinkError saying what is wrong.

    Pass the path as sent (not percent-decoded) where the server gives it: a decoded ``%2F``
    would otherwise split a value in two. A single trailing slash is tolerated, as GS1 asks.
    """
    if not path.startswith("/"):
        raise DigitalLinkError(Message(N_("path %(path)s must start with /01/<GTIN>"), path=repr(path)))
    segments = path[1:].removesuffix("/").split("/")
    if segments == [""]:
        raise DigitalLinkError(Message(N_("GTIN is missing: the path must start with /01/<GTIN>")))
    if "" in segments:
        raise DigitalLinkError(Message(N_("path %(path)s has an empty segment ('//')"), path=repr(path)))
    if segments[0] != "01":
        raise DigitalLinkError(Message(N_("path must start with the GTIN key /01/, not /%(key)s/"), key=segments[0]))
    found: dict[str, str] = {}
    for i in range(0, len(segments), 2):
        ai = segments[i]
        if "%" in ai:
            raise DigitalLinkError(Message(N_("AI key %(ai)s is percent-encoded; write the AI as plain digits"),
                                           ai=repr(ai)))
        if i > 0 and ai not in _QUALIFIERS:
            raise DigitalLinkError(Message(N_("AI %(ai)s is not allowed in the path: only 22, 10 and 21 may follow "
                                              "the GTIN"), ai=repr(ai)))
        if i + 1 == len(segments):
            raise DigitalLinkError(Message(N_("%(name)s has no value"), name=_name(ai)))
        if ai in found:
            raise DigitalLinkError(Message(N_("%(name)s appears twice"), name=_name(ai)))
        later = [q for q in found if q != "01" and _QUALIFIERS.index(q) > _QUALIFIERS.index(ai)] if i else []
        if later:
            raise DigitalLinkError(Message(N_("%(name)s comes after %(other)s; the order is 22, 10, 21"),
                                           name=_name(ai), other=_name(later[0])))
        found[ai] = segments[i + 1]
    return DigitalLink(found["01"], found.get("10"), found.get("21"), found.get("22"))


def link_type_uri(link_type: str) -> str:
    """``gs1:pip`` -> ``https://gs1.org/voc/pip`` (full URIs pass through)."""
    return GS1_VOC + link_type[4:] if link_type.startswith("gs1:") else link_type


def linkset(anchor: str, links: Mapping[str, Sequence[Mapping[str, str]]], *, description: str | None = None) -> dict:
    """The ``application/linkset+json`` document (RFC 9264) of a GS1-Conformant resolver.

    ``links`` maps a link type of :data:`LINK_TYPES` to its targets, each with ``href`` and
    ``title`` (both required by the GS1 schema) and optionally ``type`` and ``hreflang``
    (a string such as ``"vi"``, written as a list). The first ``gs1:pip`` target (else the first
    target given) is repeated as ``gs1:defaultLink``, the link a resolver redirects to by default.
    Bad input is a programming error here, so it raises plain ValueError, not DigitalLinkError.
    """
    if not re.match(r"^https?://", anchor):
        raise ValueError(f"linkset anchor {anchor!r} must be an absolute http(s) URI")
    context: dict = {"anchor": anchor}
    if description:
        context["description"] = description  # the schema's successor to the deprecated itemDescription
    relations: dict[str, list[dict]] = {}
    for link_type, targets in links.items():
        if link_type not in LINK_TYPES:
            raise ValueError(f"link type {link_type!r} is not one of {', '.join(LINK_TYPES)}")
        relations[link_type_uri(link_type)] = [_target(link_type, t) for t in targets]
    chosen = relations.get(link_type_uri("gs1:pip")) or next((t for t in relations.values() if t), None)
    if not chosen:
        raise ValueError("a linkset needs at least one link to serve as the default link")
    context[DEFAULT_LINK] = [dict(chosen[0])]
    context.update(relations)
    return {"linkset": [context]}


def _target(link_type: str, target: Mapping[str, str]) -> dict:
    unknown = set(target) - _LINK_MEMBERS
    if unknown or not target.get("href") or not target.get("title"):
        raise ValueError(f"{link_type} link {dict(target)!r} needs href and title, and only {sorted(_LINK_MEMBERS)}")
    if not re.match(r"^https?://", target["href"]):
        raise ValueError(f"{link_type} href {target['href']!r} must be an absolute http(s) URI")
    out: dict[str, Any] = {k: v for k, v in target.items() if k != "hreflang"}
    if "hreflang" in target:
        langs = [target["hreflang"]] if isinstance(target["hreflang"], str) else list(target["hreflang"])
        if not all(_HREFLANG.match(lang) for lang in langs):
            raise ValueError(f"{link_type} hreflang {target['hreflang']!r} must be like 'vi' or 'en-GB'")
        out["hreflang"] = langs
    return out
