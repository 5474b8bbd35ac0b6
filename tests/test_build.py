"""Real `mkdocs build --strict` runs: clean build, data-only extension, broken data."""

import shutil

from scripts.sitetools import build_site
from support.project import FIXTURE_TYPE, copy_project


def test_strict_build_succeeds_without_warnings(build):
    _, result = build
    log = result.stdout + result.stderr
    assert "WARNING" not in log, log
    assert "Documentation built" in log


def test_adding_a_type_is_adding_one_yaml_file(tmp_path):
    project = copy_project(tmp_path / "project")
    shutil.copy(FIXTURE_TYPE, project / "data" / "types" / "example.yml")
    result = build_site(tmp_path / "site", project)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (tmp_path / "site" / "types" / "example" / "index.html").read_text(encoding="utf-8")
    assert "9-1 テスト用の事故の場合の対応" in page
    assert 'data-step-id="confirm"' in page
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="types/example/"' in home  # in the navigation and among the choices
    assert "9-1 テスト用の事故" in home


def test_broken_data_stops_the_build_and_names_every_problem(tmp_path):
    project = copy_project(tmp_path / "project")
    malware = project / "data" / "types" / "malware.yml"
    malware.write_text(
        malware.read_text(encoding="utf-8").replace("phase: discovery", "phase: discover"),
        encoding="utf-8",
    )
    org = project / "data" / "organization.yml"
    org.write_text(
        org.read_text(encoding="utf-8").replace("090-5110-0331", "090-5110-033l"), encoding="utf-8"
    )
    result = build_site(tmp_path / "site", project)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert (
        "data/types/malware.yml の 1番目の段階（discover） の 「phase」: 「discover」という段階はありません。"
        in log
    )
    assert (
        "data/organization.yml の 1番目の連絡先（it-optimization） の 2番目の電話番号（勤務時間外） の 「number」"
        in log
    )
    assert not (tmp_path / "site" / "index.html").exists()


def test_adding_a_component_is_one_folder_and_one_line(tmp_path):
    """components/README.md's example, built for real: the folder's macro placed by one line
    of a page template, its script and style in the one bundle, its word in the catalogue."""
    project = copy_project(tmp_path / "project")
    folder = project / "components" / "notice-box"
    folder.mkdir()
    (folder / "notice-box.html").write_text(
        "{% macro notice_box(incident) -%}\n"
        '<aside class="hb-notice-box" data-hb-module="notice-box">'
        "{{ words.notice_box.heading }}：{{ incident.short_title }}</aside>\n{%- endmacro %}\n",
        encoding="utf-8",
    )
    (folder / "notice-box.js").write_text(
        'HB.register("notice-box", (box) => { box.title = HB.t("notice_box.heading"); });\n'
    )
    (folder / "notice-box.css").write_text(".hb-notice-box { border: 3px solid; }\n")
    (folder / "words.yml").write_text("heading: お知らせ\n", encoding="utf-8")
    page = project / "macros" / "pages" / "type-page.md"
    text = page.read_text(encoding="utf-8")
    line = "{{ urgent(incident) }}"
    page.write_text(text.replace(line, line + "\n\n{{ notice_box(incident) }}"), encoding="utf-8")
    result = build_site(tmp_path / "site", project)
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "site"
    html = (site / "types" / "malware" / "index.html").read_text(encoding="utf-8")
    assert (
        '<aside class="hb-notice-box" data-hb-module="notice-box">お知らせ：不正プログラム</aside>'
        in html
    )
    (css,) = site.glob("assets/hb/hb.*.min.css")
    assert ".hb-notice-box{border:3px solid}" in css.read_text(encoding="utf-8")
    (js,) = site.glob("assets/hb/hb.*.min.js")
    script = js.read_text(encoding="utf-8")
    assert 'HB.register("notice-box"' in script
    assert '"notice_box":{"heading":"お知らせ"}' in script  # the word its script uses
