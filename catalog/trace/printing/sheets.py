"""Printing QR stamps: one QR as PNG, or labels as a print-ready vector PDF.

The PDF is vector throughout: each QR is its modules drawn as filled rectangles (from the same
``qrcode`` matrix as the PNGs, so the same symbol), text is text in the bundled DejaVu fonts
(``fonts/LICENSE-DejaVu.txt``), embedded as subsets: a printer or a platesetter gets sharp edges at
any resolution, and the codes and the check address can be searched and copied. reportlab reads the
fonts (metrics, code assignment, subsetting, ToUnicode maps); the file itself is written here, page
by page as the pages are drawn, because reportlab's canvas keeps every page until it saves: here
memory stays at one page however big the batch, and ``out`` need not be seekable (an HTTP response
will do).

Two layouts (:data:`LAYOUTS`): A4 sheets of 3 x 8 labels of 64 x 34 mm filling the page within
printer margins, with crop marks in the margins on every cut line; and a label roll of 40 x 30 mm,
one label a page of that size. Nothing is printed within :attr:`Layout.safe` of a cut line, and
everything is black on white: a cut that strays by up to that much loses nothing and leaves no
sliver of a neighbour's ink, so no bleed is needed (and thermal roll printers print black only).

The label speaks Vietnamese whatever the language of the person printing it: it is read by shoppers
in Vietnam.
"""
from __future__ import annotations

import os
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import IO

import qrcode
from PIL import Image
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont, makeToUnicodeCMap

from catalog.trace.codes import grouped

# Printed on packages where scratches, creases and smudges are what defeat a scan: Q (25 % of the
# symbol recoverable) rather than M (15 %), because here it costs no size. The stamp URL
# HTTPS://OCOP.EXAMPLE.VN/S/7KQ2M9XD4HPATZ3BQ, 43 characters in alphanumeric mode, is version 3 at Q as
# at M (29 x 29 modules; version 3-Q holds 47 such characters, so hosts up to 19 characters). The same
# URL in lower case is byte mode, version 4 (33 modules); the GS1 Digital Link form is version 6 (41).
ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_Q

DPI = 300  # of the PNGs
QUIET_ZONE = 4  # modules, the minimum the QR standard asks for
FONTS = Path(__file__).with_name("fonts")
TEXT_FONT = FONTS / "DejaVuSansCondensed.ttf"
CODE_FONT = FONTS / "DejaVuSansMono-Bold.ttf"  # fixed width: every code takes the same room at the same size
ELLIPSIS = "…"
PT = 72 / 25.4  # points a millimetre
MIN_POINTS = 6.0  # no text on a label is set smaller (about 1.5 mm capitals)
MIN_MODULE = 0.25  # mm: a QR whose modules would come out smaller is refused (phones misread them)
ASCENT, DESCENT = 0.76, 0.24  # of DejaVu, in ems
LEADING = 1.2
CHECK_PREFIX = "Kiểm tra: "
SERIAL_PREFIX = "Số "
IDENTITY = "OCOP"


@dataclass(frozen=True)
class Label:
    url: str  # exactly what the QR encodes
    code: str  # stamp code, printed grouped (codes.grouped): 7KQ2 M9XD 4HPA TZ3B Q
    serial: int  # serial number within its batch
    product_name: str
    stars: int | None  # OCOP stars (3-5), or None


@dataclass(frozen=True)
class Imprint:
    """What every label of a sheet says besides its own stamp."""

    registry: str  # who issues the stamps: CATALOG_REGISTRY_NAME
    check_address: str  # where a code is typed to check it by hand: HOST/s of CATALOG_PUBLIC_URL


@dataclass(frozen=True)
class Layout:
    """A page of ``columns`` x ``rows`` labels, sizes in millimetres (text sizes in points)."""

    name: str
    page: tuple[float, float]
    label: tuple[float, float]
    columns: int
    rows: int
    qr: float  # side of the QR with its quiet zone, in the label's top-left corner
    safe: float  # kept free of ink inside every cut line
    crop_marks: bool
    heading: float  # "★★★★ OCOP"
    text: float  # registry, product name, serial
    code: float  # the grouped code (DejaVu Sans Mono Bold), the same size for every code
    check: float  # "Kiểm tra: HOST/s"
    name_lines: int  # at most

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def grid_origin(self) -> tuple[float, float]:
        """The top-left corner of the grid, from the page's top-left corner: the grid is centred."""
        return ((self.page[0] - self.columns * self.label[0]) / 2, (self.page[1] - self.rows * self.label[1]) / 2)


