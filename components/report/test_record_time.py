"""Times of the 事故対応記録 carry their zone: stored as ISO 8601 with offset, typed and shown in
Japan time (Asia/Tokyo) whatever the PC's zone, sorted by instant, a date without a time
refused. Each test runs in a Chromium set to UTC and to Asia/Tokyo, with the same results."""

import datetime as dt
import json

import pytest
from playwright.sync_api import expect

from support.browser import hold_search_index, stand_in_for_mermaid
from support.records import URL, add_note, field, message, report_in_view, saved, step

NOON_UTC = dt.datetime(2026, 11, 26, 10, 42, tzinfo=dt.UTC)  # 19:42 in Japan


@pytest.fixture(params=["UTC", "Asia/Tokyo"])
def zoned(request, browser, server):
    """A page of a fresh context whose PC time zone is the parameter."""
    context = browser.new_context(timezone_id=request.param, locale="ja-JP")
    stand_in_for_mermaid(context)
    hold_search_index(context)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    yield page
    context.close()


def test_times_are_stored_with_their_zone_and_shown_in_japan_time_whatever_the_pc_zone(
    zoned, server
):
    page = zoned
    page.clock.set_fixed_time(NOON_UTC)
    page.goto(server + URL)
    assert page.evaluate("new Date().getTimezoneOffset()") in (0, -540)
    field(page, "discovered").fill("2026-11-26T19:05")
    step(page, "publish").check()
    add_note(page, "警察に届出", at="2026-11-26T19:30")
    expect(page.locator("li.hb-step[data-step-id='publish'] time")).to_have_text("11/26 19:42")
    expect(report_in_view(page)).to_contain_text("発見日時: 2026-11-26 19:05（日本時間）")
    items = page.locator("[data-hb-timeline] li")
    expect(items.nth(0)).to_contain_text("2026-11-26 19:30 （メモ）警察に届出")
    expect(items.nth(1)).to_contain_text("2026-11-26 19:42 規模や影響範囲が大きい場合は")
    doc = saved(page, "types/malware")
    assert doc["answers"]["discovered"] == "2026-11-26T19:05:00+09:00"
    assert doc["steps"]["publish"]["at"] == "2026-11-26T19:42:00+09:00"
    assert doc["notes"][0]["at"] == "2026-11-26T19:30:00+09:00"
    assert doc["created"].endswith("+09:00") and doc["updated"].endswith("+09:00")
    page.reload()
    expect(field(page, "discovered")).to_have_value("2026-11-26T19:05")
    with page.expect_download() as info:
        page.get_by_role("button", name="テキストで書き出す").click()
    text = open(info.value.path(), encoding="utf-8").read()
    assert "書き出した日時: 2026-11-26 19:42（日本時間）" in text
    assert "発見日時: 2026-11-26 19:05（日本時間）" in text
    assert "■これまでの対応と経過（日本時間）\n2026-11-26 19:30 （メモ）警察に届出" in text
    assert page.errors == []


def test_the_timeline_sorts_by_instant_whatever_the_offset_of_each_time(zoned, server, tmp_path):
    page = zoned
    page.goto(server + URL)
    record = {
        "format": "hb-incident-record",
        "version": 2,
        "page": "types/malware",
        "id": "zones",
        "name": "時差のある記録",
        "answers": {"discovered": "2026-11-26T09:00:00Z"},
        "steps": {"publish": {"at": "2026-11-26T09:55:00Z"}},
        "notes": [
            {"id": "a", "at": "2026-11-26T18:30:00+09:00", "text": "日本時間で書いたメモ"},
            {"id": "b", "at": "2026-11-26T04:50:00-05:00", "text": "ニューヨーク時間で書いたメモ"},
            {"id": "c", "at": "2026-11-26", "text": "日付だけのメモ"},
        ],
    }
    path = tmp_path / "zones.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    page.locator("[data-hb-import]").set_input_files(str(path))
    expect(message(page)).to_contain_text("読み込みました")
    items = page.locator("[data-hb-timeline] li")
    expect(items).to_have_text(
        [
            "2026-11-26（時刻なし） （メモ）日付だけのメモ 削除",
            "2026-11-26 18:30 （メモ）日本時間で書いたメモ 削除",
            "2026-11-26 18:50 （メモ）ニューヨーク時間で書いたメモ 削除",
            "2026-11-26 18:55 規模や影響範囲が大きい場合は経緯を公表する。",
        ]
    )
    expect(report_in_view(page)).to_contain_text("発見日時: 2026-11-26 18:00（日本時間）")


