"""The pure parts of the 事故対応記録, run in Chromium against the built site's scripts
(page.evaluate): time formatting (HB.report.time), the document format
(HB.storage.format.read, version 2 read as version 3), the migration of format 1
(HB.storage.format.migrate), and reading an export back (HB.storage.format.fromJson). The merge:
components/store/test_record_merge.py.
Each runs with the PC's zone set to UTC and to Asia/Tokyo: the results must not change."""

import datetime as dt
import json
import os
import random
from zoneinfo import ZoneInfo

import pytest

from support import ROOT
from support.browser import stand_in_for_mermaid

FIXTURES = ROOT / "tests" / "fixtures"
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


# --- one date parser for years 1-9999 (generated inputs; HB_SEED=<n> repeats a run) --------

SEED = int(os.environ.get("HB_SEED", random.randrange(2**32)))
TOKYO = ZoneInfo("Asia/Tokyo")
JST_FROM = dt.datetime(1888, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=9)))
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
CASES = 300


def japan(instant: dt.datetime) -> dt.datetime:
    """Japan time as the site states it: Asia/Tokyo's rules from 1888, +09:00 before."""
    if instant >= JST_FROM:
        return instant.astimezone(TOKYO)
    return instant.astimezone(dt.timezone(dt.timedelta(hours=9)))


def stored(instant: dt.datetime) -> str:
    """What HB.report.time.normal should write for an instant (Python's own arithmetic)."""
    w = japan(instant)
    off = int(w.utcoffset().total_seconds() // 60)
    milli = w.microsecond // 1000
    return (
        f"{w.year:04d}-{w.month:02d}-{w.day:02d}T{w.hour:02d}:{w.minute:02d}:{w.second:02d}"
        + (f".{milli:03d}" if milli else "")
        + f"{'-' if off < 0 else '+'}{abs(off) // 60:02d}:{abs(off) % 60:02d}"
    )


def ms_of(instant: dt.datetime) -> int:
    return (instant - EPOCH) // dt.timedelta(milliseconds=1)


def test_any_instant_of_years_1_to_9999_is_stored_in_japan_time_and_read_back_exactly(js):
    rng = random.Random(SEED)
    low = ms_of(dt.datetime(1, 1, 2, tzinfo=dt.UTC))
    high = ms_of(dt.datetime(9999, 12, 30, tzinfo=dt.UTC))
    picks = [rng.randrange(low, high) for _ in range(CASES)]
    picks += [ms_of(dt.datetime(y, 1, 1, tzinfo=dt.UTC)) for y in (1, 26, 99, 100, 500, 1901)]
    got = js(
        """ms => ms.map(m => { const t = HB.report.time, s = new Date(m).toISOString(),
        n = t.normal(s); return [s, n, n && Date.parse(n) === m, n && t.normal(n) === n]; })""",
        picks,
    )
    for m, (written, normal, same_instant, stable) in zip(picks, got, strict=True):
        expected = stored(EPOCH + dt.timedelta(milliseconds=m))
        assert (normal, same_instant, stable) == (expected, True, True), f"seed={SEED} {written}"


def test_a_time_with_any_offset_or_none_is_one_instant(js):
    rng = random.Random(SEED + 1)
    cases = []
    for _ in range(CASES):
        y, mo, d = rng.randint(1, 9999), rng.randint(1, 12), rng.randint(1, 28)
        h, mi, s = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
        oh, om, sign = (
            rng.randint(0, 23),
            rng.choice([0, 30, 45, rng.randint(0, 59)]),
            rng.choice("+-"),
        )
        form = rng.choice(["Z", "colon", "plain", "hours", "none"])
        text = f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}"
        if form == "Z":
            oh = om = 0
            text += "Z"
        elif form == "colon":
            text += f"{sign}{oh:02d}:{om:02d}"
        elif form == "plain":
            text += f"{sign}{oh:02d}{om:02d}"
        elif form == "hours":
            om = 0
            text += f"{sign}{oh:02d}"
        wall = dt.datetime(y, mo, d, h, mi, s)
        if form == "none":  # no offset stated: Japan time (+09:00 but in its summer time)
            if not 1948 <= y <= 1951:
                cases.append((text, text + "+09:00"))
            continue
        offset = dt.timedelta(hours=oh, minutes=om) * (-1 if sign == "-" else 1)
        try:
            instant = wall.replace(tzinfo=dt.timezone(offset))
            expected = stored(instant)
            if not 1 <= japan(instant).year <= 9999:
                expected = None
        except OverflowError:  # beyond Python's years 1-9999: outside the range too
            expected = None
        cases.append((text, expected))
    got = js("xs => xs.map(x => HB.report.time.normal(x))", [c[0] for c in cases])
    for (text, expected), normal in zip(cases, got, strict=True):
        assert normal == expected, f"seed={SEED} {text}"


