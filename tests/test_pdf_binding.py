"""PDFs bound to the build they belong to (macros/pdfs.py, README 公開): the set records the
address it was made for (normalised: a missing final "/" is the same address) and what it
was made from; a build links it only while both match; a build to publish (build --gzip,
offline) stops with the exact command to run; `publish` leaves nothing of an older build.

The PDFs here are stand-ins (bytes, not printed sheets) with a manifest made as
scripts/make_pdf.py makes it: what is tested is the binding, not the printing
(tests/test_print.py prints)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from macros import pdfs
from macros.data import load_handbook
from scripts import publish
from support import ROOT
from support.project import MADE_FOR, copy_project, make_pdfs


def cli(project: Path, module: str, args: list[str], site_url: str) -> subprocess.CompletedProcess:
    """A command of scripts/ (build: sitetools, offline: make_offline) run on the copy."""
    code = (
        f"import sys; from pathlib import Path; import scripts.{module} as m; "
        f"m.ROOT = Path({str(project)!r}); sys.exit(m.main({args!r}))"
    )
    env = {
        **os.environ,
        "SITE_URL": site_url,
        "PYTHONIOENCODING": "utf-8",
    }
    env.pop("HB_PDFS", None)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env
    )


def print_page_links(site: Path) -> list[str]:
    html = (site / "print" / "index.html").read_text(encoding="utf-8")
    return sorted(set(re.findall(r'href="\.\./pdf/([^"]+\.pdf)"', html)))


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("pdf-binding") / "project")


def test_status_reads_an_address_without_its_final_slash_as_the_same_address(project):
    names = make_pdfs(project)
    types = load_handbook(project / "data").types
    folder = project / "docs" / "pdf"
    manifest = json.loads((folder / pdfs.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["site_url"] == MADE_FOR + "/"
    for address in (MADE_FOR, MADE_FOR + "/", f" {MADE_FOR}/ "):
        state = pdfs.status(folder, project, address, types)
        assert state.fresh and state.files == names and state.notice is None, address
    other = pdfs.status(folder, project, "http://other.example.lg.jp/", types)
    assert not other.fresh and other.notice
    assert f"{MADE_FOR}/ 用に作られていますが" in other.message("http://other.example.lg.jp/")
    assert "SITE_URL=http://other.example.lg.jp/ python3 scripts/dev.py pdf" in other.message(
        "http://other.example.lg.jp/"
    )
    # serve without SITE_URL: the preview's address is not compared, the content is.
    assert pdfs.status(folder, project, None, types).fresh


def test_a_pdf_changed_or_missing_is_named(project):
    make_pdfs(project)
    types = load_handbook(project / "data").types
    folder = project / "docs" / "pdf"
    (folder / "malware.pdf").write_bytes(b"%PDF-1.4 edited by hand")
    (folder / "insider.pdf").unlink()
    state = pdfs.status(folder, project, MADE_FOR, types)
    assert state.files == []
    assert "足りない PDF: insider.pdf" in state.reasons
    assert "作ったときと中身が違う PDF: malware.pdf" in state.reasons
    (folder / pdfs.MANIFEST).unlink()
    assert pdfs.status(folder, project, MADE_FOR, types).reasons == [
        "PDF を作ったときの記録（pdf/manifest.json）がないか、古い形式です"
    ]


def test_build_links_the_set_then_a_deploy_build_stops_when_address_or_data_differ(
    project, tmp_path
):
    names = make_pdfs(project)
    site = tmp_path / "site"
    # pdf with SITE_URL lacking its "/", build the same: every PDF linked.
    done = cli(project, "sitetools", [str(site)], MADE_FOR)
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in (site / "pdf").iterdir()) == sorted(names)  # no manifest
    assert print_page_links(site) == sorted(names)
    # The server's copy of this build, published.
    dest = tmp_path / "server"
    publish.publish(site, dest)
    assert (dest / "pdf" / "malware.pdf").is_file()

    # A deploy build for another address: stops, saying which and what to run.
    other = "http://other.example.lg.jp/"
    done = cli(project, "sitetools", [str(tmp_path / "other"), "--gzip"], other)
    log = done.stdout + done.stderr
    assert done.returncode != 0, log
    assert f"PDF は {MADE_FOR}/ 用に作られていますが、このビルドの SITE_URL は {other} です" in log
    assert f"作り直すコマンド: SITE_URL={other} python3 scripts/dev.py pdf" in log
    assert "--no-pdf" in log
    # The offline edition too.
    done = cli(project, "make_offline", [str(tmp_path / "offline.zip")], other)
    assert done.returncode != 0 and f"SITE_URL={other} python3 scripts/dev.py pdf" in (
        done.stdout + done.stderr
    )
    assert not (tmp_path / "offline.zip").exists()

    # The data changes after the PDFs were made: a plain build links none and says why...
    malware = project / "data" / "types" / "malware.yml"
    text = malware.read_text(encoding="utf-8")
    malware.write_text(
        text.replace("被害にあったパソコンは念のため", "被害にあったPCは念のため", 1)
    )
    try:
        done = cli(project, "sitetools", [str(site)], MADE_FOR)
        log = done.stdout + done.stderr
        assert done.returncode == 0, log
        assert "PDF を作った後に変わったファイル: data/types/malware.yml" in log
        assert f"SITE_URL={MADE_FOR}/ python3 scripts/dev.py pdf" in log
        assert not (site / "pdf").exists() and print_page_links(site) == []
        html = (site / "print" / "index.html").read_text(encoding="utf-8")
        assert "hb-pdf-notice" in html
        # ...and publishing that build removes the old PDFs from the server's folder.
        added, changed, removed = publish.publish(site, dest)
        assert {f"pdf/{n}" for n in names} <= set(removed)
        assert not (dest / "pdf").exists()
        # A deploy build stops; with --no-pdf it publishes none, and no notice.
        done = cli(project, "sitetools", [str(tmp_path / "deploy"), "--gzip"], MADE_FOR)
        assert done.returncode != 0
        assert "PDF を作った後に変わったファイル: data/types/malware.yml" in done.stderr
        done = cli(project, "sitetools", [str(tmp_path / "deploy"), "--gzip", "--no-pdf"], MADE_FOR)
        assert done.returncode == 0, done.stdout + done.stderr
        assert not (tmp_path / "deploy" / "pdf").exists()
        html = (tmp_path / "deploy" / "print" / "index.html").read_text(encoding="utf-8")
        assert "hb-pdf-notice" not in html
    finally:
        malware.write_text(text, encoding="utf-8")


def test_a_deploy_build_without_any_pdf_needs_no_pdf(project, tmp_path):
    shutil.rmtree(project / "docs" / "pdf", ignore_errors=True)
    done = cli(project, "sitetools", [str(tmp_path / "site"), "--gzip"], MADE_FOR)
    log = done.stdout + done.stderr
    assert done.returncode != 0
    assert "印刷用の PDF（docs/pdf/）がありません。" in log
    assert f"作るコマンド: SITE_URL={MADE_FOR}/ python3 scripts/dev.py pdf" in log


def test_pdf_command_with_an_address_lacking_its_slash_links_every_pdf(tmp_path):
    """`dev.py pdf` as an editor runs it (SITE_URL without its final "/"), on a copy; the
    sheets are stand-ins (printing is tests/test_print.py's): its manifest names the
    address MkDocs builds for, and the site/ it builds links every PDF."""
    project = copy_project(tmp_path / "project")
    code = (
        "import sys; from pathlib import Path; import scripts.make_pdf as m; "
        f"m.ROOT = Path({str(project)!r}); m.PDF_DIR = m.ROOT / 'docs' / 'pdf'; "
        "m.launch = lambda p: type('B', (), {'new_page': lambda s: None, 'close': lambda s: None})(); "
        "m.print_pdf = lambda page, url, path: path.write_bytes(b'%PDF-1.4 ' + url.encode()); "
        "sys.exit(m.main())"
    )
    env = {**os.environ, "SITE_URL": MADE_FOR, "PYTHONIOENCODING": "utf-8"}
    env.pop("HB_PDFS", None)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stdout + done.stderr
    names = pdfs.expected_files(load_handbook(project / "data").types)
    assert f"PDF {len(names)} 件を「印刷用チェックリスト」からリンクしました" in done.stdout
    manifest = json.loads((project / "docs" / "pdf" / pdfs.MANIFEST).read_text("utf-8"))
    assert manifest["site_url"] == MADE_FOR + "/"
    assert sorted(manifest["files"]) == sorted(names)
    assert print_page_links(project / "site") == sorted(names)
    # The deploy build for the same address (as typed) takes them.
    done = cli(project, "sitetools", [str(tmp_path / "deploy"), "--gzip"], MADE_FOR)
    assert done.returncode == 0, done.stdout + done.stderr
    assert print_page_links(tmp_path / "deploy") == sorted(names)


# --- publish: the server's folder holds exactly the new build ------------------------------


def test_publish_mirrors_the_build_and_deletes_what_it_no_longer_has(site_dir, tmp_path):
    dest = tmp_path / "server"
    shutil.copytree(site_dir, dest)  # the last build, copied by hand as before
    old = {
        "pdf/old-type.pdf": b"%PDF old",
        "types/removed-type/index.html": b"<html>old</html>",
        "index.html.gz": b"stale gzip that nginx would send",
    }
    for name, data in old.items():
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / name).write_bytes(data)
    (dest / "web.config").write_text("<configuration/>", encoding="utf-8")  # IIS's, kept
    (dest / "index.html").write_text("<html>an older home page</html>", encoding="utf-8")

    planned = publish.publish(site_dir, dest, dry_run=True)
    assert (dest / "pdf" / "old-type.pdf").exists()  # --dry-run changes nothing
    added, changed, removed = publish.publish(site_dir, dest)
    assert (added, changed, removed) == planned
    assert sorted(removed) == sorted(old)
    assert changed == ["index.html"]
    built = {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file()}
    now = {p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()}
    assert now == built | {"web.config"}
    assert not (dest / "types" / "removed-type").exists()  # no empty folder left
    assert (dest / "index.html").read_bytes() == (site_dir / "index.html").read_bytes()
    assert publish.plan(site_dir, dest) == ([], [], [])


def test_publish_refuses_a_folder_that_is_not_a_handbook(site_dir, tmp_path):
    dest = tmp_path / "share"
    dest.mkdir()
    (dest / "minutes.docx").write_bytes(b"someone's file")
    assert publish.main([str(dest), "--site", str(site_dir)]) == 1
    assert [p.name for p in dest.iterdir()] == ["minutes.docx"]
    assert publish.main([str(tmp_path / "new"), "--site", str(site_dir)]) == 0
    assert (tmp_path / "new" / "index.html").is_file()