def test_a_note_date_without_a_time_is_refused_with_a_message(zoned, server):
    page = zoned
    page.goto(server + URL)
    page.locator("[name='note-text']").fill("時刻を書き忘れたメモ")
    at = page.locator("[name='note-at']")
    at.fill("")
    at.focus()
    page.keyboard.press("Home")
    page.keyboard.type("20261126")  # year, month, day; the time left blank
    assert at.evaluate("el => el.validity.badInput") is True
    page.get_by_role("button", name="メモを追加").click()
    expect(message(page)).to_have_text(
        "メモの日時は、日付と時刻の両方を入力してください（空欄なら今の日時）。メモは追加していません。"
    )
    expect(page.locator("[data-hb-timeline] li")).to_have_count(0)
    expect(page.locator("[name='note-text']")).to_have_value("時刻を書き忘れたメモ")
    assert page.evaluate("HB.storage.session('types/malware').doc.notes.length") == 0


# --- dates as a person means them (issue 19, point 5) ---------------------------------------


def test_years_of_the_first_millennium_are_kept_as_typed_and_survive_a_reload(zoned, server):
    page = zoned
    page.goto(server + URL)
    field(page, "discovered").fill("0001-01-01T00:00")
    expect(report_in_view(page)).to_contain_text("発見日時: 0001-01-01 00:00（日本時間）")
    assert saved(page, "types/malware")["answers"]["discovered"] == "0001-01-01T00:00:00+09:00"
    field(page, "discovered").fill("0026-03-04T05:06")
    expect(report_in_view(page)).to_contain_text("発見日時: 0026-03-04 05:06（日本時間）")
    add_note(page, "500年のメモ", at="0500-06-07T08:09")
    expect(page.locator("[data-hb-timeline] li")).to_have_text(
        ["0500-06-07 08:09 （メモ）500年のメモ 削除"]
    )
    doc = saved(page, "types/malware")
    assert doc["answers"]["discovered"] == "0026-03-04T05:06:00+09:00"
    assert doc["notes"][0]["at"] == "0500-06-07T08:09:00+09:00"
    page.reload()
    expect(field(page, "discovered")).to_have_value("0026-03-04T05:06")
    expect(page.locator("[data-hb-timeline] li")).to_have_text(
        ["0500-06-07 08:09 （メモ）500年のメモ 削除"]
    )
    assert page.errors == []


def test_a_discovery_in_the_future_is_kept_with_a_warning(zoned, server):
    page = zoned
    page.clock.set_fixed_time(NOON_UTC)
    page.goto(server + URL)
    field(page, "discovered").fill("2062-11-26T19:05")
    expect(message(page)).to_have_text(
        "発見日時（2062-11-26 19:05）が今より後の日時です。年・月・日を確かめてください。"
    )
    assert saved(page, "types/malware")["answers"]["discovered"] == "2062-11-26T19:05:00+09:00"
    field(page, "discovered").fill("2026-11-26T19:05")  # now: no warning
    expect(report_in_view(page)).to_contain_text("発見日時: 2026-11-26 19:05")
    expect(message(page)).to_have_text("")


def test_a_five_digit_year_is_refused_and_the_stored_time_stays(zoned, server):
    page = zoned
    page.goto(server + URL)
    field(page, "discovered").fill("2026-11-26T19:05")
    assert saved(page, "types/malware")["answers"]["discovered"] == "2026-11-26T19:05:00+09:00"
    field(page, "discovered").fill("20262-11-26T19:05")
    expect(message(page)).to_have_text(
        "「発見日時（日本時間）」は保存していません。年は 1 から 9999 までで入力してください。"
    )
    assert saved(page, "types/malware")["answers"]["discovered"] == "2026-11-26T19:05:00+09:00"
    page.reload()
    expect(field(page, "discovered")).to_have_value("2026-11-26T19:05")


def test_a_record_dated_in_the_future_does_not_open_as_the_latest(zoned, server):
    page = zoned
    page.clock.set_fixed_time(NOON_UTC)
    page.goto(server + URL)
    scope = page.evaluate("HB.storage.scope.key")
    for rid, name, updated in [
        ("future", "時計の進んだPCの記録", "2027-11-26T10:00:00+09:00"),
        ("past", "昨日の記録", "2026-11-25T10:00:00+09:00"),
    ]:
        record = {
            "format": "hb-incident-record",
            "version": 2,
            "page": "types/malware",
            "id": rid,
            "name": name,
            "created": updated,
            "updated": updated,
            "answers": {},
            "notes": [],
            "steps": {},
        }
        page.evaluate(
            "([k, v]) => localStorage.setItem(k, v)",
            [f"hb:v2:{scope}|record|types/malware|{rid}", json.dumps(record, ensure_ascii=False)],
        )
    fresh = page.context.new_page()  # a new tab: it opens the record updated last
    fresh.goto(server + URL)
    expect(message(fresh)).to_have_text("最後に更新した記録「昨日の記録」を表示しています。")
