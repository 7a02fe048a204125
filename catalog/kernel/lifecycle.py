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
from catalog.kernel.i18n import N_, Message
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
    STATUS_TERMS,
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
    """The latest recognition not superseded by another: the one a new decision follows.

    Of two starting at the same instant, the later recorded: the higher id, and one not saved yet
    (recorded in this transaction, e.g. by an import that writes at the end) after every saved one."""
    candidates = [r for r in history if r.superseded_at is None]
    return max(candidates, key=lambda r: (r.starts_at, r.id is None, r.id or 0), default=None)


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
        assert previous is not None                     # _check_follows refuses a step with nothing to follow
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
        raise InvalidInput({"revoked_on": [Message(
            N_("%(date)s is in the future: record a revocation once it is decided"), date=revoked_on)]})
    instant = calendar.start_of_day(revoked_on)
    if recognition.is_revoked:
        raise RevocationIsFinal(Message(
            N_("recognition %(number)s was already revoked on %(date)s by %(decision)s"),
            number=recognition.decision_number, date=recognition.revoked_on,
            decision=recognition.revocation_decision), code="already_revoked")
    status = recognition.status_at(instant)
    if status != IN_FORCE or recognition.superseded_at is not None:
        raise _not_in_force(recognition, revoked_on, status)
    recognition.revoked_on = revoked_on
    recognition.revoked_at = instant
    recognition.revocation_decision = revocation["decision_number"]
    recognition.revocation_authority = revocation["authority"]
    recognition.revocation_ground = revocation["ground"]
    recognition.revocation_reason = revocation.get("reason")
    recognition.revocation_note = revocation.get("internal_note")
    return [RecognitionEvent(
        product_id=recognition.product_id, recognition=recognition, recognition_id=recognition.id,
        kind=EVENT_REVOKED, actor=actor, recorded_at=at, effective_at=instant,
        decision_ref=revocation["decision_number"], note=revocation.get("reason"))]


def _check_decision_date(decision_date: dt.date, at: dt.datetime) -> None:
    latest = calendar.local_date(at) + dt.timedelta(days=programme.MAX_DAYS_AHEAD)
    if not programme.PROGRAMME_START <= decision_date <= latest:
        raise InvalidInput({"decision_date": [Message(
            N_("%(date)s is outside %(first)s to %(last)s: check the year"),
            date=decision_date, first=programme.PROGRAMME_START, last=latest)]})


def _recognisable_stars(decision: dict[str, Any]) -> int:
    score, level = decision["score"], decision["level"]
    stars = programme.stars_for_score(score)
    if stars < programme.MIN_RECOGNISED_STARS:
        raise ScoreTooLow(Message(
            N_("a score of %(score)s gives %(stars)s stars; %(most)s stars or fewer cannot be recognised "
               "(at least %(needed)s is needed)"),
            score=score, stars=stars, most=programme.MIN_RECOGNISED_STARS - 1,
            needed=programme.MIN_RECOGNISED_SCORE), field="score")
    required = programme.required_level(stars)
    if level != required:
        # Two levels, so a mismatch is one of two: 5 stars asked at province level, or 3-4 stars at national level.
        raise LevelMismatch(Message(
            N_("%(stars)s stars are recognised at national level, not province "
               "(5 stars only by the Ministry, at national level)") if required == programme.LEVEL_NATIONAL else
            N_("%(stars)s stars are recognised at province level, not national "
               "(the national council recognises 5 stars only)"), stars=stars), field="level")
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
            raise AlreadyRecognised(Message(
                N_("the product already holds recognition %(number)s (%(stars)s stars, valid until %(until)s); "
                   "record a re-recognition or an upgrade instead"),
                number=existing.decision_number, stars=existing.stars, until=existing.valid_until))
    latest = head(history)
    if latest is not None and new.decision_date < latest.decision_date:
        raise DecisionOutOfOrder(Message(
            N_("decision date %(date)s is before the product's latest decision %(number)s of %(decided)s"),
            date=new.decision_date, number=latest.decision_number, decided=latest.decision_date),
            field="decision_date")


def _check_follows(kind: str, previous: Recognition | None, new: Recognition) -> None:
    if previous is None:
        raise NothingToSupersede(Message(
            N_("the product has no recognition to re-recognise; record a first recognition")
            if kind == KIND_RE_RECOGNITION else
            N_("the product has no recognition to upgrade; record a first recognition")))
    if previous.is_revoked:
        raise RevocationIsFinal(Message(
            N_("recognition %(number)s was revoked on %(date)s; revocation is final, so record a new first "
               "recognition"), number=previous.decision_number, date=previous.revoked_on))
    if new.decision_date < previous.decision_date:
        raise DecisionOutOfOrder(Message(
            N_("decision date %(date)s is before the decision it would follow, %(number)s of %(decided)s"),
            date=new.decision_date, number=previous.decision_number, decided=previous.decision_date),
            field="decision_date")
    if kind == KIND_RE_RECOGNITION:
        earliest = programme.earliest_re_recognition(previous.valid_until)
        if new.decision_date < earliest:
            days = (previous.valid_until - new.decision_date).days
            raise OutsideReRecognitionWindow(Message(
                N_("a re-recognition can be decided at most %(window)s days before expiry (%(until)s), "
                   "so from %(earliest)s; %(date)s is %(days)s days before"),
                window=programme.RE_RECOGNITION_WINDOW_DAYS, until=previous.valid_until, earliest=earliest,
                date=new.decision_date, days=days), field="decision_date")
        return
    if not previous.in_force_at(new.starts_at):
        raise NotInForce(Message(
            N_("an upgrade needs a recognition in force on %(date)s; %(number)s is %(status)s then, so record "
               "a re-recognition"), date=new.decision_date, number=previous.decision_number,
            status=Message(STATUS_TERMS[previous.status_at(new.starts_at)])),
            field="decision_date", code="upgrade_needs_recognition_in_force")
    if new.stars <= previous.stars:
        raise NotAnUpgrade(Message(
            N_("an upgrade needs more than the %(in_force)s stars in force; a score of %(score)s gives %(stars)s"),
            in_force=previous.stars, score=new.score, stars=new.stars), field="score")


def _not_in_force(recognition: Recognition, revoked_on: dt.date, status: str) -> NotInForce:
    name = recognition.decision_number
    if status == NOT_YET_IN_FORCE:
        return NotInForce(Message(N_("recognition %(number)s only takes effect on %(date)s"),
                                  number=name, date=recognition.decision_date), code="not_yet_in_force")
    if recognition.superseded_at is not None:
        return NotInForce(Message(
            N_("recognition %(number)s is superseded from %(date)s by a later decision; revoke the recognition "
               "in force instead"), number=name, date=calendar.local_date(recognition.superseded_at)),
            code="superseded")
    return NotInForce(Message(
        N_("recognition %(number)s expired on %(until)s, before %(date)s: only a recognition in force can be "
           "revoked"), number=name, until=recognition.valid_until, date=revoked_on), code="expired")


def _event(kind: str, recognition: Recognition, actor: str, at: dt.datetime,
           effective_at: dt.datetime, decision: dict[str, Any]) -> RecognitionEvent:
    return RecognitionEvent(
        product_id=recognition.product_id, recognition=recognition, recognition_id=recognition.id,
        kind=kind, actor=actor, recorded_at=at, effective_at=effective_at,
        decision_ref=decision["decision_number"], note=decision.get("note"))
