"""A build draws its diagrams or stops (macros/diagrams.py, hooks.py): where no browser can
be found (here HB_CHROMIUM names a browser that is not there), a diagram without its SVG
stops `build` with a Japanese message saying what to do; `build --client-diagrams` leaves
it to the reader's browser, and each page that has such a figure says so."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from macros import diagrams
from support import ROOT
from support.project import copy_project

MISSING_BROWSER = "/nonexistent/hb-test/chromium"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy whose malware type has one step more: its flow diagram has no SVG yet."""
    project = copy_project(tmp_path_factory.mktemp("no-browser") / "project")
    malware = project / "data" / "types" / "malware.yml"
    text = malware.read_text(encoding="utf-8")
    added = "      - id: test-added-step\n        text: テスト用に足した手順。\n"
    malware.write_text(
        text.replace("  - phase: initial-response\n", added + "  - phase: initial-response\n", 1),
        encoding="utf-8",
    )
    return project


def build(project, out, *flags):
    code = (
        "import sys; from pathlib import Path; import scripts.sitetools as m; "
        f"m.ROOT = Path({str(project)!r}); sys.exit(m.main({[str(out), *flags]!r}))"
    )
    env = {**os.environ, "HB_CHROMIUM": MISSING_BROWSER, "PYTHONIOENCODING": "utf-8"}
    for name in ("HB_DIAGRAMS", "HB_CLIENT_DIAGRAMS", "HB_PDFS"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env
    )


def test_without_a_browser_the_build_stops_and_says_what_to_do(project, tmp_path):
    before = set(diagrams.cache_dir(project).glob("*.svg"))
    done = build(project, tmp_path / "site")
    log = done.stdout + done.stderr
    assert done.returncode != 0, log
    assert "図 1 件 「不正プログラムの対応の流れ」 を SVG にできませんでした" in log
    assert f"HB_CHROMIUM のブラウザ {MISSING_BROWSER} がありません" in log
    assert "ビルドを止めました" in log
    assert "python3 scripts/dev.py build --client-diagrams" in log
    assert not (tmp_path / "site" / "index.html").exists()
    assert set(diagrams.cache_dir(project).glob("*.svg")) == before


def test_with_client_diagrams_it_builds_and_each_page_using_the_fallback_warns(project, tmp_path):
    done = build(project, tmp_path / "site", "--client-diagrams")
    assert done.returncode == 0, done.stdout + done.stderr
    site = tmp_path / "site"

    def page(url):
        return (site / url / "index.html").read_text(encoding="utf-8")

    malware = page("types/malware")
    assert 'data-hb-module="diagram"' in malware  # drawn by the reader's browser
    assert malware.count("hb-client-diagrams") == 1
    assert "このページの図はビルド時に画像にできなかったため" in malware
    # The warning comes before the content, and only where the fallback is used.
    assert malware.index("hb-client-diagrams") < malware.index('data-hb-module="diagram"')
    for other in ("types/loss-theft", "contacts", "basics", "."):
        html = page(other)
        assert "hb-client-diagrams" not in html and 'data-hb-module="diagram"' not in html, other
