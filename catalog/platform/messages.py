"""marshmallow's own messages that forms may show, marked here for translation.

Every other message the core and the features show is a msgid marked with ``N_`` where
it is raised (:class:`catalog.kernel.i18n.Message`); these few are written by marshmallow
itself, and :func:`catalog.platform.i18n.translate` looks them up like any msgid.
"""
from catalog.kernel.i18n import N_

MARSHMALLOW_MESSAGES = (
    N_("Not a valid integer."),
    N_("Not a valid number."),
    N_("Not a valid date."),
    N_("Not a valid datetime."),
    N_("Not a valid string."),
    N_("Field may not be null."),
    N_("Missing data for required field."),
    N_("Unknown field."),
)

#: Messages the stamp and lot forms (``catalog.trace``) still raise as plain English text, looked up as they are
#: until those checks raise Messages too.
TRACE_MESSAGES = (
    N_("is required: say why the stamps are voided"),
    N_("has a time-zone offset outside -12:00 to +14:00"),
    N_("is longer than 200 characters"),
)
