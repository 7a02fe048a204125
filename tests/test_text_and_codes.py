"""Folding, slugs, GTINs and the product taxonomy."""
import pytest

from catalog.kernel import taxonomy
from catalog.kernel.errors import InvalidInput
from catalog.kernel.gtin import normalise_gtin
from catalog.kernel.text import contains_words, fold, folded, slugify


@pytest.mark.parametrize(("text", "folded"), [
    ("Trà shan tuyết", "tra shan tuyet"),
    ("ĐẮK LẮK", "dak lak"),
    ("Nước mắm  Phú Quốc", "nuoc mam phu quoc"),
    ("Cam sành Hà Giang", "cam sanh ha giang"),
])
def test_fold_removes_every_vietnamese_mark_and_d_stroke(text, folded):
    assert fold(text) == folded


VIETNAMESE = "ÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴÈÉẸẺẼÊỀẾỆỂỄÌÍỊỈĨÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠÙÚỤỦŨƯỪỨỰỬỮỲÝỴỶỸĐ"


def test_the_database_folds_exactly_like_python(session):
    """The SQL form of the folding (SQLite or PostgreSQL, whichever runs the suite) agrees with fold()."""
    from sqlalchemy import literal, select
    for text in (VIETNAMESE, VIETNAMESE.lower(), "Trà shan tuyết ĐẶC BIỆT", "Nước mắm Phú Quốc", "e\u0301t 100%"):
        assert session.scalar(select(folded(literal(text)))) == fold(text), text


@pytest.mark.parametrize(("text", "found"), [
    ("mat ong BAC", True), ("mật ong hoa", True), ("ong mat", True), ("8934", True), ("", True),
    ("mat ong ca phe", False), ("100%", False), ("b_c", False),
])
def test_every_word_is_matched_in_one_of_the_columns_accents_aside(session, text, found):
    from sqlalchemy import literal, select
    name, gtin = literal("Mật ong hoa bạc hà"), literal("08934563138165")
    matched = session.scalar(select(literal(1)).where(contains_words(text, name, gtin)))
    assert (matched == 1) is found


def test_slug_is_ascii_and_readable():
    assert slugify("Trà San tuyết công phu Độ Khoa (Hộp 200 gram)") == "tra-san-tuyet-cong-phu-do-khoa-hop-200-gram"
    assert slugify("!!!") == "item"
    assert len(slugify("Rất " * 60)) <= 80


@pytest.mark.parametrize(("given", "normalised"), [
    ("8934563138165", "08934563138165"),
    ("08934563138165", "08934563138165"),
    ("96385074", "00000096385074"),
    ("036000291452", "00036000291452"),
])
def test_valid_gtins_are_kept_as_14_digits(given, normalised):
    assert normalise_gtin(given) == normalised


@pytest.mark.parametrize(("given", "problem"), [
    ("8934563138164", "check digit 4, but its digits give 5"),
    ("89345631381", "has 11 digits"),
    ("89345631381AB", "digits only"),
])
def test_malformed_gtins_are_refused_with_the_reason(given, problem):
    with pytest.raises(InvalidInput, match=problem) as caught:
        normalise_gtin(given)
    assert caught.value.field == "gtin"


def test_taxonomy_has_6_sectors_17_groups_26_sets():
    assert (len(taxonomy.SECTORS), len(taxonomy.GROUPS), len(taxonomy.PRODUCT_SETS)) == (6, 17, 26)
    assert taxonomy.SETS_BY_NUMBER[9].name == "Tương, nước mắm, gia vị dạng lỏng khác"
    assert taxonomy.SETS_BY_NUMBER[26].sector.code == "tourism"
    assert taxonomy.sets_in_sector("beverages") == (14, 15, 16, 17)


@pytest.mark.parametrize("given", [11, "11", " 11 ", "Chè tươi, chế biến", "che tuoi, che bien"])
def test_product_sets_resolve_by_number_or_name(given):
    assert taxonomy.resolve_set(given).number == 11


@pytest.mark.parametrize("given", [0, 27, "", "Bánh kẹo"])
def test_unknown_product_set_names_the_field(given):
    with pytest.raises(InvalidInput, match="unknown product set") as caught:
        taxonomy.resolve_set(given)
    assert caught.value.field == "product_set"
