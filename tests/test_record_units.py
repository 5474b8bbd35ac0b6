"""The pure parts of the 事故対応記録, run in Chromium against the built site's scripts
(page.evaluate): time formatting (HB.report.time), the document format
(HB.storage.format.read, version 2 read as version 3), the migration of format 1
(HB.storage.format.migrate), and reading an export back (HB.storage.format.fromJson). The merge:
tests/test_record_merge.py.
Each runs with the PC's zone set to UTC and to Asia/Tokyo: the results must not change."""

import json
from pathlib import Path

import pytest

from conftest import stand_in_for_mermaid

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ZONES = ["UTC", "Asia/Tokyo"]


@pytest.fixture(scope="module", params=ZONES)
def js(request, browser, server):
    """evaluate(expression, arg) in a page of the site, in a context set to a time zone."""
    context = browser.new_context(timezone_id=request.param, locale="ja-JP")
    stand_in_for_mermaid(context)
    page = context.new_page()
    page.goto(server + "/contacts/")
    page.wait_for_function("window.HB && HB.storage && HB.report")
    yield lambda expression, arg=None: page.evaluate(expression, arg)
    context.close()


# --- time -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "normal", "shown", "zoned", "short", "input_value"),
    [
        # An instant in UTC, in Japan, in New York: the same instant, shown in Japan time.
        (
            "2026-11-26T10:05:00Z",
            "2026-11-26T19:05:00+09:00",
            "2026-11-26 19:05",
            "2026-11-26 19:05（日本時間）",
            "11/26 19:05",
            "2026-11-26T19:05",
        ),
        (
            "2026-11-26T05:05:00-05:00",
            "2026-11-26T19:05:00+09:00",
            "2026-11-26 19:05",
            "2026-11-26 19:05（日本時間）",
            "11/26 19:05",
            "2026-11-26T19:05",
        ),
        # Before midnight in UTC, the next day in Japan.
        (
            "2026-12-31T15:30:00.000Z",
            "2027-01-01T00:30:00+09:00",
            "2027-01-01 00:30",
            "2027-01-01 00:30（日本時間）",
            "1/1 00:30",
            "2027-01-01T00:30",
        ),
        # A wall clock without zone (format 1's 発見日時, a datetime-local input) is Japan time.
        (
            "2026-11-26T09:30",
            "2026-11-26T09:30:00+09:00",
            "2026-11-26 09:30",
            "2026-11-26 09:30（日本時間）",
            "11/26 09:30",
            "2026-11-26T09:30",
        ),
        # A date alone stays a date and says so.
        (
            "2026-11-26",
            "2026-11-26",
            "2026-11-26（時刻なし）",
            "2026-11-26（時刻なし）",
            "11/26",
            "",
        ),
    ],
)
def test_times_are_stored_with_their_offset_and_shown_in_japan_time(
    js, stored, normal, shown, zoned, short, input_value
):
    got = js(
        """v => { const t = HB.report.time; return [t.normal(v), t.dateTime(v), t.zoned(v),
        t.short(v), t.parse(v).date ? "" : t.toInput(v)]; }""",
        stored,
    )
    assert got == [normal, shown, zoned, short, input_value]


@pytest.mark.parametrize(
    "bad", ["", "yesterday", "2026-02-30", "2026-11-26T25:00", "2026-13-01", "1764150000000"]
)
def test_what_is_not_a_time_is_refused_never_read_as_now(js, bad):
    assert js("v => [HB.report.time.normal(v), HB.report.time.dateTime(v)]", bad) == [
        None,
        "未確認",
    ]


def test_milliseconds_are_kept_so_two_writes_in_one_second_keep_their_order(js):
    assert (
        js("HB.report.time.normal('2026-11-26T10:05:00.123Z')") == "2026-11-26T19:05:00.123+09:00"
    )
    assert js("HB.report.time.normal('2026-11-26T10:05:00.000Z')") == "2026-11-26T19:05:00+09:00"


def test_an_input_is_japan_time_and_a_date_without_a_time_is_no_input(js):
    t = "HB.report.time"
    assert js(f"{t}.fromInput('2026-11-26T19:05')") == "2026-11-26T19:05:00+09:00"
    assert js(f"{t}.fromInput('2026-11-26')") is None
    assert js(f"{t}.fromInput('')") is None
    now = js(f"{t}.now()")
    assert now.endswith("+09:00") and js(f"Math.abs(Date.parse('{now}') - Date.now()) < 5000")


