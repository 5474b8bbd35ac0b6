"""事故対応記録 in a real Chromium: answers, 第一報, timeline, several records, export and
import, and what people type never runs as HTML."""

import datetime as dt
import json

import pytest
from playwright.sync_api import expect

from support.pages import HANDBOOK
from support.records import JST, URL, export_json, field, report

PAYLOADS = [
    "<script>window.__xss=1</script>",
    "<img src=x onerror=window.__xss=2>",
    '"><svg onload=window.__xss=3>',
]


def test_answers_survive_reload_and_navigation(page, server):
    page.goto(server + URL)
    field(page, "fact-who").fill("総務課 職員A")
    field(page, "severity-impact").nth(0).check()
    page.reload()
    expect(field(page, "fact-who")).to_have_value("総務課 職員A")
    expect(field(page, "severity-impact").nth(0)).to_be_checked()
    page.get_by_role("navigation").get_by_role("link", name="3-1 紛失・盗難").click()
    page.get_by_role("navigation").get_by_role("link", name="3-5 不正プログラム").click()
    expect(field(page, "fact-who")).to_have_value("総務課 職員A")
    assert page.errors == []


def test_first_report_has_the_answers_and_marks_the_rest_unconfirmed(page, server):
    page.clock.set_fixed_time(dt.datetime(2026, 11, 26, 10, 42, tzinfo=JST))
    page.goto(server + URL)
    field(page, "discovered").fill("2026-11-26T09:30")
    field(page, "department").fill("総務課")
    field(page, "fact-who").fill("職員A")
    field(page, "severity-category").nth(0).check()
    page.locator("input.hb-step__box[data-step-id='stop-system-and-remove-malware']").check()
    text = report(page).inner_text()
    contact = HANDBOOK.primary_contact
    assert text.startswith("宛先: " + contact.name)
    assert "事故のタイプ: 3-5 不正プログラム" in text
    assert "発見日時: 2026-11-26 09:30" in text
    assert "所属: 総務課" in text and "報告者: 未確認" in text
    assert "(1) ウイルス感染した当事者は誰か？ 職員A" in text
    assert "(2) 何がウイルス感染したのか？ 未確認" in text
    assert "(1) 漏えいした情報区分は？ 個人情報（分類Ⅰ）" in text
    assert "2026-11-26 10:42 不正プログラムの存在が確認された場合は" in text
    questions = len(page.locator("[data-hb-record-form] .hb-field").all()) - 3
    assert text.count("未確認") >= questions - 2  # everything unanswered says so


def test_timeline_lists_steps_and_notes_in_time_order(page, server):
    page.clock.set_fixed_time(dt.datetime(2026, 11, 26, 10, 42, tzinfo=JST))
    page.goto(server + URL)
    page.locator("input.hb-step__box[data-step-id='check-information']").check()
    page.locator("[name='note-text']").fill("警察に届出")
    page.locator("[name='note-at']").fill("2026-11-26T11:05")
    page.get_by_role("button", name="メモを追加").click()
    page.locator("[name='note-text']").fill("情報企画課へ電話")
    page.locator("[name='note-at']").fill("2026-11-26T09:50")
    page.get_by_role("button", name="メモを追加").click()
    items = page.locator("[data-hb-timeline] li")
    expect(items).to_have_count(3)
    expect(items.nth(0)).to_contain_text("2026-11-26 09:50 （メモ）情報企画課へ電話")
    expect(items.nth(1)).to_contain_text("2026-11-26 10:42 何の情報がどの程度")
    expect(items.nth(2)).to_contain_text("2026-11-26 11:05 （メモ）警察に届出")
    page.reload()
    expect(items).to_have_count(3)
    items.nth(0).get_by_role("button", name="削除").click()
    expect(items).to_have_count(2)


def test_two_records_are_kept_apart(page, server):
    page.goto(server + URL)
    field(page, "fact-who").fill("既定の回答")
    page.locator("input.hb-step__box[data-step-id='publish']").check()
    page.once("dialog", lambda d: d.accept("2026-11-26 ウイルス 総務課"))
    page.get_by_role("button", name="新しい記録").click()
    select = page.locator("[data-hb-record-select]")
    expect(select.locator("option:checked")).to_have_text("2026-11-26 ウイルス 総務課")
    expect(field(page, "fact-who")).to_have_value("")
    expect(page.locator("input.hb-step__box:checked")).to_have_count(0)
    field(page, "fact-who").fill("二つ目の回答")
    page.locator("input.hb-step__box[data-step-id='reinstall-os']").check()
    page.reload()
    expect(field(page, "fact-who")).to_have_value("二つ目の回答")
    select.select_option("")
    expect(field(page, "fact-who")).to_have_value("既定の回答")
    expect(page.locator("input.hb-step__box[data-step-id='publish']")).to_be_checked()
    expect(page.locator("input.hb-step__box[data-step-id='reinstall-os']")).not_to_be_checked()
    select.select_option(label="2026-11-26 ウイルス 総務課")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="この記録を削除").click()
    expect(select.locator("option")).to_have_count(1)
    expect(field(page, "fact-who")).to_have_value("既定の回答")


def test_ticks_saved_before_records_existed_belong_to_the_default_record(page, server):
    page.goto(server + URL)
    page.evaluate(
        "localStorage.setItem('hb:v1:/|types/malware|publish', JSON.stringify({at: '2026-11-26T01:00:00Z'}))"
    )
    page.reload()
    expect(page.locator("input.hb-step__box[data-step-id='publish']")).to_be_checked()
    assert "規模や影響範囲が大きい場合は経緯を公表する。" in report(page).inner_text()


