"""Accessibility to JIS X 8341-3:2016 (= WCAG 2.0) level AA and WCAG 2.2's additions, in
the real browser: what a test can decide. data/accessibility.yml names, for each criterion,
the tests here (and in other files) that decide it; its 試験結果 page (docs/accessibility.md)
is generated from that file, and the last test below checks the file against this run.

Zoom: a browser zoomed to 200 % / 400 % lays a 1280 px window out as 640 / 320 CSS px, so
those widths stand for the zoom levels (reflow, 1.4.4 and 1.4.10).
Record flows go through roles and labels only (the record's markup is being rewritten).
"""

from __future__ import annotations

import ast
import functools
import json
import re
from pathlib import Path
from urllib.parse import urljoin

import html5lib
import pytest
from playwright.sync_api import expect

from macros.accessibility import claim, load_results
from scripts.sitetools import site_pages
from support.pages import HANDBOOK

ROOT = Path(__file__).resolve().parent.parent
TYPE_URL = "/types/malware/"
PAGE_KINDS = ["/", "/basics/", "/contacts/", TYPE_URL, "/print/", "/revisions/", "/accessibility/"]
DIAGRAM_PAGES = ["/basics/", "/contacts/", *[f"/types/{t}/" for t in HANDBOOK.types]]

# --- shared browser snippets ------------------------------------------------------------

HORIZONTAL_OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"

