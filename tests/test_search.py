"""Catalog search: unaccented queries, typos, ranking, facets, and the visibility rule at query time."""
import datetime as dt

import pytest
from sqlalchemy import func, select

from catalog import search
from catalog.kernel import calendar, catalogue, recognitions
from catalog.search import outbox
from catalog.search.backend import SearchBackendError
from catalog.search.models import SearchDocumentRow, SearchOutboxEntry
from tests import factories
from tests.factories import REVOCATION

NOW = calendar.start_of_day(dt.date(2026, 6, 1)) + dt.timedelta(hours=9)


@pytest.fixture()
def catalog(session, frozen_clock):
    frozen_clock(NOW)
    return factories.catalog_products()


def names(q, **filters):
    results = search.search(search.SearchQuery(q=q, **filters))
    return [card.name for card in results.hits]


TEAS = {"Trà shan tuyết Hợp tâm Tương Mai (gói 200 gram)", "Trà shan tuyết đặc biệt Tương Mai",
        "Trà San tuyết công phu Độ Khoa (Hộp 200 gram)"}


@pytest.mark.parametrize("q", ["tra shan tuyet", "TRA SHAN TUYET", "trà shan tuyết", "Trà San Tuyết"])
def test_teas_found_with_or_without_diacritics(catalog, q):
    assert set(names(q)) == TEAS


@pytest.mark.parametrize(("q", "expected"), [
    ("cam sanh ha giang", "Cam sành Hà Giang (hộp 5kg)"),
    ("dak lak", "Cà phê rang xay Ea Tu"),                    # the place, not the name
    ("nuoc mam phu quoc", "Nước mắm Phú Quốc Thành Đạt"),
    ("anh tai", "Cam sành Hà Giang (hộp 5kg)"),              # the producer
    ("tra shan tu", "Trà shan tuyết đặc biệt Tương Mai"),      # the last word is a prefix
    ("phuogn nguyen", "Bình gốm men lam Phương Nguyên"),      # two letters swapped
    ("phuong nguyan", "Bình gốm men lam Phương Nguyên"),      # one wrong letter in a 6-letter word
    ("bình gốm phương nguyên", "Bình gốm men lam Phương Nguyên"),
])
def test_people_find_what_they_mean(catalog, q, expected):
    assert expected in names(q)


def test_words_are_anded(catalog):
    assert names("cam tuyet") == []


def test_name_producer_and_place_come_before_description(catalog):
    # The honey's description mentions the Tương Mai tea garden: name matches win...
    assert set(names("tuong mai")) == TEAS - {"Trà San tuyết công phu Độ Khoa (Hộp 200 gram)"}
    # ...and the description answers when nothing else matches.
    assert names("vuon che") == ["Mật ong hoa bạc hà"]


def test_name_ranks_above_producer(catalog):
    # "Phạm Đức Tương" is the teas' producer; "Tương Mai" is in their names.
    found = names("tuong")
    assert found.index("Mật ong hoa bạc hà") > found.index("Trà shan tuyết đặc biệt Tương Mai")


def test_facets_reflect_the_query_and_other_filters(catalog):
    everything = search.search(search.SearchQuery())
    teas = search.search(search.SearchQuery(q="tra shan"))
    assert dict((s.code, n) for s, n in everything.facets.sectors)["handicrafts"] == 1
    assert [(s.code, n) for s, n in teas.facets.sectors] == [("food", 3)]
    four_stars = search.search(search.SearchQuery(stars=4))
    assert {card.name for card in four_stars.hits} == {"Cà phê rang xay Ea Tu", "Bình gốm men lam Phương Nguyên"}
    assert dict(four_stars.facets.stars) == {5: 1, 4: 2, 3: 5}   # the stars facet ignores its own filter


def test_sorting_and_pagination(catalog):
    by_stars = search.search(search.SearchQuery(sort="stars"))
    assert [card.stars for card in by_stars.hits][:3] == [5, 4, 4]
    by_name = [card.name for card in search.search(search.SearchQuery(sort="name")).hits]
    assert by_name[0] == "Bình gốm men lam Phương Nguyên"
    assert by_name[-2:] == ["Trà shan tuyết đặc biệt Tương Mai", "Trà shan tuyết Hợp tâm Tương Mai (gói 200 gram)"]
    page_two = search.search(search.SearchQuery(sort="name", per_page=3, page=2))
    assert (page_two.total, page_two.pages, len(page_two.hits)) == (8, 3, 3)


def test_revoked_product_disappears_at_once_whatever_the_index_holds(catalog):
    recognitions.revoke(catalog["cam"].recognitions[0], actor="t", **{**REVOCATION, "revoked_on": dt.date(2026, 6, 1)})
    # No commit, no drain: the index still holds the document; the query-time rule hides it.
    assert names("cam sanh ha giang") == []
    assert search.search(search.SearchQuery()).total == 7


def test_expired_product_disappears_when_the_clock_passes(catalog, frozen_clock):
    frozen_clock(calendar.end_of_day(dt.date(2027, 12, 20)))
    assert names("tra shan tuyet") == []


@pytest.fixture(autouse=True)
def _no_paused_backends(app):
    paused = app.extensions["catalog.search"]["paused"]      # the app's, not the process's
    paused.clear()
    yield
    paused.clear()


