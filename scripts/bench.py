"""Benchmarks (figures to watch for regressions, not pass/fail): build time, bytes each
page loads in Chromium (pages with a diagram load Mermaid), and the search figures.

Usage:  python scripts/dev.py bench       (in .venv: python -m scripts.bench)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from scripts.bench_search import DEFAULT_QUERIES, open_search, read_queries, report, run_query
from scripts.sitetools import build_site, launch, serve, site_pages

BUILDS = 3


def build(out: Path) -> float:
    start = time.perf_counter()
    build_site(out, check=True, capture=False, quiet=True)
    return time.perf_counter() - start


def main() -> int:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        times = [build(Path(tmp) / f"site{i}") for i in range(BUILDS)]
        site = Path(tmp) / "site0"
        print(
            f"build: median {statistics.median(times):.2f} s, max {max(times):.2f} s "
            f"({BUILDS} builds)"
        )
        httpd, base = serve(site)
        with sync_playwright() as p:
            browser = launch(p)
            print("bytes per page (fresh browser cache each page):")
            for url in site_pages(site):
                context = browser.new_context()
                page = context.new_page()
                sizes: list[int] = []
                page.on(
                    "requestfinished", lambda r, s=sizes: s.append(r.sizes()["responseBodySize"])
                )
                page.goto(base + url)
                page.wait_for_load_state("networkidle")
                diagram = page.locator("figure.hb-diagram").count() > 0
                label = "with diagram" if diagram else "no diagram"
                print(f"  {url:28} {sum(sizes) / 1024:8.0f} KiB  {label}")
                context.close()
            page = browser.new_page()
            open_search(page, base)
            outcomes = [run_query(page, base, q, e) for q, e in read_queries(DEFAULT_QUERIES)]
            print("search (" + DEFAULT_QUERIES.name + "):")
            print("  " + report(outcomes).replace("\n", "\n  "))
            browser.close()
        httpd.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
