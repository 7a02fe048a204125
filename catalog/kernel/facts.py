"""What the visibility rule reads of a product and its recognitions, as protocols: the models satisfy
them, and so do the plain-row views a scan loads (so both are judged by the same functions)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol, TypeVar


class RecognitionFacts(Protocol):
    """What the rule reads of one recognition: the model, or a plain-row view whose methods call the
    model's own rule (:func:`catalog.kernel.models.recognitions.is_in_force`, ``status_of``)."""

    @property
    def id(self) -> int | None: ...
    @property
    def starts_at(self) -> dt.datetime: ...
    @property
    def decision_date(self) -> dt.date: ...
    @property
    def valid_until(self) -> dt.date: ...
    @property
    def revoked_on(self) -> dt.date | None: ...

    def in_force_at(self, at: dt.datetime) -> bool: ...
    def status_at(self, at: dt.datetime | None = None) -> str: ...


R = TypeVar("R", bound=RecognitionFacts)
R_co = TypeVar("R_co", bound=RecognitionFacts, covariant=True)


class Recognised(Protocol[R_co]):
    """A product as the rule sees it: its recognitions (a :class:`Product`, or a plain-row view of one)."""

    @property
    def recognitions(self) -> Sequence[R_co]: ...


