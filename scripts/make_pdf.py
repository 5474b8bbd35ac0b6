"""Write the printable checklists as PDF files (A4), for those who print from a shared
folder: one per incident type and the whole print set.

Usage:  python scripts/dev.py pdf       (in .venv: python -m scripts.make_pdf)

Builds the site, prints each page with Chromium (Japanese fonts: Debian's fonts-noto-cjk),
writes docs/pdf/*.pdf and docs/pdf/manifest.json (what they were made from: SITE_URL with
its final "/", a sha256 of each data, template, style and code file, and of each PDF), then
builds site/ again and checks that the print page links them all. A build leaves the PDFs
out when any of that has changed since, and a build to publish stops (macros/pdfs.py).
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
    # As MkDocs reads it (a final "/" added): the manifest and the build name one address.
    site_url = pdfs.normalise_url(os.environ.get("SITE_URL"))
    targets = {f"{tid}.pdf": f"/types/{tid}/" for tid in handbook.types}
    targets[PRINT_SET] = "/print/"
    if not os.environ.get("SITE_URL"):
        print(
            f"SITE_URL がありません: 印刷物の下部のアドレスは {site_url} になります。", flush=True
        )
    before = pdfs.source_hashes(ROOT)
    PDF_DIR.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        build_site(
            Path(tmp) / "site",
            ROOT,
            site_url=site_url,
            check=True,
            capture=False,
            quiet=True,
            pdfs="none",
        )
        httpd, base = serve(Path(tmp) / "site")
        # Printed into a new folder that replaces docs/pdf/ only when complete.
        fresh = Path(tempfile.mkdtemp(prefix=".pdf-", dir=PDF_DIR.parent))
        try:
            with sync_playwright() as p:
                browser = launch(p)
                page = browser.new_page()
                for name, url in targets.items():
                    print_pdf(page, base + url, fresh / name)
                    print(f"wrote docs/pdf/{name}")
                browser.close()
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        finally:
            httpd.shutdown()
    manifest = pdfs.manifest_for(ROOT, site_url, handbook.edition.line, fresh, list(targets))
    if manifest["sources"] != before:  # edited while printing: the sheets may mix both
        shutil.rmtree(fresh, ignore_errors=True)
        print(
            "印刷中にデータなどが変わりました。もう一度 python3 scripts/dev.py pdf を実行してください。"
        )
        return 1
    pdfs.write_manifest(fresh, manifest)
    shutil.rmtree(PDF_DIR, ignore_errors=True)
    fresh.rename(PDF_DIR)
    site = ROOT / "site"
    build_site(site, ROOT, site_url=site_url, check=True, capture=False, quiet=True)
    linked = sorted(p.name for p in (site / "pdf").glob("*.pdf"))
    if linked != sorted(targets):
        print(
            f"site/ に PDF を載せられませんでした（載ったもの: {len(linked)} / {len(targets)}）。"
        )
        return 1
    print(
        f"site/ を {site_url} 用にビルドし、PDF {len(linked)} 件を「印刷用チェックリスト」から"
        "リンクしました。公開するビルド（build --gzip など）も同じ SITE_URL で実行してください。"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
