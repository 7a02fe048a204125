"""The Meilisearch backend: pure mapping, settings, failure handling; live tests need MEILI_URL."""
from __future__ import annotations

import datetime as dt
import os
import re
import socket
import time
import uuid
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import meilisearch
import pytest
from meilisearch.errors import MeilisearchTimeoutError

from catalog.kernel import clock
from catalog.search.backend import RankedIds, SearchBackendError, SearchDocument
from catalog.search.meili import (
    INDEX_SETTINGS,
    MeiliBackend,
    from_config,
    to_meili_document,
    visibility_hint_filter,
)

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
UNREACHABLE = "http://127.0.0.1:9"


def make_doc(product_id: int = 7, **changes) -> SearchDocument:
    values = dict(
        product_id=product_id, slug="tra-shan-tuyet-hop-tam-tuong-mai",
        name="Trà shan tuyết Hợp tâm Tương Mai", producer="Hợp tác xã Chè Đắk Mil",
        place="Xã Ea Kao, Đắk Lắk", description="Trà xanh từ cây chè cổ thụ",
        sector="food", group="1.5", product_set=12, province_code="66", stars=4,
        decided_on=dt.date(2024, 12, 20),
        visible_from=dt.datetime(2024, 12, 20, tzinfo=HCM),
        visible_until=dt.datetime(2027, 12, 20, 23, 59, 59, 999999, tzinfo=HCM),
    )
    values.update(changes)
    return SearchDocument(**values)


# --- the document mapping -------------------------------------------------------------------------

def test_document_keeps_original_text_and_adds_folded_copies():
    document = to_meili_document(make_doc())
    assert document["id"] == 7
    assert document["slug"] == "tra-shan-tuyet-hop-tam-tuong-mai"
    assert document["name"] == "Trà shan tuyết Hợp tâm Tương Mai"
    assert document["name_folded"] == "tra shan tuyet hop tam tuong mai"
    assert document["producer_folded"] == "hop tac xa che dak mil"
    assert document["place"] == "Xã Ea Kao, Đắk Lắk"
    assert document["place_folded"] == "xa ea kao, dak lak"
    assert document["description"] == "Trà xanh từ cây chè cổ thụ"
    assert (document["sector"], document["group"], document["product_set"]) == ("food", "1.5", 12)
    assert (document["province_code"], document["stars"]) == ("66", 4)


def test_document_dates_and_instants_are_integers():
    document = to_meili_document(make_doc())
    assert document["decided_on"] == 20241220
    # 2024-12-20 00:00 in Hanoi time is 2024-12-19 17:00 UTC.
    assert document["visible_from"] == 1734627600
    # 23:59:59.999999 is rounded up, so the window never shrinks.
    assert document["visible_until"] == 1829322000
    assert all(type(document[key]) is int for key in ("decided_on", "visible_from", "visible_until"))


def test_document_rounds_the_window_outwards():
    utc = dt.UTC
    document = to_meili_document(make_doc(
        visible_from=dt.datetime(2025, 1, 1, 0, 0, 0, 500000, tzinfo=utc),
        visible_until=dt.datetime(2025, 1, 2, 0, 0, 0, tzinfo=utc)))
    assert document["visible_from"] == 1735689600
    assert document["visible_until"] == 1735776000  # whole seconds are not rounded


def test_document_without_recognition_has_nulls():
    document = to_meili_document(make_doc(stars=None, decided_on=None, visible_from=None, visible_until=None))
    for key in ("stars", "decided_on", "visible_from", "visible_until"):
        assert key in document and document[key] is None


def test_document_refuses_naive_instants():
    with pytest.raises(ValueError, match="timezone-aware"):
        to_meili_document(make_doc(visible_from=dt.datetime(2025, 1, 1)))


# --- settings and the visibility hint -------------------------------------------------------------

def test_searchable_attributes_rank_name_then_producer_then_place_then_description():
    assert INDEX_SETTINGS["searchableAttributes"] == [
        "name", "name_folded", "producer", "producer_folded", "place", "place_folded", "description"]
    document = to_meili_document(make_doc())
    assert set(INDEX_SETTINGS["searchableAttributes"]) <= set(document)