def test_a_failing_backend_falls_back_and_still_applies_the_rule(catalog, monkeypatch):
    from catalog.search.postgres import PostgresBackend
    from catalog.search.sqlite_fts import SqliteFtsBackend

    def broken(self, text, limit):
        raise SearchBackendError("index unavailable")

    monkeypatch.setattr(SqliteFtsBackend, "match", broken)
    monkeypatch.setattr(PostgresBackend, "match", broken)
    recognitions.revoke(catalog["dac_biet"].recognitions[0], actor="t",
                        **{**REVOCATION, "revoked_on": dt.date(2026, 6, 1)})
    results = search.search(search.SearchQuery(q="tra shan tuyet"))
    assert results.degraded
    assert {card.name for card in results.hits} == TEAS - {"Trà shan tuyết đặc biệt Tương Mai"}
    calls = []

    def counted(self, text, limit):
        calls.append(text)
        return broken(self, text, limit)

    monkeypatch.setattr(SqliteFtsBackend, "match", counted)
    monkeypatch.setattr(PostgresBackend, "match", counted)
    assert search.search(search.SearchQuery(q="cam sanh")).degraded and calls == []   # paused, not retried


def test_every_change_queues_the_product_in_the_same_transaction(catalog, session):
    queued = lambda: session.scalar(select(func.count()).select_from(SearchOutboxEntry))  # noqa: E731
    assert queued() == 0                                     # the catalog fixture drained everything
    catalogue.update_producer(catalog["cam"].producer, name="HTX Anh Tài Vĩnh Tuy")
    assert queued() == 1
    session.rollback()
    assert queued() == 0                                     # rolled back together with the change


def test_writes_succeed_while_the_backend_is_down_and_the_drain_catches_up(catalog, session, monkeypatch):
    from catalog.search.postgres import PostgresBackend
    from catalog.search.sqlite_fts import SqliteFtsBackend

    def down(self, docs):
        raise SearchBackendError("connection refused")

    monkeypatch.setattr(SqliteFtsBackend, "upsert", down)
    monkeypatch.setattr(PostgresBackend, "upsert", down)
    catalogue.update_product(catalog["gom"], name="Bình gốm men rạn Phương Nguyên")
    factories.index_now()                                    # the request's commit: succeeds
    entry = session.scalars(select(SearchOutboxEntry)).one()
    assert entry.attempts == 1 and "connection refused" in entry.last_error
    monkeypatch.undo()
    assert outbox.drain(search.backends()).applied == 0     # backing off: not due yet
    entry.next_attempt_at = NOW
    report = outbox.drain(search.backends())
    assert (report.applied, report.remaining) == (1, 0)
    row = session.get(SearchDocumentRow, catalog["gom"].id)
    assert row.name == "binh gom men ran phuong nguyen"
    assert "Bình gốm men rạn Phương Nguyên" in names("men ran")


def test_cli_reindex_and_drain(catalog, app, session):
    runner = app.test_cli_runner()
    session.execute(SearchDocumentRow.__table__.delete())
    assert names("tra shan tuyet") == []
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and "8 products indexed" in result.output
    assert set(names("tra shan tuyet")) == TEAS
    result = runner.invoke(args=["search", "drain"])
    assert result.exit_code == 0 and "0 applied" in result.output


@pytest.mark.parametrize(("args", "field"), [
    ({"stars": "9"}, "stars"), ({"sector": "cars"}, "sector"), ({"sort": "price"}, "sort"),
    ({"page": "0"}, "page"), ({"province": "99"}, "province"), ({"q": "x" * 201}, "q"),
])
def test_bad_search_arguments_name_the_field(args, field):
    with pytest.raises(search.query.InvalidInput) as caught:
        search.parse(args, frozenset({"01", "08"}))
    assert field in caught.value.errors


def test_meilisearch_down_writes_succeed_and_search_falls_back(scratch_database, frozen_clock):
    """With MEILI_URL set but nothing listening, nothing is lost and search still answers correctly."""
    from flask_migrate import upgrade

    from catalog import create_app
    from catalog.kernel.db import db
    frozen_clock(NOW)
    app = create_app({"DATABASE_URL": scratch_database("sqlite"), "SECRET_KEY": "x",
                      "MEILI_URL": "http://127.0.0.1:9", "MEILI_TIMEOUT": 1})
    with app.app_context():
        upgrade()
        made = factories.catalog_products()                     # commits: the drain meets a dead Meilisearch
        assert [b.name for b in search.backends(for_queries=True)][0] == "meilisearch"
        pending = db.session.scalars(select(SearchOutboxEntry)).all()
        assert pending and all(e.attempts == 1 and e.last_error for e in pending)
        assert db.session.get(SearchDocumentRow, made["cam"].id) is not None   # the local index is current
        recognitions.revoke(made["hop_tam"].recognitions[0], actor="t",
                            **{**REVOCATION, "revoked_on": dt.date(2026, 6, 1)})
        factories.index_now()
        results = search.search(search.SearchQuery(q="tra shan tuyet"))
        assert results.degraded
        assert {card.name for card in results.hits} == TEAS - {"Trà shan tuyết Hợp tâm Tương Mai (gói 200 gram)"}
        db.session.remove()
