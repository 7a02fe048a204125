"""Domain errors: every refusal of the core is one of these, with a message a person can act on.

``field`` names the input at fault when there is one, so forms can show the
message next to it and the API can list it in a problem document.
"""
from __future__ import annotations


class DomainError(Exception):
    """A request the programme's rules refuse. Nothing has been written."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def errors(self) -> dict[str, list[str]]:
        """Problems keyed by field (``_`` for the request as a whole)."""
        return {self.field or "_": [self.message]}


class InvalidInput(DomainError):
    """One or more fields are missing or malformed."""

    def __init__(self, errors: dict[str, list[str]]):
        self._errors = {field: list(msgs) for field, msgs in errors.items()}
        summary = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in self._errors.items())
        first = next(iter(self._errors), None)
        super().__init__(summary, field=first)

    @property
    def errors(self) -> dict[str, list[str]]:
        return self._errors


class NotFound(DomainError):
    """The thing asked for does not exist."""


class TransitionRefused(DomainError):
    """The lifecycle of a recognition does not allow this step now."""


class ScoreTooLow(TransitionRefused):
    """The score gives fewer stars than the programme recognises."""


class LevelMismatch(TransitionRefused):
    """The recognition level does not match the stars (5 stars are national)."""


class AlreadyRecognised(TransitionRefused):
    """A first recognition was asked for a product that already holds one."""


class NothingToSupersede(TransitionRefused):
    """A re-recognition or upgrade was asked for a product with no recognition to follow."""


class OutsideReRecognitionWindow(TransitionRefused):
    """A re-recognition was decided too early before the expiry of the one it replaces."""


class NotAnUpgrade(TransitionRefused):
    """An upgrade must give more stars than the recognition in force."""


class NotInForce(TransitionRefused):
    """The step needs a recognition in force (e.g. revoking an expired one)."""


class DecisionOutOfOrder(TransitionRefused):
    """A decision is dated before the decision it follows."""


class RevocationIsFinal(TransitionRefused):
    """A revoked recognition cannot be re-recognised, upgraded or revoked again."""
