"""Domain errors: every refusal of the core is one of these, with a message a person can act on.

``code`` names the refusal for programs (``score_too_low``); ``message`` is a
:class:`~catalog.kernel.i18n.Message`, an English template with its ``params``,
translated where it is shown. ``field`` names the input at fault when there is
one, so forms can show the message next to it and the API can list it in a
problem document.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from catalog.kernel.i18n import Message


class DomainError(Exception):
    """A request the programme's rules refuse. Nothing has been written."""

    #: The refusal's stable name; a raise may give a more precise one (``code=``).
    code: str = "refused"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        self.message = Message.of(message)
        super().__init__(self.message)
        self.field = field
        if code is not None:
            self.code = code

    @property
    def params(self) -> Mapping[str, Any]:
        """The values in the message, by name."""
        return self.message.params

    @property
    def errors(self) -> dict[str, list[str]]:
        """Problems keyed by field (``_`` for the request as a whole)."""
        return {self.field or "_": [self.message]}


class InvalidInput(DomainError):
    """One or more fields are missing or malformed."""

    code = "invalid_input"

    def __init__(self, errors: Mapping[str, list[str]]):
        self._errors: dict[str, list[str]] = {field: [Message.of(m) for m in msgs] for field, msgs in errors.items()}
        summary = Message.joined("; ", (Message(_FIELD, field=field, problems=Message.joined(" ", msgs))
                                      for field, msgs in self._errors.items()))
        first = next(iter(self._errors), None)
        super().__init__(summary, field=first)

    @property
    def errors(self) -> dict[str, list[str]]:
        return self._errors


#: How the summary of an InvalidInput names each field (no words to translate: the name is the input's).
_FIELD = "%(field)s: %(problems)s"


class NotFound(DomainError):
    """The thing asked for does not exist."""

    code = "not_found"


class TransitionRefused(DomainError):
    """The lifecycle of a recognition does not allow this step now."""

    code = "transition_refused"


class ScoreTooLow(TransitionRefused):
    """The score gives fewer stars than the programme recognises."""

    code = "score_too_low"


class LevelMismatch(TransitionRefused):
    """The recognition level does not match the stars (5 stars are national)."""

    code = "level_mismatch"


class AlreadyRecognised(TransitionRefused):
    """A first recognition was asked for a product that already holds one."""

    code = "already_recognised"


class NothingToSupersede(TransitionRefused):
    """A re-recognition or upgrade was asked for a product with no recognition to follow."""

    code = "nothing_to_supersede"


class OutsideReRecognitionWindow(TransitionRefused):
    """A re-recognition was decided too early before the expiry of the one it replaces."""

    code = "outside_re_recognition_window"


class NotAnUpgrade(TransitionRefused):
    """An upgrade must give more stars than the recognition in force."""

    code = "not_an_upgrade"


class NotInForce(TransitionRefused):
    """The step needs a recognition in force (e.g. revoking an expired one)."""

    code = "not_in_force"


class DecisionOutOfOrder(TransitionRefused):
    """A decision is dated before the decision it follows."""

    code = "decision_out_of_order"


class RevocationIsFinal(TransitionRefused):
    """A revoked recognition cannot be re-recognised, upgraded or revoked again."""

    code = "revocation_is_final"