def test_a_wall_clock_typed_is_shown_back_as_typed_and_never_mapped_to_19xx(js):
    rng = random.Random(SEED + 2)
    walls = [f"{y:04d}-06-15T12:00" for y in (1, 9, 10, 26, 99, 100, 999)]
    for _ in range(CASES):
        y = rng.choice([rng.randint(1, 1947), rng.randint(1952, 9999)])
        walls.append(
            f"{y:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            f"T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
        )
    got = js(
        "xs => xs.map(x => { const t = HB.report.time, s = t.fromInput(x); "
        "return [s, t.toInput(s), t.dateTime(s)]; })",
        walls,
    )
    for wall, (value, back, shown) in zip(walls, got, strict=True):
        assert value and value.startswith(wall + ":00+09:00"), f"seed={SEED} {wall}"
        assert back == wall and shown == wall.replace("T", " "), f"seed={SEED} {wall}"
    # A date alone, in the first century, stays that date.
    assert js("HB.report.time.normal('0026-03-04')") == "0026-03-04"
    assert js("HB.report.time.dateTime('0001-01-01')") == "0001-01-01（時刻なし）"


def test_japan_summer_time_of_1948_to_1951_is_the_zones_rule(js):
    assert js("HB.report.time.fromInput('1949-06-01T12:00')") == "1949-06-01T12:00:00+10:00"
    assert js("HB.report.time.normal('1949-06-01T02:00:00Z')") == "1949-06-01T12:00:00+10:00"
    assert js("HB.report.time.normal('1887-12-31T00:00:00Z')") == "1887-12-31T09:00:00+09:00"


@pytest.mark.parametrize(
    "bad",
    [
        "0000-01-01",
        "0000-12-31T23:59",
        "10000-01-01T00:00",
        "9999-12-31T20:00:00-05:00",  # 10000-01-01 in Japan
        "0001-01-01T00:00:00+10:00",  # 0000-12-31 in Japan
        "2026-11-26T10:00:00+24:00",
        "2026-11-26T10:00:00+09:60",
        "2026-02-29T10:00:00Z",
    ],
)
def test_what_lies_outside_years_1_to_9999_is_refused_never_mapped(js, bad):
    assert js("v => HB.report.time.normal(v)", bad) is None


def test_an_input_outside_the_range_says_so_and_a_future_discovery_is_warned(js):
    t = "HB.report.time"
    assert js(f"{t}.problem('10000-01-01T00:00')") == "年は 1 から 9999 までで入力してください。"
    assert js(f"{t}.problem('202610-11-26T19:05')") == "年は 1 から 9999 までで入力してください。"
    assert js(f"{t}.problem('2026-11-26T19:05')") == ""
    assert js(f"{t}.problem('')") == ""
    now = ms_of(dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC))
    assert js(f"n => {t}.warning('discovered', '2062-11-26T19:05:00+09:00', n)", now) == (
        "発見日時（2062-11-26 19:05）が今より後の日時です。年・月・日を確かめてください。"
    )
    assert js(f"n => {t}.warning('discovered', '2026-11-26T19:00:00+09:00', n)", now) == ""
    assert js(f"n => {t}.warning('fact-who', '2062-11-26T19:05:00+09:00', n)", now) == ""


def test_an_import_says_which_times_were_read_as_japan_time(js):
    record = {
        "format": "hb-incident-record",
        "version": 2,
        "page": "types/malware",
        "id": "r",
        "name": "R",
        "created": "2026-11-26T09:00",
        "updated": "2026-11-26T09:00:00Z",
        "answers": {"discovered": "2026-11-26T08:00"},
        "notes": [{"id": "a", "at": "2026-11-26", "text": "日付だけ"}],
        "steps": {"publish": {"at": "2026-11-26T10:00:00-05:00"}},
    }
    got = js(
        "t => HB.storage.format.fromJson(t, 'types/malware').skipped.notice",
        json.dumps(record),
    )
    assert got == "時差（+09:00 など）の書かれていない日時 2 件は、日本時間として読みました。"


