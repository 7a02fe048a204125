"""Stamp printing, checked as a print shop and a shopper would: the PDF rasterised by poppler (pdftoppm)
and every QR read by an independent decoder (zxing-cpp), the text extracted by pdftotext, the fonts
listed by pdffonts. Not checked against qrcode itself."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest
import qrcode
from PIL import Image

from catalog.trace.printing import sheets as printing
from catalog.trace.printing.sheets import LAYOUTS, Imprint, Label

STAMP_URL = "HTTPS://OCOP.EXAMPLE.VN/S/7KQ2M9XD4HPATZ3BQ"
GS1_URL = "https://ocop.example.vn/01/08934563138165/10/LOT-2026.05_A/21/7KQ2M9XD4HPATZ3BQ"
TEA = "Trà San tuyết công phu Độ Khoa (Hộp 200 gram)"
NAMES = [TEA, "Mật ong bạc hà", "Cà phê Buôn Ma Thuột rang xay nguyên chất",
         "Nước mắm cốt cá cơm Phú Quốc thượng hạng đặc biệt 40 độ đạm (Chai thủy tinh 500 ml, hộp quà Tết)"]
IMPRINT = Imprint(registry="Hệ thống OCOP tỉnh Ninh Bình", check_address="ocop.example.vn/s")
DPI = 300
poppler = pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")


def labels(count: int) -> list[Label]:
    """Every label a different URL, so a QR decoded in the wrong cell cannot pass."""
    return [Label(f"HTTPS://OCOP.EXAMPLE.VN/S/7KQ2M9XD4HPA{n:05d}" if n % 7 else f"{GS1_URL}-{n}",
                  f"7KQ2M9XD4HPA{n:05d}", n + 1, NAMES[n % len(NAMES)], [3, 4, 5, None][n % 4]) for n in range(count)]


def decode(image: Image.Image) -> list:
    zxingcpp = pytest.importorskip("zxingcpp")  # test extra: zxing-cpp
    return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)


def write(batch, layout="a4", **options) -> bytes:
    out = io.BytesIO()
    printing.sheet_pdf(batch, out, imprint=IMPRINT, layout=layout, **options)
    return out.getvalue()


def check_xref(pdf: bytes) -> None:
    """The xref table points at the objects it names: a broken offset makes strict readers refuse the file."""
    xref = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", pdf).group(1))
    entries = re.findall(rb"(\d{10}) 00000 n ", pdf[xref:])
    for number, offset in enumerate(entries, start=1):
        assert pdf[int(offset):].startswith(b"%d 0 obj\n" % number)


def streams(pdf: bytes) -> list[bytes]:
    return [zlib.decompress(pdf[m.end():m.end() + int(m.group(1))])
            for m in re.finditer(rb"<< /Length (\d+) /Filter /FlateDecode[^>]*>>\nstream\n", pdf)]


def rasterise(pdf: bytes, folder: Path, dpi: int = DPI) -> list[Image.Image]:
    """The pages as poppler draws them, grayscale, at ``dpi``."""
    (folder / "sheet.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(folder / "sheet.pdf"), str(folder / "page")],
                   check=True, capture_output=True)
    return [Image.open(png).convert("L") for png in sorted(folder.glob("page*.png"))]


def tool(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def check_page(page: Image.Image, expected: list[Label], layout=LAYOUTS["a4"], dpi: int = DPI) -> None:
    """Each QR decodes to the URL of the label whose cell it sits in."""
    dots = dpi / 25.4
    assert [abs(side - mm * dots) <= 1 for side, mm in zip(page.size, layout.page, strict=True)] == [True, True]
    (x0, y0), (width, height) = layout.grid_origin, layout.label
    found = {}
    for result in decode(page):
        p = result.position
        cx, cy = (p.top_left.x + p.bottom_right.x) / 2 / dots, (p.top_left.y + p.bottom_right.y) / 2 / dots
        found[int((cy - y0) // height) * layout.columns + int((cx - x0) // width)] = result.text
    assert found == {index: label.url for index, label in enumerate(expected)}


# -- the QR ------------------------------------------------------------------------------------

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


# -- text ------------------------------------------------------------------------------------

def test_fonts_have_vietnamese_letters():
    fonts = printing.Fonts()
    for letter in "Đđộơưếạảẫậằắẵặềểễệỉịọỏốồổỗợờởỡụủứừửữựỳỵỷỹ★…":
        assert ord(letter) in fonts.text.face.charToGlyph, letter
    for letter in "0123456789ABCDEFGHJKMNPQRSTVWXYZ ":
        assert ord(letter) in fonts.code.face.charToGlyph, letter


def test_ellipsize_and_fit_lines():
    face = printing.Fonts().face("text", 7)
    assert printing.ellipsize("Mật ong", face, 500) == "Mật ong"
    short = printing.ellipsize(TEA, face, 50)
    assert short.endswith("…") and TEA.startswith(short[:-1]) and face.width(short) <= 50
    lines = printing.fit_lines(NAMES[3], face, 80, 3)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(face.width(line) <= 80 for line in lines)
    assert printing.fit_lines(TEA, face, 2000, 3) == [TEA]
    [word] = printing.fit_lines("Siêuđặcbiệtdàikhôngcókhoảngtrắng" * 3, face, 80, 2)
    assert word.endswith("…") and face.width(word) <= 80


def test_the_code_is_grouped_as_everywhere_else():
    from catalog.trace import codes
    assert printing.group_code is codes.grouped
    assert codes.grouped("7KQ2M9XD4HPATZ3BQ") == "7KQ2 M9XD 4HPA TZ3B Q"


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("label", [Label(STAMP_URL, "7KQ2M9XD4HPATZ3BQ", 7, TEA, 4),
                                   Label(GS1_URL, "WWWWMMMMWWWWMMMMW", 1234567, NAMES[3], 5),
                                   Label(STAMP_URL.lower(), "1111111111111111A", 1, "Cà phê", None)])
def test_label_fits_its_cell_and_keeps_clear_of_the_qr(label, layout):
    """Every line within the label's safe area, none over the QR or its quiet zone; no text under
    the size floor; the code at the layout's one size whatever its letters, never cut."""
    layout = LAYOUTS[layout]
    fonts = printing.Fonts()
    drawing = printing.draw_label(label, layout, IMPRINT, fonts)
    safe, (width, height) = layout.safe, layout.label
    quiet = printing.QUIET_ZONE * drawing.module
    symbol = len(drawing.qr) * drawing.module
    qr_box = (drawing.qr_at[0] - quiet, drawing.qr_at[1] - quiet,
              drawing.qr_at[0] + symbol + quiet, drawing.qr_at[1] + symbol + quiet)
    qr_box = tuple(round(edge, 6) for edge in qr_box)  # millimetres: floating-point noise aside
    assert qr_box[0] >= safe and qr_box[1] >= safe and qr_box[2] <= width - safe and qr_box[3] <= height - safe
    assert drawing.module >= printing.MIN_MODULE
    for line in drawing.lines:
        face = fonts.face(line.font, line.size)
        left, right = line.x, line.x + face.width(line.text) / printing.PT
        top = line.baseline - printing.ASCENT * line.size / printing.PT
        bottom = line.baseline + printing.DESCENT * line.size / printing.PT
        left, right, top, bottom = (round(edge, 6) for edge in (left, right, top, bottom))
        assert line.size >= printing.MIN_POINTS, line
        assert left >= safe and right <= width - safe and top >= safe and bottom <= height - safe, line
        assert left >= qr_box[2] or top >= qr_box[3], f"over the QR: {line}"
    texts = [line.text for line in drawing.lines]
    [code] = [line for line in drawing.lines if line.font == "code"]
    assert code.text == printing.group_code(label.code) and code.size == layout.code
    assert texts[0] == ("★" * label.stars + " OCOP" if label.stars else "OCOP")
    assert texts[1] == IMPRINT.registry or texts[1].endswith("…")
    assert f"Số {label.serial}" in texts and texts[-1] == "Kiểm tra: ocop.example.vn/s"


