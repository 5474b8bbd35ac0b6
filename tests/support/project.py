"""A copy of the project to build in a temporary folder, and stand-in PDFs for it."""

import shutil
from pathlib import Path

from macros import pdfs
from macros.data import load_handbook
from support import ROOT

PROJECT_PARTS = ["mkdocs.yml", "docs", "data", "macros", "overrides", "components"]


FIXTURE_TYPE = ROOT / "tests" / "fixtures" / "data" / "types" / "example.yml"


def copy_project(target: Path) -> Path:
    """The project's parts, without PDFs made here by `dev.py pdf` (docs/pdf/): a copy makes
    its own (make_pdfs) or has none, as a fresh clone."""
    target.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "pdf")
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=ignore)
        else:
            shutil.copy(source, target / part)
    return target


MADE_FOR = "http://intra.example.lg.jp/handbook"  # as an editor types it: no final "/"


def make_pdfs(project: Path, site_url: str = MADE_FOR) -> list[str]:
    """Stand-in PDFs and their manifest, as `dev.py pdf` leaves them in docs/pdf/."""
    handbook = load_handbook(project / "data")
    names = pdfs.expected_files(handbook.types)
    folder = project / "docs" / "pdf"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name in names:
        (folder / name).write_bytes(b"%PDF-1.4 stand-in " + name.encode())
    manifest = pdfs.manifest_for(project, site_url, handbook.edition.line, folder, names)
    pdfs.write_manifest(folder, manifest)
    return names
