"""Folding Vietnamese text for search keys, URL slugs and accent-insensitive matching in SQL.

Unicode decomposition strips the tone and vowel marks, but ``đ``/``Đ`` is a
letter of its own, not ``d`` plus a mark, so it is mapped by hand. The same
function folds what is indexed and what is searched; :func:`folded` is its SQL
form and :func:`contains_words` the one accent-insensitive matching of records.
"""
from __future__ import annotations

import re
import sqlite3
import unicodedata
from typing import Any

from sqlalchemy import ColumnElement, String, and_, event, or_, true
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def is_digits(text: str) -> bool:
    """ASCII digits only. ``str.isdigit`` also accepts "²" (which ``int`` refuses) and "١٢" (which it reads)."""
    return text.isascii() and text.isdigit()


def fold(text: str) -> str:
    """Lowercase, without diacritics, ``đ`` -> ``d``, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def slugify(text: str, max_length: int = 80) -> str:
    """An ASCII URL slug: ``Trà shan tuyết (gói 200 gram)`` -> ``tra-shan-tuyet-goi-200-gram``."""
    slug = _NON_SLUG.sub("-", fold(text)).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug or "item"


#: The control characters (Unicode's category Cc, U+0000-U+001F and U+007F-U+009F) that are not whitespace.
_CONTROL_CHARS = [ch for ch in map(chr, range(0xA0)) if unicodedata.category(ch) == "Cc" and not ch.isspace()]
#: Invisible formatting characters, dropped like control characters. Direction embeddings, overrides and
#: isolates (U+202A-202E, U+2066-2069, the deprecated U+206A-206F) and marks (U+200E, U+200F, U+061C) can
#: make a name display differently from what it says (an override shows "exe.png" reversed); zero-width
#: spaces and joiners (U+200B-200D, U+2060-2064, U+FEFF, U+180E) and the soft hyphen (U+00AD) make two names
#: that look the same differ, and hide words from search. Vietnamese needs none of them (ZWJ and ZWNJ shape
#: some other scripts; not this catalog's).
INVISIBLE_FORMATTING = "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
_CONTROLS = re.compile("[" + "".join(re.escape(ch) for ch in _CONTROL_CHARS) + INVISIBLE_FORMATTING + "]")

#: Combining marks kept on one base character. Vietnamese needs two at most (``ệ`` is ``e`` with a dot below
#: and a circumflex, when not precomposed); more than three is "Zalgo" text, which draws over the lines around.
MAX_MARKS = 3
#: Where a run of more than MAX_MARKS marks may be (they are all at U+0300 and above): a fast first look.
_MAYBE_MARK_RUN = re.compile("[^\x00-\u02ff]{" + str(MAX_MARKS + 1) + ",}")


def _without_controls(text: str) -> str:
    """Control characters other than whitespace (NUL, escape, ...) and invisible formatting characters
    (direction overrides, zero-width characters) dropped, and combining marks beyond :data:`MAX_MARKS` on one
    base character. Invisible, and PostgreSQL refuses NUL in text. (Regular expressions first: every name and
    description of an import passes here.)"""
    return _capped_marks(_CONTROLS.sub("", text))


def _capped_marks(text: str) -> str:
    if not _MAYBE_MARK_RUN.search(text):
        return text
    kept, run = [], 0
    for ch in text:
        run = run + 1 if unicodedata.category(ch) in ("Mn", "Me") else 0
        if run <= MAX_MARKS:
            kept.append(ch)
    return "".join(kept)


def clean_line(text: str | None) -> str | None:
    """One line of user text, NFC-normalised, whitespace collapsed, control and invisible formatting characters
    dropped, combining marks capped; ``None`` when blank."""
    if text is None:
        return None
    cleaned = " ".join(_without_controls(unicodedata.normalize("NFC", str(text))).split())
    return cleaned or None


def clean_block(text: str | None) -> str | None:
    """Multi-line user text, NFC-normalised, trailing blanks trimmed, control and invisible formatting
    characters dropped, combining marks capped; ``None`` when blank."""
    if text is None:
        return None
    text = _without_controls(unicodedata.normalize("NFC", str(text)).replace("\r\n", "\n"))
    lines = [line.rstrip() for line in text.split("\n")]
    cleaned = "\n".join(lines).strip()
    return cleaned or None


# -- the same folding in SQL: accent-insensitive matching of stored text -----------------------

#: Every precomposed Latin letter whose fold is one ASCII letter (Vietnamese's 134 among them), then the
#: combining marks, which PostgreSQL's ``translate`` deletes (they have no counterpart in the second string).
_LETTERS = [chr(cp) for cp in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00))]
_FOLDABLE = {ch: fold(ch) for ch in _LETTERS if len(fold(ch)) == 1 and fold(ch).isascii() and fold(ch).isalpha()}
_TRANSLATE_FROM = "".join(_FOLDABLE) + "".join(chr(cp) for cp in range(0x300, 0x370))
_TRANSLATE_TO = "".join(_FOLDABLE.values())


class folded(FunctionElement[str]):  # noqa: N801  (used like a SQL function: ``folded(Product.name)``)
    """SQL twin of :func:`fold` (lowercase, no diacritics, ``đ`` -> ``d``) over a text column.

    SQLite calls :func:`fold` itself (registered on each connection as ``ocop_fold``); PostgreSQL
    translates the precomposed letters and drops combining marks, then lowercases (no ``unaccent``
    extension needed). Both agree with :func:`fold` on Vietnamese text; whitespace is left as stored.
    """

    type = String()
    inherit_cache = True


@compiles(folded)
def _folded_sqlite(element: folded, compiler: SQLCompiler, **kw: Any) -> str:
    return f"ocop_fold({compiler.process(element.clauses, **kw)})"


@compiles(folded, "postgresql")
def _folded_postgresql(element: folded, compiler: SQLCompiler, **kw: Any) -> str:
    return f"lower(translate({compiler.process(element.clauses, **kw)}, '{_TRANSLATE_FROM}', '{_TRANSLATE_TO}'))"


@event.listens_for(Engine, "connect")
def _register_fold(dbapi_connection: Any, connection_record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("ocop_fold", 1, _fold_value, deterministic=True)


def _fold_value(value: Any) -> str | None:
    return None if value is None else fold(str(value))


def contains_words(text: str | None, *columns: ColumnElement[Any] | QueryableAttribute[Any]) -> ColumnElement[bool]:
    """THE accent-insensitive matching of records by name: every word of ``text`` is in one of ``columns``,
    diacritics and case aside ("dac san" finds "Đặc sản"; "mat ong bac" finds "Mật ong hoa bạc hà").
    No words: every row matches."""
    words = fold(text or "").split()
    return and_(true(), *(or_(*(folded(column).contains(word, autoescape=True) for column in columns))
                          for word in words))
