"""Stamp printing, checked with an independent decoder (zxing-cpp) rather than against qrcode itself."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import zlib

import pytest
import qrcode
from PIL import Image, ImageDraw, ImageFont

from catalog.trace.printing import sheets as printing
from catalog.trace.printing.sheets import CELL, Label

STAMP_URL = "HTTPS://OCOP.EXAMPLE.VN/S/7KQ2M9XD4HPATZ3BQ"
GS1_URL = "https://ocop.example.vn/01/08934563138165/10/LOT-2026.05_A/21/7KQ2M9XD4HPATZ3BQ"
TEA = "Trà San tuyết công phu Độ Khoa (Hộp 200 gram)"
NAMES = [TEA, "Mật ong bạc hà", "Cà phê Buôn Ma Thuột rang xay nguyên chất",
         "Nước mắm cốt cá cơm Phú Quốc thượng hạng đặc biệt 40 độ đạm (Chai thủy tinh 500 ml, hộp quà Tết)"]


def labels(count: int) -> list[Label]:
    """Every label a different URL, so a QR decoded in the wrong cell cannot pass."""
    return [Label(f"HTTPS://OCOP.EXAMPLE.VN/S/7KQ2M9XD4HPA{n:05d}" if n % 7 else f"{GS1_URL}-{n}",
                  f"7KQ2M9XD4HPA{n:05d}", n + 1, NAMES[n % len(NAMES)], [3, 4, 5, None][n % 4]) for n in range(count)]


def decode(image: Image.Image) -> list:
    zxingcpp = pytest.importorskip("zxingcpp")  # test extra: zxing-cpp
    return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)


def pdf_pages(pdf: bytes) -> list[Image.Image]:
    """The page images back out of the PDF (Pillow cannot read PDFs), after checking the xref
    table points at the objects it names: a broken offset makes strict readers refuse the file."""
    xref = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", pdf).group(1))
    entries = re.findall(rb"(\d{10}) 00000 n ", pdf[xref:])
    for number, offset in enumerate(entries, start=1):
        assert pdf[int(offset):].startswith(b"%d 0 obj\n" % number)
    pages = []
    for match in re.finditer(rb"/Width (\d+) /Height (\d+) .*?/Length (\d+) >>\nstream\n", pdf):
        width, height, length = map(int, match.groups())
        data = zlib.decompress(pdf[match.end():match.end() + length])
        pages.append(Image.frombytes("L", (width, height), data))
    return pages


def check_page(page: Image.Image, expected: list[Label]) -> None:
    """Each QR decodes to the URL of the label whose cell it sits in."""
    assert page.size == printing.PAGE_SIZE
    x0 = (page.width - printing.COLUMNS * CELL[0]) // 2
    y0 = (page.height - printing.ROWS * CELL[1]) // 2
    found = {}
    for result in decode(page):
        p = result.position
        cx, cy = (p.top_left.x + p.bottom_right.x) / 2, (p.top_left.y + p.bottom_right.y) / 2
        found[int((cy - y0) // CELL[1]) * printing.COLUMNS + int((cx - x0) // CELL[0])] = result.text
    assert found == {index: label.url for index, label in enumerate(expected)}


@pytest.mark.parametrize("url", [STAMP_URL, STAMP_URL.lower(), GS1_URL, "https://ocop.example.vn/s/a?b=1&c=%C4%91"])
def test_png_decodes_to_exactly_its_url(url):
    png = printing.qr_png(url)
    assert png.startswith(b"\x89PNG")
    image = Image.open(io.BytesIO(png))
    assert image.mode == "1"
    [result] = decode(image)
    assert result.bytes == url.encode() and result.text == url
    assert result.ec_level == "Q"


def test_upper_case_url_is_alphanumeric_and_smaller():
    upper, lower = printing.qr_code(STAMP_URL), printing.qr_code(STAMP_URL.lower())
    assert [chunk.mode for chunk in upper.data_list] == [qrcode.util.MODE_ALPHA_NUM]
    assert [chunk.mode for chunk in lower.data_list] == [qrcode.util.MODE_8BIT_BYTE]
    assert (upper.version, upper.modules_count) == (3, 29)
    assert lower.version > upper.version


def test_q_costs_no_size_for_the_stamp_url():
    """The reason for Q: the short stamp URL is version 3 at Q, as it would be at M."""
    assert printing.ERROR_CORRECTION == qrcode.constants.ERROR_CORRECT_Q
    at_m = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    at_m.add_data(STAMP_URL)
    at_m.make()
    assert at_m.version == printing.qr_code(STAMP_URL).version == 3


def test_qr_image_size_and_quiet_zone():
    image = printing.qr_image(STAMP_URL, box_size=5)
    assert image.mode == "1" and image.size == ((29 + 8) * 5,) * 2
    quiet = image.crop((0, 0, image.width, 4 * 5))
    assert quiet.getextrema() == (255, 255)


def test_font_has_vietnamese_letters():
    """Each letter renders as itself, not as the font's missing-glyph box; Pillow's own font fails this."""
    def glyph(face, letter):
        image = Image.new("L", (80, 80))
        ImageDraw.Draw(image).text((10, 10), letter, font=face, fill=255)
        return image.tobytes()

    face = printing.font(40)
    missing = glyph(face, "\ue000")  # private use: no font has it
    for letter in "Đđộơưếạảẫậằắẵặềểễệỉịọỏốồổỗợờởỡụủứừửữựỳỵỷỹ★…":
        assert glyph(face, letter) != missing, letter
    default = ImageFont.load_default(40)
    assert glyph(default, "ộ") == glyph(default, "\ue000")


def test_ellipsize_and_fit_lines():
    face = printing.font(26)
    assert printing.ellipsize("Mật ong", face, 500) == "Mật ong"
    short = printing.ellipsize(TEA, face, 200)
    assert short.endswith("…") and TEA.startswith(short[:-1]) and face.getlength(short) <= 200
    lines = printing.fit_lines(NAMES[3], face, 300, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(face.getlength(line) <= 300 for line in lines)
    assert printing.fit_lines(TEA, face, 2000, 3) == [TEA]
    [word] = printing.fit_lines("Siêuđặcbiệtdàikhôngcókhoảngtrắng" * 3, face, 300, 2)
    assert word.endswith("…") and face.getlength(word) <= 300


@pytest.mark.parametrize("label", [Label(STAMP_URL, "7KQ2M9XD4HPATZ3BQ", 7, TEA, 4),
                                   Label(GS1_URL, "WWWWMMMMWWWWMMMMW", 123456, NAMES[3], 5),
                                   Label(STAMP_URL.lower(), "7KQ2M9XD4HPATZ3BQ", 1, "Cà phê", None)])
def test_stamp_fits_its_cell(label):
    layout = printing.stamp_layout(label)
    qr_right = layout.qr_at[0] + layout.qr.width
    assert layout.qr_at[0] >= printing.PAD and layout.qr_at[1] >= printing.PAD
    assert layout.qr_at[1] + layout.qr.height <= CELL[1] - printing.PAD
    assert 13.5 <= layout.qr.width * 25.4 / printing.DPI <= 17  # about 15 mm, quiet zone included
    assert layout.left >= qr_right and layout.left + layout.width <= CELL[0] - printing.PAD
    for text, face, top in layout.lines:
        left, upper, right, lower = face.getbbox(text)
        assert face.getlength(text) <= layout.width and right <= layout.width, text
        assert top + upper >= 0 and top + lower <= CELL[1], text
    texts = [text for text, *_ in layout.lines]
    assert texts[0] == printing.group_code(label.code)  # the code is never cut, only set smaller
    assert texts[1] == f"Số {label.serial}"
    assert (texts[-1] == "★" * label.stars + " OCOP") if label.stars else not texts[-1].startswith("★")


def test_typical_label_text():
    texts = [text for text, *_ in printing.stamp_layout(Label(STAMP_URL, "7KQ2M9XD4HPATZ3BQ", 7, TEA, 3)).lines]
    assert texts[0] == "7KQ2 M9XD 4HPA TZ3B Q"
    assert " ".join(texts[2:-1]) == TEA
    assert texts[-1] == "★★★ OCOP"


def test_sheet_of_60_labels_every_qr_decodes():
    batch = labels(60)
    drawn = []
    out = io.BytesIO()
    assert printing.sheet_pdf(batch, out, progress=drawn.append) == 2
    assert drawn == [1] * 60
    pdf = out.getvalue()
    assert pdf.startswith(b"%PDF-1.4") and pdf.count(b"/Type /Page ") == 2
    assert b"/MediaBox [0 0 595.20 841.92]" in pdf  # A4
    pages = pdf_pages(pdf)
    assert len(pages) == 2
    check_page(pages[0], batch[:48])
    check_page(pages[1], batch[48:])


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="pdftoppm (poppler-utils) not installed")
def test_sheet_renders_in_poppler(tmp_path):
    batch = labels(50)
    assert printing.sheet_pdf(batch, tmp_path / "sheet.pdf") == 2
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", "-f", "2", str(tmp_path / "sheet.pdf"),
                    str(tmp_path / "page")], check=True, capture_output=True)
    [png] = tmp_path.glob("page*.png")
    check_page(Image.open(png), batch[48:])


class Sink:
    """A write-only, non-seekable output such as an HTTP response."""

    def __init__(self):
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)


def test_pages_are_written_as_they_are_drawn():
    """Page 1 is already out while page 2 is being drawn: one page in memory at a time."""
    sink, seen = Sink(), []
    printing.sheet_pdf(labels(100), sink, progress=lambda n: seen.append(sink.size))
    assert seen[47] == 0 < seen[48]  # nothing before the first page is full, page 1 once it is
    assert seen[95] < seen[96]


def test_no_labels():
    with pytest.raises(ValueError):
        printing.sheet_pdf([], io.BytesIO())
