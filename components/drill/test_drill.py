"""訓練 (drills) in a real Chromium with a fake clock: a drill is a record of its own kind,
marked 【訓練】 on every output, timed from timestamps (injects appear when their time has
come, also after the tab was hidden), reviewed at the end (振り返り), never mixed with a real
record (two tabs, import); scenario data errors in Japanese; the facilitator page's cards
one per A4 sheet."""

import datetime as dt
import io
import json
import re
import shutil
import unicodedata
from pathlib import Path

import jsonschema
import pytest
import yaml
from playwright.sync_api import expect

from macros.data import DataError, load_handbook
from support.quality import SETTLED, axe_problems
from support.records import field, report, saved, step

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
SCHEMA = json.loads((DATA / "schema" / "record.schema.json").read_text(encoding="utf-8"))
HANDBOOK = load_handbook(DATA)
T0 = dt.datetime(2026, 11, 26, 1, 0, tzinfo=dt.UTC)  # 10:00 in Japan


HEADER_MARK = "getComputedStyle(document.querySelector('.md-header__title'), '::before').content"


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def banner(page):
    return page.locator("[data-hb-drill-banner]")


def injects(page):
    return page.locator("[data-hb-drill-injects] li[data-hb-inject]")


def start_drill(page, type_id):
    page.goto(page.base + f"/types/{type_id}/")
    page.get_by_role("button", name="訓練を始める").click()
    expect(banner(page)).to_contain_text("【訓練】訓練中です")


def download(page, name) -> str:
    with page.expect_download() as info:
        page.get_by_role("button", name=name, exact=True).click()
    return Path(info.value.path()).read_text(encoding="utf-8")


def phase_steps(type_id, phase_id):
    return [s.id for s in HANDBOOK.types[type_id].phase(phase_id).steps]


@pytest.fixture
def drill_page(page, server):
    page.base = server
    page.clock.set_fixed_time(T0)
    return page


