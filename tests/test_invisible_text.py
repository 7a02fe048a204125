"""Text that displays differently from what it says is cleaned where all user text is cleaned (kernel.text):
direction overrides and zero-width characters dropped, combining marks capped; Vietnamese stays intact."""
from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from sqlalchemy import select

from catalog.kernel import calendar
from catalog.kernel.models.producers import Producer
from catalog.kernel.models.products import Product
from catalog.kernel.text import MAX_MARKS, clean_block, clean_line
from catalog.trace.models.stamps import Stamp
from tests import factories

NOW = calendar.start_of_day(dt.date(2026, 6, 1)) + dt.timedelta(hours=9)
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e",
        "\u200f", "\u061c"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
#: 40 marks above (U+0363-U+036F: one combining class, none composes with a letter, so NFC keeps their order)
ZALGO = "".join(chr(0x363 + i % 13) for i in range(40))
#: Every Vietnamese vowel with every tone, upper and lower case, and đ: the 134 letters and more.
VIETNAMESE = " ".join(
    unicodedata.normalize("NFC", base + tone)
    for base in ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "A", "Ă", "Â", "E", "Ê", "I", "O", "Ô",
                 "Ơ", "U", "Ư", "Y")
    for tone in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")) + " đ Đ Nguyễn Thị Ngọc Bích người Việt"


@pytest.mark.parametrize("char", BIDI + ZERO_WIDTH, ids=lambda c: f"U+{ord(c):04X}")
def test_direction_and_zero_width_characters_are_dropped(char):
    assert clean_line(f"HTX{char} Anh{char} Tài{char}") == "HTX Anh Tài"
    assert clean_block(f"Dòng{char} 1\nDòng 2{char}") == "Dòng 1\nDòng 2"


def test_stacked_combining_marks_are_capped_per_letter():
    assert clean_line("Cam" + ZALGO + " sành") == "Cam" + ZALGO[:MAX_MARKS] + " sành"
    assert clean_block(("Z" + ZALGO) * 3) == ("Z" + ZALGO[:MAX_MARKS]) * 3
    assert MAX_MARKS >= 2


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_vietnamese_letters_stay_intact_in_either_normal_form(form):
    text = unicodedata.normalize(form, VIETNAMESE)
    assert clean_line(text) == unicodedata.normalize("NFC", VIETNAMESE)
    assert clean_block(text) == unicodedata.normalize("NFC", VIETNAMESE)
    # two marks on a letter that is left decomposed (not a letter Unicode precomposes): kept too
    assert clean_line("q\u0323\u0302") == "q\u0323\u0302"


def test_an_admin_form_stores_the_name_as_it_displays(client, session):
    factories.sign_in(client, "admin")
    response = factories.post_form(client, "/admin/producers/new", {
        "name": "HTX\u202e Anh\u200b Tài" + ZALGO, "kind": "cooperative", "province_code": "08",
        "address": "thôn\u2066 Vĩnh\ufeff Chính"}, form="/admin/producers/new")
    assert response.status_code == 303
    producer = session.scalars(select(Producer).order_by(Producer.id.desc())).first()
    assert producer.name == "HTX Anh Tài" + ZALGO[:MAX_MARKS] and producer.address == "thôn Vĩnh Chính"


def test_the_report_form_stores_the_message_as_it_displays(client, session, frozen_clock):
    from catalog.violations.models import ConsumerReport
    frozen_clock(NOW)
    factories.stamped_product()
    code = session.scalars(select(Stamp.code)).first()
    token = factories.csrf_token(client, f"/s/{code}/report")
    sent = client.post(f"/s/{code}/report", data={"csrf_token": token, "name": "Lan\u200d\u202e",
                                                   "message": "Tem\u200b bị bóc\u2067 ra" + ZALGO})
    assert sent.status_code == 303
    report = session.scalars(select(ConsumerReport)).one()
    assert (report.name, report.message) == ("Lan", "Tem bị bóc ra" + ZALGO[:MAX_MARKS])


def test_an_import_stores_names_as_they_display(session, frozen_clock):
    from catalog.imports import operations as imports
    from tests.test_imports import HEADER, ROWS, csv_bytes
    frozen_clock(NOW)
    factories.commune("99001", "Vĩnh Tuy", "08")
    row = list(ROWS[0])
    row[0] = "Cam\u202e sành\u200b Hà Giang" + ZALGO
    row[2] = "HTX\u2068 Anh Tài\u2069"
    report = imports.import_decisions(imports.read_decisions(csv_bytes([row], HEADER), "qd.csv"), actor="test")
    assert report.ok, report.problems
    product = session.scalars(select(Product).order_by(Product.id.desc())).first()
    assert product.name == "Cam sành Hà Giang" + ZALGO[:MAX_MARKS] and product.producer.name == "HTX Anh Tài"
