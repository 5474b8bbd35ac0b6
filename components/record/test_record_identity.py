"""Whose records these are (issue 19, points 1 and 6): the store is keyed by the stable
storage_id of data/organization.yml and the site's path, never by the title; two copies on
one server are two stores; records of another store are offered for import, never hidden;
「すべて消去」 names what it erases and erases nothing else; what is printed names the record;
names are never cut inside a character and two records are never named alike.

One server serves a folder holding copies of the built site at several paths (symlinks:
nothing is copied); a second build with another handbook_title replaces one copy."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil

import pytest
import yaml
from playwright.sync_api import expect

from scripts.sitetools import build_site, serve
from support.project import copy_project
from support.records import field, message, new_record, report, saved, selected, step

MALWARE = "types/malware"
TITLE = "岐阜県 情報セキュリティ事故対応ハンドブック"
LEGACY_KEY = f"hb:v2:{TITLE}|record|{MALWARE}|old1"  # the title-based key of earlier builds
JST = dt.timezone(dt.timedelta(hours=9))


@pytest.fixture(scope="module")
def paths(site_dir, tmp_path_factory):
    """One server; /handbook/ and /handbook-test/ are the built site: (folder, base)."""
    root = tmp_path_factory.mktemp("paths")
    for name in ("handbook", "handbook-test", "retitled"):
        os.symlink(site_dir, root / name)
    httpd, base = serve(root)
    yield root, base
    httpd.shutdown()


def doc(name, updated="2026-11-20T10:00:00+09:00", **extra):
    return {
        "format": "hb-incident-record",
        "version": 2,
        "page": MALWARE,
        "id": extra.pop("id", "x"),
        "name": name,
        "edition": "第1版（2026-11-26）",
        "created": "2026-11-20T09:00:00+09:00",
        "updated": updated,
        "revision": 1,
        "answers": extra.pop("answers", {}),
        "notes": extra.pop("notes", []),
        "steps": extra.pop("steps", {}),
    }


def keys(page):
    return page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('hb:')).sort()")


def option_texts(page):
    return page.locator("[data-hb-record-select] option").all_inner_texts()


# --- the store: storage_id and path, never the title ---------------------------------------


def test_the_key_is_the_storage_id_and_the_path_never_the_title(page, paths):
    _, base = paths
    page.goto(f"{base}/handbook/types/malware/")
    meta = page.locator("meta[name=hb-scope]")
    expect(meta).to_have_attribute("content", "gifu-pref-incident-handbook")
    assert page.evaluate("HB.storage.scope.key") == "gifu-pref-incident-handbook@/handbook/"
    step(page, "publish").check()
    saved(page, MALWARE)
    assert keys(page) == [f"hb:v2:gifu-pref-incident-handbook@/handbook/|record|{MALWARE}|"]
    assert TITLE not in " ".join(keys(page))


def test_two_copies_on_one_server_are_two_stores_and_clearing_one_leaves_the_other(page, paths):
    _, base = paths
    real, test = f"{base}/handbook/", f"{base}/handbook-test/"
    page.goto(real + "types/malware/")
    new_record(page, "本番の記録")
    field(page, "fact-who").fill("本番の回答")
    saved(page, MALWARE, page.evaluate(f"HB.storage.session('{MALWARE}').id"))
    page.goto(test + "types/malware/")
    # The test copy lists none of the real copy's records ...
    assert option_texts(page) == ["既定の記録"]
    expect(field(page, "fact-who")).to_have_value("")
    # ... but says they are there, from where, by name: never silently hidden.
    finder = page.locator("[data-hb-store-finder-text]")
    expect(finder).to_contain_text("このハンドブックの保管場所にない事故対応記録が 1 件あります")
    expect(finder).to_contain_text(
        "同じサーバの別の場所（/handbook/）に置いたこのハンドブック: 1 件"
    )
    expect(finder).to_contain_text("「本番の記録」（3-5 不正プログラム）")
    new_record(page, "試験の記録")
    step(page, "publish").check()
    saved(page, MALWARE, page.evaluate(f"HB.storage.session('{MALWARE}').id"))
    # 「すべて消去」 on the test copy: the question names its records and count, and what stays.
    page.goto(test)
    dialogs = []
    page.once("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    page.get_by_role("button", name="保存したチェックと記録をすべて消去").click()
    assert dialogs == [
        f"このハンドブック（{TITLE}）の、このブラウザに保存した事故対応記録 1 件"
        "（回答・メモ・チェック）を消去します。\n・「試験の記録」（3-5 不正プログラム）\n\n"
        "ほかの場所に置いたハンドブックや以前の保管場所の記録（1 件）は消去しません。よろしいですか？"
    ]
    left = keys(page)
    assert not any("@/handbook-test/|record|" in k for k in left)
    assert [k for k in left if "@/handbook/|record|" in k] != []
    page.goto(real + "types/malware/")
    expect(selected(page)).to_have_text("本番の記録")
    expect(field(page, "fact-who")).to_have_value("本番の回答")
    assert page.errors == []


def test_a_record_of_the_title_based_store_is_offered_and_imported_as_a_copy(page, paths):
    _, base = paths
    url = f"{base}/handbook/types/malware/"
    page.goto(url)
    old = doc("以前の記録", id="old1", answers={"fact-who": "以前の回答"})
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [LEGACY_KEY, json.dumps(old)])
    page.reload()
    finder = page.locator("[data-hb-store-finder-text]")
    expect(finder).to_contain_text(
        f"以前の版のこのハンドブック（題名「{TITLE}」で保管していた記録）: 1 件"
    )
    expect(finder).to_contain_text("「以前の記録」（3-5 不正プログラム）")
    assert option_texts(page) == ["既定の記録"]
    page.get_by_role("button", name="読み込む（1 件）").click()
    expect(page.locator("[data-hb-module=store-finder]")).to_contain_text(
        "1 件を読み込みました（元の記録はそのまま残っています）。"
    )
    assert option_texts(page) == ["既定の記録", "以前の記録"]
    assert LEGACY_KEY in keys(page)  # the original stays where it was
    page.emulate_media(media="print")  # a notice of the screen, not of the paper
    expect(page.locator("[data-hb-module=store-finder]")).to_be_hidden()
    page.emulate_media(media="screen")
    page.reload()
    expect(page.locator("[data-hb-store-finder-text]")).to_have_count(0)  # offered once
    page.locator("[data-hb-record-select]").select_option(label="以前の記録")
    expect(field(page, "fact-who")).to_have_value("以前の回答")
    assert page.errors == []


def test_hidden_offers_stay_hidden_until_the_record_changes(page, paths):
    _, base = paths
    page.goto(f"{base}/handbook/")
    page.evaluate(
        "([k, v]) => localStorage.setItem(k, v)", [LEGACY_KEY, json.dumps(doc("古い記録"))]
    )
    page.reload()
    page.get_by_role("button", name="表示しない").click()
    expect(page.locator("[data-hb-module=store-finder]")).to_contain_text("記録は消していません")
    page.reload()
    expect(page.locator("[data-hb-store-finder-text]")).to_have_count(0)
    changed = doc("古い記録", answers={"fact-who": "後から書いた"})
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [LEGACY_KEY, json.dumps(changed)])
    page.reload()
    expect(page.locator("[data-hb-store-finder-text]")).to_contain_text("「古い記録」")


def test_copies_configured_as_one_store_share_their_records(page, paths):
    """storage_shared_across_paths: true (the meta the build writes for it, put in place
    here): every path of the storage id is one store."""
    _, base = paths

    def shared(route):
        response = route.fetch()
        body = response.text().replace('data-paths="separate"', 'data-paths="shared"')
        route.fulfill(response=response, body=body)

    page.route("**/handbook*/types/malware/", shared)
    page.goto(f"{base}/handbook/types/malware/")
    assert page.evaluate("HB.storage.scope.key") == "gifu-pref-incident-handbook"
    step(page, "publish").check()
    saved(page, MALWARE)
    page.goto(f"{base}/handbook-test/types/malware/")
    expect(step(page, "publish")).to_be_checked()
    expect(page.locator("[data-hb-store-finder-text]")).to_have_count(0)


def test_the_offline_edition_finds_its_records_from_another_folder(context, offline_site, tmp_path):
    page = context.new_page()
    elsewhere = tmp_path / "USBメモリ" / "handbook"
    elsewhere.parent.mkdir()
    os.symlink(offline_site, elsewhere)  # the same files, opened from another folder
    page.goto((offline_site / "types" / "malware.html").as_uri())
    assert page.evaluate("HB.storage.scope.key") == "gifu-pref-incident-handbook"
    step(page, "publish").check()
    saved(page, MALWARE)
    page.goto((elsewhere / "types" / "malware.html").as_uri())
    assert page.url.startswith(elsewhere.as_uri())
    expect(step(page, "publish")).to_be_checked()


@pytest.fixture(scope="module")
def retitled_build(tmp_path_factory):
    """The site built again with another handbook_title (same storage_id)."""
    tmp = tmp_path_factory.mktemp("retitled")
    project = copy_project(tmp / "project")
    org_file = project / "data" / "organization.yml"
    org = yaml.safe_load(org_file.read_text(encoding="utf-8"))
    org["handbook_title"] = "情報セキュリティ事故対応の手引き"
    org_file.write_text(yaml.safe_dump(org, allow_unicode=True), encoding="utf-8")
    result = build_site(tmp / "site", project, quiet=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp / "site"


def test_a_rebuilt_site_with_another_title_keeps_every_record(page, paths, retitled_build):
    root, base = paths
    url = f"{base}/retitled/types/malware/"
    page.goto(url)
    new_record(page, "改題前の記録")
    field(page, "fact-who").fill("改題前の回答")
    saved(page, MALWARE, page.evaluate(f"HB.storage.session('{MALWARE}').id"))
    # The same address now serves the build with the new title.
    (root / "retitled").unlink()
    os.symlink(retitled_build, root / "retitled")
    try:
        page.goto(url)
        expect(page).to_have_title("3-5 不正プログラム - 岐阜県 情報セキュリティ事故対応の手引き")
        expect(selected(page)).to_have_text("改題前の記録")
        expect(field(page, "fact-who")).to_have_value("改題前の回答")
        page.goto(f"{base}/retitled/")
        dialogs = []
        page.once("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.get_by_role("button", name="保存したチェックと記録をすべて消去").click()
        assert "事故対応記録 1 件" in dialogs[0] and "「改題前の記録」" in dialogs[0]
    finally:
        (root / "retitled").unlink()
        shutil.rmtree(retitled_build, ignore_errors=True)


# --- paper and names -------------------------------------------------------------------------


def test_a_type_page_printed_names_the_record_and_its_edition(page, server):
    page.goto(server + "/types/malware/")
    header = page.locator(".hb-record-print")
    page.emulate_media(media="print")
    expect(header).to_be_hidden()  # a blank 既定の記録 prints as a blank form
    page.emulate_media(media="screen")
    new_record(page, "2026-11-26 USB紛失 総務課")
    step(page, "publish").check()
    edition = page.locator("meta[name=hb-edition]").get_attribute("content")
    expect(header).to_be_hidden()  # on screen the record's list names it
    page.emulate_media(media="print")
    expect(header).to_be_visible()
    expect(header).to_have_text(
        f"記録: 「2026-11-26 USB紛失 総務課」（記録を始めた版: {edition}）　チェック 1 件"
    )
    top = header.bounding_box()["y"]
    assert top < page.locator("li.hb-step").first.bounding_box()["y"]  # above the ticks
    pdf = page.pdf(format="A4")
    assert len(pdf) > 1000
    assert page.errors == []


def test_two_records_are_never_named_alike(page, server):
    page.goto(server + "/types/malware/")
    new_record(page, "USB紛失")
    page.once("dialog", lambda d: d.accept("USB紛失"))
    page.get_by_role("button", name="新しい記録").click()
    expect(selected(page)).to_have_text("USB紛失（2）")
    expect(message(page)).to_have_text("新しい記録「USB紛失（2）」を作りました。")
    # Two stored alike (an import, an older version): the list tells them apart.
    key = f"hb:v2:{page.evaluate('HB.storage.scope.key')}|record|{MALWARE}|zz"
    page.evaluate(
        "([k, v]) => localStorage.setItem(k, v)",
        [key, json.dumps(doc("USB紛失", id="zz", updated="2026-11-01T00:00:00+09:00"))],
    )
    page.reload()
    # Created first, the stored one keeps the name; the next is numbered past every name.
    assert option_texts(page) == ["既定の記録", "USB紛失", "USB紛失（3）", "USB紛失（2）"]


def test_a_long_note_is_cut_between_characters_not_inside_an_emoji(page, server):
    page.goto(server + "/types/malware/")
    text = "あ" * 199 + "👨‍👩‍👧" + "い" * 20  # a family emoji (5 code points) at character 200
    page.locator("[name='note-text']").fill(text)
    page.get_by_role("button", name="メモを追加").click()
    label = page.locator(".hb-timeline__remove").get_attribute("aria-label")
    assert label == "メモを削除: " + "あ" * 199 + "👨‍👩‍👧" + "…"
    assert page.errors == []


# --- the 第一報: one labelled value per field ---------------------------------------------------


def test_imported_newlines_cannot_forge_lines_and_removed_questions_are_kept(
    page, server, tmp_path
):
    page.clock.set_fixed_time(dt.datetime(2026, 11, 26, 12, 0, tzinfo=JST))
    page.goto(server + "/types/malware/")
    forged = doc(
        "偽の記録\n報告者: 偽",
        id="forged",
        answers={
            "reporter": "本人\n報告者: 偽の報告者\r\n2026-11-26 10:00 手順を偽る",
            "department": "総務課\u2028■偽の見出し\u202e",
            "fact-who": ["職員A\n所属: 偽"],
            "fact-a-question-removed-since": "以前の版の質問への答え\n事故のタイプ: 偽",
        },
        notes=[
            {
                "id": "n1",
                "at": "2026-11-26T11:00:00+09:00",
                "text": "メモ\n2026-11-26 09:00 偽の手順",
            }
        ],
    )
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(forged, ensure_ascii=False), encoding="utf-8")
    page.locator("[data-hb-import]").set_input_files(str(path))
    expect(message(page)).to_contain_text("読み込みました")
    lines = report(page).inner_text().split("\n")
    assert [x for x in lines if x.startswith("報告者")] == [
        "報告者: 本人 ／ 報告者: 偽の報告者 ／ 2026-11-26 10:00 手順を偽る"
    ]
    assert [x for x in lines if x.startswith("所属")] == ["所属: 総務課 ／ ■偽の見出し"]
    assert [x for x in lines if x.startswith("2026-11-26")] == [
        "2026-11-26 11:00 （メモ）メモ ／ 2026-11-26 09:00 偽の手順"
    ]
    assert not any(x.startswith("事故のタイプ: 偽") for x in lines)
    # The answer to a question this edition removed: in the 第一報, under its own heading.
    at = lines.index("■この版で削除された質問への回答（記録を始めた版の質問）")
    assert lines[at + 1] == (
        "質問 fact-a-question-removed-since: 以前の版の質問への答え ／ 事故のタイプ: 偽"
    )
    with page.expect_download() as info:
        page.get_by_role("button", name="テキストで書き出す").click()
    exported = open(info.value.path(), encoding="utf-8").read().split("\n")
    assert exported[0] == "事故対応記録: 偽の記録 ／ 報告者: 偽"
    assert (
        "質問 fact-a-question-removed-since: 以前の版の質問への答え ／ 事故のタイプ: 偽" in exported
    )
    assert len([x for x in exported if x.startswith("報告者")]) == 1
    assert page.errors == []
