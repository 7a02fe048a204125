"""Typo tolerance: correct query words that are not in the index's vocabulary.

A symmetric-delete index (the SymSpell idea): every vocabulary word is filed
under itself and each of its one-letter deletions, so the words at edit
distance 1 (one letter wrong, missing, extra or two swapped) of a query word
are found by a few dictionary look-ups instead of a scan of the vocabulary.
"""
from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable

from catalog.kernel.text import fold

MIN_LENGTH = 4      # shorter words (most Vietnamese syllables) have too many neighbours
CACHE_SECONDS = 300

_TOKEN = re.compile(r"[a-z0-9]+")


def tokens(text: str) -> list[str]:
    """Folded words of a query: "Trà Shan-tuyết" -> ["tra", "shan", "tuyet"]."""
    return _TOKEN.findall(fold(text))


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _distance_at_most_one(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


class Vocabulary:
    def __init__(self, words: Iterable[tuple[str, int]]):
        self.frequency: dict[str, int] = {}
        self._index: dict[str, list[str]] = {}
        for word, count in words:
            self.frequency[word] = self.frequency.get(word, 0) + count
        for word in self.frequency:
            if len(word) >= MIN_LENGTH - 1:
                for key in {word, *_deletes(word)}:
                    self._index.setdefault(key, []).append(word)

    def correct(self, word: str) -> str | None:
        """The most frequent vocabulary word at distance 1, or None (also for known words)."""
        if word in self.frequency or len(word) < MIN_LENGTH:
            return None
        candidates = {c for key in {word, *_deletes(word)} for c in self._index.get(key, ())}
        found = [c for c in candidates if _distance_at_most_one(word, c)]
        return max(found, key=lambda c: (self.frequency[c], c)) if found else None

    def correct_all(self, words: list[str]) -> list[str] | None:
        """The words with each unknown one corrected, or None when nothing changed."""
        corrected = [self.correct(w) or w for w in words]
        return corrected if corrected != words else None


    def suggest(self, words: list[str]) -> str | None:
        """``words`` with each unknown one corrected or left out (the last may be the start of a known word),
        as one line; None when nothing changes or nothing is left."""
        kept: list[str] = []
        for position, word in enumerate(words):
            if word in self.frequency:
                kept.append(word)
            elif (corrected := self.correct(word)) is not None:
                kept.append(corrected)
            elif position == len(words) - 1 and any(known.startswith(word) for known in self.frequency):
                kept.append(word)
        return " ".join(kept) if kept and kept != words else None


class VocabularyCache:
    """One vocabulary per backend and process, rebuilt after writes or when old."""

    def __init__(self, load: Callable[[], Iterable[tuple[str, int]]]):
        self._load = load
        self._lock = threading.Lock()
        self._value: Vocabulary | None = None
        self._loaded_at = 0.0

    def get(self) -> Vocabulary:
        with self._lock:
            if self._value is None or time.monotonic() - self._loaded_at > CACHE_SECONDS:
                self._value = Vocabulary(self._load())
                self._loaded_at = time.monotonic()
            return self._value

    def invalidate(self) -> None:
        with self._lock:
            self._value = None
