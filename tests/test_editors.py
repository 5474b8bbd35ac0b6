"""For the handbook's editors: edition on every page and sheet, revision history, a data
reference generated from the schemas and a fast check command. (The live preview, `serve`:
tests/test_serve.py.)"""

import json
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from scripts import check_data, data_reference
from scripts.sitetools import build_site
from support import ROOT
from support.data import MISTAKES, with_mistake
from support.pages import HANDBOOK, TYPE_IDS
from support.pdf import norm, sheets
from support.project import copy_project

EDITION = HANDBOOK.edition.line


def test_edition_and_date_are_on_every_page(site_dir):
    for html in site_dir.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        footer = re.search(r'md-copyright__highlight">\s*([^<]*)', text)
        assert footer and EDITION in footer.group(1), html.relative_to(site_dir)


@pytest.mark.parametrize("type_id", TYPE_IDS)
def test_printed_sheets_carry_edition_and_address(printed, type_id):
    for number, text in enumerate(sheets(printed(f"/types/{type_id}/")), 1):
        assert norm(EDITION) in text, f"sheet {number}"
        assert f"/types/{type_id}/" in text, f"sheet {number}"


def test_revision_page_lists_the_entries_in_order_and_marks_revised_steps(tmp_path):
    project = copy_project(tmp_path / "project")
    revisions = project / "data" / "revisions.yml"
    entries = yaml.safe_load(revisions.read_text(encoding="utf-8"))
    newer = {
        "edition": "第2版",
        "date": "2027-04-01",
        "summary": "テスト用の版。",
        "changes": ["手順の文言を見直し。"],
        "steps": ["types/malware/reinstall-os", "basics/cut-off"],
    }
    revisions.write_text(yaml.safe_dump([newer, *entries], allow_unicode=True), encoding="utf-8")
    result = build_site(tmp_path / "site", project)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (tmp_path / "site" / "revisions" / "index.html").read_text(encoding="utf-8")
    headings = re.findall(r'<h2 class="hb-revision" id="edition-\d+">([^<]*)</h2>', page)
    assert headings == ["第2版（2027-04-01）", EDITION]
    # Changed steps by their words, each a link to its checkbox.
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', page.split("変更した手順")[1])[:2]
    assert links == [
        (
            "../types/malware/#step-types-malware-reinstall-os",
            HANDBOOK.types["malware"].steps()["reinstall-os"].text,
        ),
        ("../basics/#step-basics-cut-off", HANDBOOK.basics.steps()["cut-off"].text),
    ]
    malware = (tmp_path / "site" / "types" / "malware" / "index.html").read_text(encoding="utf-8")
    marked = re.findall(r'<li class="hb-step" data-step-id="([^"]+)">(?:(?!</li>).)*改訂', malware)
    assert marked == ["reinstall-os"]
    basics = (tmp_path / "site" / "basics" / "index.html").read_text(encoding="utf-8")
    assert re.findall(
        r'<li class="hb-step" data-step-id="([^"]+)">(?:(?!</li>).)*改訂', basics
    ) == ["cut-off"]
    assert "第2版（2027-04-01）" in malware


def schema_properties(node) -> set[str]:
    """Every field name a schema defines, at any depth."""
    if isinstance(node, list):
        return set().union(*map(schema_properties, node)) if node else set()
    if not isinstance(node, dict):
        return set()
    names = set(node.get("properties", {}))
    return names.union(*map(schema_properties, node.values()))


def test_data_reference_is_generated_from_the_schemas():
    committed = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert committed == data_reference.reference(), "run: python3 scripts/dev.py data-reference"
    for schema_file in (ROOT / "data" / "schema").glob("*.json"):
        if schema_file.name == "record.schema.json":
            continue  # the format of the record's JSON export, not of a data file
        names = schema_properties(json.loads(schema_file.read_text(encoding="utf-8")))
        assert names, schema_file.name
        for name in names:
            assert re.search(rf"`[^`]*\b{name}`", committed), f"{schema_file.name}: {name}"


