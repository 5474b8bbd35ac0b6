"""Search benchmark: type each query into the real search box in Chromium and check the
first results against the expected page.

Usage:  python scripts/dev.py bench-search [QUERIES.tsv ...] [options]
        (in .venv: python -m scripts.bench_search ...)

  (no file)          every query file: tests/fixtures/search-queries*.tsv and, where it
                     exists, ../shared/search-queries.tsv
  --site DIR         an already built site (default: build this working tree)
  --baseline REV     also build git revision REV (e.g. HEAD~3) and measure it first, so the
                     summary shows each file before and after
  --types N          measure a copy of the project grown to N types (data/types/*.yml
                     copied with new ids and numbers; a copy's page counts as its original)
  --cpu-throttle R   slow the page and its search worker down R times (CDP
                     Emulation.setCPUThrottlingRate), e.g. 4 for a slow office PC; the
                     worker then runs on the page's thread (see WORKER_ON_PAGE_THREAD)
  --quiet            only the summary table

QUERIES.tsv: one query per line, a tab, then the acceptable first result(s) as page ids
(`loss-theft` for types/loss-theft/, `basics`, `contacts`, `home`), comma-separated.
Lines starting with # are comments.
Prints, per file, top-1 and top-3 hit rates and the time from setting the query to the
results drawn (median and max, ms, timed in the page), then every query whose first result
is wrong; last, a summary table of all files. Timings are noisy on a busy machine: compare
runs made under similar load (`uptime`).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from scripts.sitetools import build_site, launch, serve

ROOT = Path(__file__).resolve().parent.parent


DEFAULT_QUERIES = ROOT / "tests" / "fixtures" / "search-queries.tsv"
SHARED_QUERIES = ROOT.parent / "shared" / "search-queries.tsv"
COPY_SUFFIX = re.compile(r"-x[0-9]+$")  # loss-theft-x2: a copy made by --types
NUMBER = re.compile(r'^number: "[^"]*"', re.M)


def query_files() -> list[Path]:
    """Every query file of the project, and the shared one where it exists."""
    files = sorted((ROOT / "tests" / "fixtures").glob("search-queries*.tsv"))
    return files + ([SHARED_QUERIES] if SHARED_QUERIES.exists() else [])


# Marks when the search result (its count line and its list) changes after a keystroke
# (performance.now() in ms). Material fills both in the task that handles the worker's
# answer, so the first change is the results drawn; the count line also changes when a
# query finds nothing after another query that found nothing.
WATCH_RESULTS = """() => {
  window.__hbDone = 0;
  const result = document.querySelector('.md-search-result');
  if (!window.__hbObserver) {
    window.__hbObserver = new MutationObserver(() => {
      if (!window.__hbDone) window.__hbDone = performance.now();
    });
    window.__hbObserver.observe(result, {childList: true, subtree: true, characterData: true});
  }
  window.__hbStart = performance.now();
}"""
FIRST_PAGES = """() => [...document.querySelectorAll('.md-search-result__list > li')]
  .slice(0, 3).map(li => li.querySelector('a').getAttribute('href'))"""


@dataclass
class Outcome:
    query: str
    expected: list[str]
    pages: list[str]
    ms: float
    retried: bool = False

    @property
    def top1(self) -> bool:
        return bool(self.pages) and self.pages[0] in self.expected

    @property
    def top3(self) -> bool:
        return any(p in self.expected for p in self.pages[:3])


def read_queries(path: Path) -> list[tuple[str, list[str]]]:
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, expected = line.split("\t")[:2]
        queries.append((query, [e.strip() for e in expected.split(",")]))
    return queries


def page_id(href: str, base: str) -> str:
    """'http://127.0.0.1:8000/types/malware/#discovery' -> 'malware'."""
    path = href.replace(base, "").split("#")[0].split("?")[0].strip("/")
    path = path.removesuffix("index.html").removesuffix(".html").strip("/")  # offline edition
    if path.startswith("types/"):
        return path.split("/")[1]
    return path or "home"


def open_search(page, base: str) -> None:
    # A folder has no index under file:// (the offline edition): open index.html itself.
    page.goto(base + ("/index.html" if base.startswith("file:") else "/"))
    # Until the worker has built its index, the count line says so (検索を初期化).
    meta = page.locator(".md-search-result__meta")
    initialising = meta.text_content().strip()
    search = page.locator("input.md-search__input")
    search.click()
    # The worker is ready once a query gets an answer.
    search.fill("a")
    page.keyboard.press("End")
    page.wait_for_function(
        "t => !['', t].includes(document.querySelector('.md-search-result__meta')"
        ".textContent.trim())",
        arg=initialising,
        timeout=60000,
    )


def _type(page, query: str) -> bool:
    """Set the query and press a key (Material listens to keyup); True once results are
    drawn within 5 s."""
    page.locator("input.md-search__input").fill(query)
    page.evaluate(WATCH_RESULTS)
    page.keyboard.press("End")
    try:
        page.wait_for_function("window.__hbDone > 0", timeout=5000)
    except Exception:
        return False
    return True


def run_query(page, base: str, query: str, expected: list[str], retry: bool = True) -> Outcome:
    """Type one query as a user would (fill, then a key: Material listens to keyup)."""
    search = page.locator("input.md-search__input")
    if search.input_value() == query:
        # Material searches only when the text changes: type something else first.
        _type(page, query + " ー")
    if not search.evaluate("el => el === document.activeElement"):
        # Material also searches when the box gains focus: let that search finish first.
        search.focus()
        page.wait_for_timeout(300)
    if not _type(page, query):
        if not retry:
            raise TimeoutError(f"no search results drawn for {query!r}")
        # Seen once in ~600 queries: no new results after the keystroke. Type the query
        # again (after another text) and time that attempt; the report counts retries.
        outcome = run_query(page, base, query, expected, retry=False)
        outcome.retried = True
        return outcome
    page.wait_for_timeout(30)  # let the list finish rendering
    ms = page.evaluate("window.__hbDone - window.__hbStart")
    hrefs = page.evaluate(FIRST_PAGES)
    return Outcome(query, expected, [page_id(h, base) for h in hrefs], ms)


def report(outcomes: list[Outcome]) -> str:
    n = len(outcomes)
    times = [o.ms for o in outcomes]
    lines = [
        f"queries: {n}",
        f"top-1: {sum(o.top1 for o in outcomes)}/{n} ({sum(o.top1 for o in outcomes) / n:.0%})",
        f"top-3: {sum(o.top3 for o in outcomes)}/{n} ({sum(o.top3 for o in outcomes) / n:.0%})",
        f"latency (query set to results drawn): median {statistics.median(times):.1f} ms, "
        f"max {max(times):.1f} ms",
    ]
    retried = [o.query for o in outcomes if o.retried]
    if retried:
        lines.append(f"retried (no results after the first keystroke): {retried}")
    for o in outcomes:
        if not o.top1:
            lines.append(f"  MISS {o.query!r}: expected {o.expected}, got {o.pages}")
    return "\n".join(lines)


def file_label(path: Path) -> str:
    """tests/fixtures/search-queries.tsv, ../shared/search-queries.tsv"""
    path = path.resolve()
    if path.is_relative_to(ROOT):
        return path.relative_to(ROOT).as_posix()
    if path.is_relative_to(ROOT.parent):
        return "../" + path.relative_to(ROOT.parent).as_posix()
    return str(path)


def summary_row(label: str, name: str, outcomes: list[Outcome]) -> str:
    n = len(outcomes)
    times = [o.ms for o in outcomes]
    top1, top3 = sum(o.top1 for o in outcomes), sum(o.top3 for o in outcomes)
    return (
        f"| {name} | {label} | {top1}/{n} ({top1 / n:.0%}) | {top3}/{n} ({top3 / n:.0%}) "
        f"| {statistics.median(times):.1f} | {max(times):.1f} |"
    )


# --- sites to measure ---------------------------------------------------------------


def project_at(rev: str, dest: Path) -> Path:
    """The project as committed at rev (git archive), unpacked into dest."""
    dest.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", rev], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def grown_copy(project: Path, dest: Path, types: int) -> Path:
    """A copy of project with `types` incident types: data/types/*.yml copied under new
    ids (<id>-x<k>) and numbers (<3+k>-<n>). Only the copy changes, never data/."""
    shutil.copytree(
        project,
        dest,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "site", "dist", "test-results", "__pycache__"
        ),
    )
    folder = dest / "data" / "types"
    originals = sorted(folder.glob("*.yml"))
    k = 0
    while len(list(folder.glob("*.yml"))) < types:
        k += 1
        for n, path in enumerate(originals, start=1):
            if len(list(folder.glob("*.yml"))) >= types:
                break
            text = NUMBER.sub(f'number: "{3 + k}-{n}"', path.read_text(encoding="utf-8"), 1)
            (folder / f"{path.stem}-x{k}.yml").write_text(text, encoding="utf-8")
    return dest


def measure(site: Path, files: list[Path], throttle: float, label: str, quiet: bool):
    """{file: outcomes} for one built site."""
    from playwright.sync_api import sync_playwright

    results: dict[Path, list[Outcome]] = {}
    httpd, base = serve(site)
    try:
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page()
            if throttle != 1:
                throttle_cpu(page, throttle)
            open_search(page, base)
            for path in files:
                outcomes = [run_query(page, base, q, e) for q, e in read_queries(path)]
                for o in outcomes:  # a copy of a type (--types) counts as the type
                    o.pages = [COPY_SUFFIX.sub("", p) for p in o.pages]
                results[path] = outcomes
                if not quiet:
                    print(f"{label} — {file_label(path)}:")
                    print("  " + report(outcomes).replace("\n", "\n  "), flush=True)
            browser.close()
    finally:
        httpd.shutdown()
    return results


# Chromium throttles only a page's own thread (a worker answers Emulation.setCPUThrottling
# Rate with "only supported for pages"). So that a throttled run slows the search too,
# the worker then runs in an iframe on the page's thread: the iframe-worker shim, which
# every page loads (mkdocs.yml, polyfills) and the offline edition uses.
WORKER_ON_PAGE_THREAD = """Object.defineProperty(window, "IFrameWorker", {
  configurable: true,
  get() { return this.__hbIFrameWorker; },
  set(shim) { this.__hbIFrameWorker = shim; window.Worker = shim; },
});"""


def throttle_cpu(page, rate: float) -> None:
    """Slow the page down rate times (CDP), the search worker with it (call before goto)."""
    page.add_init_script(WORKER_ON_PAGE_THREAD)
    page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": rate})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queries", nargs="*", type=Path)
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    parser.add_argument("--baseline", metavar="REV", help="also measure git revision REV first")
    parser.add_argument("--types", type=int, help="grow a copy of the project to N types")
    parser.add_argument("--cpu-throttle", type=float, default=1.0, metavar="RATE")
    parser.add_argument("--quiet", action="store_true", help="only the summary table")
    args = parser.parse_args()
    files = args.queries or query_files()

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sites: list[tuple[str, Path]] = []
        projects: list[tuple[str, Path]] = []
        if args.baseline:
            projects.append((f"before ({args.baseline})", project_at(args.baseline, tmp / "base")))
        if args.site is None:
            projects.append(("after" if args.baseline else "this tree", ROOT))
        for label, project in projects:
            if args.types:
                project = grown_copy(project, tmp / f"grown-{len(sites)}", args.types)
            site = tmp / f"site-{len(sites)}"
            build_site(site, project=project, check=True, capture=False, quiet=True)
            sites.append((label, site))
        if args.site is not None:
            sites.append((str(args.site), args.site))
        for label, site in sites:
            detail = [f"{args.types} types" if args.types else ""]
            detail += [f"CPU {args.cpu_throttle:g}x"] if args.cpu_throttle != 1 else []
            label = " ".join([label, *filter(None, detail)])
            results = measure(site, files, args.cpu_throttle, label, args.quiet)
            rows += [summary_row(label, file_label(p), outcomes) for p, outcomes in results.items()]
    print("\n| queries | site | top-1 | top-3 | median ms | max ms |")
    print("|---|---|---|---|---|---|")
    print("\n".join(sorted(rows, key=lambda r: r.split("|")[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
