"""Escaped by construction: a copy of data/ in which every text holds HTML, a Markdown
link, an attribute list, a Jinja expression and scripts. Built for real and opened in
Chromium, every page must show that text as text: no element or attribute from it,
no javascript: URL, no script run, and the words on screen exactly the words in the data.

Ids, references, numbers, dates and phone numbers keep their values (the schema allows
no other); every other string gets the payload appended.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from macros.data import load_handbook
from scripts.bench_search import open_search, run_query
from scripts.sitetools import build_site, serve, site_pages
from support.browser import hold_search_index
from support.project import copy_project

# No whitespace: keywords must be single words. Each part sets a flag if it ever runs.
PAYLOAD = (
    "<img/src=x/onerror=window.__hbEvil=1><script>window.__hbEvil=2</script>"
    "[x](javascript:window.__hbEvil=3)**b**{:onclick=window.__hbEvil=4}{{7*7}}`c`\"'&#"
    "</title></textarea></style><script>window.__hbEvil=5</script>"
)
KEEP = {
    "id",
    "storage_id",
    "primary_contact",
    "contact",
    "phase",
    "information",
    "severity",
    "from",
    "to",
}
KEEP |= {
    "number",
    "extension",
    "date",
    "position",
    "yomi",
    "urgent",
    "first_actions",
    "steps",
    "type",  # a scenario's type id (data/scenarios/)
}  # steps: lists
# of references in revisions.yml; a type's steps are dicts, whose texts are poisoned.
# accessibility.yml: its standard, levels, page addresses and test ids (its texts are poisoned).
KEEP |= {"standard", "target", "level", "url", "tests", "title_lang", "result"}
FIND_PAYLOAD_EFFECTS = """() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name)) found.push(`${el.tagName} ${attr.name}="${attr.value}"`);
      if (/^\\s*javascript:/i.test(attr.value)) found.push(`${el.tagName} ${attr.name} javascript:`);
    }
  }
  document.querySelectorAll("img[src='x'], img[src$='/x']").forEach(() => found.push("img from payload"));
  document.querySelectorAll("script").forEach((s) => {
    if (s.textContent.trim().startsWith("window.__hbEvil")) found.push("script from payload");
  });
  if (window.__hbEvil !== undefined) found.push(`script ran: ${window.__hbEvil}`);
  return found;
}"""


def poison(value, key=None):
    """The payload appended to every free text of a YAML value."""
    if isinstance(value, dict):
        return {k: poison(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [poison(v, key) for v in value]
    if isinstance(value, str) and key not in KEEP:
        return value + PAYLOAD
    return value


def make_evil_project(target: Path) -> Path:
    copy_project(target)
    for path in (target / "data").rglob("*.yml"):
        if path.name == "published-steps.yml":
            continue
        content = poison(yaml.safe_load(path.read_text(encoding="utf-8")))
        path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("evil")
    project = make_evil_project(tmp / "project")
    refused = build_site(tmp / "refused", project)
    assert (
        refused.returncode != 0
        and "HTML のタグや Markdown のリンク" in refused.stdout + refused.stderr
    )
    httpd, base = serve(tmp / "site")
    with pytest.MonkeyPatch.context() as env:
        # Past the loader's refusal: the templates must be safe regardless.
        env.setenv("HB_ALLOW_MARKUP_FOR_TESTS", "1")
        result = build_site(tmp / "site", project, site_url=base + "/")
    assert result.returncode == 0, result.stdout + result.stderr
    yield tmp / "site", base, load_handbook(project / "data", allow_markup=True)
    httpd.shutdown()


@pytest.fixture(scope="module")
def evil_context(browser):
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo")
    hold_search_index(context)  # fetched when the search box is used (the search test)
    yield context
    context.close()


def test_evil_data_reaches_every_text_field(evil_site):
    """The payload is in every text field (the loader refuses it unless told, see above)."""
    _, _, handbook = evil_site
    assert handbook.organization.name.endswith(PAYLOAD)
    incident = handbook.types["malware"]
    assert incident.title.endswith(PAYLOAD) and incident.phases[0].steps[0].text.endswith(PAYLOAD)


def test_every_page_shows_the_payload_as_text_and_runs_nothing(evil_site, evil_context):
    site, base, handbook = evil_site
    pages = site_pages(site)
    assert len(pages) >= 10
    dialogs: list[str] = []
    evil_context.on(
        "page", lambda p: p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    )
    page = evil_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    for url in pages:
        page.goto(base + url)
        page.wait_for_load_state("load")
        for figure in page.locator("figure.hb-diagram").all():
            expect(figure.locator("svg")).to_have_count(1)  # drawn, with the payload in it
        assert page.evaluate(FIND_PAYLOAD_EFFECTS) == [], url
        text = page.locator("body").inner_text()
        assert PAYLOAD in text, url
        assert PAYLOAD in page.title(), url
    assert dialogs == [] and errors == []


def test_type_page_texts_equal_the_data(evil_site, evil_context):
    site, base, handbook = evil_site
    incident = handbook.types["malware"]
    page = evil_context.new_page()
    page.goto(f"{base}/types/malware/")
    expect(page.get_by_role("heading", level=1)).to_have_text(incident.heading)
    labels = page.locator("label.hb-step__label .hb-step__text").all_inner_texts()
    assert labels == [s.text for p in incident.phases for s in p.steps]
    cases = page.locator(".hb-cases__list li").all_inner_texts()
    assert cases == incident.cases
    svg_text = page.locator("figure.hb-diagram svg").first.text_content()
    assert handbook.phases[0].title in svg_text and "<img/src=x" in svg_text
    assert page.evaluate(FIND_PAYLOAD_EFFECTS) == []


def test_home_choices_and_search_results_show_the_payload_as_text(evil_site, evil_context):
    site, base, handbook = evil_site
    page = evil_context.new_page()
    page.goto(base + "/")
    choices = page.locator("a.hb-choice .hb-choice__plain").all_inner_texts()
    assert choices == [t.plain_title for t in handbook.types.values()]
    nav = page.locator("nav.md-nav--primary")
    for t in handbook.types.values():
        link = nav.get_by_role("link", name=f"{t.number} {t.short_title}", exact=True)
        expect(link).to_have_attribute("href", re.compile(f"types/{t.id}/$"))
    open_search(page, base)
    outcome = run_query(page, base, "不正プログラム", ["malware"])
    assert outcome.pages[0] == "malware"
    results = page.locator(".md-search-result__item")
    assert any(PAYLOAD in text for text in results.all_inner_texts())
    assert page.evaluate(FIND_PAYLOAD_EFFECTS) == []