def test_a_long_name_is_wrapped_then_shortened_never_shrunk():
    drawing = printing.draw_label(Label(STAMP_URL, "7KQ2M9XD4HPATZ3BQ", 7, NAMES[3], 3), LAYOUTS["a4"], IMPRINT,
                                  printing.Fonts())
    name = [line for line in drawing.lines[2:] if line.font == "text" and not line.text.startswith(("Số", "Kiểm"))]
    assert len(name) == LAYOUTS["a4"].name_lines and name[-1].text.endswith("…")
    assert {line.size for line in name} == {LAYOUTS["a4"].text}
    assert NAMES[3].startswith(" ".join(line.text for line in name)[:-1])


def test_a_check_address_too_long_for_the_label_is_refused_before_anything_is_written(tmp_path):
    host = Imprint(IMPRINT.registry, "truy-xuat-nguon-goc-san-pham-ocop.so-nong-nghiep.ninhbinh.gov.vn/s")
    with pytest.raises(ValueError, match="does not fit"):
        printing.sheet_pdf(labels(3), tmp_path / "out.pdf", imprint=host)
    assert not (tmp_path / "out.pdf").exists()
    longer = Imprint(IMPRINT.registry, "truy-xuat.ocop.so-nong-nghiep.ninhbinh.gov.vn/s")  # fits, a little smaller
    drawing = printing.draw_label(labels(1)[0], LAYOUTS["a4"], longer, printing.Fonts())
    assert printing.MIN_POINTS <= drawing.lines[-1].size < LAYOUTS["a4"].check


# -- the PDF -----------------------------------------------------------------------------------

def test_a4_sheet_is_vector_with_text_and_embedded_fonts():
    """No image anywhere (the QR is rectangles, the text is text), the fonts embedded, 24 labels a page."""
    batch = labels(30)
    drawn = []
    pdf = write(batch, progress=drawn.append)
    check_xref(pdf)
    assert drawn == [1] * 30
    assert pdf.startswith(b"%PDF-1.4") and pdf.count(b"/Type /Page ") == 2
    assert b"/MediaBox [0 0 595.276 841.89]" in pdf  # A4
    assert b"/Image" not in pdf and b"/XObject" not in pdf
    assert pdf.count(b"/FontFile2 ") == 2  # the text font and the code font, as subsets
    content = b"".join(streams(pdf))
    assert content.count(b" re\n") > 24 * 100  # QR modules as rectangles
    assert len(pdf) < 150_000  # the raster sheet was 400 KB a page


