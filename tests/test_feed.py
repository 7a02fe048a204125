"""The partner change feed in the core: events follow the one visibility rule, in a gap-free order."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from catalog.kernel import calendar, catalogue, recognitions
from catalog.kernel.models.products import Product
from catalog.kernel.visibility import visible_products
from catalog.partners import feed
from catalog.partners.feed_models import FeedEvent
from tests import factories
from tests.factories import REVOCATION

NOW = calendar.start_of_day(dt.date(2025, 3, 1)) + dt.timedelta(hours=9)


def events(after: int = 0) -> list[tuple[int, str, str | None]]:
    return [(e.product_id, e.kind, e.reason) for e in feed.events_after(after, 1000)]


def replay() -> set[int]:
    """What a partner holds after applying every event from the start."""
    held: set[int] = set()
    for event in feed.events_after(0, 100_000):
        (held.discard if event.kind == "delisted" else held.add)(event.product_id)
    return held


def visible_now(session) -> set[int]:
    return set(session.scalars(visible_products().with_only_columns(Product.id)))


def test_each_write_appends_what_partners_must_do(session, frozen_clock):
    frozen_clock(NOW)
    feed.catch_up()
    start = feed.head_position()
    item = factories.recognised_product()
    factories.index_now()
    assert events(start) == [(item.id, "listed", None)]
    catalogue.update_product(item, packaging="hộp 3kg")
    factories.index_now()
    recognitions.revoke(item.recognitions[0], actor="test", revoked_on="2025-03-01", **REVOCATION)
    factories.index_now()
    assert events(start) == [(item.id, "listed", None), (item.id, "updated", None), (item.id, "delisted", "revoked")]
    positions = [e.position for e in feed.events_after(start, 10)]
    assert positions == list(range(start + 1, start + 4))


def test_an_expiry_is_in_the_feed_as_soon_as_the_clock_passes_it(session, frozen_clock):
    frozen_clock(NOW)
    item = factories.recognised_product(decision_date=dt.date(2022, 3, 10))      # valid until 10/3/2025
    factories.index_now()
    feed.catch_up()
    start = feed.head_position()
    assert item.id in replay()
    ends_at = item.recognitions[0].ends_at
    frozen_clock(ends_at - dt.timedelta(microseconds=1))
    assert feed.catch_up() == 0 and events(start) == []
    frozen_clock(ends_at)
    assert feed.catch_up() == 1
    [expired] = feed.events_after(start, 10)
    assert (expired.kind, expired.reason, expired.occurred_at) == ("delisted", "expired", ends_at)
    assert replay() == visible_now(session)


def test_replaying_the_feed_gives_exactly_the_visible_products(session, frozen_clock):
    frozen_clock(NOW)
    made = factories.catalog_products()
    recognitions.revoke(made["cam"].recognitions[0], actor="test", revoked_on="2025-03-01", **REVOCATION)
    factories.index_now()
    frozen_clock(NOW + dt.timedelta(days=1000))        # the 2024 decisions lapse
    feed.catch_up()
    assert replay() == visible_now(session) == feed.listed_ids()
    frozen_clock(NOW + dt.timedelta(days=400))          # clocks never go back: nothing is undone
    assert feed.catch_up() == 0


def test_a_product_never_recognised_is_never_listed(session, frozen_clock):
    frozen_clock(NOW)
    feed.catch_up()
    start = feed.head_position()
    factories.product()
    factories.index_now()
    assert events(start) == []
    assert session.scalar(select(FeedEvent).where(FeedEvent.position > start)) is None


def test_following_writes_is_registered_once_however_often_it_is_asked(session, frozen_clock):
    from sqlalchemy.orm import Session
    feed.listen()
    feed.listen()                                       # the app did it already: nothing more is registered
    for name, listener in (("after_flush", feed._after_flush), ("before_commit", feed._before_commit)):
        assert [f for f in getattr(Session().dispatch, name) if f is listener] == [listener]
    frozen_clock(NOW)
    feed.catch_up()
    start = feed.head_position()
    item = factories.recognised_product()
    factories.index_now()
    assert events(start) == [(item.id, "listed", None)]