def test_the_timeline_sorts_by_instant_not_by_text(js):
    entries = js(
        """() => HB.report.timeline({steps: [{at: '2026-11-26T09:55:00Z', text: 'c'}],
        notes: [{id: 'a', at: '2026-11-26T18:30:00+09:00', text: 'a'},
                {id: 'b', at: '2026-11-26T04:50:00-05:00', text: 'b'},
                {id: 'd', at: '2026-11-27', text: 'd'},
                {id: 'e', at: '2026-11-26', text: 'e'}]}).map(e => e.text)"""
    )
    # as text: b (04:50) < c (09:55) < a (18:30); as instants: 18:30, 18:50, 18:55 in Japan
    assert entries == ["e", "a", "b", "c", "d"]


def test_ticks_the_edition_no_longer_has_are_found_in_time_order_with_their_words(js):
    found = js(
        """() => HB.report.changes(
          {kept: {at: '2026-11-26T10:00:00+09:00', text: 'same'},
           late: {at: '2026-11-26T12:00:00+09:00', text: 'gone later'},
           early: {at: '2026-11-26T02:00:00Z', text: 'gone earlier'},
           wordless: {at: '2026-11-26T13:00:00+09:00'},
           renamed: {at: '2026-11-26T09:00:00+09:00', text: 'old words'}},
          [{stepId: 'kept', text: 'same', at: '2026-11-26T10:00:00+09:00'},
           {stepId: 'renamed', text: 'new words', was: 'old words', at: '2026-11-26T09:00:00+09:00'}],
          ['kept', 'renamed', 'unticked'])"""
    )
    assert [(s["stepId"], s["text"]) for s in found["removed"]] == [
        ("early", "gone earlier"),
        ("late", "gone later"),
        ("wordless", "（文言の記録なし）手順 wordless"),
    ]
    assert [(s["stepId"], s["was"]) for s in found["reworded"]] == [("renamed", "old words")]
    words = js(
        """() => [{kind: 'step', text: 'a'}, {kind: 'step', text: 'b', was: 'B'},
                  {kind: 'removed', text: 'c'}, {kind: 'note', text: 'd'}]
                 .map(HB.report.entryText)"""
    )
    assert words == [
        "a",
        "b（チェックした時の文言: B）",
        "（この版で削除された手順）c",
        "（メモ）d",
    ]


# --- the document -------------------------------------------------------------------------


def test_a_document_leaves_out_null_and_malformed_entries_and_counts_them(js):
    read = js(
        """() => { const r = HB.storage.format.read({
        format: 'hb-incident-record', version: 2, page: 'types/malware', id: 'r1', name: ' 名前 ',
        unknown: {deep: [null]},
        answers: {'fact-who': '職員A', 'fact-what': null, 'severity-impact': [null, '県民', 3],
                  'discovered': '2026-11-26T09:30', 'bad key!': 'x'},
        notes: [null, {id: 'n1', at: '2026-11-26T10:00:00Z', text: '一'},
                {id: 'n1', at: '2026-11-26T11:00:00Z', text: '二'}, {id: 5, at: '2026-11-26', text: '三'},
                {id: 'n4', at: 'someday', text: '四'}, {id: 'n5', at: '2026-11-26T12:00:00Z', text: ' '}, 'text'],
        steps: {publish: null, 'reinstall-os': {at: '2026-11-26T01:00:00.000Z'},
                'check-information': {at: 'yesterday'}, 'stop-system': {at: '2026-11-26T01:00:00Z', text: '止める'}},
        conflicts: [null, {field: 'fact-who', value: '別'}]});
        Object.assign(r.doc, HB.crdt.view(r.doc)); return r; }"""
    )
    doc = read["doc"]
    assert doc["name"] == "名前" and doc["id"] == "r1"
    assert doc["answers"] == {
        "fact-who": "職員A",
        "severity-impact": ["県民"],
        "discovered": "2026-11-26T09:30:00+09:00",
    }
    texts = [n["text"] for n in doc["notes"]]  # in time order: 三 has a date alone
    ids = [n["id"] for n in doc["notes"]]
    assert texts == ["三", "一", "二"]
    assert ids[1] == "n1" and len(set(ids)) == 3  # the duplicate and the number: new ids
    assert doc["notes"][0]["at"] == "2026-11-26"
    assert doc["steps"] == {
        "reinstall-os": {"at": "2026-11-26T10:00:00+09:00"},
        "stop-system": {"at": "2026-11-26T10:00:00+09:00", "text": "止める"},
    }
    # a version 2 conflict: the other value kept beside the one shown
    assert [(c["field"], [v["value"] for v in c["values"]]) for c in doc["conflicts"]] == [
        ("fact-who", ["職員A", "別"])
    ]
    assert read["skipped"] == {
        "answers": 3,
        "notes": 4,
        "steps": 2,
        "conflicts": 1,
        "renumbered": 2,
    }
    assert js("() => HB.storage.format.read(null)") is None
    assert js("() => HB.storage.format.read([1, 2])") is None
    assert js("() => HB.storage.format.read({format: 'other'})") is None


