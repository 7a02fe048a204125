"""The lifecycle of a recognition, at its edge instants, through the core services."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from catalog.kernel import calendar, errors, recognitions, visibility
from catalog.kernel.models.history import RecognitionEvent
from catalog.kernel.models.recognitions import Recognition
from tests import factories
from tests.factories import DECISION, REVOCATION

DECIDED = DECISION["decision_date"]          # 20/12/2024
EXPIRY = dt.date(2027, 12, 20)               # valid until, inclusive
ONE_MICRO = dt.timedelta(microseconds=1)


def rows(session):
    return (session.scalar(select(func.count()).select_from(Recognition)),
            session.scalar(select(func.count()).select_from(RecognitionEvent)))


def at_local(day: dt.date, hour: int = 12) -> dt.datetime:
    return calendar.start_of_day(day) + dt.timedelta(hours=hour)


@pytest.mark.parametrize(("score", "level", "stars"), [
    ("50", "province", 3), ("69.9", "province", 3), ("70", "province", 4),
    ("89.9", "province", 4), ("90", "national", 5), ("100", "national", 5),
])
def test_first_recognition_derives_stars_from_score(session, score, level, stars):
    product = factories.product()
    recognition = recognitions.recognise(product, actor="officer@test", **{
        **DECISION, "score": score, "level": level})
    assert (recognition.stars, recognition.kind) == (stars, "first")
    assert recognition.valid_until == EXPIRY
    assert [e.kind for e in recognitions.history(product)] == ["recognised"]


@pytest.mark.parametrize(("score", "level", "error", "message"), [
    ("49.9", "province", errors.ScoreTooLow, "2 stars or fewer cannot be recognised"),
    ("10", "province", errors.ScoreTooLow, "gives 1 stars"),
    ("90", "province", errors.LevelMismatch, "5 stars are recognised at national level"),
    ("89.9", "national", errors.LevelMismatch, "4 stars are recognised at province level"),
])
def test_first_recognition_refused_below_3_stars_or_at_the_wrong_level(session, score, level, error, message):
    product = factories.product()
    before = rows(session)
    with pytest.raises(error, match=message):
        recognitions.recognise(product, actor="t", **{**DECISION, "score": score, "level": level})
    assert rows(session) == before


def test_second_first_recognition_refused_while_one_is_in_force(session, frozen_clock):
    frozen_clock(at_local(dt.date(2026, 6, 1)))
    product = factories.recognised_product()
    before = rows(session)
    with pytest.raises(errors.AlreadyRecognised, match="re-recognition or an upgrade"):
        recognitions.recognise(product, actor="t", **{**DECISION, "decision_date": dt.date(2026, 5, 1)})
    assert rows(session) == before


@pytest.mark.parametrize(("instant", "status"), [
    (calendar.start_of_day(DECIDED) - ONE_MICRO, "not_yet_in_force"),
    (calendar.start_of_day(DECIDED), "in_force"),
    (at_local(EXPIRY - dt.timedelta(days=1)), "in_force"),          # the day before expiry
    (at_local(EXPIRY, hour=23), "in_force"),                         # the last day
    (calendar.end_of_day(EXPIRY) - ONE_MICRO, "in_force"),
    (calendar.end_of_day(EXPIRY), "expired"),                        # the first instant after
    (at_local(EXPIRY + dt.timedelta(days=1)), "expired"),           # the day after expiry
])
def test_status_and_visibility_at_the_edges_of_validity(session, instant, status):
    product = factories.recognised_product()
    recognition = product.recognitions[0]
    assert recognition.status_at(instant) == status
    visible = status == "in_force"
    assert visibility.is_visible(product, instant) is visible
    assert (product.id in session.scalars(visibility.visible_products(instant).with_only_columns(
        visibility.Product.id)).all()) is visible


def test_expiry_needs_no_job_only_a_clock(session, frozen_clock):
    product = factories.recognised_product()
    frozen_clock(at_local(EXPIRY))
    assert visibility.is_visible(product)
    frozen_clock(at_local(EXPIRY + dt.timedelta(days=1)))
    assert not visibility.is_visible(product)
    assert product.recognitions[0].status_at() == "expired"


@pytest.mark.parametrize(("days_before", "allowed"), [(181, False), (180, True), (120, True), (0, True), (-30, True)])
def test_re_recognition_window_opens_180_days_before_expiry(session, frozen_clock, days_before, allowed):
    frozen_clock(at_local(dt.date(2028, 3, 1)))
    product = factories.recognised_product()
    decided = EXPIRY - dt.timedelta(days=days_before)
    decision = {**DECISION, "decision_number": "901/QĐ-UBND", "decision_date": decided}
    before = rows(session)
    if not allowed:
        with pytest.raises(errors.OutsideReRecognitionWindow, match="181 days before"):
            recognitions.re_recognise(product, actor="t", **decision)
        assert rows(session) == before
        return
    new = recognitions.re_recognise(product, actor="t", **decision)
    old = new.supersedes
    assert (new.kind, old.superseded_at) == ("re_recognition", new.starts_at)
    assert old.status_at(new.starts_at - ONE_MICRO) == ("in_force" if days_before >= 0 else "expired")
    assert old.status_at(new.starts_at) == "superseded"
    assert new.status_at(new.starts_at) == "in_force"
    assert visibility.recognition_in_force(product, new.starts_at) is new
    assert [e.kind for e in recognitions.history(product)] == ["recognised", "re_recognised", "superseded"]


def test_upgrade_needs_more_stars_while_in_force(session, frozen_clock):
    frozen_clock(at_local(dt.date(2026, 6, 1)))
    product = factories.recognised_product()
    same = {**DECISION, "decision_number": "77/QĐ-UBND", "decision_date": dt.date(2026, 5, 2)}
    with pytest.raises(errors.NotAnUpgrade, match="more than the 3 stars"):
        recognitions.upgrade(product, actor="t", **{**same, "score": "69.9"})
    new = recognitions.upgrade(product, actor="t", **{**same, "score": "75"})
    assert (new.stars, new.kind, new.valid_until) == (4, "upgrade", dt.date(2029, 5, 2))
    assert visibility.recognition_in_force(product) is new
    with pytest.raises(errors.LevelMismatch):
        recognitions.upgrade(product, actor="t", **{**same, "score": "95", "decision_date": dt.date(2026, 5, 20)})
    five = recognitions.upgrade(product, actor="t", **{
        **same, "score": "95", "level": "national", "authority": "Bộ Nông nghiệp và Môi trường",
        "decision_date": dt.date(2026, 5, 20)})
    assert five.stars == 5


def test_upgrade_refused_after_expiry(session, frozen_clock):
    frozen_clock(at_local(dt.date(2028, 3, 1)))
    product = factories.recognised_product()
    with pytest.raises(errors.NotInForce, match="record a re-recognition"):
        recognitions.upgrade(product, actor="t", **{**DECISION, "score": "80", "decision_date": dt.date(2028, 2, 1)})


def test_revocation_takes_effect_at_its_instant(session, frozen_clock):
    frozen_clock(at_local(dt.date(2026, 3, 10)))
    product = factories.recognised_product()
    recognition = recognitions.revoke(product.recognitions[0], actor="officer", **{
        **REVOCATION, "revoked_on": dt.date(2026, 3, 10)})
    instant = calendar.start_of_day(dt.date(2026, 3, 10))
    assert recognition.revoked_at == instant
    assert recognition.status_at(instant - ONE_MICRO) == "in_force"
    assert recognition.status_at(instant) == "revoked"
    assert visibility.is_visible(product, instant - ONE_MICRO)
    assert not visibility.is_visible(product, instant)
    assert session.scalar(select(func.count()).where(visibility.product_is_visible(instant))
                          .select_from(visibility.Product).where(visibility.Product.id == product.id)) == 0
    assert recognitions.history(product)[-1].kind == "revoked"


@pytest.mark.parametrize(("change", "error", "message", "field"), [
    ({"decision_number": ""}, errors.InvalidInput, "decision_number: is required", "decision_number"),
    ({"decision_number": None}, errors.InvalidInput, "decision_number: is required", "decision_number"),
    ({"authority": "  "}, errors.InvalidInput, "authority: is required", "authority"),
    ({"ground": "bad_taste"}, errors.InvalidInput, "ground: must be one of", "ground"),
    ({"revoked_on": "31/02/2026"}, errors.InvalidInput, "not a date", "revoked_on"),
    ({"revoked_on": dt.date(2026, 3, 11)}, errors.InvalidInput, "is in the future", "revoked_on"),
])
def test_bad_revocations_name_the_problem_and_write_nothing(session, frozen_clock, change, error, message, field):
    frozen_clock(at_local(dt.date(2026, 3, 10)))
    product = factories.recognised_product()
    before = rows(session)
    with pytest.raises(error, match=message) as caught:
        recognitions.revoke(product.recognitions[0], actor="t", **{**REVOCATION, "revoked_on": dt.date(2026, 3, 1),
                                                                   **change})
    assert field in caught.value.errors
    assert rows(session) == before
    assert product.recognitions[0].revoked_at is None


def test_revoking_an_expired_recognition_is_refused(session, frozen_clock):
    frozen_clock(at_local(dt.date(2028, 3, 1)))
    product = factories.recognised_product()
    with pytest.raises(errors.NotInForce, match="expired on 20/12/2027"):
        recognitions.revoke(product.recognitions[0], actor="t", **{**REVOCATION, "revoked_on": dt.date(2028, 1, 5)})
    assert product.recognitions[0].revoked_at is None


def test_revocation_is_final_but_a_new_recognition_is_possible(session, frozen_clock):
    frozen_clock(at_local(dt.date(2026, 3, 10)))
    product = factories.recognised_product()
    revoked = recognitions.revoke(product.recognitions[0], actor="t", **{**REVOCATION, "revoked_on": "10/03/2026"})
    with pytest.raises(errors.RevocationIsFinal, match="already revoked on 10/03/2026"):
        recognitions.revoke(revoked, actor="t", **{**REVOCATION, "revoked_on": "10/03/2026"})
    with pytest.raises(errors.RevocationIsFinal, match="record a new first recognition"):
        recognitions.re_recognise(product, actor="t", **{**DECISION, "decision_date": dt.date(2026, 3, 10)})
    frozen_clock(at_local(dt.date(2026, 9, 1)))
    fresh = recognitions.recognise(product, actor="t", **{
        **DECISION, "decision_number": "1200/QĐ-UBND", "decision_date": dt.date(2026, 8, 28)})
    assert visibility.recognition_in_force(product) is fresh
    assert revoked.status_at() == "revoked"


@pytest.mark.parametrize(("change", "field"), [
    ({"decision_number": ""}, "decision_number"),
    ({"decision_number": "QĐ-UBND"}, "decision_number"),
    ({"score": "abc"}, "score"),
    ({"score": "100.5"}, "score"),
    ({"score": "65.125"}, "score"),
    ({"level": "district"}, "level"),
    ({"decision_date": "2024-13-01"}, "decision_date"),
    ({"decision_date": dt.date(2012, 1, 1)}, "decision_date"),
    ({"authority": None}, "authority"),
])
def test_bad_decisions_name_the_field_and_write_nothing(session, change, field):
    product = factories.product()
    before = rows(session)
    with pytest.raises(errors.InvalidInput) as caught:
        recognitions.recognise(product, actor="t", **{**DECISION, **change})
    assert field in caught.value.errors and field in str(caught.value)
    assert rows(session) == before


def test_future_decision_is_not_yet_in_force(session, frozen_clock):
    frozen_clock(at_local(dt.date(2026, 11, 22)))
    product = factories.recognised_product(decision_date=dt.date(2026, 12, 1))
    assert product.recognitions[0].status_at() == "not_yet_in_force"
    assert not visibility.is_visible(product)
    frozen_clock(at_local(dt.date(2026, 12, 1), hour=0))
    assert visibility.is_visible(product)


def test_score_is_kept_exactly(session):
    product = factories.recognised_product(score="89.99")
    session.expire_all()
    recognition = session.scalars(select(Recognition).where(Recognition.product_id == product.id)).one()
    assert (recognition.score, recognition.stars) == (Decimal("89.99"), 4)
