"""Write the printable checklists as PDF files (A4), for those who print from a shared
folder: one per incident type and the whole print set.

Usage:  python scripts/dev.py pdf       (in .venv: python -m scripts.make_pdf)

Builds the site, prints each page with Chromium (Japanese fonts: Debian's fonts-noto-cjk),
writes docs/pdf/*.pdf and docs/pdf/manifest.json (what they were made from), then builds
site/ again so that the print page links the PDFs. A build leaves the PDFs out when the
data, templates, print stylesheet or SITE_URL have changed since (macros/pdfs.py).
The printed footer carries each page's address: set SITE_URL to the server's address,
the same as for the build (e.g. SITE_URL=http://intranet/handbook/ python3 scripts/dev.py pdf).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from macros import pdfs
from macros.data import load_handbook
from scripts.sitetools import build_site, launch, serve

ROOT = Path(__file__).resolve().parent.parent


PDF_DIR = ROOT / "docs" / "pdf"
PRINT_SET = pdfs.PRINT_SET
DEFAULT_SITE_URL = "http://localhost/"  # mkdocs.yml's default


def print_pdf(page, url: str, path: Path | None = None) -> bytes:
    """Print one page as a user would: print media, `beforeprint`, A4."""
    page.emulate_media(media="print")
    # "load", not "networkidle": `mkdocs serve` keeps a live-reload request open.
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    return page.pdf(
        path=str(path) if path else None,
        format="A4",
        print_background=True,
        prefer_css_page_size=True,
    )


def main() -> int:
    from playwright.sync_api import sync_playwright

    handbook = load_handbook(ROOT / "data")
    site_url = os.environ.get("SITE_URL") or DEFAULT_SITE_URL
    targets = {f"{tid}.pdf": f"/types/{tid}/" for tid in handbook.types}
    targets[PRINT_SET] = "/print/"
    if site_url == DEFAULT_SITE_URL:
        print(f"SITE_URL is not set: the printed footers will read {site_url}…", flush=True)
    shutil.rmtree(PDF_DIR, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        build_site(Path(tmp) / "site", check=True, capture=False, quiet=True)
        httpd, base = serve(Path(tmp) / "site")
        PDF_DIR.mkdir(parents=True)
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page()
            for name, url in targets.items():
                print_pdf(page, base + url, PDF_DIR / name)
                print(f"wrote docs/pdf/{name}")
            browser.close()
        httpd.shutdown()
    pdfs.write_manifest(PDF_DIR, ROOT, site_url, handbook.edition.line, list(targets))
    build_site(ROOT / "site", check=True, capture=False, quiet=True)
    print("built site/ with the PDFs linked from print/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