@poppler
def test_codes_and_check_address_can_be_read_as_text(tmp_path):
    batch = labels(30)
    (tmp_path / "sheet.pdf").write_bytes(write(batch))
    text = tool("pdftotext", "-layout", str(tmp_path / "sheet.pdf"), "-")
    for label in batch:
        assert printing.group_code(label.code) in text
        assert f"Số {label.serial}" in text
    assert text.count("Kiểm tra: ocop.example.vn/s") == 30
    assert text.count("Hệ thống OCOP tỉnh Ninh Bình") == 30 and "★★★★★ OCOP" in text and "Mật ong bạc hà" in text
    fonts = tool("pdffonts", str(tmp_path / "sheet.pdf")).splitlines()[2:]
    assert len(fonts) == 2 and all(re.search(r"\byes\s+yes\s+yes\b", line) for line in fonts), fonts
    assert {line.split()[0].split("+")[1] for line in fonts} == {"DejaVuSansCondensed", "DejaVuSansMono-Bold"}
    assert tool("pdfimages", "-list", str(tmp_path / "sheet.pdf")).splitlines()[2:] == []


@poppler
def test_sheet_of_30_labels_every_qr_decodes(tmp_path):
    batch = labels(30)
    pages = rasterise(write(batch), tmp_path)
    assert len(pages) == 2
    for number, page in enumerate(pages):
        check_page(page, batch[24 * number:24 * (number + 1)])


@poppler
def test_crop_marks_on_every_cut_line_in_the_margins_only(tmp_path):
    """Ink in the margins exactly where the cut lines run out of the grid, and nowhere else there."""
    layout = LAYOUTS["a4"]
    [page] = rasterise(write(labels(2)), tmp_path, dpi=150)
    dots = 150 / 25.4
    (x0, y0), (width, height) = layout.grid_origin, layout.label
    x1, y1 = x0 + layout.columns * width, y0 + layout.rows * height
    pixels = page.load()
    middle = printing.CROP_OFFSET + printing.CROP_LENGTH / 2

    def ink(x_mm: float, y_mm: float) -> bool:
        x, y = round(x_mm * dots), round(y_mm * dots)
        return min(pixels[i, j] for i in range(x - 1, x + 2) for j in range(y - 1, y + 2)) < 128

    for column in range(layout.columns + 1):
        assert ink(x0 + column * width, y0 - middle) and ink(x0 + column * width, y1 + middle)
        assert column == layout.columns or not ink(x0 + column * width + width / 2, y0 - middle)
    for row in range(layout.rows + 1):
        assert ink(x0 - middle, y0 + row * height) and ink(x1 + middle, y0 + row * height)
        assert row == layout.rows or not ink(x0 - middle, y0 + row * height + height / 2)
    assert not ink(x0 - 0.5, y0 - 0.5)  # the marks stop short of the grid: nothing on the labels' edge
    margin = page.crop((0, 0, page.width, round((y0 - printing.CROP_OFFSET - printing.CROP_LENGTH) * dots) - 2))
    assert margin.getextrema()[0] > 200  # and nothing above them


@poppler
def test_roll_layout_is_one_40_by_30_mm_label_a_page(tmp_path):
    batch = labels(8)
    pdf = write(batch, layout="roll-40x30")
    check_xref(pdf)
    assert pdf.count(b"/Type /Page ") == 8 and pdf.count(b"/MediaBox [0 0 113.386 85.039]") == 8
    (tmp_path / "roll.pdf").write_bytes(pdf)
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", tool("pdfinfo", "-f", "1", "-l", "8",
                                                                          str(tmp_path / "roll.pdf")))
    assert [(round(float(w) * 25.4 / 72, 1), round(float(h) * 25.4 / 72, 1)) for w, h in sizes] == [(40.0, 30.0)] * 8
    for label, page in zip(batch, rasterise(pdf, tmp_path, dpi=203), strict=True):  # a thermal label printer's
        check_page(page, [label], LAYOUTS["roll-40x30"], dpi=203)
    assert b" m " not in b"".join(streams(pdf))  # no crop marks: the roll is die-cut


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
    printing.sheet_pdf(labels(100), sink, imprint=IMPRINT, progress=lambda n: seen.append(sink.size))
    assert seen[23] == 0 < seen[24]  # nothing before the first page is full, page 1 once it is
    assert seen[47] < seen[48]


def test_no_labels_and_unknown_layouts_are_refused():
    with pytest.raises(ValueError, match="no labels"):
        printing.sheet_pdf([], io.BytesIO(), imprint=IMPRINT)
    with pytest.raises(ValueError, match="unknown layout 'a5'"):
        printing.sheet_pdf(labels(1), io.BytesIO(), imprint=IMPRINT, layout="a5")
