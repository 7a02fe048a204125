"""Screenshots of what a shopper sees on a phone (390 x 844), for docs/SHOPPER.md.

Loads the demo data into a scratch SQLite database, serves the catalog in this process and drives
Debian's Chromium (Playwright) through the public pages, every verdict, the hand check and the report
flow. Run from the repository's root after ``./dev test --version`` (which installs Playwright):

    .venv/bin/python docs/screenshots.py            # writes docs/screenshots/*.png
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
sys.path.insert(0, str(ROOT))


def demo_database() -> tuple[str, dict[str, str]]:
    url = f"sqlite:///{tempfile.mkdtemp(prefix='shots-')}/demo.sqlite3"
    env = {**os.environ, "DATABASE_URL": url, "CATALOG_JOBS_IMMEDIATE": "1"}
    flask = [str(Path(sys.executable).parent / "flask"), "--app", "catalog"]
    subprocess.run([*flask, "db", "upgrade"], env=env, check=True, capture_output=True)
    done = subprocess.run([*flask, "demo-data", "--seed", "1"], env=env, check=True, capture_output=True, text=True)
    examples = dict(re.findall(r"(\w+) /s/(\w+)", done.stdout))
    return url, examples


def main() -> None:
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from catalog import create_app

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    url, examples = demo_database()
    app = create_app({"DATABASE_URL": url, "CATALOG_JOBS_IMMEDIATE": True})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    chromium = os.environ.get("CATALOG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1,
                                   java_script_enabled=False).new_page()

        weights: dict[str, int] = {}

        def weight(path: str) -> int:
            """Bytes a first visit of ``path`` loads (HTML, stylesheet, images the first screen asks for)."""
            weights.clear()
            fresh = page.context.browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
            other = fresh.new_page()
            other.on("response", lambda r: weights.__setitem__(r.url, len(r.body()) if r.ok else 0))
            other.goto(base + path, wait_until="networkidle")
            fresh.close()
            return sum(weights.values())

        def shot(name: str, path: str | None = None, full: bool = False) -> None:
            if path is not None:
                page.goto(base + path)
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=full)
            print(f"docs/screenshots/{name}.png  {page.url.replace(base, '')}")

        shot("01-home", "/")
        shot("02-search", "/search?q=tr%C3%A0")
        page.locator("ul.cards a").first.click()
        shot("03-product", full=True)
        for verdict in ("genuine", "expired", "revoked", "voided", "suspicious"):
            if verdict in examples:
                shot(f"04-scan-{verdict}", f"/s/{examples[verdict]}", full=True)
        shot("05-scan-unknown", "/s/2EZMV9V4RG4GYE3JA", full=True)
        code = examples.get("genuine")
        if code:
            page.goto(base + "/s")
            if page.locator("input[name=code]").count():
                page.fill("input[name=code]", " ".join(code[i:i + 4] for i in range(0, len(code), 4)).lower())
                shot("06-check-by-hand")
                page.locator("input[name=code]").press("Enter")
            page.goto(base + f"/s/{code}/report")
            shot("07-report-form", full=True)
            page.fill("#message", "Tem bị bóc ra rồi dán lại, hộp bị móp.")
            page.fill("#contact", "0912 345 678")
            page.fill("#purchase_place", "Chợ Hàm Yên")
            page.locator("form button[type=submit]").click()
            shot("08-report-sent", full=True)
            page.goto(page.url.split("?", 1)[0])
            shot("09-report-status", full=True)
            print(f"first visit, on a phone: home {weight('/') / 1024:.1f} KB, "
                  f"scan page {weight(f'/s/{code}') / 1024:.1f} KB")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
