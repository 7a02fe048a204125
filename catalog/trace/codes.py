"""Stamp codes: 80 random bits as 16 Crockford base-32 characters, plus a check character.

Crockford's alphabet leaves out I, L, O and U, so a code read aloud or typed
from a label is hard to get wrong, and reading is forgiving: lower case is
upper case, O is 0, I and L are 1. The check character (Luhn mod 32 over the
same alphabet) catches every single mistyped character and most swaps of two
neighbours, so a mistyped code is told apart from a code never issued.
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from catalog.kernel.i18n import N_, Message

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BODY_LENGTH = 16                  # 16 x 5 bits = 80 random bits
CODE_LENGTH = BODY_LENGTH + 1
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
#: what separates the groups of a code as people type or copy it: any space, hyphens and dashes, dots
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212.]+")


class CodeError(ValueError):
    """Not a stamp code: ``reason`` is ``format`` (wrong length or letters) or ``check`` (mistyped, or
    invented); ``read`` is the text as a code reads it (upper case, no separators, O as 0...)."""

    def __init__(self, message: Message, reason: str, read: str = ""):
        super().__init__(message)
        self.reason = reason
        self.read = read


def check_character(body: str) -> str:
    """Luhn mod 32: doubles every second value from the right, folding in base 32."""
    total, double = 0, True
    for ch in reversed(body):
        value = _VALUE[ch]
        if double:
            value *= 2
            value = value // 32 + value % 32
        total += value
        double = not double
    return ALPHABET[(32 - total % 32) % 32]


def new_code(randbits: Callable[[int], int] = secrets.randbits) -> str:
    """A fresh code; ``randbits`` is the system's random source except in seeded demo data."""
    number = randbits(5 * BODY_LENGTH)
    body = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(BODY_LENGTH)))
    return body + check_character(body)


def normalise(text: str) -> str:
    """The canonical code for what someone typed or scanned, or :class:`CodeError`."""
    code = _SEPARATORS.sub("", text).upper().translate(_READ_AS)
    if len(code) != CODE_LENGTH or any(ch not in _VALUE for ch in code):
        raise CodeError(Message(N_("%(text)s is not a stamp code: a code has %(length)s letters and digits"),
                                text=repr(text), length=CODE_LENGTH), "format", code)
    if check_character(code[:-1]) != code[-1]:
        raise CodeError(Message(N_("%(text)s is mistyped: its last character does not match the others"),
                                text=repr(text)), "check", code)
    return code


def grouped(code: str) -> str:
    """THE grouping of a code, on the printed label and the scan page alike: ``7KQ2 M9XD 4HPA TZ3B Q``."""
    return " ".join(code[i:i + 4] for i in range(0, len(code), 4))
