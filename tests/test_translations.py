"""The Vietnamese catalog is complete and its compiled .mo matches the .po."""
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).parent.parent / "catalog" / "translations"


def test_every_message_has_a_vietnamese_translation():
    with open(TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle)
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        template = read_po(handle)
    missing = [m.id for m in catalog if m.id and (m.fuzzy or not (
        m.string if isinstance(m.string, str) else all(m.string)))]
    assert missing == []
    assert {_key(m.id) for m in template if m.id} <= {_key(m.id) for m in catalog if m.id}


def _key(value):
    return value if isinstance(value, str) else tuple(value)


def test_compiled_catalog_is_up_to_date():
    with open(TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        source = {_key(m.id): _key(m.string) for m in read_po(handle) if m.id}
    with open(TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.mo", "rb") as handle:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id}
    assert compiled == source, "run: .venv/bin/pybabel compile -d catalog/translations -l vi"


def test_every_message_in_the_code_is_in_the_catalog():
    """Extracted from the sources now (not from a stale .pot): a new string without its
    Vietnamese translation fails here."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    root = TRANSLATIONS.parent.parent
    method_map = [("catalog/**.py", "python"), ("catalog/**/templates/**.html", "jinja2")]
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "N_": None}
    found = {_key(message) for _, _, message, _, _ in extract_from_dir(
        str(root), method_map, keywords=keywords, options_map={"catalog/**/templates/**.html": {}})
        if message}
    with open(TRANSLATIONS / "vi" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        known = {_key(m.id) for m in read_po(handle) if m.id}
    missing = sorted(map(str, found - known))
    assert missing == [], "extract, update and translate (README, Translations): " + "; ".join(missing[:20])
