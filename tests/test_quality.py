"""Quality gates on the built site: valid HTML, and no serious accessibility violations on
any page, the theme's own parts included. (Links and anchors: tests/test_site.py.)"""

from collections import Counter

import html5lib
import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import site_pages


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
def axe_page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_no_serious_accessibility_violations_on_any_page(axe_page, server, site_dir):
    problems = []
    for url in [*site_pages(site_dir), "/404.html"]:
        axe_page.goto(server + url)
        axe_page.wait_for_load_state("networkidle")
        for v in Axe().run(axe_page).response["violations"]:
            if v["impact"] in ("serious", "critical"):
                problems.append(f"{url}: {v['id']} — {v['help']}")
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
