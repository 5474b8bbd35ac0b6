"""Diagrams drawn at build time (macros/diagrams.py): every diagram of the data has its SVG
in the committed cache (so no build needs a browser for them), the pages carry that SVG
and never request Mermaid, it reads without JavaScript and to screen readers, its labels
fit their boxes in wider fonts, and a diagram without SVG falls back to Mermaid in the
browser (with a message from the build), then gets its SVG at the next build with a browser.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import expect

from macros import diagrams
from scripts.sitetools import build_site, serve, site_pages
from support import ROOT
from support.pages import HANDBOOK, PHONE, SETTLED, SIZES, TYPE_IDS, save_for_review
from support.project import copy_project

DIAGRAM_PAGES = ["/basics/", "/contacts/", *[f"/types/{t}/" for t in TYPE_IDS]]
REVIEWED = ["/types/malware/"]  # screenshots for review (test-results/screenshots/)
MERMAID = "**/assets/vendor/mermaid/mermaid.min.js"
FAILED = "図を表示できませんでした。内容は次のとおりです。"
# Runs before the page's scripts see DOMContentLoaded, so before anything is mounted.
BEFORE_MOUNT = "document.addEventListener('DOMContentLoaded', () => { %s });"


def mermaid_requests(page) -> list[str]:
    page.requested = []
    page.on("request", lambda r: page.requested.append(r.url))
    return page.requested


def only_mermaid(urls: list[str]) -> list[str]:
    return [u for u in urls if "mermaid" in u]


class _Figures(HTMLParser):
    """Each figure.hb-diagram of a page: its svg id (None if none) and whether it is the
    fallback (data-hb-module=diagram)."""

    def __init__(self):
        super().__init__()
        self.figures: list[dict] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "figure" and "hb-diagram" in (a.get("class") or "").split():
            self.figures.append({"svg": None, "fallback": a.get("data-hb-module") == "diagram"})
        elif tag == "svg" and self.figures and self.figures[-1]["svg"] is None:
            self.figures[-1]["svg"] = a.get("id")


def figures_of(site: Path, url: str) -> list[dict]:
    parser = _Figures()
    html = site / url.strip("/") / "index.html" if url != "/" else site / "index.html"
    parser.feed(html.read_text(encoding="utf-8"))
    return parser.figures


# --- the cache (no browser) -------------------------------------------------------------


def committed_svgs() -> set[str] | None:
    """The cache files git knows (added or committed); None outside a git checkout."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "macros/" + diagrams.CACHE_DIR],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    except OSError:
        return None
    return {Path(p).stem for p in listed.stdout.split()} if listed.returncode == 0 else None


def test_every_diagram_of_the_data_has_its_cached_svg_in_git():
    """So that CI and an editor's PC never need a browser for the current diagrams. After a
    data change, a build on a PC with Chromium writes the new file: add it to git (a build
    in CI, with a browser, would otherwise draw it again and hide that it is missing)."""
    committed = committed_svgs()
    missing = [
        label
        for source, label in diagrams.sources(HANDBOOK)
        if diagrams.cached_svg(diagrams.key(source, ROOT), ROOT) is None
        or (committed is not None and diagrams.key(source, ROOT) not in committed)
    ]
    assert missing == [], (
        f"no SVG in git for {missing}: build (or `.venv/bin/python -m scripts.diagrams "
        "render`), then `git add macros/diagram-svg/`"
    )


def test_the_cache_in_git_holds_only_diagrams_of_the_data():
    wanted = {diagrams.key(s, ROOT) for s, _ in diagrams.sources(HANDBOOK)}
    kept = committed_svgs()
    if kept is None:
        kept = {p.stem for p in diagrams.cache_dir(ROOT).glob("*.svg")}
    stale = sorted(kept - wanted)
    assert stale == [], "unused: `.venv/bin/python -m scripts.diagrams prune`, then git rm"


