"""The built site in a real Chromium: every page loads cleanly, offline-safe, complete."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from playwright.sync_api import expect

from conftest import site_pages
from macros.data import load_handbook

ROOT = Path(__file__).resolve().parent.parent
HANDBOOK = load_handbook(ROOT / "data")
TYPE_IDS = list(HANDBOOK.types)
PHASE_OF_EACH_BOX = """boxes => boxes.map(box => {
  let el = box.closest("ul");
  while (el && el.tagName !== "H2") el = el.previousElementSibling;
  return [el ? el.id : null, box.dataset.stepId];
})"""
STABLE_URLS = ["/", "/basics/", "/contacts/", *[f"/types/{t}/" for t in TYPE_IDS]]
# Every page: the stable ones and the other Markdown pages (print/, revisions/, ...).
PAGES = STABLE_URLS + sorted(
    f"/{md.stem}/"
    for md in (ROOT / "docs").glob("*.md")
    if md.stem != "index" and f"/{md.stem}/" not in STABLE_URLS
)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_stable_urls_exist(site_dir):
    pages = site_pages(site_dir)
    for url in STABLE_URLS:
        assert url in pages, f"{url} missing from the built site"


def test_every_internal_link_and_anchor_resolves(site_dir):
    broken = []
    for html in site_dir.rglob("*.html"):
        for href in _parse(html).hrefs:
            parsed = urlparse(href)
            if parsed.scheme or href.startswith("//"):
                continue  # tel:, mailto:
            if not parsed.path:
                target = html
            elif parsed.path.startswith("/"):  # 404.html links from the site root
                target = (site_dir / unquote(parsed.path).lstrip("/")).resolve()
            else:
                target = (html.parent / unquote(parsed.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{html.relative_to(site_dir)}: {href} (no file)")
            elif parsed.fragment and target.suffix == ".html":
                if unquote(parsed.fragment) not in _parse(target).ids:
                    broken.append(f"{html.relative_to(site_dir)}: {href} (no anchor)")
    assert not broken, "\n".join(broken)


def test_no_page_links_outside_the_intranet(site_dir):
    outside = []
    for html in site_dir.rglob("*.html"):
        for href in _parse(html).hrefs:
            if urlparse(href).scheme in ("http", "https") or href.startswith("//"):
                outside.append(f"{html.relative_to(site_dir)}: {href}")
    assert not outside, "\n".join(outside)


@pytest.mark.parametrize("url", PAGES)
def test_page_answers_200_without_errors_or_outside_requests(page, server, url):
    response = page.goto(server + url)
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    assert page.errors == [], page.errors
    assert page.outside_requests == [], page.outside_requests


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_type_page_shows_every_phase_and_step_from_the_data(page, server, type_id):
    page.goto(f"{server}/types/{type_id}/")
    incident = HANDBOOK.types[type_id]
    expect(page.get_by_role("heading", level=1)).to_have_text(incident.heading)
    for phase in HANDBOOK.phases:
        # The heading starts with the phase's name (the browser appends its progress).
        heading = page.locator(f"h2#{phase.id}")
        expect(heading).to_have_text(re.compile("^" + re.escape(phase.number + phase.title)))
    for content in incident.phases:
        for step in content.steps:
            box = page.get_by_role("checkbox", name=step.text, exact=True)
            expect(box).to_have_attribute("data-step-id", step.id)
    # Each checkbox, in page order, with the phase heading (h2) it stands under.
    shown = page.locator("input.hb-step__box").evaluate_all(PHASE_OF_EACH_BOX)
    assert shown == [[c.phase, s.id] for c in incident.phases for s in c.steps]


def test_basics_page_has_every_basic_step_as_a_checkbox(page, server):
    page.goto(f"{server}/basics/")
    for step in HANDBOOK.basics.steps().values():
        box = page.locator(f"input.hb-step__box[data-step-id='{step.id}']")
        expect(box).to_have_count(1)
        label = page.locator(f"label[for='{box.get_attribute('id')}']")
        expect(label).to_contain_text(step.text)


@pytest.mark.diagrams
@pytest.mark.parametrize("url", ["/basics/", "/contacts/", *[f"/types/{t}/" for t in TYPE_IDS]])
def test_every_diagram_renders(page, server, url):
    page.goto(server + url)
    figures = page.locator("figure.hb-diagram")
    assert figures.count() >= 1
    for i in range(figures.count()):
        figure = figures.nth(i)
        expect(figure).to_be_visible()
        svg = figure.locator("svg")
        expect(svg).to_have_count(1)
        # A rendered flowchart has nodes with text, not an error diagram.
        expect(svg.locator(".node").first).to_be_visible()
        assert "Syntax error" not in svg.text_content()
    assert page.errors == [], page.errors


@pytest.mark.diagrams
def test_mermaid_is_loaded_only_on_pages_with_a_diagram(page, server):
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(server + "/")
    page.wait_for_load_state("networkidle")
    assert page.locator("figure.hb-diagram").count() == 0
    assert not [u for u in requested if "mermaid" in u]
    page.goto(server + "/contacts/")
    expect(page.locator("figure.hb-diagram svg").first).to_be_visible()
    assert [u for u in requested if u.endswith("/assets/vendor/mermaid/mermaid.min.js")]


@pytest.mark.diagrams
def test_diagram_survives_instant_navigation(page, server):
    page.goto(server + "/")
    page.locator("a.hb-choice[data-type-id='malware']").click()
    expect(page).to_have_url(re.compile(r"/types/malware/$"))
    expect(page.locator("figure.hb-diagram svg")).to_have_count(1)
    assert page.errors == [], page.errors


def test_contacts_come_from_the_data(page, server):
    page.goto(server + "/contacts/")
    contact = HANDBOOK.primary_contact
    box = page.locator(".hb-contact-box")
    expect(box).to_contain_text(contact.name)
    for phone in contact.phones:
        if phone.number:
            link = box.get_by_role("link", name=phone.number)
            expect(link).to_have_attribute("href", "tel:" + phone.number.replace("-", ""))
        else:
            expect(box).to_contain_text("内線" + phone.extension)
    for c in HANDBOOK.organization.contacts:
        expect(page.get_by_role("heading", name=c.name, exact=True)).to_be_visible()


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_home_leads_to_each_type_in_one_click(page, server, type_id):
    incident = HANDBOOK.types[type_id]
    page.goto(server + "/")
    page.get_by_role("article").get_by_role("link", name=incident.heading).click()
    expect(page).to_have_url(f"{server}/types/{type_id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(incident.heading)


def test_every_built_page_is_covered_by_the_page_tests(site_dir):
    assert sorted(site_pages(site_dir)) == sorted(PAGES)