def test_a_drill_end_to_end_marked_timed_and_reviewed(drill_page):
    page = drill_page
    start_drill(page, "loss-theft")
    expect(page).to_have_title(re.compile("^【訓練】3-1 紛失・盗難"))
    expect(banner(page)).to_have_attribute("role", "alert")
    assert page.evaluate(HEADER_MARK) == '"【訓練】"'  # the header, always on screen, says so too
    card = page.locator("[data-hb-drill-card]")
    expect(card).to_contain_text("事故事例（原本）")
    expect(card).to_contain_text(HANDBOOK.types["loss-theft"].cases[0])
    expect(card).to_contain_text(HANDBOOK.types["loss-theft"].triggers[0])
    # the drill is apart in the list, under 「訓練」
    expect(
        page.locator("[data-hb-record-select] optgroup[label='訓練'] option:checked")
    ).to_contain_text("【訓練】訓練 2026-11-26 10:00")
    # no inject before its time; the first one after 10 minutes (timestamps, the 1 s check)
    page.clock.set_fixed_time(at(9))
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # checks at once
    expect(injects(page)).to_have_count(0)
    page.clock.set_fixed_time(at(10))
    expect(injects(page)).to_have_count(1)
    expect(injects(page).first).to_contain_text("状況付与 1（開始から 10分、事務局が作成）")
    expect(page.locator("[data-hb-drill-inject-alert]")).to_contain_text("【訓練】状況付与 1")
    # a background tab or locked screen: nothing is counted meanwhile; on return it appears
    page.evaluate(
        "Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true})"
    )
    page.clock.set_fixed_time(at(25))
    page.wait_for_timeout(1200)  # a tick of the 1 s check passes, and does nothing while hidden
    expect(injects(page)).to_have_count(1)
    page.evaluate(
        "Object.defineProperty(document, 'visibilityState', {value: 'visible', configurable: true});"
        "document.dispatchEvent(new Event('visibilitychange'))"
    )
    expect(injects(page)).to_have_count(2)
    # ticks: the discovery phase from minute 3 to minute 8 (set back: ticks are the times)
    first, last = phase_steps("loss-theft", "discovery")
    page.clock.set_fixed_time(at(3))
    step(page, first).check()
    page.clock.set_fixed_time(at(8))
    step(page, last).check()
    page.clock.set_fixed_time(at(12))
    step(page, phase_steps("loss-theft", "initial-response")[0]).check()
    page.get_by_role("button", name="第一報をコピー").click()
    expect(report(page)).to_contain_text("【訓練】【第一報】情報セキュリティ事故の発生について")
    assert report(page).inner_text().startswith("宛先: ")
    assert "【訓練】これは訓練の文面です。" in report(page).inner_text()
    expect(page.locator("#timeline")).to_have_text("【訓練】経過（タイムライン）")
    field(page, "reporter").fill("訓練 太郎")
    page.locator("[name='note-text']").fill("警察への届出を想定")
    page.get_by_role("button", name="メモを追加").click()
    # exports of the record say 【訓練】 and keep the kind
    page.clock.set_fixed_time(at(30))
    text = download(page, "テキストで書き出す")
    assert text.startswith("【訓練】訓練の記録: 訓練 2026-11-26 10:00")
    assert "【訓練】【第一報】" in text and "【訓練】■これまでの対応と経過" in text
    exported = json.loads(download(page, "JSONで書き出す"))
    jsonschema.validate(exported, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert exported["kind"] == "drill" and exported["scenario"] == "loss-theft-1"
    assert exported["notice"].startswith("【訓練】")
    assert exported["started"] == "2026-11-26T10:00:00+09:00"
    assert exported["items"]["e:report"][0]["value"] == {"at": "2026-11-26T10:12:00+09:00"}
    assert exported["items"]["e:inject-2"][0]["value"] == {"at": "2026-11-26T10:25:00+09:00"}
    # on paper (and in a PDF): the banner and the record's line say 【訓練】
    page.emulate_media(media="print")
    expect(banner(page)).to_be_visible()
    assert "【訓練】" in page.locator("article").inner_text()
    page.emulate_media(media="no-override")
    pdf_text = pdf_pages(page.pdf(format="A4"))[0]
    assert "【訓練】" in pdf_text
    # 「第一報と経過を印刷」: the record alone on paper, its line, 第一報 and timeline marked
    page.evaluate("document.body.classList.add('hb-print-record')")
    printed_record = re.sub(r"\s+", "", "".join(pdf_pages(page.pdf(format="A4"))))
    page.evaluate("document.body.classList.remove('hb-print-record')")
    for mark in (
        "【訓練】訓練の記録",
        "【訓練】【第一報】",
        "【訓練】経過(タイムライン)",
        "【訓練】■これまでの対応と経過",
    ):
        assert mark in printed_record, mark
    # 振り返り
    page.get_by_role("button", name="訓練を終える").click()
    review = page.locator("[data-hb-drill-review]")
    expect(review).to_be_visible()
    expect(banner(page)).to_contain_text("【訓練】訓練は終了しました")
    body = page.locator("[data-hb-drill-review-body]")
    expect(body).to_contain_text("第一報まで: 12分00秒")
    expect(body).to_contain_text(
        "（１）発見および報告: 5分00秒（チェック 2/2、開始から最後のチェックまで 8分00秒）　目標 15分: 達成"
    )
    expect(body).to_contain_text("（２）初動対応: 0分00秒（チェック 1/3")
    expect(body).to_contain_text("目標 30分: 未達")
    not_done = sum(len(p.steps) for p in HANDBOOK.types["loss-theft"].phases) - 3
    expect(body).to_contain_text(f"■実施しなかった手順（{not_done} 件）")
    questions = page.locator("[data-hb-record-form] .hb-field [name]").evaluate_all(
        "els => new Set(els.map(e => e.name)).size"
    )
    expect(body).to_contain_text(f"■未回答の質問（{questions - 1} 件）")
    expect(body).to_contain_text("■メモ（1 件）")
    expect(body).to_contain_text("警察への届出を想定")
    expect(page.locator("[data-hb-drill-history] tbody tr")).to_have_count(1)
    expect(page.locator("[data-hb-drill-history] tbody tr td").nth(2)).to_have_text("12分00秒")
    review_json = json.loads(download(page, "振り返りをJSONで書き出す"))
    assert review_json["kind"] == "drill" and review_json["firstReportSeconds"] == 720
    assert review_json["phases"][0]["seconds"] == 300 and review_json["phases"][0]["met"] is True
    assert [i["shown"] for i in review_json["injects"]] == [
        "2026-11-26T10:10:00+09:00",
        "2026-11-26T10:25:00+09:00",
    ]
    assert download(page, "振り返りをテキストで書き出す").startswith("【訓練】振り返り\n")
    # the 振り返り printed alone fits one A4 sheet
    page.evaluate("document.body.classList.add('hb-print-review')")
    pages = pdf_pages(page.pdf(format="A4"))
    assert len(pages) == 1 and "【訓練】振り返り" in pages[0]
    page.evaluate("document.body.classList.remove('hb-print-review')")
    # the running drill and its 振り返り, as shown: no serious accessibility violation
    # no button hovered or focused: Material's .md-button:hover/:focus colours (accent on
    # white, 4.3:1) are site-wide, not the drill's (told to the accessibility work)
    page.mouse.move(0, 0)
    page.evaluate("document.activeElement.blur()")
    page.evaluate(SETTLED)
    assert axe_problems(page, "drill review") == []
    # a second drill of the same scenario joins the table
    page.clock.set_fixed_time(at(60))
    page.get_by_role("button", name="訓練を始める").click()
    page.clock.set_fixed_time(at(61))
    page.get_by_role("button", name="訓練を終える").click()
    expect(page.locator("[data-hb-drill-history] tbody tr")).to_have_count(2)
    # back to a real record: no banner, no 【訓練】 anywhere
    page.locator("[data-hb-record-select]").select_option("")
    expect(page.locator("[data-hb-module=drill]")).to_be_hidden()
    expect(page).not_to_have_title(re.compile("【訓練】"))
    assert page.evaluate(HEADER_MARK) == "none"
    assert "【訓練】" not in report(page).inner_text()
    assert page.errors == []


def pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    # NFKC: the PDF's text maps some kanji to their radicals' code points (⽬ for 目)
    return [
        unicodedata.normalize("NFKC", p.extract_text()) for p in PdfReader(io.BytesIO(data)).pages
    ]


@pytest.mark.parametrize("type_id", [t for t in HANDBOOK.types if t != "loss-theft"])
def test_a_drill_on_each_other_type(drill_page, type_id):
    """Lighter: start, the first inject on time, a tick, the 第一報 marked, the 振り返り."""
    page = drill_page
    start_drill(page, type_id)
    page.clock.set_fixed_time(at(10))
    # checks at once (the 1 s check itself: the end-to-end test above)
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(injects(page)).to_have_count(1)
    first = HANDBOOK.types[type_id].phases[0].steps[0].id
    page.clock.set_fixed_time(at(11))
    step(page, first).check()
    page.get_by_role("button", name="第一報と経過を印刷").evaluate(
        "b => { window.print = () => {}; b.click(); }"
    )
    expect(report(page)).to_contain_text("【訓練】【第一報】")
    page.get_by_role("button", name="訓練を終える").click()
    body = page.locator("[data-hb-drill-review-body]")
    expect(body).to_contain_text("第一報まで: 11分00秒")
    expect(body).to_contain_text("チェック 1/")
    assert page.errors == []


def test_a_drill_and_a_real_record_never_mix_across_tabs(context, server):
    a, b = context.new_page(), context.new_page()
    url = server + "/types/malware/"
    a.goto(url)
    step(a, "recognize-detection-sources").check()
    saved(a, "types/malware")
    b.goto(url)
    b.get_by_role("button", name="訓練を始める").click()
    expect(banner(b)).to_be_visible()
    expect(step(b, "recognize-detection-sources")).not_to_be_checked()  # the drill starts blank
    step(b, "check-information").check()
    drill_id = b.evaluate("HB.storage.session('types/malware').id")
    saved(b, "types/malware", drill_id)
    # tab A still shows its real record, untouched by the drill's tick
    a.wait_for_timeout(300)
    expect(step(a, "check-information")).not_to_be_checked()
    expect(a.locator("[data-hb-module=drill]")).to_be_hidden()
    expect(a.locator("[data-hb-record-select] optgroup[label='訓練'] option")).to_have_count(1)
    # a new tab opens the real record, even though the drill was updated last
    c = context.new_page()
    c.goto(url)
    expect(step(c, "recognize-detection-sources")).to_be_checked()
    expect(c.locator("[data-hb-module=drill]")).to_be_hidden()
    assert c.evaluate("HB.storage.session('types/malware').id") == ""
    # and a merge of the two kinds keeps the first unchanged
    kept = c.evaluate(
        """id => { const L = HB.storage.local; const real = L.load('types/malware', '');
           const drill = L.load('types/malware', id);
           return [HB.recordFormat.merge(real, drill).items['s:check-information'] === undefined,
                   HB.recordFormat.merge(drill, real).kind]; }""",
        drill_id,
    )
    assert kept == [True, "drill"]


def test_an_import_keeps_the_kind_says_so_and_never_merges_across_kinds(
    drill_page, browser, server, tmp_path
):
    page = drill_page
    start_drill(page, "malware")
    step(page, "check-information").check()
    exported = download(page, "JSONで書き出す")
    path = tmp_path / "drill.json"
    path.write_text(exported, encoding="utf-8")
    # another browser: the import says it is a drill, and it stays one
    other = browser.new_context()
    try:
        pg = other.new_page()
        pg.goto(server + "/types/malware/")
        pg.locator("[data-hb-import]").set_input_files(str(path))
        review = pg.locator("[data-hb-import-review]")
        expect(review).to_contain_text(
            "【訓練】このファイルは訓練の記録です（シナリオ: 3-5 不正プログラム　事故事例 1）"
        )
        pg.get_by_role("button", name="訓練の記録として読み込む").click()
        expect(banner(pg)).to_contain_text("【訓練】")
        expect(
            pg.locator("[data-hb-record-select] optgroup[label='訓練'] option:checked")
        ).to_have_count(1)
        expect(step(pg, "check-information")).to_be_checked()
        # a real record with the same id as the drill file: no merge offered
        pg.locator("[data-hb-record-select]").select_option("")
        real = pg.evaluate("HB.recordFormat.toJson(HB.storage.session('types/malware').data)")
        real_doc = json.loads(real)
        real_doc["id"] = json.loads(exported)["id"]
        real_doc["items"] = {
            "s:recognize-detection-sources": [
                {
                    "dot": "zz1:1",
                    "at": "2026-11-26T10:00:00+09:00",
                    "value": {"at": "2026-11-26T10:00:00+09:00"},
                }
            ]
        }
        real_doc["clock"] = {"zz1": 1}
        crossing = tmp_path / "real.json"
        crossing.write_text(json.dumps(real_doc), encoding="utf-8")
        pg.locator("[data-hb-import]").set_input_files(str(crossing))
        expect(review).to_contain_text("訓練の記録と実際の記録は統合できません")
        expect(review.get_by_role("button", name="統合する")).to_have_count(0)
        expect(review.get_by_role("button", name="このまま読み込む")).to_have_count(0)
        review.get_by_role("button", name="新しい記録として読み込む").click()
        expect(pg.locator("[data-hb-module=drill]")).to_be_hidden()  # a real record, as the file
        expect(step(pg, "recognize-detection-sources")).to_be_checked()
        expect(step(pg, "check-information")).not_to_be_checked()
        expect(pg.locator("[data-hb-record-select] optgroup[label='訓練'] option")).to_have_count(1)
    finally:
        other.close()


def test_a_drill_runs_from_the_offline_edition_on_a_phone(context, offline_site):
    """file:// (the offline edition), a phone's width: start, inject on time, end."""
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.set_viewport_size({"width": 375, "height": 740})
    page.clock.set_fixed_time(T0)
    page.goto((offline_site / "types" / "p2p-leak.html").as_uri())
    page.get_by_role("button", name="訓練を始める").click()
    expect(banner(page)).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.clock.set_fixed_time(at(10))
    expect(injects(page)).to_have_count(1)
    page.get_by_role("button", name="訓練を終える").click()
    expect(page.locator("[data-hb-drill-review-body]")).to_contain_text("第一報のコピー・印刷なし")
    assert (
        errors == []
        and [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []
    )


# --- scenarios: data and the facilitator page ----------------------------------------------


@pytest.fixture
def data_copy(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def scenario_problems(data_dir: Path, text: str) -> list[str]:
    (data_dir / "scenarios" / "bad.yml").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_handbook(data_dir)
    return caught.value.messages


def test_every_type_has_a_scenario_of_its_first_case():
    assert {s.type: s.case for s in HANDBOOK.scenarios.values()} == {t: 1 for t in HANDBOOK.types}
    for s in HANDBOOK.scenarios.values():
        assert s.injects and all(i.text.startswith("（例）") for i in s.injects)


MALWARE = yaml.safe_load((DATA / "types" / "malware.yml").read_text(encoding="utf-8"))
CASES, TRIGGERS = len(MALWARE["cases"]), len(MALWARE["triggers"])
BAD = r"data/scenarios/bad\.yml の "


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "type: lost\ncase: 1\n",
            BAD + r"「type」: 「lost」という事故のタイプはありません。次のどれかを書いてください: "
            r".*loss-theft.*（data/types/ のファイル名）。（1行目 7文字目）",
        ),
        (
            "type: malware\ncase: 9\n",
            BAD
            + rf"「case」: 事故事例 9 はありません。data/types/malware\.yml の事故事例は {CASES} 件です。"
            rf"1 から {CASES} の番号を書いてください。（2行目 7文字目）",
        ),
        (
            "type: malware\ntrigger: 7\ntext: 事務局の状況\n",
            BAD
            + rf"「trigger」: 発覚のきっかけ 7 はありません。.*は {TRIGGERS} 件です。.*（2行目 10文字目）",
        ),
        ("type: malware\n", BAD + r".*事故事例の番号（case）か、事務局が作成した状況の文（text）"),
        (
            "type: malware\ncase: 1\ntargets:\n  discover: 10\n",
            BAD + r"「targets」 の 「discover」: 「discover」という段階は data/types/malware\.yml "
            r"にありません。次のどれかを書いてください: discovery（発見および報告）.*（4行目 3文字目）",
        ),
        (
            "type: malware\ncase: 1\ninjects:\n  - after_minutes: 700\n    text: 例\n",
            BAD + r".*after_minutes.*0 から 600.*4行目",
        ),
    ],
)
def test_scenario_errors_name_file_line_and_fix_in_japanese(data_copy, text, expected):
    messages = scenario_problems(data_copy, text)
    assert any(re.search(expected, m) for m in messages), messages


def test_the_facilitator_page_prints_one_sheet_per_card(printed):
    sheets = len(HANDBOOK.scenarios) + sum(len(s.injects) for s in HANDBOOK.scenarios.values()) + 1
    pages = pdf_pages(printed("/drills/"))
    assert len(pages) == sheets
    case = unicodedata.normalize("NFKC", HANDBOOK.types["loss-theft"].cases[0])
    flat = [re.sub(r"\s+", "", p) for p in pages]  # the PDF's text has spaces between scripts
    assert "シナリオカード" in flat[0] and re.sub(r"\s+", "", case) in flat[0]
    assert "状況付与カード(1)" in flat[1] and "振り返りシート" in flat[-1]
