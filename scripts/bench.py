"""Benchmarks (figures to watch for regressions; the budgets are marked, nothing fails):
build time; per page, the bytes it loads, raw and gzipped; for pages with a diagram, the
time from navigation to the diagram on screen at 1× and 4× CPU; Lighthouse mobile
Performance of the home page and a type page (if Lighthouse is installed); the search
figures; per page, the requests and the first-party scripts and styles (at most one each:
macros/bundle.py); the first tap on a same-page link (100 taps at random times after the
load on a phone: scroll-backs and refetches) and the first search of a fresh page (focus
0.5 s after the load, query typed at once: ms to the first result), at 1× and 4× CPU
(scripts/bench_first.py).

Diagrams are measured both ways, side by side (macros/diagrams.py):
  client  HB_DIAGRAMS=client: Mermaid (5.5 MB) drawing each diagram in the browser, as
          before build-time drawing (and as a diagram without cached SVG still is)
  svg     the default: the SVG drawn at build time, inline; no diagram script

Usage:  python scripts/dev.py bench [--runs N] [--lighthouse-runs N] [--no-lighthouse]
                                   [--no-search] [--taps N] [--project DIR]
        (in .venv: python -m scripts.bench …; --project: another checkout, e.g. an older one)
Lighthouse: `npm i lighthouse` in any folder, then set LIGHTHOUSE to its
node_modules/.bin/lighthouse (or have `lighthouse` on PATH). It drives the same Chromium
as the tests (CHROME_PATH is set to Debian's chromium when present).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import mimetypes
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

from scripts.bench_first import cold_search, first_taps, now_seed
from scripts.bench_search import DEFAULT_QUERIES, open_search, read_queries, report, run_query
from scripts.sitetools import ROOT, build_site, chromium_executable, launch, serve, site_pages

BUILDS = 3
MODES = ["client", "svg"]
BUDGET_RAW = 600_000  # bytes a page may load (the issue "Light pages"; KB = 1000 bytes)
LIGHTHOUSE_TARGET = 95  # mobile Performance of a type page served with gzip
TIMED_PAGES = ["/types/malware/", "/contacts/", "/basics/"]
LIGHTHOUSE_PAGES = ["/", "/types/malware/"]
COMPRESSIBLE = {".html", ".js", ".css", ".json", ".svg", ".txt", ".xml", ".map", ".mjs"}
# Set when the first diagram of the page is on screen (drawn, laid out, not hidden):
# milliseconds since navigation start, as the browser counts them.
DIAGRAM_CLOCK = """(() => {
  const look = () => {
    const svg = document.querySelector("figure.hb-diagram svg");
    const box = svg && svg.getBoundingClientRect();
    if (box && box.width > 0 && box.height > 0 && !svg.closest("figure").hidden) {
      window.__hbDiagramShown = performance.now();
    } else {
      requestAnimationFrame(look);
    }
  };
  requestAnimationFrame(look);
})();"""


def build(out: Path, mode: str, project: Path = ROOT) -> float:
    """One `mkdocs build --strict`, diagrams drawn as `mode` says (HB_DIAGRAMS)."""
    start = time.perf_counter()
    before = os.environ.get("HB_DIAGRAMS")
    os.environ["HB_DIAGRAMS"] = mode
    try:
        build_site(out, project=project, check=True, capture=False, quiet=True)
    finally:
        if before is None:
            del os.environ["HB_DIAGRAMS"]
        else:
            os.environ["HB_DIAGRAMS"] = before
    return time.perf_counter() - start


def file_of(site: Path, url: str) -> Path | None:
    path = unquote(urlparse(url).path)
    target = site / path.lstrip("/")
    if path.endswith("/"):
        target = target / "index.html"
    return target if target.is_file() else None


@functools.cache
def sizes_of(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    packed = len(gzip.compress(data, 6)) if path.suffix in COMPRESSIBLE else len(data)
    return len(data), packed


def page_weight(browser, site: Path, base: str, url: str) -> tuple[int, int, list[str]]:
    """Bytes of every file the page loads from the site (fresh cache): raw, gzipped."""
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(base + url)
    page.wait_for_load_state("networkidle")
    context.close()
    files = {f for f in (file_of(site, u) for u in requested if u.startswith(base)) if f}
    raw = sum(sizes_of(f)[0] for f in files)
    packed = sum(sizes_of(f)[1] for f in files)
    return raw, packed, requested


MATERIAL = (
    "/assets/javascripts/bundle.",
    "/assets/stylesheets/main.",
    "/assets/stylesheets/palette.",
)


def page_requests(browser, site: Path, base: str, url: str) -> tuple[int, int, int, int, int]:
    """Requests to the load event and once the network is idle (the search index comes
    after the load), and the first-party scripts and styles the page loads: the site's
    own, not Material's, not vendor/, not a worker (macros/bundle.py: one of each)."""
    context = browser.new_context()
    page = context.new_page()
    requested: list = []
    page.on("request", lambda r: requested.append(r))
    page.goto(base + url)
    at_load = len(requested)
    page.wait_for_load_state("networkidle")
    context.close()
    ours = [
        urlparse(r.url).path
        for r in requested[:at_load]
        if r.url.startswith(base) and r.resource_type in ("script", "stylesheet")
    ]
    ours = [
        p
        for p in ours
        if not p.startswith(MATERIAL) and "/vendor/" not in p and "/workers/" not in p
    ]
    scripts = sum(p.endswith(".js") for p in ours)
    styles = sum(p.endswith(".css") for p in ours)
    files = {file_of(site, r.url) for r in requested[:at_load] if r.url.startswith(base)}
    bytes_at_load = sum(sizes_of(f)[0] for f in files if f)
    return at_load, len(requested), scripts, styles, bytes_at_load