def test_the_built_pages_carry_every_diagram_as_svg_and_only_known_ones(site_dir):
    """The site draws no diagram that sources() does not list (so the check above covers
    them all), and none is left to the browser."""
    known = {diagrams.svg_id(diagrams.key(s, ROOT)) for s, _ in diagrams.sources(HANDBOOK)}
    seen = {}
    for url in site_pages(site_dir):
        for figure in figures_of(site_dir, url):
            assert not figure["fallback"] and figure["svg"] in known, (url, figure)
            seen.setdefault(url, 0)
            seen[url] += 1
    assert sorted(seen) == sorted(DIAGRAM_PAGES)


def test_the_svg_fonts_start_with_the_site_fonts_of_hb_css():
    css = (ROOT / "components" / "hb" / "hb.css").read_text(encoding="utf-8")
    stack = re.search(r"--md-text-font-family:([^;]+);", css).group(1)
    names = [f.strip().strip('"') for f in stack.split(",")]
    assert names == [*diagrams.FONT_STACK, "sans-serif"]


# --- the SVG is checked before a page gets it ---------------------------------------------

SVG = '<svg xmlns="http://www.w3.org/2000/svg" id="hb-d-x" viewBox="0 0 10 10">{}</svg>'


@pytest.mark.parametrize(
    "inner",
    [
        "<script>alert(1)</script>",
        '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>',
        '<rect onclick="alert(1)" />',
        '<rect onmouseover="alert(1)" />',
        '<a href="javascript:alert(1)"><text>x</text></a>',
        '<use href="#x" />',
        '<image href="http://example.com/x.png" />',
        '<rect style="fill: url(http://example.com/x)" />',
        '<rect fill="url(javascript:alert(1))" />',
        "<style>@import url(http://example.com/x.css);</style>",
        "<style>rect{background:url(//example.com/x)}</style>",
        "<style>rect{fill:red}\\3c script</style>",
        '<animate attributeName="href" to="javascript:alert(1)" />',
        '<set attributeName="onclick" to="alert(1)" />',
    ],
)
def test_an_svg_with_anything_active_or_remote_is_refused(inner):
    with pytest.raises(diagrams.UnsafeSVG):
        diagrams.clean(SVG.format(inner))


def test_an_svg_with_a_doctype_or_entities_is_refused():
    with pytest.raises(diagrams.UnsafeSVG):
        diagrams.clean('<!DOCTYPE svg [<!ENTITY x "y">]>' + SVG.format("<text>&x;</text>"))


def test_text_stays_text_and_mermaids_extras_go():
    tree = diagrams.clean(
        SVG.format(
            '<text data-points="abc" aria-roledescription="x">&lt;img src=x onerror=alert(1)&gt;'
            '</text><path d="M0.123456,1.98765L2,3" />'
        )
    )
    out = diagrams.serialise(tree)
    assert "&lt;img src=x onerror=alert(1)&gt;" in out and "<img" not in out
    assert "data-points" not in out and "aria-roledescription" not in out
    assert 'd="M0.1 2L2 3"' in out


def test_paths_lose_bytes_not_shape():
    # A straight run of tiny curves (Mermaid's rounded ends) and a stroke drawn twice.
    tiny = "".join(f"C{x + 0.3:.2f} 0.01, {x + 0.6:.2f} 0.01, {x + 1:.2f} 0" for x in range(50))
    d = f"M0 0 {tiny} L50 20 M0 0 {tiny} L50 20"
    assert diagrams._simplify_path(d) == "M0 0L50 0L50 20"
    # A real curve stays a curve; relative commands are only rounded.
    assert diagrams._simplify_path("M0,0 C0,40 100,40 100,0") == "M0 0C0 40 100 40 100 0"
    assert diagrams._simplify_path("M0.123,0 c1.234,5.678 1,1 2,2") == "M0.1,0 c1.2,5.7 1,1 2,2"