def test_check_command_passes_on_the_real_data():
    result = subprocess.run(
        [sys.executable, "scripts/check_data.py"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout
    assert "data/: 誤りはありません（タイプ 6、" in result.stdout


def test_check_command_fails_with_the_build_message_on_a_broken_file(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    org = data / "organization.yml"
    org.write_text(org.read_text(encoding="utf-8").replace('"2255"', '"22-55"'), encoding="utf-8")
    assert check_data.main([], data_dir=data) == 1
    out = capsys.readouterr().out
    assert (
        "data/organization.yml の 1番目の連絡先（it-optimization） の 1番目の電話番号（勤務時間内） "
        "の 「extension」: 「22-55」 は書き方が違います。" in out
    )


def test_check_and_build_refuse_a_published_step_that_disappears_until_a_new_edition(
    tmp_path, capsys
):
    project = copy_project(tmp_path / "project")
    data = project / "data"
    malware = data / "types" / "malware.yml"
    text = malware.read_text(encoding="utf-8").replace("id: reinstall-os", "id: reinstall-system")
    malware.write_text(text, encoding="utf-8")
    old = HANDBOOK.types["malware"].steps()["reinstall-os"].text
    said = f"公開した版の手順「reinstall-os」（{old}）がなくなっています"
    # check refuses it, as the build does (check used to pass it with a note).
    assert check_data.main([], data_dir=data) == 1
    out = capsys.readouterr().out
    assert f"data/types/malware.yml: {said}" in out and "check --record" in out
    result = build_site(tmp_path / "site", project)
    assert result.returncode != 0
    assert said in result.stdout + result.stderr
    # --record refuses while revisions.yml has no new edition, listing what changed...
    assert check_data.main(["--record"], data_dir=data) == 1
    out = capsys.readouterr().out
    assert f"  削除: types/malware の「reinstall-os」（{old}）" in out
    assert "  新しい手順: types/malware の「reinstall-system」" in out
    assert "data/revisions.yml の先頭に新しい版" in out and "記録しませんでした" in out
    # ...and a reworded step too.
    cut_off = HANDBOOK.basics.steps()["cut-off"].text
    basics = data / "basics.yml"
    basics.write_text(
        basics.read_text(encoding="utf-8").replace(cut_off, cut_off + "（直ちに）"), "utf-8"
    )
    assert check_data.main(["--record"], data_dir=data) == 1
    out = capsys.readouterr().out
    assert f"  文言の変更: basics の「cut-off」: 「{cut_off}」→「{cut_off}（直ちに）」" in out
    # With a new edition it records, and the build passes again.
    revisions = data / "revisions.yml"
    entries = yaml.safe_load(revisions.read_text(encoding="utf-8"))
    newer = {"edition": "第2版", "date": "2027-04-01", "summary": "テスト用の版。"}
    revisions.write_text(yaml.safe_dump([newer, *entries], allow_unicode=True), encoding="utf-8")
    assert check_data.main(["--record"], data_dir=data) == 0
    out = capsys.readouterr().out
    assert "第2版 として記録しました:" in out and "第1版 からの変更:" in out
    assert f"  削除: types/malware の「reinstall-os」（{old}）" in out
    assert yaml.safe_load((data / "published-steps.yml").read_text("utf-8"))["edition"] == "第2版"
    assert check_data.main([], data_dir=data) == 0
    assert build_site(tmp_path / "site", project).returncode == 0


# Mistakes of the corpus (tests/fixtures/mistakes/) that check and build must judge alike:
# a deleted published step and a severity set without a title (both passed check before),
# a slip only the loader sees (yes), one the pre-scan sees (a tab), a misspelt key; and one
# that both accept with the same note (a " #" that cut a text).
SAME = [
    "35-deleted-published-step",
    "49-severity-without-title",
    "16-yes-choice",
    "06-tab-indent",
    "38-key-typo-step",
    "62-accessibility-level-typo",
]


@pytest.mark.parametrize("name", [*SAME, "21-hash-in-text"])
def test_check_refuses_what_build_refuses(name, tmp_path, capsys):

    case = json.loads((MISTAKES / f"{name}.json").read_text(encoding="utf-8"))
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / "data")
    with_mistake(case, project / "data")
    code = check_data.main([], data_dir=project / "data")
    first = capsys.readouterr().out.splitlines()[0]
    result = build_site(tmp_path / "site", project)
    assert (code == 0) == (result.returncode == 0) == (case["outcome"] == "accepted")
    # The same message, first in both (the build's log says it too when it passes).
    log = result.stdout + result.stderr
    assert first.removeprefix("注意: ") in log, log
    if not code:
        assert first.startswith("注意: ") and "コメントとして消え" in first


def test_the_first_record_of_a_new_handbook_needs_no_new_edition(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "published-steps.yml").unlink()
    assert check_data.main(["--record"], data_dir=data) == 0
    out = capsys.readouterr().out
    assert f"{HANDBOOK.edition.edition} として記録しました:" in out
    assert "  新しい手順: basics の「cut-off」" in out
    recorded = yaml.safe_load((data / "published-steps.yml").read_text(encoding="utf-8"))
    assert recorded["basics"]["cut-off"] == HANDBOOK.basics.steps()["cut-off"].text
