"""Quality gates on the built site: valid HTML, and no serious accessibility violations on
any page of either edition, the theme's own parts included, diagrams drawn and a step
ticked. (Links and anchors: tests/test_site.py.)"""

from collections import Counter

import html5lib
import pytest
from playwright.sync_api import expect

from scripts.sitetools import site_pages
from support.quality import SETTLED, axe_problems


def test_every_page_is_html_a_browser_parses_without_errors(site_dir):
    problems = []
    for html in sorted(site_dir.rglob("*.html")):
        parser = html5lib.HTMLParser(strict=False)
        parser.parse(html.read_bytes())
        problems += [f"{html.relative_to(site_dir)}: {error}" for error in parser.errors]
    assert problems == [], "\n".join(map(str, problems[:20]))


def test_no_page_has_duplicate_ids(site_dir):
    import re

    for html in site_dir.rglob("*.html"):
        ids = re.findall(r'\sid="([^"]+)"', html.read_text(encoding="utf-8"))
        twice = [i for i, n in Counter(ids).items() if n > 1]
        assert twice == [], f"{html.relative_to(site_dir)}: {twice}"


@pytest.fixture(scope="module")
def _axe_page(browser, browser_context_args):
    """One context for every page (they are only looked at, bar one tick per page)."""
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    page.requests = []
    page.on("request", lambda r: page.requests.append(r.url))
    yield page
    context.close()


@pytest.fixture
def axe_page(_axe_page):
    """The page; afterwards, no request has left the machine (file://) or the server."""
    _axe_page.requests.clear()
    yield _axe_page
    local = ("file:", "data:", "blob:", "about:", "http://127.0.0.1:")
    outside = [u for u in _axe_page.requests if not u.startswith(local)]
    assert outside == [], outside


DRAWN = """() => [...document.querySelectorAll('figure.hb-diagram')]
  .every(f => f.querySelector('svg'))"""


def check_the_page_as_used(page) -> None:
    """Diagrams drawn, and a step ticked (its time shown) where there are steps."""
    page.wait_for_function(DRAWN)
    boxes = page.locator("input.hb-step__box")
    if boxes.count():
        boxes.first.check()
        expect(page.locator("time.hb-step__time").first).to_be_visible()
    # Ticking scrolls, and Material fades the header's title in: check the settled page,
    # not a frame of the fade (axe reads a half-transparent title as low contrast).
    page.evaluate(SETTLED)


def test_no_serious_accessibility_violations_on_any_page(axe_page, server, site_dir):
    problems = []
    for url in [*site_pages(site_dir), "/404.html"]:
        axe_page.goto(server + url)
        check_the_page_as_used(axe_page)
        problems += axe_problems(axe_page, url)
    assert problems == [], "\n".join(problems)


def test_no_serious_accessibility_violations_on_any_offline_page(axe_page, offline_site):
    # The same pages from files: links to .html files, search in an iframe-worker. (A tick
    # is the same from a file: the pass above checks the pages with one.)
    problems = []
    for html in sorted(offline_site.rglob("*.html")):
        axe_page.goto(html.as_uri())
        axe_page.wait_for_function(DRAWN)
        problems += axe_problems(axe_page, str(html.relative_to(offline_site)))
    assert problems == [], "\n".join(problems)


def test_every_page_declares_japanese(site_dir):
    for html in site_dir.rglob("*.html"):
        assert '<html lang="ja"' in html.read_text(encoding="utf-8"), html


def test_headings_never_skip_a_level(site_dir):
    import re

    for html in site_dir.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        article = text[text.find("<article") : text.find("</article>")]
        levels = [int(n) for n in re.findall(r"<h([1-6])[\s>]", article)]
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, f"{html.relative_to(site_dir)}: h{before} then h{after}"