def test_filterable_and_sortable_attributes_cover_what_is_used():
    filterable = set(INDEX_SETTINGS["filterableAttributes"])
    assert filterable == {"sector", "group", "product_set", "province_code", "stars", "visible_from",
                          "visible_until"}
    used_by_hint = set(re.findall(r"([a-z_]+) [<>=]", visibility_hint_filter(dt.datetime.now(dt.UTC))))
    assert used_by_hint == {"visible_from", "visible_until"}
    assert used_by_hint <= filterable
    assert INDEX_SETTINGS["sortableAttributes"] == ["stars", "decided_on", "name_folded"]
    document = to_meili_document(make_doc())
    assert filterable | set(INDEX_SETTINGS["sortableAttributes"]) <= set(document)


def test_ranking_rules_and_typo_tolerance():
    assert INDEX_SETTINGS["rankingRules"] == ["words", "typo", "proximity", "attribute", "sort", "exactness"]
    assert INDEX_SETTINGS["typoTolerance"] == {
        "enabled": True, "minWordSizeForTypos": {"oneTypo": 4, "twoTypos": 8}}


def test_visibility_hint_filter():
    now = dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)
    assert visibility_hint_filter(now) == "visible_from <= 1700000000 AND visible_until > 1700000000"
    # Any zone, sub-second part floored.
    later = dt.datetime(2023, 11, 15, 5, 13, 20, 999999, tzinfo=HCM)
    assert visibility_hint_filter(later) == "visible_from <= 1700000000 AND visible_until > 1700000000"


# --- configuration ---------------------------------------------------------------------------------

def test_from_config():
    assert from_config({}) is None
    assert from_config({"MEILI_URL": ""}) is None
    backend = from_config({"MEILI_URL": "http://127.0.0.1:7700"})
    assert (backend.name, backend.index_name, backend.timeout) == ("meilisearch", "products", 5.0)
    backend = from_config({"MEILI_URL": "http://127.0.0.1:7700", "MEILI_API_KEY": "k",
                           "MEILI_INDEX": "ocop", "MEILI_TIMEOUT": "2.5"})
    assert (backend.index_name, backend.timeout) == ("ocop", 2.5)
    assert backend._client.config.timeout == 2.5
    assert backend._client.config.api_key == "k"
    for bad in ("soon", "0", "-1"):
        with pytest.raises(ValueError, match="MEILI_TIMEOUT"):
            from_config({"MEILI_URL": "http://127.0.0.1:7700", "MEILI_TIMEOUT": bad})


# --- an unreachable server ------------------------------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda b: b.ensure_settings(),
    lambda b: b.upsert([make_doc()]),
    lambda b: b.delete([7]),
    lambda b: b.clear(),
    lambda b: b.match("tra shan tuyet", 10),
], ids=["ensure_settings", "upsert", "delete", "clear", "match"])
def test_unreachable_server_raises_backend_error_quickly(call):
    backend = MeiliBackend(UNREACHABLE, timeout=1.0)
    started = time.monotonic()
    with pytest.raises(SearchBackendError, match="meilisearch"):
        call(backend)
    assert time.monotonic() - started < 5


