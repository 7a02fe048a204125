"""Benchmark: printing 1,000 QR stamp labels as a vector PDF, against bare qrcode+Pillow images.

Moved out of the test suite (it took about 11 s there and asserted nothing a shorter sheet
does not): the suite checks that every QR of a sheet decodes to its URL; this measures speed.

    .venv/bin/python bench/labels.py [--count 1000] [--layout a4|roll-40x30]

Prints the pages, the PDF's size and time, the process's peak memory (RSS) after writing it, and
the time to make the same QR images bare (qrcode + Pillow, no layout, no PDF), and their ratio.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from catalog.trace.printing import LAYOUTS, Imprint, Label, qr_image, sheet_pdf  # noqa: E402

IMPRINT = Imprint(registry="Hệ thống OCOP tỉnh Ninh Bình", check_address="ocop.example.vn/s")

NAMES = ["Trà San tuyết công phu Độ Khoa (Hộp 200 gram)", "Mật ong bạc hà",
         "Nước mắm cốt cá cơm Phú Quốc thượng hạng đặc biệt 40 độ đạm (Chai thủy tinh 500 ml, hộp quà Tết)"]


def labels_for(urls: list[str]) -> Iterator[Label]:
    """Streamed, as ``batch_labels`` streams them from the database."""
    return (Label(url=u, code=u.rsplit("/", 1)[1], serial=i + 1, product_name=NAMES[i % len(NAMES)],
                  stars=(3, 4, 5, None)[i % 4]) for i, u in enumerate(urls))


def measure(urls: list[str], folder: Path, layout: str = "a4") -> tuple[int, int, float, int, float]:
    """(pages, PDF bytes, seconds for the sheets, peak RSS in bytes, seconds for the bare images)."""
    started = time.perf_counter()
    pages = sheet_pdf(labels_for(urls), folder / "sheet.pdf", imprint=IMPRINT, layout=layout)
    sheet = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    started = time.perf_counter()
    for url in urls:
        qr_image(url)
    return pages, (folder / "sheet.pdf").stat().st_size, sheet, peak, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--layout", choices=list(LAYOUTS), default="a4")
    args = parser.parse_args()
    urls = [f"HTTPS://OCOP.EXAMPLE.VN/S/7KQ2M9XD4HPA{n:05d}" for n in range(args.count)]
    with tempfile.TemporaryDirectory() as tmp:
        pages, size, sheet, peak, bare = measure(urls, Path(tmp), args.layout)
    print(f"{args.count:,} labels ({args.layout}): {pages} pages, {size / 1e6:.2f} MB of PDF in {sheet:.1f} s, "
          f"peak RSS {peak / 1e6:.0f} MB; "
          f"bare qrcode+Pillow images of the same URLs: {bare:.1f} s; ratio {sheet / bare:.2f}x")


if __name__ == "__main__":
    main()
