"""The cases of issue 19 that lost or misreported work, each in a real Chromium: imports
that show what they would change before anything is replaced (merge, new record, cancel),
drafts of a note and typing written at least once a second, a full storage with two tabs,
and messages that say who did what (this tab or another, another application)."""

import json

from playwright.sync_api import expect

from support import ROOT
from support.records import (
    FILL_STORAGE,
    FREE_STORAGE,
    URL,
    add_note,
    export_json,
    field,
    hold_timers,
    message,
    new_record,
    saved,
    selected,
    stored_docs,
)

MALWARE = "types/malware"
ALERTS = "[data-hb-record-alerts] .hb-record__alert"
REVIEW = "[data-hb-import-review]"


def import_file(page, tmp_path, data, name="record.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    page.locator("[data-hb-import]").set_input_files(str(path))


def notes(page):
    return page.locator("[data-hb-timeline] li[data-kind=note]")


# --- imports -------------------------------------------------------------------------------


def test_importing_an_older_export_says_so_and_a_merge_keeps_the_notes_added_since(
    page, server, tmp_path
):
    page.goto(server + URL)
    new_record(page, "R1")
    add_note(page, "書き出す前のメモ")
    exported = export_json(page)
    add_note(page, "後から1")
    add_note(page, "後から2")
    field(page, "fact-who").fill("後からの回答")
    page.locator("[name='note-text']").click()
    import_file(page, tmp_path, exported)
    review = page.locator(REVIEW)
    expect(review).to_contain_text(
        "「R1」を読み込む前に確認してください（このブラウザの記録「R1」に重なります）"
    )
    expect(review).to_contain_text("このファイルは、このブラウザの記録より古い書き出しです")
    expect(review).to_contain_text(
        "このブラウザにだけある内容: 回答 1 件（「(1) ウイルス感染した当事者は誰か？」）、メモ 2 件。統合すると残ります。"
    )
    expect(notes(page)).to_have_count(3)  # nothing replaced while the question is open
    review.get_by_role("button", name="統合する").click()
    expect(message(page)).to_have_text("「R1」を統合しました。")
    expect(notes(page)).to_have_count(3)
    expect(field(page, "fact-who")).to_have_value("後からの回答")
    page.reload()
    expect(notes(page)).to_have_count(3)


def test_a_colleagues_default_record_is_shown_before_it_joins_yours_and_can_come_in_apart(
    page, server, tmp_path
):
    desk = page.context.new_page()  # the colleague's tab (their browser, in effect)
    desk.goto(server + URL)
    add_note(desk, "同僚のメモ")
    field(desk, "fact-who").fill("同僚の回答")
    desk.locator("[name='note-text']").click()
    colleague = export_json(desk)
    desk.evaluate("localStorage.clear()")
    desk.close()
    page.goto(server + URL)
    add_note(page, "自分のメモ")
    field(page, "fact-who").fill("自分の回答")
    page.locator("[name='note-text']").click()
    import_file(page, tmp_path, colleague)
    review = page.locator(REVIEW)
    expect(review).to_contain_text("このブラウザの記録「既定の記録」に重なります")
    expect(review).to_contain_text("このブラウザにだけある内容: メモ 1 件。統合すると残ります。")
    expect(review).to_contain_text("両方で別々に入力された内容: 回答 1 件")
    expect(review).to_contain_text("ファイルから加わる内容: メモ 1 件。")
    # Cancel: nothing changes.
    review.get_by_role("button", name="取りやめる").click()
    expect(message(page)).to_have_text("読み込みを取りやめました。記録は変更していません。")
    expect(notes(page)).to_have_count(1)
    # As a new record: both stay whole, apart.
    import_file(page, tmp_path, colleague)
    page.locator(REVIEW).get_by_role("button", name="新しい記録として読み込む").click()
    expect(message(page)).to_contain_text("「既定の記録（読み込み ")
    expect(selected(page)).to_contain_text("既定の記録（読み込み ")
    expect(notes(page)).to_have_count(1)
    expect(notes(page)).to_contain_text("同僚のメモ")
    expect(field(page, "fact-who")).to_have_value("同僚の回答")
    page.locator("[data-hb-record-select]").select_option("")
    expect(notes(page)).to_contain_text("自分のメモ")
    expect(field(page, "fact-who")).to_have_value("自分の回答")
    # Merged: both notes, and both answers kept to choose from, each said whose.
    import_file(page, tmp_path, colleague)
    page.locator(REVIEW).get_by_role("button", name="統合する").click()
    expect(notes(page)).to_have_count(2)
    alert = page.locator(ALERTS)
    expect(alert).to_contain_text("「自分の回答」（このタブで入力、")
    expect(alert).to_contain_text("「同僚の回答」（別のタブで入力、")
    expect(field(page, "fact-who")).to_have_value("自分の回答")


def test_an_id_that_names_another_record_and_a_name_taken_by_another_id_are_flagged(
    page, server, tmp_path
):
    page.goto(server + URL)
    new_record(page, "R1")
    add_note(page, "R1のメモ")
    exported = export_json(page)
    other = {**exported, "clock": {**exported["clock"], "zz": 1}}
    other["items"] = {**exported["items"], "name": [{"dot": "zz:1", "at": "", "value": "別の名前"}]}
    import_file(page, tmp_path, other)
    expect(page.locator(REVIEW)).to_contain_text(
        "同じIDの記録がこのブラウザにありますが、名前が違います（このブラウザ: 「R1」、ファイル: 「別の名前」）。"
    )
    page.locator(REVIEW).get_by_role("button", name="取りやめる").click()
    twin = {**exported, "id": "another1"}
    import_file(page, tmp_path, twin)
    review = page.locator(REVIEW)
    expect(review).to_contain_text("同じ名前の別の記録「R1」が、このブラウザにあります。")
    review.get_by_role("button", name="新しい記録として読み込む").click()
    options = page.locator("[data-hb-record-select] option")
    expect(options).to_have_count(3)
    assert len(stored_docs(page)) == 2


def test_imported_newlines_stay_inside_one_value(page, server, tmp_path):
    page.goto(server + URL)
    record = {
        "format": "hb-incident-record",
        "version": 2,
        "page": MALWARE,
        "id": "forged1",
        "name": "改行入り",
        "answers": {"reporter": "A\n報告者: 偽物"},
        "notes": [
            {
                "id": "n1",
                "at": "2026-11-26T10:00:00+09:00",
                "text": "一行目\r\n2026-11-26 09:00 偽の手順",
            }
        ],
        "steps": {},
    }
    import_file(page, tmp_path, record)
    expect(message(page)).to_have_text("「改行入り」を読み込みました。")
    doc = stored_docs(page)[(MALWARE, "forged1")]
    assert doc["answers"]["reporter"] == "A\n報告者: 偽物"  # one value, kept as typed
    assert [n["text"] for n in doc["notes"]] == ["一行目\r\n2026-11-26 09:00 偽の手順"]


# --- nothing typed is lost -------------------------------------------------------------------


def test_a_note_typed_but_not_added_comes_back_after_a_reload(page, server):
    page.goto(server + URL)
    page.locator("[name='note-text']").fill("まだ追加していないメモ")
    page.reload()  # at once: pagehide keeps it
    expect(page.locator("[name='note-text']")).to_have_value("まだ追加していないメモ")
    expect(message(page)).to_contain_text("追加していないメモの入力内容を戻しました")
    page.get_by_role("button", name="メモを追加").click()
    expect(notes(page)).to_have_count(1)
    page.reload()
    expect(page.locator("[name='note-text']")).to_have_value("")


def test_steady_typing_is_written_at_least_once_a_second(page, server):
    page.add_init_script(
        """(() => { const set = Storage.prototype.setItem; window.__writes = [];
        Storage.prototype.setItem = function (k, v) {
          if (String(k).includes('|record|') || String(k).includes('|draft|')) window.__writes.push(String(k).split('|')[1]);
          return set.call(this, k, v); }; })()"""
    )
    page.goto(server + URL)
    hold_timers(page)
    page.locator("[data-hb-record-form] [name='fact-contents']").click()
    for _ in range(25):  # 5 s of steady typing, a key every 200 ms: never a 400 ms pause
        page.keyboard.type("あ")
        page.clock.run_for(200)
    writes = page.evaluate("window.__writes")
    assert writes.count("record") >= 4, writes
    page.locator("[name='note-text']").click()
    page.evaluate("window.__writes = []")
    for _ in range(10):  # 2 s typing a note
        page.keyboard.type("い")
        page.clock.run_for(200)
    assert page.evaluate("window.__writes").count("draft") >= 2


def test_a_full_storage_with_two_tabs_keeps_everything_on_screen_then_writes_it_all(page, server):
    page.goto(server + URL)
    other = page.context.new_page()
    other.goto(server + URL)
    page.bring_to_front()
    add_note(page, "入る前のメモ")
    saved(page, MALWARE)
    assert page.evaluate(FILL_STORAGE) > 0
    add_note(page, "満杯のときのメモA")
    field(page, "fact-who").fill("満杯のときの回答" * 100)
    page.locator("[name='note-text']").click()
    other.bring_to_front()
    add_note(other, "満杯のときのメモB")
    for tab in (page, other):
        expect(tab.locator(ALERTS)).to_contain_text(
            "変更を保存できていません（このブラウザの保存領域が一杯です）"
        )
        expect(tab.locator(".hb-storage-notice")).to_have_count(1)
    expect(notes(page)).to_have_count(2)
    expect(field(page, "fact-who")).to_have_value("満杯のときの回答" * 100)
    expect(notes(other)).to_contain_text(["満杯のときのメモB"])
    page.evaluate(FREE_STORAGE)
    page.bring_to_front()
    add_note(page, "空いてからのメモ")
    other.bring_to_front()
    other.locator("[data-hb-record-form] [name='department']").fill("総務課")
    other.locator("[name='note-text']").click()
    texts = {"入る前のメモ", "満杯のときのメモA", "満杯のときのメモB", "空いてからのメモ"}
    for tab in (page, other):
        expect(notes(tab)).to_have_count(4)
        expect(tab.locator(ALERTS)).to_have_count(0)
    assert {n["text"] for n in stored_docs(page)[(MALWARE, "")]["notes"]} == texts


# --- who did what ------------------------------------------------------------------------------


def test_another_applications_clear_is_not_called_a_deletion_in_another_tab(page, server):
    page.goto(server + URL)
    field(page, "fact-who").fill("消される回答")
    page.locator("[name='note-text']").click()
    saved(page, MALWARE)
    other = page.context.new_page()
    other.goto(server + "/contacts/")
    other.evaluate("localStorage.clear()")
    alert = page.locator(ALERTS)
    expect(alert).to_contain_text(
        "このタブの外で（ほかのアプリケーションやブラウザの操作で）まとめて消去されました"
    )
    expect(alert).not_to_contain_text("別のタブで削除")
    page.bring_to_front()
    alert.get_by_role("button", name="この内容を保存し直す").click()
    expect(alert).to_have_count(0)
    assert stored_docs(page)[(MALWARE, "")]["answers"]["fact-who"] == "消される回答"


def test_a_record_imported_again_after_a_delete_is_live_again_in_the_other_tab(
    page, server, tmp_path
):
    page.goto(server + URL)
    new_record(page, "戻る記録")
    add_note(page, "最初のメモ")
    exported = export_json(page)
    record_id = exported["id"]
    other = page.context.new_page()
    other.goto(server + URL)
    expect(selected(other)).to_have_text("戻る記録")
    page.bring_to_front()
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="この記録を削除").click()
    expect(other.locator(ALERTS)).to_contain_text("この記録は別のタブで削除されました")
    import_file(page, tmp_path, exported)
    expect(message(page)).to_have_text("「戻る記録」を読み込みました。")
    expect(other.locator(ALERTS)).to_have_count(0)
    expect(message(other)).to_contain_text("ほかのタブで読み込み直されたため")
    other.bring_to_front()
    add_note(other, "戻ってからのメモ")
    page.bring_to_front()
    expect(notes(page)).to_have_count(2)
    assert len(stored_docs(page)[(MALWARE, record_id)]["notes"]) == 2