def test_export_clear_import_round_trips_exactly(page, server, tmp_path):
    page.goto(server + URL)
    page.once("dialog", lambda d: d.accept("往復テスト"))
    page.get_by_role("button", name="新しい記録").click()
    field(page, "fact-what").fill("業務用PC")
    field(page, "severity-impact").nth(2).check()
    page.locator("input.hb-step__box[data-step-id='reinstall-os']").check()
    page.locator("[name='note-text']").fill("ベンダへ連絡")
    page.get_by_role("button", name="メモを追加").click()
    before = export_json(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="テキストで書き出す").click()
    assert info.value.suggested_filename.endswith(".txt")
    text = open(info.value.path(), encoding="utf-8").read()
    assert text.startswith("事故対応記録: 往復テスト\n") and "業務用PC" in text
    page.evaluate("localStorage.clear()")
    page.reload()
    expect(field(page, "fact-what")).to_have_value("")
    path = tmp_path / "record.json"
    path.write_text(json.dumps(before, ensure_ascii=False), encoding="utf-8")
    page.locator("[data-hb-import]").set_input_files(str(path))
    expect(page.locator("[data-hb-record-message]")).to_contain_text("読み込みました")
    expect(field(page, "fact-what")).to_have_value("業務用PC")
    after = export_json(page)
    for key in ("page", "id", "created", "clock", "items"):
        assert after[key] == before[key], key
    assert before["version"] == 3 and before["items"]["name"][0]["value"] == "往復テスト"


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("{not json", "JSONとして読めません"),
        ('{"format": "hb-incident-record", "version": 99}', "読めない形式"),
        ('{"format": "something-else"}', "事故対応記録のJSONファイルではありません"),
        (None, "大きすぎます"),
    ],
    ids=["bad-json", "wrong-version", "foreign", "huge"],
)
def test_bad_files_are_refused_and_change_nothing(page, server, tmp_path, content, why):
    page.goto(server + URL)
    field(page, "fact-who").fill("残るべき回答")
    path = tmp_path / "bad.json"
    if content is None:
        path.write_text('{"pad": "' + "x" * 11_000_000 + '"}', encoding="utf-8")
    else:
        path.write_text(content, encoding="utf-8")
    page.locator("[data-hb-import]").set_input_files(str(path))
    expect(page.locator("[data-hb-record-message]")).to_contain_text(why)
    expect(page.locator("[data-hb-record-message]")).to_contain_text("記録は変更していません")
    page.reload()
    expect(field(page, "fact-who")).to_have_value("残るべき回答")


def test_typed_html_never_runs_and_shows_literally(page, server, tmp_path):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + URL)
    for name, payload in zip(["fact-who", "department", "reporter"], PAYLOADS, strict=True):
        field(page, name).fill(payload)
    page.locator("[name='note-text']").fill(PAYLOADS[1])
    page.get_by_role("button", name="メモを追加").click()
    text = report(page).inner_text()
    for payload in PAYLOADS:
        assert payload in text
    expect(page.locator("[data-hb-timeline]")).to_contain_text(PAYLOADS[1])
    # Imported payloads too, in the record's name and answers.
    record = export_json(page)
    record.update(id="x1", created="2026-11-26T00:00:00Z")
    record["items"]["name"] = [{"dot": "zz:1", "at": "", "value": PAYLOADS[2]}]
    record["items"]["a:fact-what"] = [{"dot": "zz:2", "at": "", "value": PAYLOADS[0]}]
    path = tmp_path / "payload.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    page.locator("[data-hb-import]").set_input_files(str(path))
    expect(page.locator("[data-hb-record-select] option:checked")).to_have_text(PAYLOADS[2])
    page.reload()
    assert page.evaluate("window.__xss") is None
    assert page.locator("article img[src='x'], article svg[onload]").count() == 0
    assert dialogs == []
    assert page.errors == []


def test_the_form_can_be_filled_with_the_keyboard_alone(page, server):
    page.goto(server + URL)
    page.locator("[data-hb-record-select]").focus()
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "department":
            break
    assert page.evaluate("document.activeElement.name") == "department"
    page.keyboard.type("情報政策課")
    page.keyboard.press("Tab")
    page.keyboard.type("職員B")
    page.reload()
    expect(field(page, "department")).to_have_value("情報政策課")
    expect(field(page, "reporter")).to_have_value("職員B")


def test_the_notice_says_records_stay_in_this_browser(page, server):
    page.goto(server + URL)
    expect(page.locator(".hb-record__notice")).to_contain_text("このブラウザの中にだけ保存されます")
    expect(page.locator(".hb-record__notice")).to_contain_text("JSONで書き出す")


def test_copy_button_puts_the_first_report_on_the_clipboard(page, server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page.goto(server + URL)
    field(page, "reporter").fill("職員C")
    page.get_by_role("button", name="第一報をコピー").click()
    expect(page.locator("[data-hb-record-message]")).to_contain_text("コピーしました")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == report(page).inner_text() and "報告者: 職員C" in copied


def test_the_record_prints_alone(page, server):
    page.goto(server + URL)
    field(page, "department").fill("総務課")
    page.evaluate("window.print = () => {}")  # the dialog itself is the browser's
    page.get_by_role("button", name="第一報と経過を印刷").click()
    page.emulate_media(media="print")
    expect(page.locator("[data-hb-first-report]")).to_be_visible()
    expect(page.locator("h2#discovery")).to_be_hidden()
    expect(page.locator("[data-hb-record-form]")).to_be_hidden()
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    # After printing, the page prints as its checklist again (the record hidden).
    expect(page.locator("h2#discovery")).to_be_visible()
    expect(page.locator("[data-hb-first-report]")).to_be_hidden()