@pytest.fixture()
def silent_server():
    """A socket that accepts connections (the kernel's backlog) but never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


@pytest.mark.parametrize("call", [
    lambda b: b.upsert([make_doc()]),
    lambda b: b.match("tra shan tuyet", 10),
], ids=["upsert", "match"])
def test_silent_server_times_out_into_backend_error(silent_server, call):
    backend = MeiliBackend(silent_server, timeout=1.0)
    started = time.monotonic()
    with pytest.raises(SearchBackendError, match="meilisearch"):
        call(backend)
    assert time.monotonic() - started < 5


# --- a fake client: task outcomes without a server ------------------------------------------------

class FakeIndex:
    def __init__(self, client):
        self.client = client

    def _task(self, kind):
        return self.client.enqueue(kind)

    def update_settings(self, body):
        self.client.calls.append(("update_settings", body))
        return self._task("settingsUpdate")

    def add_documents(self, documents, primary_key=None):
        self.client.calls.append(("add_documents", len(documents), primary_key))
        return self._task("documentAdditionOrUpdate")

    def delete_documents(self, ids):
        self.client.calls.append(("delete_documents", ids))
        return self._task("documentDeletion")

    def delete_all_documents(self):
        self.client.calls.append(("delete_all_documents",))
        return self._task("documentDeletion")

    def search(self, query, params):
        self.client.calls.append(("search", query, params))
        return self.client.search_result


class FakeClient:
    """Records calls; ``outcomes`` maps a task type to (status, error code) when it is not a success."""

    def __init__(self, url, api_key=None, timeout=None):
        self.url, self.api_key, self.timeout = url, api_key, timeout
        self.calls: list[tuple] = []
        self.tasks: dict[int, str] = {}
        self.outcomes: dict[str, tuple[str, str | None]] = {}
        self.wait_error: Exception | None = None
        self.search_result: dict = {"hits": []}

    def index(self, uid):
        return FakeIndex(self)

    def enqueue(self, kind):
        uid = len(self.tasks) + 1
        self.tasks[uid] = kind
        return SimpleNamespace(task_uid=uid, status="enqueued", type=kind)

    def create_index(self, uid, options):
        self.calls.append(("create_index", uid, options))
        return self.enqueue("indexCreation")

    def wait_for_task(self, uid, timeout_in_ms, interval_in_ms):
        self.calls.append(("wait_for_task", uid, timeout_in_ms))
        if self.wait_error is not None:
            raise self.wait_error
        status, code = self.outcomes.get(self.tasks[uid], ("succeeded", None))
        error = None if code is None else {"code": code, "message": f"{code} happened"}
        return SimpleNamespace(uid=uid, status=status, error=error)


@pytest.fixture()
def fake(monkeypatch):
    monkeypatch.setattr(meilisearch, "Client", FakeClient)
    backend = MeiliBackend("http://meili.test", "key", index_name="ocop", timeout=2.0, task_timeout=3.0)
    return backend, backend._client


def calls_named(client, name):
    return [call for call in client.calls if call[0] == name]


def test_client_gets_the_timeout(fake):
    backend, client = fake
    assert (client.url, client.api_key, client.timeout) == ("http://meili.test", "key", 2.0)


def test_failed_task_raises_backend_error(fake):
    backend, client = fake
    client.outcomes["documentAdditionOrUpdate"] = ("failed", "invalid_document_id")
    with pytest.raises(SearchBackendError, match="invalid_document_id"):
        backend.upsert([make_doc()])


@pytest.mark.parametrize("kind,call", [
    ("settingsUpdate", lambda b: b.ensure_settings()),
    ("documentDeletion", lambda b: b.delete([1])),
    ("documentDeletion", lambda b: b.clear()),
])
def test_failed_or_canceled_tasks_of_every_write_raise(fake, kind, call):
    backend, client = fake
    for status in ("failed", "canceled"):
        client.outcomes[kind] = (status, "internal" if status == "failed" else None)
        with pytest.raises(SearchBackendError, match=status):
            call(backend)


def test_wait_timeout_raises_backend_error(fake):
    backend, client = fake
    client.wait_error = MeilisearchTimeoutError("timeout of 3000ms has exceeded")
    with pytest.raises(SearchBackendError, match="timeout"):
        backend.clear()


def test_ensure_settings_tolerates_an_existing_index_and_runs_once(fake):
    backend, client = fake
    client.outcomes["indexCreation"] = ("failed", "index_already_exists")
    backend.upsert([make_doc(1)])
    backend.upsert([make_doc(2)])
    backend.delete([1])
    backend.clear()
    assert calls_named(client, "create_index") == [("create_index", "ocop", {"primaryKey": "id"})]
    assert calls_named(client, "update_settings") == [("update_settings", INDEX_SETTINGS)]
    assert all(call[2] == 3000 for call in calls_named(client, "wait_for_task"))


def test_settings_are_retried_after_a_failure(fake):
    backend, client = fake
    client.outcomes["settingsUpdate"] = ("failed", "invalid_settings")
    with pytest.raises(SearchBackendError):
        backend.upsert([make_doc()])
    assert calls_named(client, "add_documents") == []
    del client.outcomes["settingsUpdate"]
    backend.upsert([make_doc()])
    assert len(calls_named(client, "update_settings")) == 2
    assert len(calls_named(client, "add_documents")) == 1


def test_upsert_in_batches_waiting_for_each(fake):
    backend, client = fake
    backend.upsert([make_doc(i) for i in range(1, 2501)])
    assert calls_named(client, "add_documents") == [
        ("add_documents", 1000, "id"), ("add_documents", 1000, "id"), ("add_documents", 500, "id")]
    waited = [call[1] for call in calls_named(client, "wait_for_task")]
    assert waited == sorted(client.tasks)  # every task, in order: create, settings, three batches


def test_empty_writes_touch_nothing(fake):
    backend, client = fake
    backend.upsert([])
    backend.delete([])
    assert client.calls == []


def test_delete_sends_the_ids(fake):
    backend, client = fake
    backend.delete([3, 5])
    assert calls_named(client, "delete_documents") == [("delete_documents", [3, 5])]


def test_match_asks_for_ids_visible_now_with_every_word(fake, app_context):
    backend, client = fake
    client.search_result = {"hits": [{"id": 9}, {"id": 4}]}
    now = dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)
    with clock.frozen_at(now):
        assert backend.match("tra shan", 20) == RankedIds([9, 4])
    (_, query, params), = calls_named(client, "search")
    assert query == "tra shan"
    assert params == {"limit": 20, "filter": visibility_hint_filter(now), "attributesToRetrieve": ["id"],
                      "matchingStrategy": "all"}
    assert calls_named(client, "create_index") == []  # queries never write


def test_match_turns_an_odd_answer_into_backend_error(fake):
    backend, client = fake
    client.search_result = {"results": []}
    with pytest.raises(SearchBackendError):
        backend.match("tra", 5)


# --- live tests against a real server (MEILI_URL) -------------------------------------------------

@pytest.fixture()
def live():
    url = os.environ.get("MEILI_URL")
    if not url:
        pytest.skip("Meilisearch live tests skipped: MEILI_URL is not set")
    api_key = os.environ.get("MEILI_API_KEY") or None
    index_name = f"test_products_{uuid.uuid4().hex[:12]}"
    backend = MeiliBackend(url, api_key, index_name=index_name, timeout=5.0)
    yield backend
    client = meilisearch.Client(url, api_key, timeout=5)
    client.wait_for_task(client.delete_index(index_name).task_uid, timeout_in_ms=10000)


def live_docs(now: dt.datetime) -> list[SearchDocument]:
    window = dict(visible_from=now - dt.timedelta(days=30), visible_until=now + dt.timedelta(days=300))
    return [
        make_doc(1, **window),
        make_doc(2, slug="ca-phe-buon-ma-thuot", name="Cà phê rang xay Buôn Ma Thuột",
                 producer="Công ty Cà phê Đắk Lắk", description="Cà phê robusta", **window),
        make_doc(3, slug="mat-ong-tra", name="Mật ong hoa trà", producer="Hộ kinh doanh Tương Mai",
                 place="Xã Hà Giang, Tuyên Quang", description="Mật ong rừng", **window),
        make_doc(4, slug="tra-shan-tuyet-het-han", name="Trà shan tuyết cũ",
                 visible_from=now - dt.timedelta(days=2000), visible_until=now - dt.timedelta(days=900)),
    ]


def test_live_index_search_typo_delete_clear(live):
    now = dt.datetime.now(dt.UTC)
    live.upsert(live_docs(now))
    ids = live.match("tra shan tuyet", 10).ids
    assert ids[0] == 1
    assert 4 not in ids  # lapsed: the hint filter drops it
    assert live.match("trà shan tuyết", 10).ids[0] == 1
    assert live.match("tra shan tuyat", 10).ids[0] == 1  # one typo in a five-letter syllable
    assert {1, 2} <= set(live.match("dak lak", 10).ids)
    assert {1, 2} <= set(live.match("Đắk Lắk", 10).ids)

    live.delete([1])
    assert 1 not in live.match("tra shan tuyet", 10).ids
    live.clear()
    assert live.match("tra", 10).ids == []
