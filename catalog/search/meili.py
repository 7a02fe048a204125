"""The Meilisearch backend: an external index that answers with product ids, best first.

Every failure (server unreachable, refused request, timeout, failed task,
unexpected answer) leaves as :class:`SearchBackendError`: the outbox drain
retries on it and query-time callers fall back to the database's own search,
so nothing else may escape and nothing may wait without a bound. Writes are
asynchronous tasks in Meilisearch; each one is awaited (with a bound) and a
task that ends ``failed`` is an error here, although the client returns it
without raising.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import warnings
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import meilisearch

from catalog.kernel import clock
from catalog.kernel.text import fold
from catalog.search import synonyms
from catalog.search.backend import RankedIds, SearchBackendError, SearchDocument

BATCH_SIZE = 1000
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_SECOND = dt.timedelta(seconds=1)

INDEX_SETTINGS: dict[str, Any] = {
    # The order is the attribute ranking: name above producer above place above description.
    "searchableAttributes": [
        "name", "name_folded", "producer", "producer_folded", "place", "place_folded", "description",
    ],
    "filterableAttributes": [
        "sector", "group", "product_set", "province_code", "stars", "visible_from", "visible_until",
    ],
    "sortableAttributes": ["stars", "decided_on", "name_folded"],
    "rankingRules": ["words", "typo", "proximity", "attribute", "sort", "exactness"],
    # Vietnamese syllables are short: allow one typo from 4 letters (Meilisearch's default is 5, two from 9).
    "typoTolerance": {"enabled": True, "minWordSizeForTypos": {"oneTypo": 4, "twoTypos": 8}},
    # The same spelling variants as the database backends ("shan tuyết" / "San tuyết").
    "synonyms": synonyms.as_dict(),
}


def _unix_seconds(instant: dt.datetime | None, *, round_up: bool) -> int | None:
    """Whole UNIX seconds, exact (no float). Rounding widens the window, so the hint never hides."""
    if instant is None:
        return None
    if instant.tzinfo is None:
        raise ValueError(f"naive datetime {instant!r}: visibility instants must be timezone-aware")
    if round_up:
        return -((_EPOCH - instant) // _SECOND)
    return (instant - _EPOCH) // _SECOND


def to_meili_document(doc: SearchDocument) -> dict[str, Any]:
    """The JSON document indexed for ``doc``: original text, folded copies, numeric hints."""
    return {
        "id": doc.product_id,
        "slug": doc.slug,
        "name": doc.name,
        "name_folded": fold(doc.name),
        "producer": doc.producer,
        "producer_folded": fold(doc.producer),
        "place": doc.place,
        "place_folded": fold(doc.place),
        "description": doc.description,
        "sector": doc.sector,
        "group": doc.group,
        "product_set": doc.product_set,
        "province_code": doc.province_code,
        "stars": doc.stars,
        "decided_on": None if doc.decided_on is None else int(doc.decided_on.strftime("%Y%m%d")),
        "visible_from": _unix_seconds(doc.visible_from, round_up=False),
        "visible_until": _unix_seconds(doc.visible_until, round_up=True),
    }


def visibility_hint_filter(now: dt.datetime) -> str:
    """Drop documents whose visibility window does not contain ``now``.

    Null bounds never satisfy a comparison, so documents indexed without a
    window (nothing in force now or later) are dropped too. Only a hint: the
    SQL layer re-checks visibility exactly.
    """
    seconds = _unix_seconds(now, round_up=False)
    return f"visible_from <= {seconds} AND visible_until > {seconds}"


@contextlib.contextmanager
def _as_backend_error(action: str) -> Iterator[None]:
    """Turn any failure into SearchBackendError. Deliberately broad: besides the client's
    own errors, requests and pydantic errors (odd answers) can leak out of the client."""
    try:
        yield
    except SearchBackendError:
        raise
    except Exception as exc:
        raise SearchBackendError(f"meilisearch {action} failed: {exc}") from exc


class MeiliBackend:
    """A :class:`~catalog.search.backend.SearchBackend` on a Meilisearch index."""

    name = "meilisearch"
    in_database = False

    def __init__(self, url: str, api_key: str | None = None, index_name: str = "products",
                 timeout: float = 5.0, *, task_timeout: float = 30.0) -> None:
        # ``timeout`` bounds every HTTP request; ``task_timeout`` bounds the wait for one write task.
        self.index_name = index_name
        self.timeout = timeout
        self.task_timeout = task_timeout
        self._client = meilisearch.Client(url, api_key, timeout=timeout)  # type: ignore[arg-type]  # requests takes a float
        self._index = self._client.index(index_name)
        self._settings_applied = False

    def _wait(self, task_info: Any, action: str, *, tolerated: tuple[str, ...] = ()) -> None:
        """Wait for a task; anything but ``succeeded`` (or a tolerated error code) is an error."""
        task = self._client.wait_for_task(
            task_info.task_uid, timeout_in_ms=int(self.task_timeout * 1000), interval_in_ms=100)
        if task.status == "succeeded":
            return
        error = task.error or {}
        if task.status == "failed" and error.get("code") in tolerated:
            return
        detail = error.get("message") or "no error message"
        raise SearchBackendError(
            f"meilisearch {action}: task {task.uid} ended {task.status} ({error.get('code')}: {detail})")

    def ensure_settings(self) -> None:
        """Create the index (primary key ``id``) if missing and apply :data:`INDEX_SETTINGS`."""
        with _as_backend_error("ensure_settings"):
            created = self._client.create_index(self.index_name, {"primaryKey": "id"})
            self._wait(created, "create index", tolerated=("index_already_exists",))
            self._wait(self._index.update_settings(INDEX_SETTINGS), "update settings")
        self._settings_applied = True

    def _ensure_once(self) -> None:
        if not self._settings_applied:
            self.ensure_settings()

    def upsert(self, documents: Sequence[SearchDocument]) -> None:
        if not documents:
            return
        with _as_backend_error("upsert"):
            self._ensure_once()
            for start in range(0, len(documents), BATCH_SIZE):
                batch = [to_meili_document(doc) for doc in documents[start:start + BATCH_SIZE]]
                self._wait(self._index.add_documents(batch, primary_key="id"), "add documents")

    def delete(self, product_ids: Sequence[int]) -> None:
        # Never call delete_documents with no ids: the client then sends a delete-by-filter
        # request with a null filter instead of deleting nothing.
        ids = [int(product_id) for product_id in product_ids]
        if not ids:
            return
        with _as_backend_error("delete"):
            self._ensure_once()
            with warnings.catch_warnings():
                # The client deprecates delete-by-ids in favour of filters; ``id`` is not filterable here.
                warnings.simplefilter("ignore", DeprecationWarning)
                task_info = self._index.delete_documents(ids)
            self._wait(task_info, "delete documents")

    def clear(self) -> None:
        with _as_backend_error("clear"):
            self._ensure_once()
            self._wait(self._index.delete_all_documents(), "delete all documents")

    def match(self, text: str, limit: int) -> RankedIds:
        with _as_backend_error("search"):
            result = self._index.search(text, {
                "limit": limit,
                "filter": visibility_hint_filter(clock.now()),
                "attributesToRetrieve": ["id"],
                # The default ("last") drops trailing words when too few documents match; the interface ANDs words.
                "matchingStrategy": "all",
            })
            return RankedIds([int(hit["id"]) for hit in result["hits"]])


def from_config(config: Mapping[str, Any]) -> MeiliBackend | None:
    """The backend configured by ``MEILI_URL`` (and friends), or ``None`` when it is not set."""
    url = config.get("MEILI_URL")
    if not url:
        return None
    raw_timeout = config.get("MEILI_TIMEOUT") or 5
    try:
        timeout = float(raw_timeout)
    except (TypeError, ValueError):
        raise ValueError(f"MEILI_TIMEOUT={raw_timeout!r} is not a number of seconds") from None
    if not timeout > 0:
        raise ValueError(f"MEILI_TIMEOUT={raw_timeout!r} must be a positive number of seconds")
    return MeiliBackend(url, config.get("MEILI_API_KEY") or None,
                        index_name=config.get("MEILI_INDEX") or "products", timeout=timeout)
