"""The record view (事故対応記録) of a type page: its fields, what is saved, timers."""

import datetime as dt
import json

from playwright.sync_api import expect

URL = "/types/malware/"


JST = dt.timezone(dt.timedelta(hours=9))


def field(page, name):
    return page.locator(f"[data-hb-record-form] [name='{name}']")


def report(page):
    return page.locator("[data-hb-first-report]")


def report_in_view(page):
    """The 第一報 scrolled into view, as a reader who reads it: remade at once (off screen,
    record.js remakes it only after a 2-second pause, which test_record_transfer tests)."""
    shown = report(page)
    shown.scroll_into_view_if_needed()
    return shown


def message(page):
    return page.locator("[data-hb-record-message]")


def step(page, step_id):
    return page.locator(f"input.hb-step__box[data-step-id='{step_id}']")


def selected(page):
    return page.locator("[data-hb-record-select] option:checked")


def new_record(page, name):
    page.once("dialog", lambda d: d.accept(name))
    page.get_by_role("button", name="新しい記録").click()
    expect(selected(page)).to_have_text(name)


def add_note(page, text, at=None):
    page.locator("[name='note-text']").fill(text)
    if at:
        page.locator("[name='note-at']").fill(at)
    page.get_by_role("button", name="メモを追加").click()


def stored_docs(page) -> dict[tuple[str, str], dict]:
    """Every record document in localStorage: {(page id, record id): document}, each with
    what it shows (name, answers, notes, steps, conflicts: HB.crdt.view) beside its state."""
    scope = page.evaluate("HB.storage.scope.key")
    prefix = f"hb:v2:{scope}|record|"
    items = page.evaluate(
        "p => Object.keys(localStorage).filter(k => k.startsWith(p)).map(k => {"
        " const d = JSON.parse(localStorage.getItem(k));"
        " return [k.slice(p.length), d && d.items ? Object.assign(d, HB.crdt.view(d)) : d]; })",
        prefix,
    )
    return {tuple(k.rsplit("|", 1)): v for k, v in items}


def saved(page, page_id, record_id=""):
    """Wait until the record is written (typing is written after a pause); its document."""
    page.wait_for_function(
        """([p, id]) => { const s = HB.storage.session(p); return s.id === id && !s.dirty; }""",
        arg=[page_id, record_id],
    )
    return stored_docs(page).get((page_id, record_id))


def hold_timers(page):
    """Install the context's fake clock and stop it: timers (the writes and the 第一報 made
    after a pause in typing) wait for page.clock.run_for. (Once installed, the fake clock
    would otherwise run on by itself.)"""
    page.clock.install()
    page.clock.pause_at(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2))


# Fills localStorage with real data until the browser refuses more (QuotaExceededError).
FILL_STORAGE = """() => {
  let n = 0, size = 1 << 20;
  while (size >= 8) {
    try { localStorage.setItem('filler-' + n, 'x'.repeat(size)); n++; }
    catch (e) { if (e.name !== 'QuotaExceededError') throw e; size = size >> 1; }
  }
  return n;
}"""


FREE_STORAGE = """() => Object.keys(localStorage).filter(k => k.startsWith('filler-'))
  .forEach(k => localStorage.removeItem(k))"""


def export_json(page):
    with page.expect_download() as info:
        page.get_by_role("button", name="JSONで書き出す").click()
    return json.loads(open(info.value.path(), encoding="utf-8").read())
