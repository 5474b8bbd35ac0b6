"""A record outlives an edition: ticks made on 第1版 of steps that 第2版 removes or rewords
stay in sight (「この版で削除・変更された手順」, under the step, in the timeline, the 第一報
and both exports) with the words and time they were ticked with.

One browser profile, one address: the site it serves is first this edition, then a 第2版
built from a copy of the data (one step of a type removed, one reworded, one basic step
removed), as on an intranet server where the editors publish a new edition."""

import json
import re

import pytest
from playwright.sync_api import expect

from scripts import check_data
from scripts.sitetools import build_site, serve
from support.pages import HANDBOOK
from support.project import copy_project

MALWARE = HANDBOOK.types["malware"].steps()
REWORDED = "reinstall-os"
OLD_WORDS = MALWARE[REWORDED].text
NEW_WORDS = "被害にあったパソコンは、OSからインストールしなおす。"
REMOVED = "identify-leaked-information"
REMOVED_WORDS = MALWARE[REMOVED].text
BASIC_REMOVED = "compensation"
BASIC_WORDS = HANDBOOK.basics.steps()[BASIC_REMOVED].text
KEPT = "reinstall-programs"


def remove_step(text: str, step_id: str) -> str:
    """The YAML without the step (its id line and the lines indented under it)."""
    pattern = rf"\n( *)- id: {step_id}\n(?:\1  .*\n)*"
    assert re.search(pattern, text), step_id
    return re.sub(pattern, "\n", text)


@pytest.fixture(scope="module")
def editions(tmp_path_factory, site_dir):
    """(address, publish(edition)): one server whose site is 1 (this build) or 2."""
    tmp = tmp_path_factory.mktemp("editions")
    project = copy_project(tmp / "project")
    data = project / "data"
    malware = data / "types" / "malware.yml"
    text = malware.read_text(encoding="utf-8")
    assert OLD_WORDS in text
    text = remove_step(text.replace(OLD_WORDS, NEW_WORDS), REMOVED)
    malware.write_text(text, encoding="utf-8")
    basics = data / "basics.yml"
    basics.write_text(remove_step(basics.read_text(encoding="utf-8"), BASIC_REMOVED), "utf-8")
    revisions = data / "revisions.yml"
    revisions.write_text(
        "- edition: 第2版\n  date: '2027-04-01'\n  summary: テスト用の版。\n"
        f"  steps: [types/malware/{REWORDED}]\n" + revisions.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    # The editors confirm the removals, as the build asks them to.
    assert check_data.main(["--record"], data_dir=data) == 0
    www = tmp / "www"
    www.symlink_to(site_dir, target_is_directory=True)
    httpd, address = serve(www)
    second = tmp / "second"
    result = build_site(second, project, site_url=address + "/")
    assert result.returncode == 0, result.stdout + result.stderr

    def publish(edition: int) -> None:
        www.unlink()
        www.symlink_to(site_dir if edition == 1 else second, target_is_directory=True)

    yield address, publish
    httpd.shutdown()


def box(page, step_id):
    return page.locator(f"input.hb-step__box[data-step-id='{step_id}']")


def test_ticks_of_removed_and_reworded_steps_stay_with_their_old_words_and_time(page, editions):
    address, publish = editions
    publish(1)
    page.goto(address + "/types/malware/")
    section = page.locator("section.hb-changed-steps")
    expect(box(page, REMOVED)).to_be_visible()
    for step in (REMOVED, REWORDED, KEPT):
        box(page, step).check()
    expect(section).to_be_hidden()  # nothing changed yet
    ticked_at = {
        step: box(page, step).locator("xpath=..").locator("time").get_attribute("datetime")
        for step in (REMOVED, REWORDED)
    }
    page.goto(address + "/basics/")
    box(page, BASIC_REMOVED).check()

    publish(2)
    page.goto(address + "/types/malware/")
    expect(page.locator("meta[name=hb-edition]")).to_have_attribute("content", re.compile("第2版"))
    expect(box(page, REMOVED)).to_have_count(0)
    expect(section).to_be_visible()
    expect(section.get_by_role("heading")).to_have_text("この版で削除・変更された手順")
    expect(section).to_contain_text("第1版")
    expect(section).to_contain_text("第2版")
    removed = section.locator(f"li[data-kind=removed][data-step-id={REMOVED}]")
    expect(removed).to_contain_text(REMOVED_WORDS)
    expect(removed.locator("time")).to_have_attribute("datetime", ticked_at[REMOVED])
    reworded = section.locator(f"li[data-kind=reworded][data-step-id={REWORDED}]")
    expect(reworded).to_contain_text(OLD_WORDS)
    expect(reworded).to_contain_text(NEW_WORDS)
    expect(reworded.locator("time")).to_have_attribute("datetime", ticked_at[REWORDED])
    expect(section.locator("li")).to_have_count(2)  # the kept step is not listed
    # Under the step itself: the new words, ticked, with the words it was ticked with.
    item = page.locator(f"li.hb-step[data-step-id={REWORDED}]")
    expect(box(page, REWORDED)).to_be_checked()
    expect(item.locator(".hb-step__text")).to_have_text(NEW_WORDS)
    expect(item.locator(".hb-step__was")).to_have_text("チェックした時の文言: " + OLD_WORDS)
    expect(page.locator(f"li.hb-step[data-step-id={KEPT}] .hb-step__was")).to_have_count(0)
    # The timeline and the 第一報 keep both.
    timeline = page.locator("[data-hb-timeline]")
    expect(timeline).to_contain_text("（この版で削除された手順）" + REMOVED_WORDS)
    expect(timeline).to_contain_text(f"{NEW_WORDS}（チェックした時の文言: {OLD_WORDS}）")
    report = page.locator("[data-hb-first-report]")
    expect(report).to_contain_text("（この版で削除された手順）" + REMOVED_WORDS)
    expect(report).to_contain_text(f"（チェックした時の文言: {OLD_WORDS}）")

    # A later tick writes the record again: the removed step's tick is kept in it.
    box(page, "reinstall-programs").uncheck()
    box(page, "reinstall-programs").check()
    with page.expect_download() as info:
        page.get_by_role("button", name="JSONで書き出す").click()
    exported = json.loads(open(info.value.path(), encoding="utf-8").read())
    exported.update(page.evaluate("d => HB.crdt.view(d)", exported))
    assert exported["steps"][REMOVED] == {"at": ticked_at[REMOVED], "text": REMOVED_WORDS}
    assert exported["steps"][REWORDED]["text"] == OLD_WORDS
    assert exported["edition"].startswith("第1版")
    with page.expect_download() as info:
        page.get_by_role("button", name="テキストで書き出す").click()
    text = open(info.value.path(), encoding="utf-8").read()
    assert "■この版で削除・変更された手順（チェックした時の文言）" in text
    assert f"削除: {REMOVED_WORDS}（チェック: " in text
    assert f"変更: {OLD_WORDS}（チェック: " in text and f"→ 今の版: {NEW_WORDS}" in text

    # Ticked again on 第2版, the step has its new words only.
    box(page, REWORDED).uncheck()
    box(page, REWORDED).check()
    expect(item.locator(".hb-step__was")).to_have_count(0)
    expect(section.locator("li")).to_have_count(1)

    # The basics page has no 事故対応記録 of its own: its section says it.
    page.goto(address + "/basics/")
    basics = page.locator("section.hb-changed-steps")
    expect(basics).to_be_visible()
    expect(basics.locator(f"li[data-kind=removed][data-step-id={BASIC_REMOVED}]")).to_contain_text(
        BASIC_WORDS
    )