def search_weight(browser, site: Path, base: str) -> tuple[int, int]:
    """Bytes the home page loads after its load event, when the browser is idle: the search
    index and the segmenter (components/theme/search-index-on-demand.js),
    once per visit: raw, gzipped."""
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(base + "/")
    at_load = len(requested)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # the worker loads the segmenter once it has the index
    context.close()
    later = requested[at_load:]
    files = {f for f in (file_of(site, u) for u in later if u.startswith(base)) if f}
    return sum(sizes_of(f)[0] for f in files), sum(sizes_of(f)[1] for f in files)


def diagram_time(browser, base: str, url: str, rate: float) -> float:
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(DIAGRAM_CLOCK)
    if rate != 1:
        context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": rate})
    page.goto(base + url, wait_until="commit")
    page.wait_for_function("() => window.__hbDiagramShown", timeout=120_000)
    shown = page.evaluate("window.__hbDiagramShown")
    context.close()
    return shown


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves text files gzipped when the browser asks for it, as a web server set up for
    the intranet would (Lighthouse's "served with gzip")."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not path.is_file() or path.suffix not in COMPRESSIBLE or not accepts:
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.send_header("Content-Type", kind + ("; charset=utf-8" if "text" in kind else ""))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve_gzip(site: Path):
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(site))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def lighthouse_binary() -> str | None:
    return os.environ.get("LIGHTHOUSE") or shutil.which("lighthouse")


