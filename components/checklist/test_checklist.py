"""Interactive checklists in a real Chromium: ticks, times and progress kept in the browser."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from support.browser import stand_in_for_mermaid
from support.pages import HANDBOOK

MALWARE = "/types/malware/"
MALWARE_STEPS = [s.id for p in HANDBOOK.types["malware"].phases for s in p.steps]
NOTICE = "このブラウザではチェックの状態を保存できません"


def box(page, step_id):
    return page.locator(f"input.hb-step__box[data-step-id='{step_id}']")


def stored_keys(page):
    return page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('hb:'))")


def test_remembers_checked_steps_after_reload(page, server):
    page.goto(server + MALWARE)
    box(page, "check-information").check()
    box(page, "reinstall-os").check()
    page.reload()
    expect(box(page, "check-information")).to_be_checked()
    expect(box(page, "reinstall-os")).to_be_checked()
    expect(box(page, "publish")).not_to_be_checked()
    assert page.errors == []


def test_remembers_checked_steps_after_the_browser_is_reopened(page, server, browser):
    page.goto(server + MALWARE)
    box(page, "publish").check()
    saved = page.context.storage_state()
    page.context.close()
    reopened = browser.new_context(storage_state=saved)
    stand_in_for_mermaid(reopened)
    again = reopened.new_page()
    again.goto(server + MALWARE)
    expect(box(again, "publish")).to_be_checked()
    reopened.close()


def stored_record(page, page_id, record_id=""):
    """The stored document of a record (storage.js), or None, with what it shows
    (HB.crdt.view: name, answers, notes, steps) beside its state."""
    scope = page.evaluate("HB.storage.scope.key")
    return page.evaluate(
        "k => { const d = JSON.parse(localStorage.getItem(k));"
        " return d && Object.assign(d, HB.crdt.view(d)); }",
        f"hb:v2:{scope}|record|{page_id}|{record_id}",
    )


def test_ticks_are_kept_in_one_document_per_record_under_the_handbooks_scope(page, server):
    page.goto(server + MALWARE)
    box(page, "reinstall-os").check()
    scope = page.evaluate("HB.storage.scope.key")
    assert stored_keys(page) == [f"hb:v2:{scope}|record|types/malware|"]
    doc = stored_record(page, "types/malware")
    assert (doc["format"], doc["version"], doc["page"], doc["id"]) == (
        "hb-incident-record",
        3,
        "types/malware",
        "",
    )
    tick = doc["steps"]["reinstall-os"]
    assert tick["text"] == HANDBOOK.types["malware"].steps()["reinstall-os"].text
    assert dt.datetime.fromisoformat(tick["at"]).utcoffset() == dt.timedelta(hours=9)


def test_keeps_ticks_across_instant_navigation(page, server):
    page.goto(server + MALWARE)
    box(page, "check-information").check()
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("navigation").get_by_role("link", name="3-1 紛失・盗難").click()
    expect(page).to_have_url(server + "/types/loss-theft/")
    box(page, "confirm-loss").check()
    page.get_by_role("navigation").get_by_role("link", name="3-5 不正プログラム").click()
    expect(page).to_have_url(server + MALWARE)
    assert page.evaluate("window.__sameDocument") is True  # instant navigation, no reload
    expect(box(page, "check-information")).to_be_checked()
    expect(page.locator("[data-hb-progress-text]")).to_have_text(f"1 / {len(MALWARE_STEPS)} 完了")
    page.get_by_role("navigation").get_by_role("link", name="3-1 紛失・盗難").click()
    expect(box(page, "confirm-loss")).to_be_checked()
    assert page.errors == []


def test_shows_ticks_made_in_another_tab(page, server):
    page.goto(server + MALWARE)
    other = page.context.new_page()
    other.goto(server + MALWARE)
    box(other, "reinstall-programs").check()
    expect(box(page, "reinstall-programs")).to_be_checked()
    expect(page.locator("[data-hb-progress-text]")).to_have_text(f"1 / {len(MALWARE_STEPS)} 完了")
    box(other, "reinstall-programs").uncheck()
    expect(box(page, "reinstall-programs")).not_to_be_checked()


def test_progress_matches_the_ticked_steps_per_phase_and_overall(page, server):
    page.goto(server + MALWARE)
    total = len(MALWARE_STEPS)
    text = page.locator("[data-hb-progress-text]")
    expect(text).to_have_text(f"0 / {total} 完了")
    for step in ["check-information", "stop-system-and-remove-malware", "reinstall-os"]:
        box(page, step).check()
    expect(text).to_have_text(f"3 / {total} 完了")
    assert page.locator("[data-hb-module=progress] progress").evaluate("p => [p.value, p.max]") == [
        3,
        total,
    ]
    for phase in HANDBOOK.types["malware"].phases:
        ids = [s.id for s in phase.steps]
        done = sum(box(page, i).is_checked() for i in ids)
        badge = page.locator(f"h2#{phase.phase} .hb-section-progress")
        expect(badge).to_have_text(f"{done} / {len(ids)}")
    box(page, "reinstall-os").uncheck()
    expect(text).to_have_text(f"2 / {total} 完了")
    expect(text).to_have_attribute("aria-live", "polite")


def test_time_appears_when_a_step_is_ticked_and_clears_when_unticked(page, server):
    page.clock.set_fixed_time(
        dt.datetime(2026, 11, 26, 10, 42, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    )
    page.goto(server + MALWARE)
    item = page.locator("li.hb-step[data-step-id='publish']")
    box(page, "publish").check()
    expect(item.locator("time")).to_have_text("11/26 10:42")
    page.reload()
    expect(item.locator("time")).to_have_text("11/26 10:42")
    box(page, "publish").uncheck()
    expect(item.locator("time")).to_have_count(0)


def test_reset_clears_this_page_after_confirming_and_keeps_other_pages(page, server):
    page.goto(server + "/types/loss-theft/")
    box(page, "confirm-loss").check()
    page.goto(server + MALWARE)
    box(page, "publish").check()
    reset = page.get_by_role("button", name="このページのチェックをすべて外す")

    page.once("dialog", lambda d: d.dismiss())
    reset.click()
    expect(box(page, "publish")).to_be_checked()

    page.once("dialog", lambda d: d.accept())
    reset.click()
    expect(box(page, "publish")).not_to_be_checked()
    expect(page.locator("time.hb-step__time")).to_have_count(0)
    assert stored_record(page, "types/malware")["steps"] == {}
    assert list(stored_record(page, "types/loss-theft")["steps"]) == ["confirm-loss"]


def test_home_page_clears_everything_the_site_saved(page, server):
    page.goto(server + MALWARE)
    box(page, "publish").check()
    page.goto(server + "/basics/")
    box(page, "cut-off").check()
    page.evaluate("localStorage.setItem('someone-else', 'kept')")
    page.goto(server + "/")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="保存したチェックと記録をすべて消去").click()
    assert stored_keys(page) == []
    assert page.evaluate("localStorage.getItem('someone-else')") == "kept"


def test_a_step_that_left_the_data_is_ignored_and_new_steps_start_unticked(page, server):
    page.add_init_script(
        "localStorage.setItem('hb:v1:/|types/malware|a-step-that-was-removed',"
        " JSON.stringify({at: '2026-01-01T00:00:00Z'}))"
    )
    page.goto(server + MALWARE)
    expect(page.locator("[data-hb-progress-text]")).to_have_text(f"0 / {len(MALWARE_STEPS)} 完了")
    expect(page.locator("input.hb-step__box:checked")).to_have_count(0)
    assert page.errors == []


def test_corrupted_stored_values_never_break_the_page(page, server):
    page.goto(server + MALWARE)
    page.evaluate(
        """() => {
        localStorage.setItem('hb:v1:/|types/malware|publish', '{not json');
        localStorage.setItem('hb:v1:/|types/malware|reinstall-os', '{"at": "yesterday"}');
        localStorage.setItem('hb:v1:/|types/malware|check-information', 'null');
        }"""
    )
    page.reload()
    expect(page.locator("input.hb-step__box:checked")).to_have_count(0)
    expect(page.locator("[data-hb-progress-text]")).to_have_text(f"0 / {len(MALWARE_STEPS)} 完了")
    box(page, "publish").check()
    page.reload()
    expect(box(page, "publish")).to_be_checked()
    assert page.errors == []


@pytest.mark.parametrize(
    "breakage",
    [
        # Storage that throws on every use (quota full, some private modes).
        """for (const m of ['getItem', 'setItem', 'removeItem', 'key']) {
             Storage.prototype[m] = function () { throw new DOMException('full', 'QuotaExceededError'); };
           }""",
        # Storage that cannot even be reached (disabled by policy, some file:// modes).
        """Object.defineProperty(window, 'localStorage', {
             get() { throw new DOMException('denied', 'SecurityError'); } });""",
    ],
    ids=["throwing", "disabled"],
)
def test_without_storage_the_checklist_works_for_the_visit_with_one_notice(page, server, breakage):
    page.add_init_script(breakage)
    page.goto(server + MALWARE)
    box(page, "publish").check()
    box(page, "reinstall-os").check()
    expect(page.locator("[data-hb-progress-text]")).to_have_text(f"2 / {len(MALWARE_STEPS)} 完了")
    expect(page.locator("li.hb-step[data-step-id='publish'] time")).to_have_count(1)
    expect(page.get_by_role("status").filter(has_text=NOTICE)).to_have_count(1)
    box(page, "reinstall-os").uncheck()
    expect(page.locator(".hb-storage-notice")).to_have_count(1)
    assert page.errors == []


def test_steps_can_be_ticked_with_the_keyboard_alone(page, server):
    page.goto(server + MALWARE)
    first = MALWARE_STEPS[0]
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('hb-step__box')"):
            break
    assert page.evaluate("document.activeElement.dataset.stepId") == first
    page.keyboard.press("Space")
    expect(box(page, first)).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    expect(box(page, MALWARE_STEPS[1])).to_be_checked()
    page.reload()
    expect(box(page, first)).to_be_checked()


def test_steps_read_as_a_clean_list_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + MALWARE)
    items = page.locator("li.hb-step")
    expect(items).to_have_count(len(MALWARE_STEPS))
    expect(items.first).to_be_visible()
    expect(page.locator("[data-hb-module=progress]")).to_be_hidden()
    expect(page.locator(".hb-diagram__source").first).to_be_hidden()
    assert re.search("不正プログラムの存在が確認された場合", page.locator("article").inner_text())
    context.close()