# Text that a box cuts off: an element that clips (overflow hidden/clip) and has more
# content than room. Visually hidden text (1-2 px boxes, read by screen readers) and
# closed drawers are not shown on purpose and are left out.
CLIPPED_TEXT = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *:not(svg *, script, style)')) {
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility === 'hidden') continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 2 || r.height <= 2) continue;
    if (el.closest('[hidden], .md-sidebar, .md-search, .md-header__topic + .md-header__topic')) continue;
    if (!(el.innerText || '').trim()) continue;
    const clips = v => v === 'hidden' || v === 'clip';
    const x = clips(s.overflowX) && el.scrollWidth > el.clientWidth + 1;
    const y = clips(s.overflowY) && el.scrollHeight > el.clientHeight + 1;
    if (x || y) out.push(el.tagName.toLowerCase() + '.' + [...el.classList].join('.') +
      ': ' + el.innerText.trim().slice(0, 40));
  }
  return out;
}"""

TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""

# The name a user hears or reads for the focused element (label, aria-label, text).
ACTIVE = """() => {
  const a = document.activeElement;
  if (!a || a === document.body) return null;
  const label = a.labels && a.labels.length ? a.labels[0].innerText : '';
  return { tag: a.tagName.toLowerCase(), type: a.type || '',
           name: (a.getAttribute('aria-label') || label || a.innerText || a.value || '').trim() };
}"""


def tab_to(page, name: str, tag: str | None = None, limit: int = 400) -> None:
    """Press Tab (only) until the focused element is called `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if active and active["name"].startswith(name) and (tag is None or active["tag"] == tag):
            return
    raise AssertionError(f"Tab never reached 「{name}」")


# --- 1.4.10 reflow, 1.4.4 resize (zoom 200 % / 400 %) ---------------------------------


def test_every_page_reflows_at_320_and_640_css_px_without_scrolling_sideways(
    view, server, site_dir
):
    problems = []
    # 320 px (400 %) on every page; 640 px (200 %) lays out like the PC or the phone
    # layout's wider end, so one page of each kind.
    for width, height, urls in (
        (320, 640, [*site_pages(site_dir), "/404.html"]),
        (640, 400, PAGE_KINDS),
    ):
        view.set_viewport_size({"width": width, "height": height})
        for url in urls:
            view.goto(server + url)
            overflow = view.evaluate(HORIZONTAL_OVERFLOW)
            if overflow > 0:
                problems.append(f"{url} at {width}px: {overflow}px wider than the window")
            problems += [f"{url} at {width}px: {c}" for c in view.evaluate(CLIPPED_TEXT)]
    assert problems == [], "\n".join(problems)


def test_text_twice_as_large_loses_nothing(view, server):
    # 1.4.4: text alone at 200 % (the browser's minimum font size setting does the same).
    for url in (TYPE_URL, "/contacts/"):
        view.goto(server + url)
        view.add_style_tag(content="html { font-size: 250% !important; }")  # Material: 125 %
        assert view.evaluate(HORIZONTAL_OVERFLOW) <= 0, url
        assert view.evaluate(CLIPPED_TEXT) == [], url


# --- 1.4.12 text spacing --------------------------------------------------------------


def test_text_spacing_overrides_lose_no_text(view, server):
    problems = []
    for size in ({"width": 1280, "height": 800}, {"width": 375, "height": 667}):
        view.set_viewport_size(size)
        for url in (TYPE_URL, "/contacts/", "/", "/accessibility/"):
            view.goto(server + url)
            view.add_style_tag(content=TEXT_SPACING)
            if view.evaluate(HORIZONTAL_OVERFLOW) > 0:
                problems.append(f"{url} {size['width']}px: scrolls sideways")
            problems += [f"{url} {size['width']}px: {c}" for c in view.evaluate(CLIPPED_TEXT)]
    assert problems == [], "\n".join(problems)


# --- 3 diagrams legible on a phone ----------------------------------------------------

# Rendered size of each visible text of a figure: SVG text (font size x the drawing's
# scale) and the HTML text shown instead on narrow screens.
FIGURE_TEXT = """f => {
  const sizes = [];
  for (const t of f.querySelectorAll('svg text')) {
    const r = t.getBoundingClientRect();
    if (!r.height || !t.textContent.trim()) continue;
    const svg = t.ownerSVGElement;
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    sizes.push(parseFloat(getComputedStyle(t).fontSize) * scale);
  }
  const words = f.querySelector('.hb-diagram__text');
  const shown = words && words.getBoundingClientRect().width > 2;
  if (shown) for (const li of words.querySelectorAll('li'))
    sizes.push(parseFloat(getComputedStyle(li).fontSize));
  return { sizes, words: shown, svg: !!f.querySelector('svg') &&
           f.querySelector('svg').getBoundingClientRect().width > 0,
           sideways: f.scrollWidth - f.clientWidth };
}"""


def test_diagrams_on_a_390px_phone_never_scroll_sideways_and_their_text_is_12px_or_more(
    view, server
):
    view.set_viewport_size({"width": 390, "height": 844})
    problems = []
    for url in DIAGRAM_PAGES:
        view.goto(server + url)
        figures = view.locator("figure.hb-diagram")
        assert figures.count() >= 1, url
        for figure in figures.all():
            label = figure.locator("figcaption").text_content()
            if not figure.is_visible():
                # Only where the same chain follows as a visible list (reporting-chain.html).
                assert "hb-diagram--list-follows" in figure.get_attribute("class"), label
                expect(view.locator("ol.hb-chain")).to_be_visible()
                continue
            seen = figure.evaluate(FIGURE_TEXT)
            if seen["sideways"] > 0:
                problems.append(f"{url} {label}: scrolls {seen['sideways']}px sideways")
            if not seen["sizes"]:
                problems.append(f"{url} {label}: shows no text")
            small = [round(s, 1) for s in seen["sizes"] if s < 12]
            if small:
                problems.append(f"{url} {label}: text at {small[:3]} px")
    assert problems == [], "\n".join(problems)
    # On a PC the drawing itself is shown (the words stay for screen readers).
    view.set_viewport_size({"width": 1280, "height": 800})
    view.goto(server + "/basics/")
    for figure in view.locator("figure.hb-diagram").all():
        assert figure.evaluate(FIGURE_TEXT)["svg"]


# --- forced colours (Windows high contrast) ---------------------------------------------

CONTROLS_SEEN = """() => {
  const out = [];
  const controls = document.querySelectorAll(
    'article button, article input, article select, article textarea, article .md-button');
  for (const el of controls) {
    const r = el.getBoundingClientRect();
    if (el.closest('[hidden]') || el.type === 'hidden' || !r.width) continue;
    const s = getComputedStyle(el);
    const border = ['Top', 'Right', 'Bottom', 'Left'].some(side =>
      parseFloat(s['border' + side + 'Width']) > 0 && s['border' + side + 'Style'] !== 'none');
    // A native checkbox, and a file input's button, are drawn by the system in its colours.
    const native = el.tagName === 'INPUT' && (s.appearance !== 'none' || el.type === 'file');
    if (s.visibility === 'hidden' || parseFloat(s.opacity) < 0.5 || !(border || native))
      out.push(el.tagName + ' ' + (el.innerText || el.name || el.id));
  }
  return out;
}"""


def test_forced_colours_keep_every_control_and_tick_visible(page, server):
    page.emulate_media(forced_colors="active")
    page.goto(server + TYPE_URL)
    assert page.evaluate("matchMedia('(forced-colors: active)').matches")
    box = page.locator("input.hb-step__box").first
    box.check()
    expect(box).to_be_checked()
    expect(page.locator("time.hb-step__time").first).to_be_visible()
    # The tick itself: a native checkbox the system draws in its own colours.
    assert box.evaluate("b => getComputedStyle(b).appearance") != "none"
    assert page.evaluate(CONTROLS_SEEN) == []
    # The focus ring stays (an outline is drawn in the system's colour).
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    style = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert style != "none"


# --- 2.5.8 target size ---------------------------------------------------------------

# Every target at least 24 x 24 CSS px, or spaced so that a 24 px circle on its centre
# touches no other target (WCAG 2.2's spacing exception); links inside running text are
# exempt (the inline exception).
TARGETS = """() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, label[for], summary';
  const all = [];
  for (const el of document.querySelectorAll(sel)) {
    if (el.closest('[hidden], .md-search__output')) continue;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.display === 'none' || parseFloat(s.opacity) === 0) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    if (r.right < 0 || r.left > innerWidth) continue;  // a closed drawer
    const inline = el.tagName === 'A' && s.display === 'inline' &&
      el.parentElement.closest('p, li, td, th, dd, figcaption, .hb-banner') &&
      !el.closest('nav, .md-nav, .md-header, .md-footer');
    all.push({ el, r, inline, name: (el.innerText || el.getAttribute('aria-label') || el.title || el.id || '').trim().slice(0, 30) });
  }
  const small = all.filter(t => !t.inline && (t.r.width < 23.5 || t.r.height < 23.5));
  const centre = r => [r.left + r.width / 2, r.top + r.height / 2];
  const dist = (p, r) => Math.hypot(Math.max(r.left - p[0], 0, p[0] - r.right), Math.max(r.top - p[1], 0, p[1] - r.bottom));
  const out = [];
  for (const t of small) {
    const c = centre(t.r);
    const near = all.find(o => o !== t && !o.el.contains(t.el) && !t.el.contains(o.el) &&
      (dist(c, o.r) < 12 || (small.includes(o) && Math.hypot(...centre(o.r).map((v, i) => v - c[i])) < 24)));
    if (near) out.push(`${t.el.tagName} 「${t.name}」 ${Math.round(t.r.width)}x${Math.round(t.r.height)} near 「${near.name}」`);
  }
  return out;
}"""


CONTRAST = """el => {
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => v / 255)
    .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  const lum = c => { const [r, g, b] = rgb(c); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const s = getComputedStyle(el);
  const [a, b] = [lum(s.color), lum(s.backgroundColor)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def test_buttons_keep_their_contrast_when_hovered_or_focused(page, server):
    """1.4.3: Material's accent (indigo A200 under white, about 4.3:1) on a hovered or
    focused button is below 4.5:1; the site's buttons use the primary colour there."""
    page.goto(server + TYPE_URL)
    button = page.get_by_role("button", name="新しい記録")
    page.evaluate("document.documentElement.style.setProperty('transition', 'none')")
    button.hover()
    page.wait_for_timeout(400)  # Material's colour transition (250 ms) ends
    assert button.evaluate(CONTRAST) >= 4.5
    page.mouse.move(0, 0)
    button.focus()
    page.wait_for_timeout(400)
    assert button.evaluate(CONTRAST) >= 4.5


@pytest.mark.parametrize(
    "size", [{"width": 1280, "height": 800}, {"width": 375, "height": 667}], ids=["pc", "phone"]
)
def test_every_target_is_24px_or_spaced_as_if(view, server, size):
    view.set_viewport_size(size)
    problems = []
    for url in PAGE_KINDS:
        view.goto(server + url)
        problems += [f"{url}: {p}" for p in view.evaluate(TARGETS)]
    assert problems == [], "\n".join(problems)


# --- 2.1.1, 2.1.2, 2.4.3, 2.4.7, 2.4.11, 3.2.1: the Tab key through a whole page -----------

SNAPSHOT_FOCUSABLES = """() => {
  const props = ['outlineStyle', 'outlineWidth', 'outlineColor', 'boxShadow', 'backgroundColor',
                 'color', 'textDecorationLine', 'borderTopColor', 'borderBottomColor'];
  window.__unfocused = new Map();
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')) {
    const s = getComputedStyle(el);
    window.__unfocused.set(el, props.map(p => s[p]).join('|'));
  }
}"""

# For the focused element: does it look different from unfocused (2.4.7), is it after the
# previous one in the document (2.4.3), and is any part of it uncovered by the sticky
# header or other fixed parts (2.4.11)?
FOCUS_STATE = """async () => {
  // What a user sees once the page has settled (a search panel fading out, a drawer
  // sliding in), not a frame of the transition: each finite animation is taken to its
  // end at once (the state waiting for it gives; most steps start 125 ms colour fades).
  // One frame: its scroll events (the header's reaction to the scroll to the focused
  // element) run before its rAF callbacks; layout is read as of now. (Two frames and
  // waiting out each animation gave the same states in both walks, in twice the time.)
  const frame = () => new Promise(r => requestAnimationFrame(r));
  await frame();  // the scroll to the focused element
  for (let i = 0; i < 10; i++) {
    const running = document.getAnimations().filter(a => (a.playState === 'running' ||
      a.pending) && a.effect?.getTiming().iterations !== Infinity);
    if (!running.length) break;
    running.forEach(a => a.finish());
    await frame();
  }
  const el = document.activeElement;
  if (!el || el === document.body) return { body: true };
  const props = ['outlineStyle', 'outlineWidth', 'outlineColor', 'boxShadow', 'backgroundColor',
                 'color', 'textDecorationLine', 'borderTopColor', 'borderBottomColor'];
  const s = getComputedStyle(el);
  const now = props.map(p => s[p]).join('|');
  const before = window.__unfocused.get(el);
  // The calendar button of a date-time field has the focus inside it (the field itself
  // does not match :focus then); the browser rings the button (checked by eye).
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1) ||
    (el.type === 'datetime-local' && !el.matches(':focus'));
  const r = el.getBoundingClientRect();
  // The control a label stands for is drawn by the label (e.g. Material's search toggle).
  const drawn = el.labels && el.labels.length && r.width < 2 ? el.labels[0] : el;
  const box = drawn.getBoundingClientRect();
  let seen = false;
  const xs = [0.1, 0.5, 0.9], ys = [0.1, 0.5, 0.9];
  for (const fx of xs) for (const fy of ys) {
    const x = box.left + box.width * fx, y = box.top + box.height * fy;
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
    const top = document.elementFromPoint(x, y);
    if (top && (drawn.contains(top) || top.contains(drawn) || el.contains(top))) seen = true;
  }
  // The same element again: the fields of a date-time input (year, month, ...) in turn.
  const order = window.__last && window.__last.isConnected && window.__last !== el
    ? (window.__last.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0 : true;
  window.__last = el;
  return { body: false, name: (el.innerText || el.getAttribute('aria-label') || el.name || el.id || el.tagName).trim().slice(0, 40),
           changed: before === undefined || before !== now || ring, seen, order,
           small: box.width < 2 || box.height < 2 };
}"""


@pytest.mark.parametrize(
    "size", [{"width": 1280, "height": 800}, {"width": 375, "height": 667}], ids=["pc", "phone"]
)
def test_tab_walks_every_control_in_order_visibly_and_unhidden_without_a_trap(page, server, size):
    page.set_viewport_size(size)
    page.goto(server + TYPE_URL)
    page.evaluate(SNAPSHOT_FOCUSABLES)
    url = page.url
    problems, names = [], []
    reached_end, first = False, None
    for _ in range(600):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state["body"]:
            reached_end = True  # focus left the page's last control: no trap
            break
        if first is None:
            first = state["name"]
        elif state["name"] == first and not state["order"]:
            reached_end = True  # wrapped around to the top: no trap either
            break
        names.append(state["name"])
        if not state["order"]:
            problems.append(f"focus went back up to 「{state['name']}」 (2.4.3)")
        if state["small"]:
            problems.append(f"focus on 「{state['name']}」, which has no size to show it")
            continue
        if not state["changed"]:
            problems.append(f"focus not visible on 「{state['name']}」")
        if not state["seen"]:
            problems.append(f"focused 「{state['name']}」 is hidden (under the header?)")
    assert reached_end, f"Tab never left the page: {names[-5:]}"
    assert page.url == url, "focusing something changed the page (3.2.1)"
    assert len(names) > 30, names  # the walk really went through the page
    assert problems == [], "\n".join(problems)


def test_the_first_tab_offers_a_skip_to_the_content(page, server):
    page.goto(server + TYPE_URL)
    page.keyboard.press("Tab")
    skip = page.locator("a.md-skip")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    target = "#" + skip.get_attribute("href").split("#")[1]
    assert page.evaluate("location.hash") == target


# --- 2.1.1 keyboard alone: every flow of a type page -----------------------------------


def test_every_flow_of_a_type_page_with_the_keyboard_alone(page, server, tmp_path):
    page.bring_to_front()  # a background tab opens no file chooser (the shared `view` tab)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page.add_init_script("window.__printed = 0; window.print = () => { window.__printed++; };")
    page.goto(server + TYPE_URL)
    message = page.get_by_role("status").filter(has_text="コピーしました")
    incident = HANDBOOK.types["malware"]
    first = next(p for p in incident.phases if p.steps).steps[0]
    # Tick a step: Tab to its checkbox, Space.
    tab_to(page, first.text[:20], tag="input")
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name=first.text[:20]).first).to_be_checked()
    # A new record: its name typed into the browser's prompt.
    page.once("dialog", lambda d: d.accept("鍵盤だけ"))
    tab_to(page, "新しい記録", tag="button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("combobox", name="記録")).to_have_value(re.compile(".+"))
    # Record fields.
    tab_to(page, "所属", tag="input")
    page.keyboard.type("情報政策課")
    page.keyboard.press("Tab")
    page.keyboard.type("職員K")
    expect(page.get_by_label("報告者")).to_have_value("職員K")
    # A note, added with Enter.
    tab_to(page, "メモ（例", tag="input")
    page.keyboard.type("鍵盤でメモ")
    page.keyboard.press("Enter")
    expect(page.get_by_role("list").filter(has_text="鍵盤でメモ").first).to_be_visible()
    # 第一報 copied.
    tab_to(page, "第一報をコピー", tag="button")
    page.keyboard.press("Enter")
    expect(message).to_be_visible()
    assert "職員K" in page.evaluate("navigator.clipboard.readText()")
    # Printed.
    tab_to(page, "第一報と経過を印刷", tag="button")
    page.keyboard.press("Enter")
    page.wait_for_function("window.__printed === 1")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    # Exported.
    tab_to(page, "JSONで書き出す", tag="button")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    # Imported: the file chooser opened with the keyboard.
    path = tmp_path / "record.json"
    exported["id"] = "kb2"  # its name is the record's own: the import asks first
    path.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    tab_to(page, "JSONを読み込む", tag="input")
    # Chromium opens a file chooser only for the tab in front: the shared `view` tab may
    # have been brought forward by a test in between (it is another window of this browser).
    page.bring_to_front()
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(path))
    # The review before an import is answered with the keyboard too.
    expect(page.locator("[data-hb-import-review]")).to_be_visible()
    tab_to(page, "新しい記録として読み込む", tag="button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="読み込みました")).to_be_visible()
    assert page.errors == [], page.errors


# --- 4.1.3 status messages ------------------------------------------------------------

LIVE = "[role=status], [role=alert], [role=log], [aria-live]:not([aria-live=off])"


def live_region_of(locator) -> dict:
    """Where the message sits: its live region, and whether that region was in the page
    before the message came (a region added with its text is often not announced)."""
    return locator.evaluate(
        """(el, sel) => { const r = el.closest(sel);
          return { live: !!r, role: r && (r.getAttribute('role') || 'aria-live=' + r.getAttribute('aria-live')),
                   early: !!r && !!window.__liveAtLoad && window.__liveAtLoad.has(r) }; }""",
        LIVE,
    )


def test_every_status_message_is_announced(page, server, tmp_path):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page.goto(server + TYPE_URL)
    page.evaluate(f"window.__liveAtLoad = new Set(document.querySelectorAll({json.dumps(LIVE)}))")
    record_message = page.locator("[data-hb-record-message]")
    seen = {}
    # Every message of the record goes to one role=status paragraph (record.js say()):
    # 作りました (a new record, saved), コピーしました, 読み込みました, 読み込めません.
    page.once("dialog", lambda d: d.accept("告知"))
    page.get_by_role("button", name="新しい記録").click()
    expect(record_message).to_contain_text("作りました")
    seen["作りました"] = live_region_of(record_message)
    page.get_by_role("button", name="第一報をコピー").click()
    expect(record_message).to_contain_text("コピーしました")
    seen["コピーしました"] = live_region_of(record_message)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    page.get_by_label("JSONを読み込む").set_input_files(str(bad))
    expect(record_message).to_contain_text("読み込めません")
    seen["読み込めません"] = live_region_of(record_message)
    with page.expect_download() as download:
        page.get_by_role("button", name="JSONで書き出す").click()
    doc = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    doc["id"] = "ann2"
    # a name of its own (version 3 keeps it as an entry): no clash, no review first
    doc["items"]["name"] = [{"dot": "ann:1", "at": doc["created"], "value": "告知2"}]
    doc["clock"]["ann"] = 1
    good = tmp_path / "good.json"
    good.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    page.get_by_label("JSONを読み込む").set_input_files(str(good))
    expect(record_message).to_contain_text("読み込みました")
    seen["読み込みました"] = live_region_of(record_message)
    # The progress of the ticks.
    page.locator("input.hb-step__box").first.check()
    progress = page.locator("[data-hb-progress-text]")
    expect(progress).to_contain_text(re.compile(r"\d"))
    seen["進み具合"] = live_region_of(progress)
    # Storage refusing to keep anything: the page says so.
    page.evaluate(
        "() => { Storage.prototype.setItem = function () {"
        " throw new DOMException('full', 'QuotaExceededError'); }; }"
    )
    # what each notice held when it came into the page (a region arriving with its words
    # is often not announced)
    page.evaluate(
        "() => { window.__noticeAtInsert = []; new MutationObserver(ms => ms.forEach(m =>"
        " m.addedNodes.forEach(n => n.classList && n.classList.contains('hb-storage-notice')"
        " && window.__noticeAtInsert.push(n.textContent)))).observe(document.body,"
        " {childList: true, subtree: true}); }"
    )
    page.locator("input.hb-step__box").nth(1).check()
    notice = page.locator(".hb-storage-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("保存できません")
    seen["保存できません"] = live_region_of(notice)
    assert page.evaluate("window.__noticeAtInsert") == [""]
    missing = {k: v for k, v in seen.items() if not v["live"]}
    assert missing == {}, missing
    # The record's and the progress's regions are in the page before their messages.
    late = [
        k
        for k in ("作りました", "コピーしました", "読み込みました", "進み具合")
        if not seen[k]["early"]
    ]
    assert late == [], late


# --- 4.1.2 names and roles; 1.1.1 -----------------------------------------------------

NAMED_ROLES = {
    "button",
    "checkbox",
    "combobox",
    "link",
    "radio",
    "searchbox",
    "textbox",
    "switch",
    "slider",
    "spinbutton",
    "tab",
    "menuitem",
    "listbox",
    "option",
    "img",
    "progressbar",
}


@pytest.mark.parametrize("url", PAGE_KINDS)
def test_every_control_has_a_name_and_a_role(view, server, url):
    view.goto(server + url)
    session = view.context.new_cdp_session(view)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    problems = []
    for node in nodes:
        if node.get("ignored"):
            continue
        role = node.get("role", {}).get("value", "")
        name = (node.get("name") or {}).get("value", "")
        focusable = any(
            p["name"] == "focusable" and p["value"].get("value") for p in node.get("properties", [])
        )
        if role in NAMED_ROLES and not str(name).strip():
            problems.append(f"{role} without a name")
        if focusable and role in ("generic", "none", "presentation", ""):
            problems.append(f"focusable element without a role: {name!r}")
    assert problems == [], f"{url}: " + "; ".join(problems)


# --- 3.1.1, 3.1.2 language -------------------------------------------------------------

ENGLISH_PHRASE = re.compile(r"[A-Za-z][a-z]+(?:[ \t]+[A-Za-z][a-z]+){2,}")


def _texts_outside_english(
    element, lang, skip=("script", "style", "code", "pre", "svg", "template")
):
    tag = element.tag.rsplit("}", 1)[-1]
    if tag in skip:
        return
    lang = element.get("lang", lang)
    if element.text and not lang.startswith("en"):
        yield element.text
    for child in element:
        yield from _texts_outside_english(child, lang, skip)
        if child.tail and not lang.startswith("en"):
            yield child.tail


def test_every_page_is_japanese_and_english_passages_say_so(site_dir):
    problems = []
    for html in sorted(site_dir.rglob("*.html")):
        tree = html5lib.parse(html.read_bytes(), namespaceHTMLElements=False)
        assert tree.get("lang") == "ja", html
        body = tree.find("body")
        for text in _texts_outside_english(body, "ja"):
            problems += [f"{html.relative_to(site_dir)}: {m}" for m in ENGLISH_PHRASE.findall(text)]
    assert problems == [], "\n".join(problems[:20])


# --- cheap structural checks over every page ------------------------------------------


def _pages(site_dir):
    return [(p, p.read_text(encoding="utf-8")) for p in sorted(site_dir.rglob("*.html"))]


def test_no_page_has_audio_video_or_moving_content(site_dir):
    # 1.2.x, 1.4.2, 2.2.2, 2.3.1: nothing to caption, describe, stop or flash.
    for path, text in _pages(site_dir):
        assert not re.search(r"<(audio|video|iframe|object|embed|marquee|blink)\b", text), path
        assert not re.search(r"<img\b[^>]*\.(png|jpe?g|gif|webp)", text), path  # 1.4.5


def test_no_animation_runs_for_ever(view, server):
    for url in ("/", TYPE_URL):
        view.goto(server + url)
        endless = view.evaluate(
            "document.getAnimations().filter(a => a.effect?.getTiming().iterations === Infinity).length"
        )
        assert endless == 0, url


def test_every_page_has_its_own_title_and_two_ways_to_find_it(site_dir):
    # 2.4.2 titles; 2.4.5 navigation and search on every page.
    titles = {}
    for path, text in _pages(site_dir):
        if path.name == "404.html" or "/search/" in path.as_posix():
            continue
        title = re.search(r"<title>([^<]+)</title>", text).group(1).strip()
        assert title, path
        titles.setdefault(title, []).append(path)
        assert 'class="md-nav md-nav--primary"' in text, path
        assert 'data-md-component="search"' in text, path
    assert all(len(v) == 1 for v in titles.values()), {
        k: v for k, v in titles.items() if len(v) > 1
    }


def _primary_nav(path: Path, site_dir: Path) -> list[str]:
    """The pages the main navigation links, in order, as site paths (not the page's own
    table of contents)."""
    page_url = "/" + path.relative_to(site_dir).parent.as_posix() + "/"
    tree = html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)
    nav = next(n for n in tree.iter("nav") if "md-nav--primary" in n.get("class", ""))
    targets = []
    for a in nav.iter("a"):
        href = a.get("href", "")
        if "md-nav__link" not in a.get("class", "") or href.startswith("#"):
            continue
        target = urljoin(page_url, href)
        if not targets or targets[-1] != target:
            targets.append(target)
    return targets


def test_navigation_help_and_names_are_the_same_on_every_page(site_dir):
    # 3.2.3 the same navigation in the same order; 3.2.6 the contact line (help) in the
    # same place; 3.2.4 the record's controls named alike on every type page.
    navs, banners, buttons = set(), set(), set()
    for path, text in _pages(site_dir):
        if path.name == "404.html":
            continue
        navs.add(tuple(_primary_nav(path, site_dir)))
        banner = re.search(r'<div class="md-banner[^"]*"[^>]*>', text)
        header = text.find('<header class="md-header')
        assert banner and banner.start() < header, (
            f"{path}: the contact line is not above the header"
        )
        banners.add(
            re.sub(r"\s+", " ", re.search(r'<p class="hb-banner">(.*?)</p>', text, re.S).group(1))
        )
        if 'data-hb-module="record"' in text:
            buttons.add(
                tuple(re.findall(r'<button type="button" class="md-button"[^>]*>([^<]+)<', text))
            )
    assert len(navs) == 1, navs
    assert len(banners) <= 2, banners  # relative links differ by depth only
    assert len(buttons) == 1, buttons


def test_there_is_nothing_to_log_in_to_and_nothing_to_drag(site_dir):
    # 3.3.8: no password or sign-in; 2.5.7: no dragging in the site's own scripts.
    for path, text in _pages(site_dir):
        assert 'type="password"' not in text, path
    scripts = [
        *(ROOT / "components").glob("*/*.js"),
        *(ROOT / "docs/assets/javascripts").rglob("*.js"),
    ]
    assert len(scripts) > 20
    for js in scripts:
        source = js.read_text(encoding="utf-8")
        assert not re.search(r"\b(drag\w*|pointermove|touchmove|mousemove)\b", source), js


# --- the 試験結果 page: the data file, the tests it names, and the claim -------------------


@functools.cache
def _test_functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")
    }


def test_every_test_the_results_name_exists(request):
    results = load_results(ROOT / "data")
    for row in results.rows:
        for node in row.tests:
            file, _, name = node.partition("::")
            path = ROOT / file
            assert path.exists(), f"{row.number}: {file}"
            assert name.split("[")[0] in _test_functions(path), f"{row.number}: {node}"


def test_the_claim_follows_from_the_rows():
    results = load_results(ROOT / "data")
    assert len([r for r in results.rows if r.table == "jis"]) == 38
    assert {r.number for r in results.rows if r.table == "wcag22"} == {
        "2.4.11",
        "2.5.7",
        "2.5.8",
        "3.2.6",
        "3.3.7",
        "3.3.8",
    }
    jis = [r for r in results.rows if r.table == "jis"]
    level = claim(jis)
    if any(r.result != "適合" for r in jis if r.applicable):
        assert level == "一部準拠"
    else:
        assert level == "準拠"
    # A row a person must judge and nobody has: never 準拠.
    unjudged = [r for r in jis if r.result == "未判定"]
    assert not unjudged or level != "準拠"


def test_the_results_page_shows_every_row_and_the_claim(view, server):
    results = load_results(ROOT / "data")
    view.goto(server + "/accessibility/")
    expect(view.locator("h1")).to_have_text("アクセシビリティ")
    body = view.locator("article").inner_text()
    assert f"レベルAA {claim([r for r in results.rows if r.table == 'jis'])}" in body
    rows = view.locator(".hb-a11y table tbody tr")
    expect(rows).to_have_count(len(results.rows))
    for row in results.rows:
        assert row.number in body


@pytest.fixture(scope="session")
def _outcomes(request):
    """At the end of the run: every test the results name that ran has passed."""
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    assert reporter is not None, "the results check reads the terminal reporter's outcomes"
    failed = {r.nodeid for key in ("failed", "error") for r in reporter.stats.get(key, [])}
    named = {n for row in load_results(ROOT / "data").rows for n in row.tests}
    broken = sorted(n for n in failed if n.split("[")[0] in named or n in named)
    assert broken == [], f"the 試験結果 page claims these pass: {broken}"


def test_the_tests_the_results_name_pass_in_this_run(_outcomes, request):
    """Started here, checked at the session's end (the fixture's teardown, reported as an
    error of this test), when every named test collected in the run, in this file and in the
    others, has run. A named test not collected (a run of some files only) is not checked."""
    assert request.config.pluginmanager.get_plugin("terminalreporter") is not None
    named = {n.split("::")[0] for row in load_results(ROOT / "data").rows for n in row.tests}
    assert "tests/test_accessibility.py" in named
