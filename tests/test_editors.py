"""For the handbook's editors: edition on every page and sheet, revision history, a data
reference generated from the schemas, a fast check command, and a live preview."""

import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from html import unescape

import pytest
import yaml
from test_build import copy_project
from test_print import norm, sheets

from conftest import ROOT, build_site
from scripts import check_data, data_reference
from test_site import HANDBOOK, TYPE_IDS

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
        names = schema_properties(json.loads(schema_file.read_text(encoding="utf-8")))
        assert names, schema_file.name
        for name in names:
            assert re.search(rf"`[^`]*\b{name}`", committed), f"{schema_file.name}: {name}"


def test_check_command_passes_on_the_real_data():
    result = subprocess.run(
        [sys.executable, "scripts/check_data.py"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout
    assert "data/: OK (6 types" in result.stdout


def test_check_command_fails_with_the_build_message_on_a_broken_file(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    org = data / "organization.yml"
    org.write_text(org.read_text(encoding="utf-8").replace('"2255"', '"22-55"'), encoding="utf-8")
    assert check_data.main([], data_dir=data) == 1
    out = capsys.readouterr().out
    assert (
        "data/organization.yml at 'contacts > 0 > phones > 0 > extension': '22-55' is not in "
        "the expected form" in out
    )


def test_check_warns_when_a_published_step_id_disappears(tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    malware = data / "types" / "malware.yml"
    text = malware.read_text(encoding="utf-8").replace("id: reinstall-os", "id: reinstall-system")
    malware.write_text(text, encoding="utf-8")
    assert check_data.main([], data_dir=data) == 0
    out = capsys.readouterr().out
    assert "warning: data/types/malware.yml: step id 'reinstall-os' of the published edition" in out
    assert "1 warning(s)" in out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, pattern: str, seconds: float = 40) -> str:
    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=3) as response:
                text = response.read().decode("utf-8")
            if re.search(pattern, text):
                return text
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {pattern!r}; last: {text[:300]!r}")


def test_serve_rebuilds_on_a_data_change_and_shows_data_errors(tmp_path):
    project = copy_project(tmp_path / "project")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/types/malware/"
    malware = project / "data" / "types" / "malware.yml"
    original = malware.read_text(encoding="utf-8")
    try:
        _wait_for(url, "被害にあったパソコンは念のため")
        malware.write_text(original.replace("被害にあったパソコン", "被害にあった端末"), "utf-8")
        _wait_for(url, "被害にあった端末は念のため")
        malware.write_text(original.replace('number: "3-5"', "number: 3-5x"), "utf-8")
        page = _wait_for(f"http://127.0.0.1:{port}/", "データの誤り")
        assert "data/types/malware.yml at 'number'" in unescape(page)
        malware.write_text(original, "utf-8")
        _wait_for(url, "被害にあったパソコンは念のため")
    finally:
        server.terminate()
        server.wait(timeout=10)
