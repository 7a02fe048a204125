"""GTIN validation with the GS1 mod-10 check digit, normalised to 14 digits."""
from __future__ import annotations

from catalog.kernel.errors import InvalidInput
from catalog.kernel.i18n import N_, Message
from catalog.kernel.text import is_digits

GTIN_LENGTHS = (8, 12, 13, 14)


def check_digit(body: str) -> int:
    """GS1 check digit for the digits before it (weights 3,1,3,1... from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def normalise_gtin(value: str, field: str = "gtin") -> str:
    """The GTIN as 14 digits, or :class:`InvalidInput` naming what is wrong."""
    digits = "".join(str(value).split())
    if not is_digits(digits):
        raise InvalidInput({field: [Message(N_("GTIN %(gtin)s must contain digits only"), gtin=repr(value))]})
    if len(digits) not in GTIN_LENGTHS:
        raise InvalidInput({field: [Message(N_("GTIN %(gtin)s has %(count)s digits; a GTIN has 8, 12, 13 or 14"),
                                            gtin=digits, count=len(digits))]})
    expected = check_digit(digits[:-1])
    if int(digits[-1]) != expected:
        raise InvalidInput({field: [Message(N_("GTIN %(gtin)s has check digit %(digit)s, but its digits give "
                                               "%(expected)s"), gtin=digits, digit=digits[-1], expected=expected)]})
    return digits.zfill(14)