def test_old_records_with_a_storage_that_refuses_writes_are_listed_with_their_own_notice(
    page, server
):

    snapshot = json.loads(
        (ROOT / "tests" / "fixtures" / "records-v1-localstorage.json").read_text(encoding="utf-8")
    )
    page.goto(server + "/contacts/")
    page.evaluate(
        "entries => { localStorage.clear(); sessionStorage.clear();"
        " for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, v); }",
        snapshot["localStorage"],
    )
    page.add_init_script(
        """Storage.prototype.setItem = function () {
        throw new DOMException('full', 'QuotaExceededError'); };"""
    )
    page.goto(server + URL)
    expect(selected(page)).to_have_text("2026-11-26 ウイルス 会計課")
    expect(page.locator("[data-hb-record-select] option")).to_have_count(2)
    expect(field(page, "fact-who")).to_have_value("会計課 職員B")
    expect(page.locator(".hb-storage-notice[data-kind=migrate]")).to_contain_text(
        "以前の形式で保存された記録を、新しい形式で保存し直せませんでした"
    )
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('hb:v1:')).length") > 0


def test_a_duplicated_tab_is_another_tab_and_a_reloaded_tab_is_still_this_one(page, server):
    page.goto(server + URL)
    field(page, "fact-who").fill("最初の回答")
    page.locator("[name='note-text']").click()
    saved(page, MALWARE)
    # A duplicated tab starts with a copy of this tab's sessionStorage.
    copy = page.evaluate("JSON.stringify(Object.entries(sessionStorage))")
    duplicate = page.context.new_page()
    duplicate.add_init_script(f"for (const [k, v] of {copy}) sessionStorage.setItem(k, v);")
    duplicate.goto(server + URL)
    hold_timers(page)
    page.bring_to_front()
    field(page, "fact-what").fill("元のタブの値")
    duplicate.bring_to_front()
    field(duplicate, "fact-what").fill("複製したタブの値")
    page.clock.run_for(1000)  # both write at once, each unaware of the other
    for tab, own, theirs in (
        (page, "元のタブの値", "複製したタブの値"),
        (duplicate, "複製したタブの値", "元のタブの値"),
    ):
        alert = tab.locator(ALERTS)
        expect(alert).to_contain_text(f"「{own}」（このタブで入力、")
        expect(alert).to_contain_text(f"「{theirs}」（別のタブで入力、")
    page.bring_to_front()
    page.reload()  # the same tab: what its earlier visit typed is still this tab's
    alert = page.locator(ALERTS)
    expect(alert).to_contain_text("「元のタブの値」（このタブで入力、")
    expect(alert).to_contain_text("「複製したタブの値」（別のタブで入力、")
