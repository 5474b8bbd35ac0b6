"""The built site in a real Chromium: every page loads cleanly, offline-safe, complete."""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from playwright.sync_api import expect

from scripts.sitetools import site_pages
from support.pages import HANDBOOK, PAGES, PHONE, TYPE_IDS

ROOT = Path(__file__).resolve().parent.parent
PHASE_OF_EACH_BOX = """boxes => boxes.map(box => {
  let el = box.closest("ul");
  while (el && el.tagName !== "H2") el = el.previousElementSibling;
  return [el ? el.id : null, box.dataset.stepId];
})"""
OUTSIDE_NUMBERS = [p.number for p in HANDBOOK.primary_contact.phones if p.number]


# Attributes that make the browser fetch or follow an address.
URL_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "iframe": "src"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.urls, self.ids = [], [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href") is not None:
            self.hrefs.append(attrs["href"])
        if tag in URL_ATTRIBUTES and attrs.get(URL_ATTRIBUTES[tag]) is not None:
            self.urls.append(attrs[URL_ATTRIBUTES[tag]])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(site: Path, directory_urls: bool = True) -> list[str]:
    """Every address in the site's pages (links, stylesheets, scripts, images, frames)
    and stylesheets (url()) that names no file, an empty file or a missing anchor.
    directory_urls: a link to a folder means its index.html (as a web server serves it);
    without (the offline edition, file://) it is broken."""
    parsed: dict[Path, _Links] = {}

    def parse(path: Path) -> _Links:
        if path not in parsed:
            parsed[path] = _parse(path)
        return parsed[path]

    references = [(html, url) for html in site.rglob("*.html") for url in parse(html).urls]
    references += [
        (css, url)
        for css in site.rglob("*.css")
        for url in CSS_URL.findall(css.read_text(encoding="utf-8"))
    ]
    broken = []
    for source, url in references:
        where = f"{source.relative_to(site)}: {url!r}"
        parts = urlparse(url)
        if parts.scheme or url.startswith("//"):
            continue  # tel:, mailto:, data:, the canonical address
        if url != url.strip() or not url:
            broken.append(f"{where} (blank or space around it)")
            continue
        if not parts.path:
            target = source
        elif parts.path.startswith("/"):  # 404.html links from the site root
            target = (site / unquote(parts.path).lstrip("/")).resolve()
        else:
            target = (source.parent / unquote(parts.path)).resolve()
        if target.is_dir() and directory_urls:
            target = target / "index.html"
        if not target.is_file():
            broken.append(f"{where} (no file)")
        elif target.stat().st_size == 0:
            broken.append(f"{where} (empty file)")
        elif parts.fragment and target.suffix == ".html":
            if unquote(parts.fragment) not in parse(target).ids:
                broken.append(f"{where} (no anchor)")
    return broken


@pytest.mark.parametrize("edition", ["server", "offline"])
def test_every_internal_link_and_anchor_resolves(request, edition):
    site = request.getfixturevalue("site_dir" if edition == "server" else "offline_site")
    broken = broken_links(site, directory_urls=edition == "server")
    assert broken == [], "\n".join(broken)


def test_the_link_check_notices_missing_files_anchors_and_empty_files(tmp_path):
    (tmp_path / "types").mkdir()
    (tmp_path / "types" / "index.html").write_text('<h2 id="here">x</h2>', encoding="utf-8")
    (tmp_path / "empty.js").write_text("", encoding="utf-8")
    (tmp_path / "style.css").write_text("a { background: url('gone.png') }", encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<a href="types/#here">ok</a> <a href="types/#gone">x</a> <a href="nowhere.html">x</a>'
        '<a href="tel:0582721111">x</a> <script src="empty.js"></script>'
        '<link rel="stylesheet" href="style.css"> <img src=" types/">',
        encoding="utf-8",
    )
    assert sorted(broken_links(tmp_path)) == [
        "index.html: ' types/' (blank or space around it)",
        "index.html: 'empty.js' (empty file)",
        "index.html: 'nowhere.html' (no file)",
        "index.html: 'types/#gone' (no anchor)",
        "style.css: 'gone.png' (no file)",
    ]
    assert "index.html: 'types/#here' (no file)" in broken_links(tmp_path, directory_urls=False)


def test_no_page_links_outside_the_intranet(site_dir):
    outside = []
    for html in site_dir.rglob("*.html"):
        for href in _parse(html).hrefs:
            if urlparse(href).scheme in ("http", "https") or href.startswith("//"):
                outside.append(f"{html.relative_to(site_dir)}: {href}")
    assert not outside, "\n".join(outside)


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_type_page_shows_its_urgent_actions_and_every_phase_and_step_from_the_data(
    view, server, type_id
):
    view.set_viewport_size(PHONE)
    view.goto(f"{server}/types/{type_id}/")
    incident = HANDBOOK.types[type_id]
    expect(view.get_by_role("heading", level=1)).to_have_text(incident.heading)
    for phase in HANDBOOK.phases:
        # The heading starts with the phase's name (the browser appends its progress).
        heading = view.locator(f"h2#{phase.id}")
        expect(heading).to_have_text(re.compile("^" + re.escape(phase.number + phase.title)))
    for content in incident.phases:
        for step in content.steps:
            box = view.get_by_role("checkbox", name=step.text, exact=True)
            expect(box).to_have_attribute("data-step-id", step.id)
    # Each checkbox, in page order, with the phase heading (h2) it stands under.
    shown = view.locator("input.hb-step__box").evaluate_all(PHASE_OF_EACH_BOX)
    assert shown == [[c.phase, s.id] for c in incident.phases for s in c.steps]
    # The outside numbers are phone links: in the banner (on a phone the contact box,
    # which repeats it, is hidden) and in the contact box on wider screens.
    for number in OUTSIDE_NUMBERS:
        links = view.get_by_role("link", name=number)
        assert links.count() >= 1, (type_id, number)
        expect(view.locator(".hb-banner").get_by_role("link", name=number)).to_be_visible()
        tel = "tel:" + number.replace("-", "")
        expect(view.locator(f".hb-contact-box a[href='{tel}']")).to_have_text(number)
        for link in links.all():
            assert link.get_attribute("href") == "tel:" + number.replace("-", "")
    # First what to do at once (test_first_minute checks it stands above the phases): each
    # urgent action is a step's text or a ※ note's, and links to that step or note.
    steps, notes = incident.steps(), incident.notes()
    texts = [f"※{notes[r].text}" if r in notes else steps[r].text for r in incident.urgent]
    expect(view.locator(".hb-urgent li")).to_have_text(texts)
    targets = []
    for ref, text in zip(incident.urgent, texts, strict=True):
        link = view.locator(".hb-urgent").get_by_role("link", name=text, exact=True)
        target = view.locator(f"[id='{urlparse(link.get_attribute('href')).fragment}']")
        if ref in notes:
            expect(target).to_contain_text(notes[ref].text)
        else:
            expect(target).to_have_attribute("data-step-id", ref)  # the step's checkbox
        targets.append((link, target))
    if type_id == TYPE_IDS[-1]:
        # A tap brings it into view. After Material has settled: 100 ms after it starts it
        # records the scroll offset in history.state (debounced), and a tap in those 100 ms
        # has that record land after the tap's pushState, so Material scrolls back to the
        # top (Material 9.8.2; 6 taps in 40 made at once, 0 in 80 after this wait).
        link, target = targets[0]
        view.wait_for_function("() => history.state !== null")
        link.click()
        expect(target).to_be_in_viewport()
    assert view.errors == [], view.errors


def test_basics_page_has_every_basic_step_as_a_checkbox(view, server):
    view.goto(f"{server}/basics/")
    for step in HANDBOOK.basics.steps().values():
        box = view.locator(f"input.hb-step__box[data-step-id='{step.id}']")
        expect(box).to_have_count(1)
        label = view.locator(f"label[for='{box.get_attribute('id')}']")
        expect(label).to_contain_text(step.text)


def test_contacts_come_from_the_data(view, server):
    view.goto(server + "/contacts/")
    contact = HANDBOOK.primary_contact
    box = view.locator(".hb-contact-box")
    expect(box).to_contain_text(contact.name)
    for phone in contact.phones:
        if phone.number:
            link = box.get_by_role("link", name=phone.number)
            expect(link).to_have_attribute("href", "tel:" + phone.number.replace("-", ""))
        else:
            expect(box).to_contain_text("内線" + phone.extension)
    for c in HANDBOOK.organization.contacts:
        expect(view.get_by_role("heading", name=c.name, exact=True)).to_be_visible()


def test_every_built_page_is_covered_by_the_page_tests(site_dir):
    assert sorted(site_pages(site_dir)) == sorted(PAGES)
