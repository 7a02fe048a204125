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
