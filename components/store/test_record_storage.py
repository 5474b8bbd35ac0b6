"""事故対応記録 that never loses, mixes or misdates an incident (storage.js, record.js):
one document per record, the record chosen per tab, tabs kept in step, failed writes that
lose nothing, delete and clear-all that say what they delete, format 1 migrated, the offline
edition keyed by the handbook, the print page on the tab's record. Two tabs are two pages of
one context; a full storage is filled with real data until QuotaExceededError."""

import json
import shutil

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
    report,
    saved,
    selected,
    step,
    stored_docs,
)

FIXTURES = ROOT / "tests" / "fixtures"
MALWARE = "types/malware"


def HB_CANONICAL(page, doc):  # noqa: N802
    return page.evaluate(
        "d => HB.crdt.canonical(d)", {"clock": doc["clock"], "items": doc["items"]}
    )


ALERTS = "[data-hb-record-alerts] .hb-record__alert"


def test_deleting_the_default_record_deletes_it_alone_after_saying_what_it_holds(page, server):
    page.goto(server + URL)
    new_record(page, "総務課の件")
    field(page, "fact-who").fill("総務課の回答")
    add_note(page, "総務課のメモ")
    step(page, "publish").check()
    page.locator("[data-hb-record-select]").select_option("")
    field(page, "fact-who").fill("既定の回答")
    step(page, "reinstall-os").check()
    saved(page, MALWARE)
    dialogs = []
    page.once("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    page.get_by_role("button", name="この記録を削除").click()
    assert dialogs == [
        "「既定の記録」を削除します（回答 1 件、メモ 0 件、チェック 1 件）。ほかの記録は残ります。よろしいですか？"
    ]
    expect(message(page)).to_have_text("「既定の記録」を削除しました。")
    expect(field(page, "fact-who")).to_have_value("")
    options = page.locator("[data-hb-record-select] option")
    expect(options).to_have_text(["既定の記録", "総務課の件"])
    assert set(stored_docs(page)) == {(MALWARE, options.nth(1).get_attribute("value"))}
    page.reload()
    page.locator("[data-hb-record-select]").select_option(label="総務課の件")
    expect(field(page, "fact-who")).to_have_value("総務課の回答")
    expect(step(page, "publish")).to_be_checked()
    expect(page.locator("[data-hb-timeline]")).to_contain_text("総務課のメモ")


def test_each_tab_keeps_its_own_record_and_a_new_tab_says_which_one_it_opened(page, server):
    page.goto(server + URL)
    field(page, "fact-who").fill("既定の回答")
    saved(page, MALWARE)
    new_record(page, "二件目")
    field(page, "fact-who").fill("二件目の回答")
    saved(page, MALWARE, page.locator("[data-hb-record-select]").input_value())
    other = page.context.new_page()
    other.goto(server + URL)
    expect(selected(other)).to_have_text("二件目")
    expect(message(other)).to_have_text("最後に更新した記録「二件目」を表示しています。")
    other.locator("[data-hb-record-select]").select_option("")
    expect(field(other, "fact-who")).to_have_value("既定の回答")
    # The first tab still shows, and writes into, its own record.
    page.bring_to_front()
    expect(selected(page)).to_have_text("二件目")
    field(page, "fact-what").fill("二件目のPC")
    doc = saved(page, MALWARE, page.locator("[data-hb-record-select]").input_value())
    assert doc["answers"]["fact-what"] == "二件目のPC"
    assert "fact-what" not in stored_docs(page)[(MALWARE, "")]["answers"]
    expect(field(other, "fact-what")).to_have_value("")
    other.reload()
    expect(selected(other)).to_have_text("既定の記録")  # the tab's choice, kept on reload
    page.reload()
    expect(selected(page)).to_have_text("二件目")


def test_a_tab_shows_what_another_tab_wrote_and_its_next_keystroke_erases_nothing(page, server):
    page.goto(server + URL)
    other = page.context.new_page()
    other.goto(server + URL)
    page.bring_to_front()  # a tab acted on is in front (Chromium hardly renders the others)
    field(page, "fact-who").fill("一つ目のタブの回答")
    page.locator("[name='note-text']").click()  # leaves the answer: written at once
    expect(field(other, "fact-who")).to_have_value("一つ目のタブの回答")
    other.bring_to_front()
    field(other, "fact-what").fill("二つ目のタブの回答")
    other.locator("[name='note-text']").click()
    expect(field(page, "fact-what")).to_have_value("二つ目のタブの回答")
    answers = stored_docs(page)[(MALWARE, "")]["answers"]
    assert answers["fact-who"] == "一つ目のタブの回答"
    assert answers["fact-what"] == "二つ目のタブの回答"
    expect(report(page)).to_contain_text("二つ目のタブの回答")
    assert page.errors == []


def test_a_write_another_tab_made_from_a_stale_copy_loses_nothing(page, server):
    page.goto(server + URL)
    field(page, "fact-who").fill("最初の回答")
    page.locator("[name='note-text']").click()
    first = saved(page, MALWARE)
    field(page, "fact-what").fill("後からの回答")
    page.locator("[name='note-text']").click()
    saved(page, MALWARE)
    # Another tab writes a version made from the first one: it never saw 後からの回答.
    stale = {k: first[k] for k in ("format", "version", "page", "id", "edition", "created")}
    stale["updated"] = first["updated"]
    stale["clock"] = {**first["clock"], "stalecopy": 1}
    stale["items"] = {
        **first["items"],
        "a:fact-where": [{"dot": "stalecopy:1", "at": "", "value": "別のタブの回答"}],
    }
    other = page.context.new_page()
    other.goto(server + "/contacts/")
    scope = other.evaluate("HB.storage.scope.key")
    other.evaluate(
        "([k, v]) => localStorage.setItem(k, v)",
        [f"hb:v2:{scope}|record|{MALWARE}|", json.dumps(stale, ensure_ascii=False)],
    )
    page.bring_to_front()
    expect(field(page, "fact-where")).to_have_value("別のタブの回答")
    expect(field(page, "fact-what")).to_have_value("後からの回答")
    # This tab holds what the stale copy lacks: it writes the merge back.
    page.wait_for_function(
        "k => { const d = JSON.parse(localStorage.getItem(k));"
        " return d.clock.stalecopy === 1 && d.items['a:fact-what']; }",
        arg=f"hb:v2:{scope}|record|{MALWARE}|",
    )
    answers = stored_docs(page)[(MALWARE, "")]["answers"]
    assert (answers["fact-who"], answers["fact-what"], answers["fact-where"]) == (
        "最初の回答",
        "後からの回答",
        "別のタブの回答",
    )
    expect(page.locator(ALERTS)).to_have_count(0)


def test_a_field_changed_in_two_tabs_keeps_both_values_and_a_notice_names_the_field(page, server):
    page.goto(server + URL)
    other = page.context.new_page()
    other.goto(server + URL)
    hold_timers(page)  # the writes after typing wait
    page.bring_to_front()
    field(page, "fact-what").fill("業務用PC")
    other.bring_to_front()
    field(other, "fact-what").fill("私物のUSBメモリ")
    page.bring_to_front()
    page.locator("[name='note-text']").click()  # this tab leaves the field: written now
    label = "(2) 何がウイルス感染したのか？"
    # Each tab keeps showing what it typed, and says which value is whose.
    for tab, own, theirs in (
        (other, "私物のUSBメモリ", "業務用PC"),
        (page, "業務用PC", "私物のUSBメモリ"),
    ):
        notice = tab.locator(ALERTS)
        expect(notice).to_have_count(1)
        expect(notice).to_contain_text(f"「{label}」は2つのタブで別々に入力されました。")
        expect(notice).to_contain_text(f"「{own}」（このタブで入力、")
        expect(notice).to_contain_text(f"「{theirs}」（別のタブで入力、")
        expect(field(tab, "fact-what")).to_have_value(own)
    doc = stored_docs(page)[(MALWARE, "")]
    assert [(c["field"], sorted(v["value"] for v in c["values"])) for c in doc["conflicts"]] == [
        ("fact-what", ["業務用PC", "私物のUSBメモリ"])
    ]
    # Choosing one value settles it in both tabs.
    page.locator(ALERTS).get_by_role("button", name="「業務用PC」にする").click()
    expect(field(page, "fact-what")).to_have_value("業務用PC")
    expect(field(other, "fact-what")).to_have_value("業務用PC")
    expect(other.locator(ALERTS)).to_have_count(0)
    expect(page.locator(ALERTS)).to_have_count(0)


def test_two_tabs_writing_the_same_field_at_once_end_alike_with_both_values(page, server):
    page.goto(server + URL)
    other = page.context.new_page()
    other.goto(server + URL)
    hold_timers(page)
    page.bring_to_front()
    field(page, "fact-what").fill("業務用PC")
    other.bring_to_front()
    field(other, "fact-what").fill("私物のUSBメモリ")
    page.clock.run_for(1000)  # both tabs write at the same moment, each without the other
    for tab in (page, other):
        expect(tab.locator(ALERTS)).to_have_count(1)
    page.wait_for_timeout(500)
    states = [
        tab.evaluate("HB.crdt.canonical(HB.storage.session('types/malware').data)")
        for tab in (page, other)
    ]
    assert states[0] == states[1]  # both tabs hold the same state: both values
    doc = stored_docs(page)[(MALWARE, "")]
    assert HB_CANONICAL(page, doc) == states[0]
    values = sorted(v["value"] for v in doc["conflicts"][0]["values"])
    assert values == ["業務用PC", "私物のUSBメモリ"] and len(doc["conflicts"]) == 1
    for tab, own in ((page, "業務用PC"), (other, "私物のUSBメモリ")):
        expect(field(tab, "fact-what")).to_have_value(own)
        expect(tab.locator(ALERTS)).to_contain_text(f"「{own}」（このタブで入力、")


def test_a_record_cleared_in_another_tab_is_not_written_again_and_can_be_saved_as_new(page, server):
    page.goto(server + URL)
    field(page, "fact-who").fill("消される前の回答")
    step(page, "publish").check()
    saved(page, MALWARE)
    home = page.context.new_page()
    home.goto(server + "/")
    dialogs = []
    home.once("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    home.get_by_role("button", name="保存したチェックと記録をすべて消去").click()
    assert dialogs == [
        "このハンドブック（岐阜県 情報セキュリティ事故対応ハンドブック）の、このブラウザに保存した"
        "事故対応記録 1 件（回答・メモ・チェック）を消去します。\n・既定の記録（3-5 不正プログラム）\n\n"
        "ほかの場所に置いたハンドブックや以前の保管場所の記録は消去しません。よろしいですか？"
    ]
    assert stored_docs(home) == {}
    notice = page.locator(ALERTS)
    expect(notice).to_contain_text(
        "この記録は別のタブで削除されました。このタブでの変更は保存しません。"
    )
    # This tab's next keystroke and tick do not bring the record back.
    page.bring_to_front()
    field(page, "fact-what").fill("そのあとの回答")
    step(page, "reinstall-os").check()
    page.locator("[name='note-text']").click()
    page.wait_for_timeout(800)
    assert stored_docs(page) == {}
    notice.get_by_role("button", name="この内容を新しい記録として保存").click()
    expect(message(page)).to_have_text("「既定の記録（コピー）」として保存しました。")
    expect(selected(page)).to_have_text("既定の記録（コピー）")
    expect(notice).to_have_count(0)
    (key, doc), *rest = stored_docs(page).items()
    assert rest == [] and key[1] and doc["name"] == "既定の記録（コピー）"
    assert doc["answers"]["fact-who"] == "消される前の回答"
    assert doc["answers"]["fact-what"] == "そのあとの回答"
    assert set(doc["steps"]) == {"publish", "reinstall-os"}


def test_after_a_failed_write_the_tab_keeps_its_record_warns_and_exports_what_is_shown(
    page, server
):
    page.goto(server + URL)
    new_record(page, "満杯の件")
    for i in range(3):
        add_note(page, f"メモ{i}")
    saved(page, MALWARE, page.locator("[data-hb-record-select]").input_value())
    assert page.evaluate(FILL_STORAGE) > 0
    field(page, "fact-who").fill("保存できない回答" * 200)
    add_note(page, "保存できないメモ")
    alert = page.locator(ALERTS)
    expect(alert).to_contain_text("変更を保存できていません（このブラウザの保存領域が一杯です）")
    expect(page.locator(".hb-storage-notice")).to_have_count(1)
    expect(selected(page)).to_have_text("満杯の件")
    exported = page.evaluate("d => HB.crdt.view(d)", export_json(page))
    assert exported["name"] == "満杯の件"
    assert exported["answers"]["fact-who"] == "保存できない回答" * 200
    assert [n["text"] for n in exported["notes"]] == ["メモ0", "メモ1", "メモ2", "保存できないメモ"]
    # Switching away and back shows what this visit could not write.
    page.locator("[data-hb-record-select]").select_option("")
    page.locator("[data-hb-record-select]").select_option(label="満杯の件")
    expect(field(page, "fact-who")).to_have_value("保存できない回答" * 200)
    # Once there is room, the next change writes everything and the warning goes.
    page.evaluate(FREE_STORAGE)
    field(page, "department").fill("総務課")
    page.locator("[name='note-text']").click()
    expect(alert).to_have_count(0)
    expect(page.locator(".hb-storage-notice")).to_have_count(0)
    page.reload()
    expect(selected(page)).to_have_text("満杯の件")
    expect(field(page, "fact-who")).to_have_value("保存できない回答" * 200)
    expect(page.locator("[data-hb-timeline] li")).to_have_count(4)


def test_duplicate_note_ids_are_renumbered_and_one_delete_removes_one_note(page, server):
    page.goto(server + URL)
    scope = page.evaluate("HB.storage.scope.key")
    note = {"id": "same", "at": "2026-11-26T10:00:00+09:00"}
    doc = {
        "format": "hb-incident-record",
        "version": 2,
        "page": MALWARE,
        "id": "",
        "name": "",
        "answers": {},
        "steps": {},
        "notes": [
            {**note, "text": "一つ目"},
            {**note, "text": "二つ目"},
            {**note, "text": "三つ目"},
        ],
    }
    page.evaluate(
        "([k, v]) => localStorage.setItem(k, v)",
        [f"hb:v2:{scope}|record|{MALWARE}|", json.dumps(doc)],
    )
    page.reload()
    items = page.locator("[data-hb-timeline] li")
    expect(items).to_have_count(3)
    items.filter(has_text="二つ目").get_by_role("button", name="削除").click()
    expect(items).to_have_count(2)
    notes = saved(page, MALWARE)["notes"]
    assert [n["text"] for n in notes] == ["一つ目", "三つ目"]
    assert len({n["id"] for n in notes}) == 2
    assert page.errors == []


def test_null_and_unknown_entries_in_a_stored_record_never_break_the_page(page, server):
    page.goto(server + URL)
    scope = page.evaluate("HB.storage.scope.key")
    doc = {
        "format": "hb-incident-record",
        "version": 2,
        "page": MALWARE,
        "id": "",
        "name": None,
        "future-field": [None, {"x": None}],
        "answers": {"fact-who": None, "fact-what": "残る回答", "severity-impact": [None, "県民"]},
        "notes": [
            None,
            {"id": None, "at": None, "text": None},
            {"at": "2026-11-26", "text": "日付だけ"},
        ],
        "steps": {"publish": None, "reinstall-os": {"at": "2026-11-26T10:00:00+09:00"}},
        "conflicts": [None],
    }
    page.evaluate(
        """([k, v]) => {
        localStorage.setItem(k, v);
        localStorage.setItem('hb:v1:/|types/loss-theft|@records', JSON.stringify({list: [null]}));
        localStorage.setItem('hb:v1:/|types/loss-theft|@data', JSON.stringify({answers: null, notes: [null]}));
        }""",
        [f"hb:v2:{scope}|record|{MALWARE}|", json.dumps(doc)],
    )
    page.reload()
    expect(field(page, "fact-what")).to_have_value("残る回答")
    expect(field(page, "severity-impact").nth(0)).to_be_checked()
    expect(step(page, "reinstall-os")).to_be_checked()
    expect(step(page, "publish")).not_to_be_checked()
    expect(page.locator("[data-hb-timeline]")).to_contain_text(
        "2026-11-26（時刻なし） （メモ）日付だけ"
    )
    field(page, "fact-who").fill("書ける")
    assert saved(page, MALWARE)["answers"]["fact-who"] == "書ける"
    page.goto(server + "/types/loss-theft/")
    expect(page.locator("[data-hb-module=record]")).to_have_attribute("data-hb-mounted", "")
    assert page.errors == []


def test_a_format_1_snapshot_is_migrated_to_one_document_per_record(page, server):
    snapshot = json.loads((FIXTURES / "records-v1-localstorage.json").read_text(encoding="utf-8"))
    page.goto(server + "/contacts/")
    page.evaluate(
        "entries => { localStorage.clear(); sessionStorage.clear();"
        " for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, v); }",
        snapshot["localStorage"],
    )
    page.goto(server + URL)
    # A new tab opens on the record updated last (the old "active" one), and says so.
    expect(selected(page)).to_have_text("2026-11-26 ウイルス 会計課")
    expect(message(page)).to_contain_text("最後に更新した記録「2026-11-26 ウイルス 会計課」")
    expect(field(page, "fact-who")).to_have_value("会計課 職員B")
    expect(field(page, "discovered")).to_have_value("2026-11-26T10:15")
    expect(step(page, "reinstall-os")).to_be_checked()
    expect(page.locator("li.hb-step[data-step-id='reinstall-os'] time")).to_have_text("11/26 11:00")
    expect(page.locator("[data-hb-timeline]")).to_contain_text(
        "2026-11-26 11:05 （メモ）ベンダへ連絡"
    )
    page.locator("[data-hb-record-select]").select_option("")
    expect(field(page, "fact-who")).to_have_value("総務課 職員A")
    expect(field(page, "severity-impact").nth(0)).to_be_checked()
    expect(step(page, "publish")).to_be_checked()
    expect(report(page)).to_contain_text("発見日時: 2026-11-26 09:30（日本時間）")
    expect(report(page)).to_contain_text("2026-11-26 09:50 （メモ）情報企画課へ電話")
    # Nothing of format 1 is left; nothing of another application is touched.
    keys = page.evaluate("Object.keys(localStorage)")
    assert [k for k in keys if k.startswith("hb:v1:")] == []
    assert page.evaluate("localStorage.getItem('someone-else')") == "kept"
    docs = stored_docs(page)
    assert {(p, bool(i)) for p, i in docs} == {
        ("basics", False),
        (MALWARE, False),
        (MALWARE, True),
        ("types/loss-theft", True),
        ("types/misdelivery", False),
    }
    assert all(d["version"] == 3 and d["clock"] for d in docs.values())
    # The record the old 「この記録を削除」 left unreachable is listed again.
    page.goto(server + "/types/loss-theft/")
    lost = page.locator("[data-hb-record-select] option", has_text="名前のない記録")
    expect(lost).to_have_count(1)
    page.locator("[data-hb-record-select]").select_option(lost.get_attribute("value"))
    expect(field(page, "fact-where")).to_have_value("駅のホーム")
    page.goto(server + "/basics/")
    expect(step(page, "cut-off")).to_be_checked()
    assert page.errors == []


def test_the_same_offline_zip_opened_from_two_folders_shows_the_same_records(
    context, offline_site, tmp_path
):
    second = tmp_path / "別のフォルダ" / offline_site.name
    shutil.copytree(offline_site, second)
    first_page = context.new_page()
    first_page.goto((offline_site / "types" / "malware.html").as_uri())
    step(first_page, "publish").check()
    field(first_page, "fact-who").fill("USBから開いた回答")
    first_page.locator("[name='note-text']").click()
    other = context.new_page()
    other.goto((second / "types" / "malware.html").as_uri())
    assert other.url != first_page.url
    expect(step(other, "publish")).to_be_checked()
    expect(field(other, "fact-who")).to_have_value("USBから開いた回答")
    other.goto((second / "basics.html").as_uri())
    step(other, "cut-off").check()
    first_page.bring_to_front()
    first_page.goto((offline_site / "basics.html").as_uri())
    expect(step(first_page, "cut-off")).to_be_checked()


def test_the_print_page_shows_and_saves_the_ticks_of_the_record_the_tab_chose(page, server):
    page.goto(server + URL)
    step(page, "publish").check()  # 既定の記録
    new_record(page, "印刷する件")
    record_id = page.locator("[data-hb-record-select]").input_value()
    step(page, "reinstall-os").check()
    page.get_by_role("navigation").get_by_role("link", name="印刷用チェックリスト").click()
    malware = page.locator("ul.hb-checklist[data-hb-page='types/malware']")
    expect(malware.locator("input[data-step-id='reinstall-os']")).to_be_checked()
    expect(malware.locator("input[data-step-id='publish']")).not_to_be_checked()
    caption = page.locator("[data-hb-record-caption]")
    expect(caption).to_have_count(1)
    expect(caption).to_have_text("記録「印刷する件」のチェック")
    malware.locator("input[data-step-id='check-information']").check()
    docs = stored_docs(page)
    assert set(docs[(MALWARE, record_id)]["steps"]) == {"reinstall-os", "check-information"}
    assert set(docs[(MALWARE, "")]["steps"]) == {"publish"}
    page.emulate_media(media="print")
    expect(caption).to_be_visible()
    page.emulate_media(media="screen")
    page.get_by_role("navigation").get_by_role("link", name="3-5 不正プログラム").click()
    expect(selected(page)).to_have_text("印刷する件")
    expect(step(page, "check-information")).to_be_checked()
    expect(report(page)).to_contain_text(
        step(page, "check-information").locator("xpath=..").locator(".hb-step__text").inner_text()
    )
    assert page.errors == []