def lighthouse_score(binary: str, url: str) -> int | None:
    env = dict(os.environ)
    if chromium_executable(headless_shell=False):
        env["CHROME_PATH"] = chromium_executable(headless_shell=False)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        result = subprocess.run(
            [
                binary,
                url,
                "--only-categories=performance",
                "--output=json",
                f"--output-path={out}",
                "--quiet",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0 or not out.exists():
            print(f"  lighthouse failed for {url}: {result.stderr.strip()[-300:]}")
            return None
        score = json.loads(out.read_text(encoding="utf-8"))["categories"]["performance"]["score"]
        return None if score is None else round(score * 100)


def median_score(binary: str, url: str, runs: int) -> int | None:
    scores = [s for s in (lighthouse_score(binary, url) for _ in range(runs)) if s is not None]
    return round(statistics.median(scores)) if scores else None


def kb(n: float) -> str:
    return f"{n / 1000:7.0f}"


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed loads per page (median)")
    parser.add_argument("--lighthouse-runs", type=int, default=1, help="runs per score (median)")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--no-search", action="store_true")
    parser.add_argument("--taps", type=int, default=100, help="first taps per CPU rate")
    parser.add_argument("--seed", type=int, default=None, help="of the first taps' times")
    parser.add_argument("--project", type=Path, default=ROOT, help="the project to build")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        sites = {mode: Path(tmp) / mode for mode in MODES}
        times = [build(Path(tmp) / f"svg-{i}", "svg", args.project) for i in range(BUILDS)]
        print(
            f"build: median {statistics.median(times):.2f} s, max {max(times):.2f} s "
            f"({BUILDS} builds, diagrams from the SVG cache)"
        )
        build(sites["client"], "client", args.project)
        build(sites["svg"], "svg", args.project)
        servers = {mode: serve(site) for mode, site in sites.items()}
        base = {mode: servers[mode][1] for mode in MODES}
        with sync_playwright() as p:
            browser = launch(p)
            print("\nbytes per page, everything it loads from the server (fresh browser cache)")
            print(f"  budget: {BUDGET_RAW // 1000} KB raw; KB (1000 bytes) raw / gzipped")
            print(f"  {'page':28} {'client raw':>10} {'gzip':>7}   {'svg raw':>7} {'gzip':>7}")
            worst = 0
            for url in site_pages(sites["svg"]):
                row = []
                for mode in MODES:
                    raw, packed, requested = page_weight(browser, sites[mode], base[mode], url)
                    row.append((raw, packed, requested))
                (c_raw, c_gz, _), (s_raw, s_gz, s_requested) = row
                mermaid = any("mermaid" in u for u in s_requested)
                worst = max(worst, s_raw)
                flag = "  over budget" if s_raw > BUDGET_RAW else ""
                flag += "  (svg page requested Mermaid!)" if mermaid else ""
                print(f"  {url:28} {kb(c_raw):>10} {kb(c_gz)}   {kb(s_raw)} {kb(s_gz)}{flag}")
            verdict = "within" if worst <= BUDGET_RAW else "OVER"
            print(f"  heaviest page (svg): {worst / 1000:.0f} KB raw, {verdict} the budget")
            raw, packed = search_weight(browser, sites["svg"], base["svg"])
            print(
                f"  of which after the load event, when idle (search index and segmenter, once"
                f" per visit): {kb(raw).strip()} KB raw, {kb(packed).strip()} KB gzipped"
            )

            print("\nrequests per page (svg): to the load event / once idle; first-party")
            print("  scripts and styles at load (the site's own: at most one of each)")
            print(
                f"  {'page':28} {'at load':>7} {'idle':>5} {'js':>3} {'css':>4} {'KB at load':>10}"
            )
            for url in site_pages(sites["svg"]):
                at_load, idle, js, css, size = page_requests(
                    browser, sites["svg"], base["svg"], url
                )
                flag = "  more than one script or style!" if js > 1 or css > 1 else ""
                flag += "  over budget at load" if size > BUDGET_RAW else ""
                print(f"  {url:28} {at_load:7} {idle:5} {js:3} {css:4} {size / 1000:10.0f}{flag}")

            seed = args.seed if args.seed is not None else now_seed()
            print(f"\nfirst tap on a same-page link, phone 390×844 ({args.taps} taps, seed {seed})")
            print("  and first search of a fresh page (focus 0.5 s after load; ms to 1st result)")
            for rate in (1, 4):
                taps = first_taps(browser, base["svg"], args.taps, seed, rate)
                back = sum(t.scrolled_back for t in taps)
                fetched = sum(t.refetches for t in taps)
                cold = [
                    cold_search(browser, base["svg"], "ふんしつ", rate) for _ in range(args.runs)
                ]
                print(
                    f"  {rate}× CPU: {back} scroll back, {fetched} refetches of {len(taps)} taps;"
                    f" first result {statistics.median(cold):.0f} ms (median of {len(cold)},"
                    f" max {max(cold):.0f})"
                )

            print(f"\nnavigation → first diagram on screen, ms (median of {args.runs})")
            print(f"  {'page':28} {'client 1×':>9} {'4×':>7}   {'svg 1×':>7} {'4×':>7}")
            for url in TIMED_PAGES:
                cells = []
                for mode in MODES:
                    for rate in (1, 4):
                        runs = [
                            diagram_time(browser, base[mode], url, rate) for _ in range(args.runs)
                        ]
                        cells.append(statistics.median(runs))
                print(
                    f"  {url:28} {cells[0]:9.0f} {cells[1]:7.0f}   {cells[2]:7.0f} {cells[3]:7.0f}"
                )

            if not args.no_search:
                page = browser.new_page()
                open_search(page, base["svg"])
                queries = read_queries(DEFAULT_QUERIES)
                outcomes = [run_query(page, base["svg"], q, e) for q, e in queries]
                print("\nsearch (" + DEFAULT_QUERIES.name + "):")
                print("  " + report(outcomes).replace("\n", "\n  "))
            browser.close()
        for httpd, _ in servers.values():
            httpd.shutdown()

        binary = None if args.no_lighthouse else lighthouse_binary()
        if args.no_lighthouse:
            pass
        elif not binary:
            print("\nLighthouse: not installed (npm i lighthouse; set LIGHTHOUSE=…/lighthouse)")
        else:
            print(
                f"\nLighthouse mobile Performance (target ≥ {LIGHTHOUSE_TARGET} on a type page, gzip)"
            )
            print(f"  {'page':28} {'server':7} {'client':>6} {'svg':>6}")
            plain = {mode: serve(site) for mode, site in sites.items()}
            packed = {mode: serve_gzip(site) for mode, site in sites.items()}
            for url in LIGHTHOUSE_PAGES:
                for name, servers in (("gzip", packed), ("plain", plain)):
                    scores = [
                        median_score(binary, servers[m][1] + url, args.lighthouse_runs)
                        for m in MODES
                    ]
                    text = [f"{s:6d}" if s is not None else "     —" for s in scores]
                    print(f"  {url:28} {name:7} {text[0]} {text[1]}")
            for httpd, _ in [*plain.values(), *packed.values()]:
                httpd.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
