"""Printing QR stamps: one QR as PNG, or A4 sheets of stamps as a 300 dpi PDF.

Everything is drawn as pixels at 300 dpi so each QR module is a whole number of printer dots:
no resampling, no blurred module edges. Text uses the bundled DejaVu Sans Condensed (see
``fonts/LICENSE-DejaVu.txt``): Pillow's built-in font has no Vietnamese letters (ộ, ư, ế...), and
the service must not depend on the fonts of the machine it runs on.
"""
from __future__ import annotations

import functools
import itertools
import os
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import IO, NamedTuple

import qrcode
from PIL import Image, ImageDraw, ImageFont

from catalog.trace.codes import grouped

# Printed on packages about 15 mm wide, where scratches, creases and smudges are what defeat a scan:
# Q (25 % of the symbol recoverable) rather than M (15 %), because here it costs no size. The stamp URL
# HTTPS://OCOP.EXAMPLE.VN/S/7KQ2M9XD4HPATZ3BQ, 43 characters in alphanumeric mode, is version 3 at Q as
# at M (29 x 29 modules; version 3-Q holds 47 such characters, so hosts up to 19 characters): with the
# 4-module quiet zone, 37 modules x 5 dots = 185 px = 15.7 mm at 300 dpi, 0.42 mm a module. The same URL
# in lower case is byte mode, version 4 (33 modules); the GS1 Digital Link form is version 6 (41).
ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_Q

DPI = 300
PAGE_SIZE = (2480, 3508)  # A4 at 300 dpi
COLUMNS, ROWS = 4, 12  # 48 stamps a page, each 48.5 x 23.4 mm
QUIET_ZONE = 4  # modules, the minimum the QR standard asks for
FONT_PATH = Path(__file__).with_name("fonts") / "DejaVuSansCondensed.ttf"
ELLIPSIS = "…"


def mm(length: float) -> int:
    return round(length * DPI / 25.4)