def test_a_tampered_cache_file_is_not_inlined(tmp_path):
    source = 'flowchart LR\n  a["x"] --> b["y"]'
    folder = diagrams.cache_dir(tmp_path)
    folder.mkdir(parents=True)
    digest = diagrams.key(source, tmp_path)
    (folder / f"{digest}.svg").write_text(SVG.format("<script>alert(1)</script>"))
    assert diagrams.cached_svg(digest, tmp_path) is None
    (folder / f"{digest}.svg").write_text(SVG.format("<text>x</text>"))
    assert diagrams.cached_svg(digest, tmp_path) is not None


# --- the diagram in words (from the Mermaid text) -------------------------------------------


def test_a_flow_reads_as_its_steps_in_order():
    text = diagrams.describe(
        'flowchart LR\n  p0["（１）発見<br/>2 項目"]\n  p1["#lt;b#gt; #amp; #quot;x#quot;"]\n'
        "  p0 --> p1"
    )
    assert text == diagrams.Description(True, ("（１）発見（2 項目）", '<b> & "x"'))


def test_a_branching_diagram_reads_as_its_arrows():
    text = diagrams.describe(
        'flowchart TD\n  a(["始まり"])\n  b["県<br/>本庁"]\n  c["国"]\n'
        '  a --> b\n  a -->|"報告<br/>すぐ"| c'
    )
    assert text == diagrams.Description(False, ("始まり → 県（本庁）", "始まり → 国（報告／すぐ）"))


def test_a_diagram_it_cannot_read_has_no_words():
    assert diagrams.describe("flowchart LR\n  a --> b\n  click a call x()") is None


# --- the pages in Chromium --------------------------------------------------------------


@pytest.mark.diagrams
@pytest.mark.parametrize("url", DIAGRAM_PAGES)
def test_every_diagram_shows_as_svg_without_mermaid_and_fits_a_phone_and_a_pc(page, server, url):
    requested = mermaid_requests(page)
    page.set_viewport_size(SIZES["pc"])
    page.goto(server + url)
    figures = page.locator("figure.hb-diagram")
    assert figures.count() >= 1
    for i in range(figures.count()):
        figure = figures.nth(i)
        expect(figure).to_be_visible()
        svg = figure.locator("svg")
        expect(svg).to_have_count(1)
        # A drawn flowchart has nodes with text, not an error diagram.
        expect(svg.locator(".node").first).to_be_visible()
        assert "Syntax error" not in svg.text_content()
        # Named for screen readers, and told in words.
        expect(svg).to_have_attribute("role", "img")
        expect(svg).to_have_attribute("aria-label", figure.locator("figcaption").inner_text())
        assert figure.locator(".hb-diagram__text li").count() >= 1
    # The fallback would ask for Mermaid as it mounts, before the load event (a late
    # request: test_mermaid_is_never_loaded_where_every_diagram_has_its_svg).
    page.wait_for_load_state("load")
    assert only_mermaid(requested) == []
    # On a phone the diagram in words is the view (legibility: tests/test_accessibility.py).
    page.set_viewport_size(PHONE)
    for figure in page.locator("figure.hb-diagram:not(.hb-diagram--list-follows)").all():
        expect(figure.locator(".hb-diagram__text")).to_be_visible()
    # ...and no diagram makes the page wider than the screen.
    for size in ("phone", "pc"):
        page.set_viewport_size(SIZES[size])
        page.wait_for_function(SETTLED)  # the theme animates its search box to the new width
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{url} is {overflow}px wider than the {size} screen"
        if url in REVIEWED:
            save_for_review(page, url, size)
    assert page.errors == [], page.errors
    assert page.outside_requests == [], page.outside_requests


def test_diagrams_show_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    for url in ("/types/malware/", "/basics/"):
        page.goto(server + url)
        for figure in page.locator("figure.hb-diagram").all():
            expect(figure.locator("svg")).to_be_visible()
    context.close()


