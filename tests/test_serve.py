"""`serve` on broken data (hooks.py: _error_site, on_serve): every page, a type page opened
before any good build included, shows the errors and comes back by itself once the data
is fixed; a page that does not exist yet (404) reloads at each rebuild, so it appears once
its data does; the terminal prints the same report as the page; fresh PDFs are linked
(their freshness judged as a build judges it, macros/pdfs.py)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from support.project import FIXTURE_TYPE, copy_project, make_pdfs

from conftest import ROOT

PUBLISHED_AT = "http://intra.example.lg.jp/"  # SITE_URL of `pdf` and of serve (its path: /)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_server(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except urllib.error.HTTPError:
            return  # it answers (a 404 is an answer)
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} never answered")


def test_serve_started_on_broken_data_recovers_every_page_and_prints_the_report(tmp_path, browser):
    project = copy_project(tmp_path / "project")
    pdf_names = make_pdfs(project, PUBLISHED_AT)
    malware = project / "data" / "types" / "malware.yml"
    original = malware.read_text(encoding="utf-8")
    malware.write_text(original.replace('number: "3-5"', "number: 3-5x"), "utf-8")
    port = free_port()
    code = (
        "from pathlib import Path; import scripts.dev as dev; "
        f"dev.ROOT = Path({str(project)!r}); dev.serve('127.0.0.1:{port}')"
    )
    terminal = tmp_path / "terminal.txt"
    env = {**os.environ, "SITE_URL": PUBLISHED_AT, "PYTHONIOENCODING": "utf-8"}
    for name in ("HB_PDFS", "HB_CLIENT_DIAGRAMS"):
        env.pop(name, None)
    # The new type's diagram is left to the browser (serve allows it): no Chromium to start.
    env["HB_DIAGRAMS"] = "cache"
    with terminal.open("w", encoding="utf-8") as out:
        server = subprocess.Popen(
            [sys.executable, "-c", code], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env
        )
    base = f"http://127.0.0.1:{port}"
    page = browser.new_page()
    try:
        wait_for_server(base + "/")
        # A type page opened while the data is broken: the report, not a 404.
        response = page.goto(base + "/types/malware/")
        assert response.status == 200
        page.get_by_role("heading", name="データの誤り", level=1).wait_for(timeout=60_000)
        report = page.locator("pre.hb-data-errors").inner_text()
        assert "data/types/malware.yml の 「number」" in report
        # The terminal says the same, word for word.
        log = terminal.read_text(encoding="utf-8")
        assert report.strip() in log, (report, log[-3000:])
        # Fixed: the same tab shows its page again, by itself.
        malware.write_text(original, "utf-8")
        page.get_by_role("heading", name="3-5 不正プログラム", level=1).wait_for(timeout=60_000)
        # Fresh PDFs (made for SITE_URL, the data as it is again) are linked, not called stale.
        page.goto(base + "/print/")
        links = page.locator("a[href$='.pdf']")
        links.first.wait_for(timeout=30_000)
        assert links.count() == len(pdf_names)
        assert page.locator(".hb-pdf-notice").count() == 0
        # A page that does not exist yet: serve's 404 page, which still reloads at each
        # rebuild, so the tab shows the new type once its file is saved.
        response = page.goto(base + "/types/example/")
        assert response.status == 404
        page.wait_for_function("() => document.readyState === 'complete'")
        shutil.copy(FIXTURE_TYPE, project / "data" / "types" / "example.yml")
        page.get_by_role("heading", name="9-1 テスト用の事故の場合の対応", level=1).wait_for(
            timeout=60_000
        )
    finally:
        page.close()
        server.terminate()
        server.wait(timeout=20)
