"""The core's check messages that forms show next to a field, marked here for translation.

The core speaks English (its messages are also read in logs, the CLI and the API);
forms show each through the ``|message`` filter, which looks it up in the reader's
language. Messages built with values (a name, a number) stay in English.
"""
from flask_babel import lazy_gettext as _l

CORE_MESSAGES = (
    _l("is required"),
    _l("is not an e-mail address"),
    _l("is not an email address"),
    _l("is not an http(s) URL"),
    _l("is not a phone number"),
    _l("is not a decision number such as 2751/QĐ-UBND"),
    _l("is not a JPEG, PNG or WebP photo that can be read"),
    _l("has too many pixels"),
    _l("must be a 5-digit commune code"),
    _l("must be a 2-digit province code"),
    _l("must be 5 to 2,000 characters"),
    _l("must be confirmed or dismissed"),
    _l("is required: say why the stamps are voided"),
    _l("is required (or give the commune)"),
    _l("is required: say why the report is dismissed"),
    _l("is longer than 200 characters"),
    _l("is longer than 5,000 characters"),
    _l("is required: choose the product concerned"),
    _l("has a time-zone offset outside -12:00 to +14:00"),
    _l("is already the name of another partner"),
    _l("is already taken by another account"),
    _l("must be at least 12 characters"),
    _l("Not a valid integer."),
    _l("Not a valid number."),
    _l("Not a valid date."),
    _l("Not a valid datetime."),
    _l("Field may not be null."),
    _l("Unknown field."),
)