def test_the_flow_in_words_is_the_phases_in_order_with_their_steps(view, server):
    view.goto(server + "/types/malware/")
    incident = HANDBOOK.types["malware"]
    expected = []
    for phase in HANDBOOK.phases:
        content = incident.phase(phase.id)
        detail = f"{len(content.steps)} 項目" if content else "記載なし"
        expected.append(f"{phase.number}{phase.title}（{detail}）")
    words = view.locator("figure.hb-diagram ol.hb-diagram__text li")
    assert words.all_text_contents() == expected
    # Visually hidden, yet read: not display:none.
    expect(view.locator("figure.hb-diagram .hb-diagram__text")).to_have_css("position", "absolute")


@pytest.mark.diagrams
def test_mermaid_is_never_loaded_where_every_diagram_has_its_svg(page, server):
    requested = mermaid_requests(page)
    page.goto(server + "/")
    page.locator("a.hb-choice[data-type-id='malware']").click()  # instant navigation
    expect(page).to_have_url(re.compile(r"/types/malware/$"))
    expect(page.locator("figure.hb-diagram svg")).to_have_count(1)
    page.goto(server + "/contacts/")
    expect(page.locator("figure.hb-diagram svg").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert only_mermaid(requested) == []
    assert page.errors == [], page.errors


# Each node's label inside its box: the text's box against the shape's, in page pixels.
LABELS_OUTSIDE = """(font) => {
  const svg = document.querySelector("svg");
  if (font) svg.querySelectorAll("text").forEach((t) => { t.style.fontFamily = font; });
  const out = [];
  for (const node of svg.querySelectorAll("g.node")) {
    const shape = node.querySelector(":scope > rect, :scope > path, :scope > polygon, :scope > g > path");
    const text = node.querySelector("text");
    const s = shape.getBoundingClientRect(), t = text.getBoundingClientRect();
    const room = Math.min(t.left - s.left, s.right - t.right, t.top - s.top, s.bottom - t.bottom);
    if (room < 2) out.push(`${text.textContent}: ${room.toFixed(1)}px`);
  }
  return out;
}"""
# Japanese glyphs are one em wide in every Japanese font; Latin letters and digits are not.
# DejaVu Sans has Verdana's widths, as wide as Meiryo's Latin (Yu Gothic UI's is narrower).
WIDER_FONTS = [None, '"DejaVu Sans", "Noto Sans CJK JP"', '"Liberation Sans", "Noto Sans CJK JP"']


def test_every_label_fits_its_box_in_wider_fonts(view):
    for source, label in diagrams.sources(HANDBOOK):
        svg = diagrams.cached_svg(diagrams.key(source, ROOT), ROOT)
        view.set_content(f'<html lang="ja"><body style="margin:0">{svg}</body></html>')
        for font in WIDER_FONTS:
            assert view.evaluate(LABELS_OUTSIDE, font) == [], (label, font)


# --- without a cached SVG: the browser draws it; the next build with a browser makes it ---


@pytest.fixture(scope="module")
def changed(tmp_path_factory):
    """A copy of the project whose malware type has one step more (a new flow diagram),
    built twice: first as on a PC without a browser (HB_DIAGRAMS=cache), then as usual."""
    tmp = tmp_path_factory.mktemp("diagrams")
    project = copy_project(tmp / "project")
    malware = project / "data" / "types" / "malware.yml"
    text = malware.read_text(encoding="utf-8")
    added = "      - id: test-added-step\n        text: テスト用に足した手順。\n"
    malware.write_text(
        text.replace("  - phase: initial-response\n", added + "  - phase: initial-response\n", 1),
        encoding="utf-8",
    )
    before = set(diagrams.cache_dir(project).glob("*.svg"))
    httpd, base = serve(tmp / "site")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HB_DIAGRAMS", "cache")
        env.setenv("HB_CLIENT_DIAGRAMS", "1")  # build --client-diagrams: else it stops
        first = build_site(tmp / "site", project, site_url=base + "/")
    assert first.returncode == 0, first.stdout + first.stderr
    shutil.copytree(tmp / "site", tmp / "site-fallback")
    after_first = set(diagrams.cache_dir(project).glob("*.svg"))
    second = build_site(tmp / "site", project, site_url=base + "/")
    assert second.returncode == 0, second.stdout + second.stderr
    yield {
        "fallback": tmp / "site-fallback",
        "site": tmp / "site",
        "base": base,
        "first": first.stdout + first.stderr,
        "second": second.stdout + second.stderr,
        "new": set(diagrams.cache_dir(project).glob("*.svg")) - before,
        "written_without_browser": after_first - before,
    }
    httpd.shutdown()


def test_without_a_browser_the_build_says_which_diagram_is_left_to_the_browser(changed):
    assert "図 1 件 「不正プログラムの対応の流れ」 を SVG にできませんでした" in changed["first"]
    assert "WARNING" not in changed["first"]  # strict: a missing browser fails nothing
    assert changed["written_without_browser"] == set()
    [figure] = figures_of(changed["fallback"], "/types/malware/")
    assert figure["fallback"] and figure["svg"] is None
    for url in ("/types/loss-theft/", "/contacts/"):
        assert all(not f["fallback"] and f["svg"] for f in figures_of(changed["fallback"], url))


def test_with_a_browser_the_next_build_draws_it_into_the_cache(changed):
    assert "図「不正プログラムの対応の流れ」を SVG にしました" in changed["second"]
    [new] = changed["new"]
    [figure] = figures_of(changed["site"], "/types/malware/")
    assert not figure["fallback"] and figure["svg"] == f"hb-d-{new.stem[:12]}"


@pytest.fixture(scope="module")
def fallback(changed):
    """The site of the first build, served."""
    httpd, base = serve(changed["fallback"])
    yield base
    httpd.shutdown()


@pytest.mark.diagrams
def test_the_fallback_draws_in_the_browser_and_only_there_loads_mermaid(page, fallback):
    requested = mermaid_requests(page)
    page.goto(fallback + "/types/loss-theft/")
    page.wait_for_load_state("networkidle")
    assert only_mermaid(requested) == []
    page.goto(fallback + "/types/malware/")
    figure = page.locator("figure.hb-diagram")
    expect(figure.locator("svg")).to_have_count(1)
    expect(figure).to_be_visible()
    expect(figure.locator("svg")).to_have_attribute("aria-label", "不正プログラムの対応の流れ")
    assert only_mermaid(requested)
    assert page.errors == [], page.errors


def expect_failed_diagram(page):
    figure = page.locator("figure.hb-diagram")
    expect(figure).to_be_visible()
    expect(figure.locator(".hb-diagram__message")).to_have_text(FAILED)
    expect(figure.locator(".hb-diagram__message")).to_be_visible()
    source = figure.locator("pre.hb-diagram__source")
    expect(source).to_be_visible()
    expect(source).to_contain_text("flowchart")
    expect(figure.locator("svg")).to_have_count(0)
    assert any("diagram could not be drawn" in e for e in page.errors), page.errors


def test_the_fallback_shows_its_text_and_a_message_when_mermaid_cannot_load(page, fallback):
    page.route(MERMAID, lambda route: route.fulfill(status=404, body="not found"))
    page.goto(fallback + "/types/malware/")
    expect_failed_diagram(page)


@pytest.mark.diagrams
def test_the_fallback_shows_its_text_and_a_message_when_mermaid_cannot_draw_it(page, fallback):
    page.add_init_script(
        BEFORE_MOUNT
        % "document.querySelector('.hb-diagram__source').textContent = 'flowchart TD\\n  A[[(';"
    )
    page.goto(fallback + "/types/malware/")
    expect_failed_diagram(page)
    # Mermaid leaves nothing of its own behind (no error picture at the foot of the page).
    expect(
        page.locator("[id^=dhb-diagram], [id^=hb-diagram-], [aria-roledescription=error]")
    ).to_have_count(0)