CROP_OFFSET, CROP_LENGTH, CROP_WIDTH = 2.0, 4.0, 0.25  # mm from the grid, mm long, points wide

LAYOUTS = {
    # 192 x 272 mm of labels: 9 mm margins left and right, 12.5 mm top and bottom, where the crop marks go.
    "a4": Layout("a4", (210, 297), (64, 34), 3, 8, qr=23, safe=1.5, crop_marks=True,
                 heading=9, text=7, code=10, check=7.5, name_lines=3),
    "roll-40x30": Layout("roll-40x30", (40, 30), (40, 30), 1, 1, qr=19, safe=1.5, crop_marks=False,
                         heading=7, text=6, code=8, check=6.5, name_lines=3),
}
DEFAULT_LAYOUT = "a4"


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


#: Groups of four are easier to read and type back: 7KQ2M9XD4HPATZ3BQ -> 7KQ2 M9XD 4HPA TZ3B Q.
group_code = grouped


class Face:
    """A font at a size: measures text in points."""

    def __init__(self, font: TTFont, size: float):
        self.font, self.size = font, size

    def width(self, text: str) -> float:
        return float(self.font.stringWidth(text, self.size))


def ellipsize(text: str, face: Face, width: float) -> str:
    """``text``, or its longest prefix followed by an ellipsis, that fits ``width`` points."""
    if face.width(text) <= width:
        return text
    low, high = 0, len(text)  # binary search on the prefix length
    while low < high:
        middle = (low + high + 1) // 2
        if face.width(text[:middle].rstrip() + ELLIPSIS) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS if low else ""


def fit_lines(text: str, face: Face, width: float, max_lines: int) -> list[str]:
    """Word-wraps ``text`` into at most ``max_lines`` lines of ``width`` points; the last one is
    shortened with an ellipsis when the text does not fit, and so is a single over-long word."""
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < max_lines:
        line = words.pop(0)
        while words and face.width(f"{line} {words[0]}") <= width:
            line += " " + words.pop(0)
        lines.append(line)
    if words:
        lines[-1] += " " + " ".join(words)
    return [ellipsize(line, face, width) for line in lines]


@dataclass(frozen=True)
class Line:
    """A line of text on a label: left end of its baseline, millimetres from the label's top-left corner."""

    text: str
    font: str  # "text" or "code"
    size: float  # points
    x: float
    baseline: float


@dataclass(frozen=True)
class LabelDrawing:
    """Where a label's parts go, millimetres from its top-left corner."""

    qr: list[list[bool]]  # the modules, quiet zone not included
    qr_at: tuple[float, float]  # top-left corner of the symbol (inside its quiet zone)
    module: float  # side of a module
    lines: list[Line]


class Fonts:
    """The two fonts of one document (reportlab keeps which characters a document used in the font)."""

    def __init__(self) -> None:
        self.text = TTFont("DejaVuSansCondensed", str(TEXT_FONT))
        self.code = TTFont("DejaVuSansMono-Bold", str(CODE_FONT))

    def face(self, which: str, size: float) -> Face:
        return Face(self.text if which == "text" else self.code, size)


class AddressTooLong(ValueError):
    """The check address does not fit the label even at the smallest size: a configuration problem."""

    def __init__(self, address: str, width: float):
        super().__init__(f"the check address {address!r} does not fit a {width:g} mm label; "
                         f"use a shorter CATALOG_PUBLIC_URL")
        self.address, self.width = address, width


