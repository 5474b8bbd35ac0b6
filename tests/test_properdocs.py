"""The way off MkDocs 1.6.1 (no release since 2024-08): ProperDocs, the maintained fork of
MkDocs 1.x, builds this site from the same mkdocs.yml, hooks, macros and theme with --strict,
page for page the same as MkDocs (`python3 scripts/dev.py build --properdocs`; README 公開).
Only the generator's name in <meta name="generator"> differs."""

from __future__ import annotations

import gzip
import importlib.util
import re
from pathlib import Path

import pytest

from scripts.sitetools import build_site

GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')


@pytest.fixture(scope="module", autouse=True)
def _properdocs():
    assert importlib.util.find_spec("properdocs"), (
        "ProperDocs is in requirements.txt but not in .venv: run python3 scripts/dev.py test"
    )


def normalised(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".gz":  # the gzip header holds the time it was written
        return gzip.decompress(data)
    if path.suffix == ".html":
        return GENERATOR.sub("", data.decode("utf-8")).encode("utf-8")
    return data


def differences(ours: Path, theirs: Path) -> list[str]:
    files = {p.relative_to(ours).as_posix() for p in ours.rglob("*") if p.is_file()}
    other = {p.relative_to(theirs).as_posix() for p in theirs.rglob("*") if p.is_file()}
    found = [f"only from MkDocs: {f}" for f in sorted(files - other)]
    found += [f"only from ProperDocs: {f}" for f in sorted(other - files)]
    found += [
        f"differs: {f}"
        for f in sorted(files & other)
        if normalised(ours / f) != normalised(theirs / f)
    ]
    return found


def properdocs_build(out: Path, **kwargs) -> None:
    result = build_site(out, properdocs=True, **kwargs)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "WARNING" not in log, log
    assert "should be renamed to 'properdocs.yml'" not in log, log  # mkdocs.yml is named


def test_properdocs_builds_the_same_pages_as_mkdocs(site_dir, server, tmp_path):
    properdocs_build(tmp_path / "site", site_url=server + "/")
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'content="mkdocs-ProperDocs 1.6.7' in home  # it really was ProperDocs
    assert differences(site_dir, tmp_path / "site") == []


def test_properdocs_builds_the_same_offline_edition(offline_site, tmp_path):
    properdocs_build(tmp_path / "site", offline=True)
    (tmp_path / "site" / "404.html").unlink()  # as scripts/make_offline.py does
    assert differences(offline_site, tmp_path / "site") == []
