"""A town's own edition is one file: data/organization.yml. Built with the fixture town's
file in its place, the whole site, its search index and its printed sheets carry none of
the prefecture's names or numbers."""

from __future__ import annotations

import re
import shutil

import pytest
from pypdf import PdfReader

from scripts.make_pdf import print_pdf
from scripts.sitetools import build_site, serve
from support import ROOT
from support.project import copy_project

TOWN = ROOT / "tests" / "fixtures" / "town" / "organization.yml"
# What only the prefecture's edition may say: its names, offices, networks and numbers.
PREFECTURE_WORDS = [
    "岐阜",
    "情報企画課",
    "IT最適化係",
    "ＩＴ最適化係",
    "2255",
    "5110",
    "知事",
    "県警",
    "広報課",
    "危機管理政策課",
    "県民",
    "GAIB",
    "RENTAI",
    "対策管理部会",
    "県庁",
    "県立",
]


@pytest.fixture(scope="module")
def town_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("town")
    # Not the prefecture's PDFs, if someone made them here: copy_project leaves them out.
    project = copy_project(tmp / "project")
    shutil.copy(TOWN, project / "data" / "organization.yml")
    httpd, base = serve(tmp / "site")
    result = build_site(tmp / "site", project, site_url=base + "/")
    assert result.returncode == 0, result.stdout + result.stderr
    yield tmp / "site", base
    httpd.shutdown()


def found(text: str) -> list[str]:
    return [word for word in PREFECTURE_WORDS if word in text]


def test_the_town_site_and_search_index_name_nothing_of_the_prefecture(town_site):
    site, _ = town_site
    hits = {}
    # Pages, search index, sitemap, and our own scripts (not Material's or lunr's code,
    # whose numbers mean nothing here).
    ours = {p.name for p in (ROOT / "docs" / "assets" / "javascripts").rglob("*.js")}
    for path in site.rglob("*"):
        if path.suffix in (".html", ".json", ".xml") or path.name in ours:
            words = found(path.read_text(encoding="utf-8", errors="replace"))
            if words:
                hits[path.relative_to(site).as_posix()] = words
    assert hits == {}
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "みどり町総務課情報係" in index and "町民" in index  # the town's words are there


def test_the_town_pages_say_the_towns_words(town_site):
    site, _ = town_site
    basics = (site / "basics" / "index.html").read_text(encoding="utf-8")
    assert "みどり町情報セキュリティ委員会（事務局：みどり町総務課情報係）へ報告し" in basics
    assert "町長・副町長への報告・協議" in basics
    # The chain's own steps come from the town's reporting_chain: its report goes to the
    # ministry through the prefecture, never straight from the town's office.
    assert "みどり町総務課情報係からテスト県 情報担当課を経て総務省へ提出" in basics
    assert "総務課から総務省へ提出" not in basics
    malware = (site / "types" / "malware" / "index.html").read_text(encoding="utf-8")
    assert "町業務用パソコンに及び町内LANネットワーク上で" in malware
    assert re.search(r"<title>[^<]*みどり町 情報セキュリティ事故対応ハンドブック</title>", malware)


def test_the_towns_printed_sheets_name_nothing_of_the_prefecture(town_site, browser):
    _, base = town_site
    page = browser.new_page()
    try:
        texts = []
        for url in ("/print/", "/types/malware/"):
            pdf = print_pdf(page, base + url)
            path = town_site[0].parent / "sheet.pdf"
            path.write_bytes(pdf)
            texts += [p.extract_text() for p in PdfReader(path).pages]
    finally:
        page.close()
    text = "".join(texts)
    assert "みどり町総務課情報係" in text
    assert found(text) == []


def test_a_build_cannot_be_told_an_address_with_quotes_or_tags(tmp_path):
    result = build_site(tmp_path / "site", site_url='http://x/"><script>alert(1)</script>/')
    assert result.returncode != 0
    assert "SITE_URL「" in result.stdout + result.stderr
    assert "は使えません" in result.stdout + result.stderr


def test_the_towns_chain_steps_come_from_its_reporting_chain(tmp_path):
    """In process (no build): the words of who submits to the ministry, and via whom."""
    from macros.data import load_handbook

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    shutil.copy(TOWN, data / "organization.yml")

    def side_labels(handbook) -> list[str]:
        # the figure's side labels live beside their box (a group's notes), not as a ※
        return [n for stage in handbook.basics.stages for g in stage.groups for n in g.notes]

    town = side_labels(load_handbook(data))
    assert "みどり町総務課情報係からテスト県 情報担当課を経て総務省へ提出" in town
    # The prefecture's own edition keeps the manual's words.
    assert "情報企画課から総務省へ提出" in side_labels(load_handbook(ROOT / "data"))