def check_line(layout: Layout, imprint: Imprint, fonts: Fonts) -> tuple[str, float]:
    """The check address line and its size: smaller for a long host, never under :data:`MIN_POINTS`;
    :class:`AddressTooLong` if even that does not fit (an address cut short is no address)."""
    text = CHECK_PREFIX + imprint.check_address
    width = layout.label[0] - 2 * layout.safe
    size = layout.check
    while fonts.face("text", size).width(text) * 25.4 / 72 > width:
        size -= 0.5
        if size < MIN_POINTS:
            raise AddressTooLong(imprint.check_address, layout.label[0])
    return text, size


def draw_label(label: Label, layout: Layout, imprint: Imprint, fonts: Fonts) -> LabelDrawing:
    """The QR (quiet zone included) in the top-left corner; to its right the stars and OCOP, the
    registry, the product's name (wrapped, the last line shortened with an ellipsis) and the serial;
    under it, across the label, the grouped code and the check address."""
    qr = qr_code(label.url)
    count = qr.modules_count
    module = layout.qr / (count + 2 * QUIET_ZONE)
    if module < MIN_MODULE:
        raise ValueError(f"URL too long for a {layout.qr:g} mm QR (modules of {module:.2f} mm): {label.url!r}")
    safe, (width, height) = layout.safe, layout.label
    qr_at = (safe + QUIET_ZONE * module, safe + QUIET_ZONE * module)
    modules = [[bool(dark) for dark in row] for row in qr.modules]

    left = safe + layout.qr  # after the quiet zone, which must stay free of ink
    column = (width - safe - left) * PT  # in points
    lines: list[Line] = []
    top = safe + 0.3

    def add(text: str, size: float, which: str = "text") -> None:
        nonlocal top
        lines.append(Line(text, which, size, left, top + ASCENT * size / PT))
        top += LEADING * size / PT

    heading = ("★" * label.stars + " " if label.stars else "") + IDENTITY
    add(ellipsize(heading, fonts.face("text", layout.heading), column), layout.heading)
    add(ellipsize(imprint.registry, fonts.face("text", layout.text), column), layout.text)
    lead = LEADING * layout.text / PT
    room = int((safe + layout.qr - top - lead) // lead)  # lines left for the name, the serial's kept
    name = unicodedata.normalize("NFC", label.product_name)  # one glyph a letter: ộ, not o + ̣ + ̂
    for line in fit_lines(name, fonts.face("text", layout.text), column, max(1, min(room, layout.name_lines))):
        add(line, layout.text)
    add(f"{SERIAL_PREFIX}{label.serial}", layout.text)

    check, check_size = check_line(layout, imprint, fonts)
    check_base = height - safe - DESCENT * check_size / PT
    code_base = check_base - LEADING * check_size / PT
    lines.append(Line(group_code(label.code), "code", layout.code, safe, code_base))
    lines.append(Line(check, "text", check_size, safe, check_base))
    return LabelDrawing(modules, qr_at, module, lines)


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


class _Document:
    """One PDF being written: objects go out as they are made, the font subsets and the page tree
    last (pages point at them by number). Objects 1-3: catalog, page tree, shared resources."""

    def __init__(self, out: _Deferred):
        self.out, self.written = out, 0
        self.offsets: dict[int, int] = {}
        self.next_number = 4
        self.kids: list[int] = []
        self.fonts = Fonts()
        self._put(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        self.object(1, b"<< /Type /Catalog /Pages 2 0 R >>")

    def _put(self, data: bytes) -> None:
        self.out.write(data)
        self.written += len(data)

    def number(self) -> int:
        self.next_number += 1
        return self.next_number - 1

    def object(self, number: int, body: bytes, stream: bytes | None = None) -> None:
        self.offsets[number] = self.written
        self._put(b"%d 0 obj\n" % number + body)
        if stream is not None:
            self._put(b"\nstream\n" + stream + b"\nendstream")
        self._put(b"\nendobj\n")

    def stream(self, number: int, data: bytes, extra: bytes = b"") -> None:
        packed = zlib.compress(data, 6)
        self.object(number, b"<< /Length %d /Filter /FlateDecode%s >>" % (len(packed), extra), packed)

    def page(self, size: tuple[float, float], content: str) -> None:
        contents, page = self.number(), self.number()
        self.stream(contents, content.encode("ascii"))
        width, height = (_number(side * PT).encode() for side in size)
        self.object(page, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] /Contents %d 0 R /Resources 3 0 R >>"
                    % (width, height, contents))
        self.kids.append(page)

    def text(self, line: Line, x: float, y: float) -> str:
        """A line at ``x``, ``y`` points (baseline, from the page's bottom-left corner)."""
        font = self.fonts.text if line.font == "text" else self.fonts.code
        prefix = "T" if line.font == "text" else "C"
        runs = "".join(f"/{prefix}{subset} {_number(line.size)} Tf <{data.hex()}> Tj"
                       for subset, data in font.splitString(line.text, self))
        return f"BT 1 0 0 1 {_number(x)} {_number(y)} Tm {runs} ET\n"

    def finish(self) -> int:
        fonts = []
        for prefix, font in (("T", self.fonts.text), ("C", self.fonts.code)):
            state = font.state.get(self)
            for index, subset in enumerate(state.subsets if state else []):
                fonts.append(b"/%s%d %d 0 R" % (prefix.encode(), index, self._font(font, index, subset)))
        self.object(3, b"<< /Font << %s >> /ProcSet [/PDF /Text] >>" % b" ".join(fonts))
        self.object(2, b"<< /Type /Pages /Count %d /Kids [%s] >>"
                    % (len(self.kids), b" ".join(b"%d 0 R" % kid for kid in self.kids)))
        xref, size = self.written, max(self.offsets) + 1
        self._put(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        self._put(b"".join(b"%010d 00000 n \n" % self.offsets[n] for n in range(1, size)))
        self._put(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
        return len(self.kids)

    def _font(self, font: TTFont, index: int, subset: list[int]) -> int:
        """One subset of up to 256 characters as a TrueType font, as reportlab's ``TTFont.addObjects``
        makes it: the glyphs, their widths, and a ToUnicode map so the text can be extracted."""
        face = font.face
        name = SUBSETN(index) + b"+" + face.name + face.subfontNameX
        program, cmap, descriptor, number = self.number(), self.number(), self.number(), self.number()
        data = face.makeSubset(subset)
        self.stream(program, data, b" /Length1 %d" % len(data))
        self.stream(cmap, makeToUnicodeCMap(name.decode("latin-1"), subset).encode("ascii"))
        flags = (face.flags & ~32) | 4  # symbolic, not non-symbolic: the subset has its own encoding
        self.object(descriptor, (
            b"<< /Type /FontDescriptor /FontName /%s /Flags %d /FontBBox [%s] /ItalicAngle %s /Ascent %s "
            b"/Descent %s /CapHeight %s /StemV %s /MissingWidth %s /FontFile2 %d 0 R >>"
            % (name, flags, " ".join(_number(v) for v in face.bbox).encode(), _number(face.italicAngle).encode(),
               _number(face.ascent).encode(), _number(face.descent).encode(), _number(face.capHeight).encode(),
               _number(face.stemV).encode(), _number(face.defaultWidth).encode(), program)))
        widths = " ".join(_number(face.getCharWidth(code)) for code in subset).encode()
        self.object(number, b"<< /Type /Font /Subtype /TrueType /BaseFont /%s /FirstChar 0 /LastChar %d "
                            b"/Widths [%s] /FontDescriptor %d 0 R /ToUnicode %d 0 R >>"
                    % (name, len(subset) - 1, widths, descriptor, cmap))
        return number


def _qr_path(drawing: LabelDrawing, x: float, top: float) -> str:
    """The dark modules as one path of rectangles, a horizontal run of modules a rectangle, filled
    once (one path: no hairline seams between neighbouring modules when it is rasterised)."""
    module = drawing.module * PT
    x0, y0 = x + drawing.qr_at[0] * PT, top - drawing.qr_at[1] * PT
    side = _number(module)
    parts = []
    for row, cells in enumerate(drawing.qr):
        y = _number(y0 - (row + 1) * module)
        column, count = 0, len(cells)
        while column < count:
            if not cells[column]:
                column += 1
                continue
            start = column
            while column < count and cells[column]:
                column += 1
            parts.append(f"{_number(x0 + start * module)} {y} {_number((column - start) * module)} {side} re")
    return "\n".join(parts) + "\nf\n"


def _crop_marks(layout: Layout) -> str:
    """A short line in the margin on the extension of every cut line, :data:`CROP_OFFSET` off the grid."""
    (x0, y0), (width, height) = layout.grid_origin, layout.label
    x1, y1 = x0 + layout.columns * width, y0 + layout.rows * height
    page_height = layout.page[1]
    near, far = CROP_OFFSET, CROP_OFFSET + CROP_LENGTH
    segments = []
    for column in range(layout.columns + 1):
        x = x0 + column * width
        segments += [(x, y0 - far, x, y0 - near), (x, y1 + near, x, y1 + far)]
    for row in range(layout.rows + 1):
        y = y0 + row * height
        segments += [(x0 - far, y, x0 - near, y), (x1 + near, y, x1 + far, y)]
    lines = "\n".join(f"{_number(a * PT)} {_number((page_height - b) * PT)} m "
                      f"{_number(c * PT)} {_number((page_height - d) * PT)} l" for a, b, c, d in segments)
    return f"q 0 G {_number(CROP_WIDTH)} w\n{lines}\nS Q\n"


def _pages(labels: Iterable[Label], layout: Layout, imprint: Imprint, document: _Document,
           progress: Callable[[int], None]) -> Iterator[str]:
    """Each page's content stream, yielded as soon as the page is full (or the labels run out)."""
    (x0, y0), (width, height) = layout.grid_origin, layout.label
    page_height = layout.page[1]
    parts: list[str] = []
    count = 0
    for label in labels:
        row, column = divmod(count, layout.columns)
        left, top = (x0 + column * width) * PT, (page_height - y0 - row * height) * PT
        drawing = draw_label(label, layout, imprint, document.fonts)
        parts.append("0 g\n" + _qr_path(drawing, left, top))
        parts += [document.text(line, left + line.x * PT, top - line.baseline * PT) for line in drawing.lines]
        progress(1)
        count += 1
        if count == layout.per_page:
            yield _finish_page(parts, layout)
            parts, count = [], 0
    if parts:
        yield _finish_page(parts, layout)


def _finish_page(parts: list[str], layout: Layout) -> str:
    return "".join(parts) + (_crop_marks(layout) if layout.crop_marks else "")


def sheet_pdf(labels: Iterable[Label], out: IO[bytes] | str | os.PathLike, *, imprint: Imprint,
              layout: str = DEFAULT_LAYOUT, progress: Callable[[int], None] = lambda n: None) -> int:
    """Writes the labels as a vector PDF in ``layout`` (a key of :data:`LAYOUTS`); returns the number
    of pages. Each page is written as soon as it is drawn: nothing is written (and no file created)
    before the first page is full; a :class:`ValueError` before then for no labels, an unknown
    layout or a check address too long for the label."""
    chosen = LAYOUTS.get(layout)
    if chosen is None:
        raise ValueError(f"unknown layout {layout!r}: one of {', '.join(LAYOUTS)}")
    check_line(chosen, imprint, Fonts())
    sink = _Deferred()
    document = _Document(sink)
    pages = _pages(labels, chosen, imprint, document, progress)
    first = next(pages, None)
    if first is None:
        raise ValueError("no labels to print")
    if isinstance(out, str | os.PathLike):
        with open(out, "wb") as file:
            return _write(document, sink, file, first, pages, chosen)
    return _write(document, sink, out, first, pages, chosen)


class _Deferred:
    """Holds what the document writes before its first page is drawn (the header), until there is an output."""

    def __init__(self) -> None:
        self.held: list[bytes] = []
        self.out: IO[bytes] | None = None

    def write(self, data: bytes) -> int:
        if self.out is None:
            self.held.append(data)
        else:
            self.out.write(data)
        return len(data)

    def attach(self, out: IO[bytes]) -> None:
        self.out = out
        for data in self.held:
            out.write(data)
        self.held = []


def _write(document: _Document, sink: _Deferred, out: IO[bytes], first: str, rest: Iterator[str],
           layout: Layout) -> int:
    sink.attach(out)
    document.page(layout.page, first)
    for content in rest:
        document.page(layout.page, content)
    return document.finish()
