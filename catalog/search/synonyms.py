"""Spellings that name the same thing, expanded at query time (folded forms).

"Trà San tuyết" and "Trà shan tuyết" are the same tea, written both ways on
labels and in decisions; whoever types one means both.
"""
from __future__ import annotations

SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("shan", "san"),
)
_ALTERNATIVES = {word: group for group in SYNONYM_GROUPS for word in group}


def alternatives(word: str) -> tuple[str, ...]:
    """The word and the spellings that mean the same, the word first."""
    group = _ALTERNATIVES.get(word)
    return (word, *(w for w in group if w != word)) if group else (word,)


def as_dict() -> dict[str, list[str]]:
    """Meilisearch's ``synonyms`` setting for the same groups."""
    return {word: [w for w in group if w != word] for group in SYNONYM_GROUPS for word in group}