MARGIN, PAD, QR_TARGET, MIN_DOTS = mm(8), mm(1.5), mm(15), 3  # modules under 3 dots (0.25 mm) scan badly
CELL = ((PAGE_SIZE[0] - 2 * MARGIN) // COLUMNS, (PAGE_SIZE[1] - 2 * MARGIN) // ROWS)


@dataclass(frozen=True)
class Label:
    url: str  # exactly what the QR encodes
    code: str  # stamp code, printed grouped: 7KQ2 M9XD 4HPA TZ3B Q
    serial: int  # serial number within its batch
    product_name: str
    stars: int | None  # OCOP stars (3-5), or None


def qr_code(url: str) -> qrcode.QRCode:
    """The QR symbol for ``url``, smallest version that fits. ``add_data`` splits the text into
    segments and gives runs of 20+ characters from ``0-9A-Z $%*+-./:`` the alphanumeric mode
    (5.5 bits a character against 8), which is why stamp URLs are printed in upper case."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=QUIET_ZONE)
    qr.add_data(url.encode("utf-8"), optimize=20)
    qr.make(fit=True)
    return qr


def _render(qr: qrcode.QRCode, box_size: int, border: int) -> Image.Image:
    """Modules to pixels: one pixel per module, then a nearest-neighbour scale (exact, and much
    faster than drawing a rectangle per module)."""
    qr.border = border
    matrix = qr.get_matrix()
    size = len(matrix)
    small = Image.frombytes("L", (size, size), bytes(0 if dark else 255 for row in matrix for dark in row))
    return small.convert("1", dither=Image.Dither.NONE).resize((size * box_size,) * 2, Image.Resampling.NEAREST)


def qr_image(url: str, box_size: int = 10, border: int = QUIET_ZONE) -> Image.Image:
    """A 1-bit image of the QR for ``url`` alone, ``border`` modules of quiet zone around it."""
    return _render(qr_code(url), box_size, border)


def qr_png(url: str, box_size: int = 10) -> bytes:
    """The QR as an optimised 1-bit PNG (a few hundred bytes)."""
    buffer = BytesIO()
    qr_image(url, box_size).save(buffer, "PNG", optimize=True, dpi=(DPI, DPI))
    return buffer.getvalue()


@functools.cache
def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_PATH), size)


#: Groups of four are easier to read and type back: 7KQ2M9XD4HPATZ3BQ -> 7KQ2 M9XD 4HPA TZ3B Q.
group_code = grouped


def ellipsize(text: str, face: ImageFont.FreeTypeFont, width: float) -> str:
    """``text``, or its longest prefix followed by an ellipsis, that fits ``width`` pixels."""
    if face.getlength(text) <= width:
        return text
    low, high = 0, len(text)  # binary search on the prefix length: getlength is the costly part
    while low < high:
        middle = (low + high + 1) // 2
        if face.getlength(text[:middle].rstrip() + ELLIPSIS) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS if low else ""


def fit_lines(text: str, face: ImageFont.FreeTypeFont, width: float, max_lines: int) -> list[str]:
    """Word-wraps ``text`` into at most ``max_lines`` lines of ``width`` pixels; the last one is
    shortened with an ellipsis when the text does not fit, and so is a single over-long word."""
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < max_lines:
        line = words.pop(0)
        while words and face.getlength(f"{line} {words[0]}") <= width:
            line += " " + words.pop(0)
        lines.append(line)
    if words:
        lines[-1] += " " + " ".join(words)
    return [ellipsize(line, face, width) for line in lines]


class Layout(NamedTuple):
    """Where a stamp's parts go, relative to the top-left corner of its cell."""

    qr: Image.Image
    qr_at: tuple[int, int]
    left: int  # of the text column
    width: int  # of the text column
    lines: list[tuple[str, ImageFont.FreeTypeFont, int]]  # text, font, top


def stamp_layout(label: Label) -> Layout:
    """The QR (quiet zone included) on the left, at whole dots a module, about 15 mm wide;
    the code, serial, name (up to 3 lines) and stars to its right, shortened to fit the cell."""
    qr = qr_code(label.url)
    modules = qr.modules_count + 2 * QUIET_ZONE
    dots = min(max(MIN_DOTS, round(QR_TARGET / modules)), (CELL[1] - 2 * PAD) // modules)
    if dots < MIN_DOTS:
        raise ValueError(f"URL too long for a {QR_TARGET * 25.4 / DPI:.0f} mm stamp: {label.url!r}")
    image = _render(qr, dots, QUIET_ZONE)
    column = max(image.width, mm(17))  # the same text column for QR versions up to 6 (GS1 links)
    left = PAD + column + mm(0.5)  # the quiet zone must stay free of ink: text starts after it
    width = CELL[0] - PAD - left
    code = group_code(label.code)
    size = next((size for size in range(30, 20, -2) if font(size).getlength(code) <= width), 20)
    rows = [(code, font(size), size + 10), (f"Số {label.serial}", font(26), 34)]
    name = unicodedata.normalize("NFC", label.product_name)  # Pillow without libraqm misplaces combining accents
    rows += [(line, font(26), 31) for line in fit_lines(name, font(26), width, 3)]
    if label.stars:
        rows.append(("★" * label.stars + " OCOP", font(28), 36))
    top, lines = (CELL[1] - sum(height for *_, height in rows)) // 2, []
    for text, face, height in rows:
        lines.append((ellipsize(text, face, width), face, top))
        top += height
    return Layout(image, (PAD + (column - image.width) // 2, (CELL[1] - image.height) // 2), left, width, lines)


def sheet_pages(labels: Iterable[Label], progress: Callable[[int], None] = lambda n: None) -> Iterator[Image.Image]:
    """Yields A4 pages (grayscale, 300 dpi) one at a time, as they fill up."""
    per_page = COLUMNS * ROWS
    x0 = (PAGE_SIZE[0] - COLUMNS * CELL[0]) // 2
    y0 = (PAGE_SIZE[1] - ROWS * CELL[1]) // 2
    page: Image.Image | None = None
    count = 0
    draw = ImageDraw.Draw(Image.new("L", (1, 1)))     # replaced with each new page's
    for label in labels:
        if page is None:
            page = Image.new("L", PAGE_SIZE, 255)
            draw = ImageDraw.Draw(page)
        row, column = divmod(count, COLUMNS)
        x, y = x0 + column * CELL[0], y0 + row * CELL[1]
        layout = stamp_layout(label)
        page.paste(layout.qr, (x + layout.qr_at[0], y + layout.qr_at[1]))
        for text, face, top in layout.lines:
            draw.text((x + layout.left, y + top), text, font=face, fill=0)
        progress(1)
        count += 1
        if count == per_page:
            yield _cut_guides(page, draw, x0, y0, count)
            page, count = None, 0
    if page is not None:
        yield _cut_guides(page, draw, x0, y0, count)


def _cut_guides(page: Image.Image, draw: ImageDraw.ImageDraw, x0: int, y0: int, count: int) -> Image.Image:
    """Light grey lines around the used cells, drawn last so they are never hidden."""
    rows = -(-count // COLUMNS)
    columns = COLUMNS if rows > 1 else count
    for row in range(rows + 1):
        draw.line([(x0, y0 + row * CELL[1]), (x0 + columns * CELL[0], y0 + row * CELL[1])], fill=190, width=2)
    for column in range(columns + 1):
        draw.line([(x0 + column * CELL[0], y0), (x0 + column * CELL[0], y0 + rows * CELL[1])], fill=190, width=2)
    return page


def sheet_pdf(labels: Iterable[Label], out: IO[bytes] | str | os.PathLike,
              progress: Callable[[int], None] = lambda n: None) -> int:
    """Writes the stamps as an A4 PDF, one page image per page; returns the number of pages.

    A small writer of our own rather than Pillow's: with ``save_all`` Pillow gathers every
    ``append_images`` page in a list before writing (it needs the page count first), 8.7 MB a
    page, and it stores grayscale pages as JPEG, whose artefacts blur QR modules. Here each page
    is Flate-compressed (lossless) and written as soon as it is drawn, so memory stays at one
    page however big the batch, and ``out`` need not be seekable (an HTTP response will do).
    """
    pages = sheet_pages(labels, progress)
    first = next(pages, None)
    if first is None:
        raise ValueError("no labels to print")
    if isinstance(out, str | os.PathLike):
        with open(out, "wb") as file:
            return _write_pdf(file, first, pages)
    return _write_pdf(out, first, pages)


def _write_pdf(out: IO[bytes], first: Image.Image, rest: Iterator[Image.Image]) -> int:
    offsets: dict[int, int] = {}
    written = 0

    def put(data: bytes) -> None:
        nonlocal written
        out.write(data)
        written += len(data)

    def obj(number: int, body: bytes, stream: bytes | None = None) -> None:
        offsets[number] = written
        put(b"%d 0 obj\n" % number + body)
        if stream is not None:
            put(b"\nstream\n" + stream + b"\nendstream")
        put(b"\nendobj\n")

    put(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    width, height = (f"{size * 72 / DPI:.2f}".encode() for size in PAGE_SIZE)
    kids: list[int] = []
    for page in itertools.chain([first], rest):
        number = 3 * len(kids) + 3  # image, contents, page
        data = zlib.compress(page.tobytes(), 6)
        obj(number, b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                    b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>" % (*page.size, len(data)), data)
        contents = b"q %s 0 0 %s 0 0 cm /Im0 Do Q" % (width, height)
        obj(number + 1, b"<< /Length %d >>" % len(contents), contents)
        obj(number + 2, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Contents %d 0 R "
                        b"/Resources << /XObject << /Im0 %d 0 R >> >> >>" % (width, height, number + 1, number))
        kids.append(number + 2)
    obj(2, b"<< /Type /Pages /Count %d /Kids [%s] >>" % (len(kids), b" ".join(b"%d 0 R" % k for k in kids)))
    xref = written
    put(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
    put(b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, len(offsets) + 1)))
    put(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref))
    return len(kids)
