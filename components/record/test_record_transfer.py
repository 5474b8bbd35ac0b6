"""Export and import of the 事故対応記録 (record-transfer.js, report.js): every export of this site
is read back, up to what the storage holds; an import that does not fit changes nothing and
says why; the text export is plain text; the JSON export follows
data/schema/record.schema.json; typing in a long answer writes after a pause."""

import json
from pathlib import Path

import jsonschema
from playwright.sync_api import expect

from support.records import (
    FILL_STORAGE,
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

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "data" / "schema" / "record.schema.json").read_text(encoding="utf-8"))
FIXTURES = ROOT / "tests" / "fixtures"
MALWARE = "types/malware"


def import_file(page, tmp_path, data, name="record.json"):
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    page.locator("[data-hb-import]").set_input_files(str(path))


def shown(page, doc):
    """What a document shows (HB.crdt.view): name, answers, notes, steps, conflicts."""
    return page.evaluate("d => HB.crdt.view(d)", doc)


def entry(value, dot="zz:1"):
    return [{"dot": dot, "at": "", "value": value}]


def big_record(notes=2000, answer=400_000):
    return {
        "format": "hb-incident-record",
        "version": 2,
        "page": MALWARE,
        "id": "big1",
        "name": "長い記録",
        "edition": "第1版（2026-11-26）",
        "created": "2026-11-26T09:00:00+09:00",
        "updated": "2026-11-27T09:00:00+09:00",
        "revision": 12,
        "answers": {"fact-contents": "ログ" * (answer // 2), "fact-who": "職員A"},
        "notes": [
            {
                "id": f"n{i}",
                "at": f"2026-11-{26 + i // 1440:02d}T{i % 1440 // 60:02d}:{i % 60:02d}:00+09:00",
                "text": f"経過メモ {i}",
            }
            for i in range(notes)
        ],
        "steps": {"publish": {"at": "2026-11-26T10:00:00+09:00", "text": "公表する"}},
    }


def test_an_import_that_does_not_fit_leaves_the_old_record_untouched_and_says_why(
    page, server, tmp_path
):
    page.goto(server + URL)
    new_record(page, "元の記録")
    record_id = page.locator("[data-hb-record-select]").input_value()
    field(page, "fact-who").fill("元の回答")
    add_note(page, "元のメモ")
    before = saved(page, MALWARE, record_id)
    replacement = export_json(page)
    replacement["items"]["a:fact-who"] = entry("読み込むはずだった回答")
    replacement["items"]["a:fact-contents"] = entry("長いログ" * 50_000, "zz:2")
    assert page.evaluate(FILL_STORAGE) > 0
    import_file(page, tmp_path, replacement)
    page.locator("[data-hb-import-review]").get_by_role("button", name="統合する").click()
    expect(message(page)).to_have_text(
        "読み込めません: このブラウザの保存領域が一杯です。記録は変更していません。"
    )
    expect(field(page, "fact-who")).to_have_value("元の回答")
    # A new record that does not fit is not listed either.
    other = {**replacement, "id": "another"}
    other["items"] = {**replacement["items"], "name": entry("入らない記録", "zz:3")}
    import_file(page, tmp_path, other)
    expect(message(page)).to_contain_text("保存領域が一杯です。記録は変更していません。")
    expect(page.locator("[data-hb-record-select] option")).to_have_count(2)
    page.reload()
    expect(selected(page)).to_have_text("元の記録")
    expect(field(page, "fact-who")).to_have_value("元の回答")
    assert stored_docs(page)[(MALWARE, record_id)] == before


def test_an_export_with_2000_notes_and_a_400000_character_answer_imports_back_whole(
    page, server, tmp_path
):
    page.goto(server + URL)
    record = big_record()
    assert len(json.dumps(record, ensure_ascii=False).encode()) > 1_000_000
    import_file(page, tmp_path, record)
    expect(message(page)).to_have_text("「長い記録」を読み込みました。")
    expect(selected(page)).to_have_text("長い記録")
    expect(page.locator("[data-hb-timeline] li")).to_have_count(2001)
    assert field(page, "fact-contents").input_value() == record["answers"]["fact-contents"]
    page.reload()
    expect(page.locator("[data-hb-timeline] li")).to_have_count(2001)
    again = export_json(page)
    for key in ("page", "id", "edition", "created"):
        assert again[key] == record[key], key
    view = shown(page, again)
    for key in ("name", "answers", "steps"):
        assert view[key] == record[key], key
    assert [(n["id"], n["text"]) for n in view["notes"]] == [
        (n["id"], n["text"]) for n in record["notes"]
    ]
    # The export reads back over itself too: the same record, nothing would change.
    import_file(page, tmp_path, again, "again.json")
    review = page.locator("[data-hb-import-review]")
    expect(review).to_contain_text("ファイルの内容は、このブラウザの記録と同じです。")
    review.get_by_role("button", name="統合する").click()
    expect(message(page)).to_have_text("「長い記録」を統合しました。")
    assert page.errors == []


def test_every_export_of_this_site_is_read_and_bad_entries_are_left_out_and_counted(
    page, server, tmp_path
):
    page.goto(server + URL)
    # Format 1, as the previous version of this page wrote it.
    import_file(page, tmp_path, (FIXTURES / "record-v1-export.json").read_text(encoding="utf-8"))
    # its 発見日時 states no offset: read as Japan time, and said so
    expect(message(page)).to_have_text(
        "「2026-11-26 ウイルス 総務課」を読み込みました。"
        "時差（+09:00 など）の書かれていない日時 1 件は、日本時間として読みました。"
    )
    expect(field(page, "fact-who")).to_have_value("総務課 職員A")
    expect(field(page, "discovered")).to_have_value("2026-11-26T09:30")
    expect(step(page, "stop-system-and-remove-malware")).to_be_checked()
    expect(report(page)).to_contain_text("2026-11-26 09:50 （メモ）情報企画課へ電話")
    # null, unknown and duplicate entries: left out or renumbered, and said so.
    messy = {
        "format": "hb-incident-record",
        "version": 2,
        "page": MALWARE,
        "id": "messy",
        "name": "乱れた記録",
        "something-new": {"x": None},
        "answers": {"fact-who": None, "fact-what": "PC", "severity-impact": [None, "県民"]},
        "notes": [
            None,
            {"id": "a", "at": "2026-11-26T10:00:00+09:00", "text": "一"},
            {"id": "a", "at": "2026-11-26T11:00:00+09:00", "text": "二"},
            {"id": "b", "at": "いつか", "text": "三"},
        ],
        "steps": {"publish": None, "reinstall-os": {"at": "2026-11-26T10:00:00+09:00"}},
    }
    import_file(page, tmp_path, messy, "messy.json")
    expect(message(page)).to_have_text(
        "「乱れた記録」を読み込みました。（読み込まなかった項目: 回答 2 件、メモ 2 件、"
        "チェック 1 件。番号を付け直したもの: 1 件）"
    )
    items = page.locator("[data-hb-timeline] li[data-kind=note]")
    expect(items).to_have_count(2)
    items.first.get_by_role("button", name="削除").click()
    expect(items).to_have_count(1)
    expect(items).to_contain_text("二")
    assert page.errors == []


def test_the_text_export_is_plain_text_and_the_json_export_follows_its_schema(
    page, server, tmp_path
):
    page.goto(server + URL)
    new_record(page, "<b>名前</b>")
    html = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    field(page, "fact-who").fill(html)
    field(page, "discovered").fill("2026-11-26T09:30")
    field(page, "severity-impact").nth(0).check()
    step(page, "publish").check()
    add_note(page, "# 見出しではない *強調でもない*", at="2026-11-26T10:00")
    with page.expect_download() as info:
        page.get_by_role("button", name="テキストで書き出す").click()
    assert info.value.suggested_filename.endswith(".txt")
    text = open(info.value.path(), encoding="utf-8").read()
    assert text.startswith("事故対応記録: <b>名前</b>\n")
    assert f"(1) ウイルス感染した当事者は誰か？ {html}" in text
    assert "2026-11-26 10:00 （メモ）# 見出しではない *強調でもない*" in text
    exported = export_json(page)
    jsonschema.validate(exported, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert exported["version"] == 3 and shown(page, exported)["answers"]["fact-who"] == html
    assert exported["edition"] and exported["clock"]
    note = {"at": "2026-11-26 10:00", "text": "x"}  # a time without its offset
    broken = {**exported, "items": {**exported["items"], "n:a": entry(note)}}
    assert list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(broken))
    assert page.evaluate("window.__xss") is None


def test_typing_in_a_100000_character_answer_writes_after_a_pause_not_at_each_key(page, server):
    page.add_init_script(
        """(() => { const set = Storage.prototype.setItem; window.__writes = 0;
        Storage.prototype.setItem = function (k, v) {
          if (String(k).includes('|record|')) window.__writes++;
          return set.call(this, k, v); }; })()"""
    )
    page.goto(server + URL)
    answer = field(page, "fact-contents")
    answer.fill("ロ" * 100_000)
    saved(page, MALWARE)
    hold_timers(page)
    page.evaluate("window.__writes = 0")
    answer.press("End")
    page.keyboard.type("あとから追記した一文")
    assert page.evaluate("window.__writes") == 0
    page.clock.run_for(1000)
    assert page.evaluate("window.__writes") == 1
    page.clock.run_for(2000)  # the 第一報, off screen, is remade after a longer pause
    expect(report(page)).to_contain_text("ロロロあとから追記した一文")
    assert saved(page, MALWARE)["answers"]["fact-contents"].endswith("あとから追記した一文")
