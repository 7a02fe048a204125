"""The status history is append-only; the one visibility rule agrees in SQL and Python."""
import datetime as dt
import itertools

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from catalog.kernel import calendar, recognitions, visibility
from catalog.kernel.models.history import AppendOnlyError, RecognitionEvent
from catalog.kernel.models.products import Product
from tests import factories
from tests.factories import DECISION, REVOCATION


def test_history_rows_cannot_be_changed_through_the_orm(session):
    product = factories.recognised_product()
    event = recognitions.history(product)[0]
    event.note = "rewritten"
    with pytest.raises(AppendOnlyError, match="append-only"):
        session.flush()
    session.rollback()


def test_history_rows_cannot_be_deleted_through_the_orm(session):
    product = factories.recognised_product()
    session.delete(recognitions.history(product)[0])
    with pytest.raises(AppendOnlyError, match="never deleted"):
        session.flush()
    session.rollback()


@pytest.mark.parametrize("statement", [
    "UPDATE recognition_events SET note = 'rewritten'",
    "DELETE FROM recognition_events",
])
def test_the_database_itself_refuses_to_rewrite_history(session, statement):
    factories.recognised_product()
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        with session.begin_nested():
            session.execute(sa.text(statement))


def test_history_records_actor_decision_and_instants(session, frozen_clock):
    now = frozen_clock(dt.datetime(2026, 3, 10, 8, tzinfo=dt.UTC))
    product = factories.recognised_product()
    recognitions.revoke(product.recognitions[0], actor="officer@tuyenquang.gov.vn",
                        **{**REVOCATION, "revoked_on": dt.date(2026, 3, 9)})
    first, revoked = recognitions.history(product)
    assert (first.kind, first.decision_ref, first.recorded_at) == ("recognised", "2751/QĐ-UBND", now)
    assert first.effective_at == calendar.start_of_day(DECISION["decision_date"])
    assert (revoked.kind, revoked.actor, revoked.decision_ref) == (
        "revoked", "officer@tuyenquang.gov.vn", "118/QĐ-UBND")
    assert revoked.effective_at == calendar.start_of_day(dt.date(2026, 3, 9))


def _varied_products(frozen_clock):
    """Products in every state: in force, expired, superseded, upgraded, revoked, future, none."""
    frozen_clock(calendar.start_of_day(dt.date(2026, 6, 1)))
    plain = factories.recognised_product(decision_date=dt.date(2023, 7, 1))
    renewed = factories.recognised_product(decision_date=dt.date(2023, 6, 1))
    recognitions.re_recognise(renewed, actor="t", **{**DECISION, "decision_date": dt.date(2026, 1, 15)})
    upgraded = factories.recognised_product(decision_date=dt.date(2024, 1, 10))
    recognitions.upgrade(upgraded, actor="t", **{**DECISION, "score": "80", "decision_date": dt.date(2025, 2, 1)})
    revoked = factories.recognised_product(decision_date=dt.date(2024, 5, 5))
    recognitions.revoke(revoked.recognitions[0], actor="t", **{**REVOCATION, "revoked_on": dt.date(2025, 9, 9)})
    future = factories.recognised_product(decision_date=dt.date(2026, 7, 1))
    lapsed = factories.recognised_product(decision_date=dt.date(2022, 1, 3))
    return [plain, renewed, upgraded, revoked, future, lapsed, factories.product()]


def test_sql_and_python_visibility_agree_at_every_instant(session, frozen_clock):
    products = _varied_products(frozen_clock)
    ids = {p.id for p in products}
    days = [dt.date(2022, 1, 2), dt.date(2023, 6, 30), dt.date(2024, 1, 10), dt.date(2025, 1, 31),
            dt.date(2025, 9, 8), dt.date(2025, 9, 9), dt.date(2026, 1, 15), dt.date(2026, 6, 30),
            dt.date(2026, 7, 1), dt.date(2029, 1, 1)]
    offsets = [dt.timedelta(0), dt.timedelta(microseconds=-1), dt.timedelta(hours=13)]
    seen_counts = set()
    for day, offset in itertools.product(days, offsets):
        at = calendar.start_of_day(day) + offset
        in_sql = set(session.scalars(visibility.visible_products(at).with_only_columns(Product.id))) & ids
        in_python = {p.id for p in products if visibility.is_visible(p, at)}
        listed = {p.id for p, r in session.execute(visibility.visible_listings(at))} & ids
        assert in_sql == in_python == listed, at
        seen_counts.add(len(in_sql))
    assert len(seen_counts) >= 4  # the grid really crosses state changes


def test_at_most_one_recognition_in_force_per_product(session, frozen_clock):
    products = _varied_products(frozen_clock)
    for day in (dt.date(2024, 6, 1), dt.date(2025, 3, 1), dt.date(2026, 3, 1)):
        at = calendar.start_of_day(day)
        for product in products:
            assert sum(r.in_force_at(at) for r in product.recognitions) <= 1


def test_history_events_are_ordered_per_product(session):
    product = factories.recognised_product(decision_date=dt.date(2023, 6, 1))
    recognitions.re_recognise(product, actor="t", **{**DECISION, "decision_date": dt.date(2026, 1, 15)})
    kinds = session.scalars(select(RecognitionEvent.kind).where(RecognitionEvent.product_id == product.id)
                            .order_by(RecognitionEvent.id)).all()
    assert kinds == ["recognised", "re_recognised", "superseded"]


def test_sql_and_python_expiry_agree_at_every_instant(session, frozen_clock):
    """``Recognition.expired_at`` (the lists of lapsed recognitions) has one meaning in SQL and in Python."""
    from catalog.kernel.models.recognitions import Recognition
    products = _varied_products(frozen_clock)
    ids = {r.id for p in products for r in p.recognitions}
    seen = set()
    for day in (dt.date(2024, 1, 10), dt.date(2025, 1, 4), dt.date(2025, 9, 9), dt.date(2026, 1, 15),
                dt.date(2026, 6, 2), dt.date(2029, 1, 1)):
        for at in (calendar.start_of_day(day), calendar.start_of_day(day) - dt.timedelta(microseconds=1)):
            in_sql = set(session.scalars(select(Recognition.id).where(Recognition.expired_at(at)))) & ids
            in_python = {r.id for p in products for r in p.recognitions if r.expired_at(at)}
            assert in_sql == in_python, at
            seen.add(len(in_sql))
    assert len(seen) >= 3
