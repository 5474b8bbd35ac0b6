"""Benchmarks (figures to watch for regressions, not pass/fail): build time, bytes each
page loads in Chromium (pages with a diagram load Mermaid), and the search figures.

Usage:  python scripts/bench.py            (or: python scripts/dev.py bench)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.bench_search import (  # noqa: E402
    DEFAULT_QUERIES,
    launch,
    open_search,
    read_queries,
    report,
    run_query,
    serve,
)

BUILDS = 3


def build(out: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)],
        cwd=ROOT,
        check=True,
        env=env,
    )
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
            for html in sorted(site.rglob("index.html")):
                rel = html.parent.relative_to(site).as_posix()
                url = "/" if rel == "." else f"/{rel}/"
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