def test_format_1_keys_become_one_document_per_record(js):
    snapshot = json.loads((FIXTURES / "records-v1-localstorage.json").read_text(encoding="utf-8"))
    docs = js(
        "entries => HB.storage.format.migrate(entries, 'hb:v1:/|').map(d => Object.assign(d, HB.crdt.view(d)))",
        snapshot["localStorage"],
    )
    by = {(d["page"], d["id"]): d for d in docs}
    assert set(by) == {
        ("basics", ""),
        ("types/malware", ""),
        ("types/malware", "mwwwncw0zi1y"),
        ("types/loss-theft", "mwwysio0e9od"),
        ("types/misdelivery", ""),
    }
    default = by[("types/malware", "")]
    assert default["answers"]["fact-who"] == "総務課 職員A"
    assert default["answers"]["discovered"] == "2026-11-26T09:30:00+09:00"
    assert default["answers"]["severity-impact"] == ["県民"]
    assert default["notes"] == [
        {"id": "mwwui740c0ak", "at": "2026-11-26T09:50:00+09:00", "text": "情報企画課へ電話"}
    ]
    assert default["steps"] == {
        "check-information": {"at": "2026-11-26T10:00:00+09:00"},
        "publish": {"at": "2026-11-26T10:00:00+09:00"},
    }
    named = by[("types/malware", "mwwwncw0zi1y")]
    assert named["name"] == "2026-11-26 ウイルス 会計課"
    assert named["created"] == "2026-11-26T11:00:00+09:00"
    assert named["updated"] == "2026-11-26T11:05:00+09:00"  # its latest tick or note
    # Left unreachable by the old 「この記録を削除」 on 既定の記録: found again.
    lost = by[("types/loss-theft", "mwwysio0e9od")]
    assert lost["name"] == "名前のない記録（mwwysio0e9od）"
    assert lost["answers"]["fact-where"] == "駅のホーム" and list(lost["steps"]) == ["confirm-loss"]
    assert list(by[("basics", "")]["steps"]) == ["cut-off"]


def test_format_1_with_null_and_garbage_migrates_what_is_sound(js):
    docs = js(
        """() => HB.storage.format.migrate({
        'hb:v1:/|types/malware|@records': JSON.stringify({active: 'x', list: [null, {id: 'r1', name: 'R'}, {id: 'BAD'}]}),
        'hb:v1:/|types/malware~r1|@data': JSON.stringify({answers: null, notes: [null, {id: 'a', at: 'x', text: 'y'}]}),
        'hb:v1:/|types/malware|publish': '{not json',
        'hb:v1:/|types/malware|reinstall-os': 'null',
        'hb:v1:/|types/malware|check-information': JSON.stringify({at: '2026-11-26T01:00:00Z'}),
        'hb:v1:/other/|types/malware|publish': JSON.stringify({at: '2026-11-26T01:00:00Z'}),
        'hb:v1:/|probe': '1'}, 'hb:v1:/|').map(d => Object.assign(d, HB.crdt.view(d)))"""
    )
    assert [(d["id"], d["name"], list(d["steps"]), d["notes"]) for d in docs] == [
        ("r1", "R", [], []),
        ("", "", ["check-information"], []),
    ]


# --- reading an export back ---------------------------------------------------------------


def test_an_export_of_format_1_is_read_as_a_document(js):
    text = (FIXTURES / "record-v1-export.json").read_text(encoding="utf-8")
    read = js(
        "t => { const r = HB.storage.format.fromJson(t, 'types/malware');"
        " Object.assign(r.doc, HB.crdt.view(r.doc)); return r; }",
        text,
    )
    doc = read["doc"]
    assert (doc["id"], doc["name"]) == ("mwww07k0iw0p", "2026-11-26 ウイルス 総務課")
    assert doc["answers"]["discovered"] == "2026-11-26T09:30:00+09:00"
    assert doc["notes"][0]["at"] == "2026-11-26T09:50:00+09:00"
    assert doc["steps"]["stop-system-and-remove-malware"]["at"] == "2026-11-26T10:42:00+09:00"
    assert js("t => HB.storage.format.fromJson(t, 'types/loss-theft').error", text).startswith(
        "このファイルは別のページ"
    )


def test_the_first_report_names_the_zone(js):
    text = js(
        """() => HB.report.firstReport({to: '情報企画課', type: '3-5', name: '', discovered:
        '2026-11-26T10:05:00Z', department: '', reporter: '', sections: [],
        steps: [{at: '2026-11-26T01:42:00Z', text: '止めた'}], notes: []})"""
    )
    assert "発見日時: 2026-11-26 19:05（日本時間）" in text
    assert "■これまでの対応と経過（日本時間）\n2026-11-26 10:42 止めた" in text
