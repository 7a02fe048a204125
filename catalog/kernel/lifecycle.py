"""The lifecycle rules of a recognition, as pure functions over a product's history.

Each ``plan_*`` function checks one step against the programme's rules and
returns the rows it would write, without touching the database; it raises a
:class:`~catalog.kernel.errors.DomainError` subclass when the step is refused.
:mod:`catalog.kernel.recognitions` loads, locks and writes; the demo-data
generator builds its history through the same functions.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from catalog.kernel import calendar, programme
from catalog.kernel.errors import (
    AlreadyRecognised,
    DecisionOutOfOrder,
    InvalidInput,
    LevelMismatch,
    NotAnUpgrade,
    NothingToSupersede,
    NotInForce,
    OutsideReRecognitionWindow,
    RevocationIsFinal,
    ScoreTooLow,
)
from catalog.kernel.models.history import (
    EVENT_RE_RECOGNISED,
    EVENT_RECOGNISED,
    EVENT_REVOKED,
    EVENT_SUPERSEDED,
    EVENT_UPGRADED,
    RecognitionEvent,
)
from catalog.kernel.models.recognitions import (
    IN_FORCE,
    KIND_FIRST,
    KIND_RE_RECOGNITION,
    KIND_UPGRADE,
    NOT_YET_IN_FORCE,
    Recognition,
)

_NEW_EVENT = {KIND_FIRST: EVENT_RECOGNISED, KIND_RE_RECOGNITION: EVENT_RE_RECOGNISED,
              KIND_UPGRADE: EVENT_UPGRADED}


@dataclass
class Plan:
    """What one lifecycle step writes."""

    recognition: Recognition
    superseded: Recognition | None = None
    events: list[RecognitionEvent] = field(default_factory=list)


def head(history: Sequence[Recognition]) -> Recognition | None:
    """The latest recognition not superseded by another: the one a new decision follows."""
    candidates = [r for r in history if r.superseded_at is None]
    return max(candidates, key=lambda r: (r.starts_at, r.id or 0), default=None)


def plan_recognition(kind: str, product_id: int | None, history: Sequence[Recognition],
                     decision: dict[str, Any], *, actor: str, at: dt.datetime) -> Plan:
    """Check and build a first recognition, re-recognition or upgrade from a loaded decision."""
    _check_decision_date(decision["decision_date"], at)
    stars = _recognisable_stars(decision)
    new = _new_recognition(kind, product_id, decision, stars)
    previous = None
    if kind == KIND_FIRST:
        _check_first(history, new, at)
    else:
        previous = head(history)
        _check_follows(kind, previous, new)
        new.supersedes = previous
        new.supersedes_id = previous.id
        previous.superseded_at = new.starts_at
    events = [_event(_NEW_EVENT[kind], new, actor, at, new.starts_at, decision)]
    if previous is not None:
        events.append(_event(EVENT_SUPERSEDED, previous, actor, at, new.starts_at, decision))
    return Plan(new, previous, events)


def plan_revocation(recognition: Recognition, revocation: dict[str, Any], *,
                    actor: str, at: dt.datetime) -> list[RecognitionEvent]:
    """Check a revocation, apply it to ``recognition`` and return its history event."""
    revoked_on = revocation["revoked_on"]
    if revoked_on > calendar.local_date(at):
        raise InvalidInput({"revoked_on": [f"{revoked_on:%d/%m/%Y} is in the future: "
                                           "record a revocation once it is decided"]})
    instant = calendar.start_of_day(revoked_on)
    if recognition.is_revoked:
        raise RevocationIsFinal(
            f"recognition {recognition.decision_number} was already revoked on "
            f"{recognition.revoked_on:%d/%m/%Y} by {recognition.revocation_decision}")
    status = recognition.status_at(instant)
    if status != IN_FORCE or recognition.superseded_at is not None:
        raise NotInForce(_not_in_force_message(recognition, revoked_on, status))
    recognition.revoked_on = revoked_on
    recognition.revoked_at = instant
    recognition.revocation_decision = revocation["decision_number"]
    recognition.revocation_authority = revocation["authority"]
    recognition.revocation_ground = revocation["ground"]
    recognition.revocation_reason = revocation.get("reason")
    return [RecognitionEvent(
        product_id=recognition.product_id, recognition=recognition, recognition_id=recognition.id,
        kind=EVENT_REVOKED, actor=actor, recorded_at=at, effective_at=instant,
        decision_ref=revocation["decision_number"], note=revocation.get("reason"))]


def _check_decision_date(decision_date: dt.date, at: dt.datetime) -> None:
    latest = calendar.local_date(at) + dt.timedelta(days=programme.MAX_DAYS_AHEAD)
    if not programme.PROGRAMME_START <= decision_date <= latest:
        raise InvalidInput({"decision_date": [
            f"{decision_date:%d/%m/%Y} is outside {programme.PROGRAMME_START:%d/%m/%Y}"
            f" to {latest:%d/%m/%Y}: check the year"]})


def _recognisable_stars(decision: dict[str, Any]) -> int:
    score, level = decision["score"], decision["level"]
    stars = programme.stars_for_score(score)
    if stars < programme.MIN_RECOGNISED_STARS:
        raise ScoreTooLow(
            f"a score of {score} gives {stars} stars; {programme.MIN_RECOGNISED_STARS - 1} stars "
            f"or fewer cannot be recognised (at least {programme.MIN_RECOGNISED_SCORE} is needed)", field="score")
    required = programme.required_level(stars)
    if level != required:
        raise LevelMismatch(
            f"{stars} stars are recognised at {required} level, not {level}"
            + (" (5 stars only by the Ministry, at national level)" if stars == programme.NATIONAL_STARS
               else " (the national council recognises 5 stars only)"), field="level")
    return stars


def _new_recognition(kind: str, product_id: int | None, decision: dict[str, Any], stars: int) -> Recognition:
    decision_date = decision["decision_date"]
    until = programme.valid_until(decision_date)
    return Recognition(
        product_id=product_id, kind=kind, score=decision["score"], stars=stars, level=decision["level"],
        authority=decision["authority"], decision_number=decision["decision_number"],
        certificate_number=decision.get("certificate_number"), decision_date=decision_date,
        valid_until=until, starts_at=calendar.start_of_day(decision_date),
        ends_at=calendar.end_of_day(until))


def _check_first(history: Sequence[Recognition], new: Recognition, at: dt.datetime) -> None:
    for existing in history:
        status = existing.status_at(at)
        if status in (IN_FORCE, NOT_YET_IN_FORCE) or existing.in_force_at(new.starts_at):
            raise AlreadyRecognised(
                f"the product already holds recognition {existing.decision_number} "
                f"({existing.stars} stars, valid until {existing.valid_until:%d/%m/%Y}); "
                "record a re-recognition or an upgrade instead")
    latest = head(history)
    if latest is not None and new.decision_date < latest.decision_date:
        raise DecisionOutOfOrder(
            f"decision date {new.decision_date:%d/%m/%Y} is before the product's latest decision "
            f"{latest.decision_number} of {latest.decision_date:%d/%m/%Y}", field="decision_date")


def _check_follows(kind: str, previous: Recognition | None, new: Recognition) -> None:
    action = "re-recognise" if kind == KIND_RE_RECOGNITION else "upgrade"
    if previous is None:
        raise NothingToSupersede(
            f"the product has no recognition to {action}; record a first recognition")
    if previous.is_revoked:
        raise RevocationIsFinal(
            f"recognition {previous.decision_number} was revoked on {previous.revoked_on:%d/%m/%Y}; "
            "revocation is final, so record a new first recognition")
    if new.decision_date < previous.decision_date:
        raise DecisionOutOfOrder(
            f"decision date {new.decision_date:%d/%m/%Y} is before the decision it would follow, "
            f"{previous.decision_number} of {previous.decision_date:%d/%m/%Y}", field="decision_date")
    if kind == KIND_RE_RECOGNITION:
        earliest = programme.earliest_re_recognition(previous.valid_until)
        if new.decision_date < earliest:
            days = (previous.valid_until - new.decision_date).days
            raise OutsideReRecognitionWindow(
                f"a re-recognition can be decided at most {programme.RE_RECOGNITION_WINDOW_DAYS} days "
                f"before expiry ({previous.valid_until:%d/%m/%Y}), so from {earliest:%d/%m/%Y}; "
                f"{new.decision_date:%d/%m/%Y} is {days} days before", field="decision_date")
        return
    if not previous.in_force_at(new.starts_at):
        raise NotInForce(
            f"an upgrade needs a recognition in force on {new.decision_date:%d/%m/%Y}; "
            f"{previous.decision_number} is {previous.status_at(new.starts_at).replace('_', ' ')} "
            "then, so record a re-recognition", field="decision_date")
    if new.stars <= previous.stars:
        raise NotAnUpgrade(
            f"an upgrade needs more than the {previous.stars} stars in force; "
            f"a score of {new.score} gives {new.stars}", field="score")


def _not_in_force_message(recognition: Recognition, revoked_on: dt.date, status: str) -> str:
    name = recognition.decision_number
    if status == NOT_YET_IN_FORCE:
        return f"recognition {name} only takes effect on {recognition.decision_date:%d/%m/%Y}"
    if recognition.superseded_at is not None:
        return (f"recognition {name} is superseded from {calendar.local_date(recognition.superseded_at):%d/%m/%Y}"
                " by a later decision; revoke the recognition in force instead")
    return (f"recognition {name} expired on {recognition.valid_until:%d/%m/%Y}, before "
            f"{revoked_on:%d/%m/%Y}: only a recognition in force can be revoked")


def _event(kind: str, recognition: Recognition, actor: str, at: dt.datetime,
           effective_at: dt.datetime, decision: dict[str, Any]) -> RecognitionEvent:
    return RecognitionEvent(
        product_id=recognition.product_id, recognition=recognition, recognition_id=recognition.id,
        kind=kind, actor=actor, recorded_at=at, effective_at=effective_at,
        decision_ref=decision["decision_number"], note=decision.get("note"))