def test_the_record_a_new_tab_opens_is_the_latest_that_is_not_in_the_future(js):
    now = ms_of(dt.datetime(2026, 11, 26, 3, 0, tzinfo=dt.UTC))
    records = [
        {"id": "", "updated": "2026-11-20T10:00:00+09:00"},
        {"id": "future", "updated": "2027-11-26T10:00:00+09:00"},
        {"id": "typo", "updated": "9999-01-01T00:00:00+09:00"},
        {"id": "yesterday", "updated": "2026-11-25T10:00:00+09:00"},
        {"id": "broken", "updated": "yesterday"},
    ]
    assert js("([l, n]) => HB.report.latest(l, n).id", [records, now]) == "yesterday"
    only_future = [records[1], records[2]]
    assert js("([l, n]) => HB.report.latest(l, n).id", [only_future, now]) in ("future", "typo")
    assert js("([l, n]) => HB.report.latest(l, n) === undefined", [[], now]) is True


# --- texts: one line per field, names cut by grapheme, never named alike ------------------

CONTROL = ["\n", "\r\n", "\r", "\u2028", "\u2029", "\u0085", "\v", "\f", "\t", "\u0000", "\u202e"]


def test_no_typed_text_can_add_a_line_to_the_first_report(js):
    rng = random.Random(SEED + 3)

    def text():
        parts = [
            rng.choice(["報告者: 偽", "■見出し", "2026-11-26 10:00 手順", "あ", " "])
            for _ in range(4)
        ]
        return "".join(p + rng.choice(CONTROL) for p in parts)

    snapshots = []
    for _ in range(60):
        snapshots.append(
            {
                "to": text(),
                "type": text(),
                "discovered": "",
                "department": text(),
                "reporter": [text(), text()],
                "sections": [{"title": text(), "fields": [{"label": text(), "value": text()}]}],
                "steps": [{"at": "2026-11-26T10:00:00+09:00", "text": text(), "was": text()}],
                "removed": [{"at": "2026-11-26T10:00:00+09:00", "text": text()}],
                "notes": [{"at": "2026-11-26T11:00:00+09:00", "text": text()}],
                "removedAnswers": [{"name": "fact-x", "value": text()}],
            }
        )
    reports = js("ss => ss.map(s => HB.report.firstReport(s))", snapshots)
    for report_text in reports:
        lines = report_text.split("\n")
        # 宛先, blank, heading, 4 fields, blank, section + 1 field, blank, removed answers
        # heading + 1, blank, timeline heading + 3 entries: 18 lines, whatever was typed.
        assert len(lines) == 18, f"seed={SEED}\n{report_text}"
        starts = {0: "宛先: ", 3: "事故のタイプ: ", 4: "発見日時: ", 5: "所属: ", 6: "報告者: "}
        starts.update({8: "■", 11: "■この版で削除された質問", 12: "質問 fact-x: ", 14: "■これまで"})
        starts.update(
            {
                15: "2026-11-26 10:00 ",
                16: "2026-11-26 10:00 （この版",
                17: "2026-11-26 11:00 （メモ）",
            }
        )
        for at, start in starts.items():
            assert lines[at].startswith(start), f"seed={SEED} line {at}\n{report_text}"
        assert [lines[at] for at in (1, 7, 10, 13)] == ["", "", "", ""], f"seed={SEED}"
        assert not any(c in report_text for c in CONTROL if c != "\n"), f"seed={SEED}"


GRAPHEMES = ["a", "あ", "👍", "👍🏽", "👨‍👩‍👧", "🇯🇵", "é", "か\u3099", "𠮷"]


def test_names_are_cut_between_graphemes(js):
    rng = random.Random(SEED + 4)
    cases = []
    for _ in range(CASES):
        parts = [rng.choice(GRAPHEMES) for _ in range(rng.randint(0, 30))]
        cases.append(("".join(parts), rng.randint(1, 25), parts))
    got = js("cs => cs.map(([s, n]) => HB.report.clip(s, n))", [[s, n] for s, n, _ in cases])
    for (s, n, parts), cut in zip(cases, got, strict=True):
        expected = s if len(parts) <= n else "".join(parts[:n]) + "…"
        assert cut == expected, f"seed={SEED} {s!r} {n}"


def test_a_name_taken_is_numbered_and_a_list_never_shows_two_alike(js):
    assert js("HB.report.uniqueName('A', ['B'])") == "A"
    assert js("HB.report.uniqueName('A', ['A', 'A（2）'])") == "A（3）"
    rng = random.Random(SEED + 5)
    for _ in range(50):
        names = [rng.choice(["A", "A（2）", "A（3）", "B", "A（2）（2）"]) for _ in range(8)]
        labels = js("ns => HB.report.listLabels(ns)", names)
        assert len(set(labels)) == len(labels), f"seed={SEED} {names} -> {labels}"
        assert all(label.startswith(n) for n, label in zip(names, labels, strict=True))
