"""`serve` on broken data (hooks.py: _error_site, on_serve): every page, a type page opened
before any good build included, shows the errors and comes back by itself once the data
is fixed; a page already open turns into the errors by itself when its data breaks; a page
that does not exist yet (404) reloads at each rebuild, so it appears once its data does;
the terminal prints the same report as the page; fresh PDFs are linked (their freshness
judged as a build judges it, macros/pdfs.py); a component added while it runs is shown;
stopping dev.py stops mkdocs too.

One `serve` for all of it, as an editor would leave it running: each start is a full
build, so the steps follow one another in one test."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from support import ROOT
from support.project import FIXTURE_TYPE, copy_project, make_pdfs

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


def wait_for_text(url: str, pattern: str, seconds: float = 40) -> str:
    """The page at url once it says pattern (a rebuild takes a few seconds)."""
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


def test_serve_shows_data_errors_on_every_page_recovers_by_itself_and_prints_the_report(
    tmp_path, browser
):
    project = copy_project(tmp_path / "project")
    pdf_names = make_pdfs(project, PUBLISHED_AT)
    malware = project / "data" / "types" / "malware.yml"
    original = malware.read_text(encoding="utf-8")
    broken = original.replace('number: "3-5"', "number: 3-5x")
    malware.write_text(broken, "utf-8")
    port = free_port()
    # scripts/dev.py's own serve(), on the copy of the project.
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
        # Started on broken data: a type page opened now shows the report, not a 404.
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
        assert "被害にあったパソコンは念のため" in page.locator("article").inner_text()
        # Fresh PDFs (made for SITE_URL, the data as it is again) are linked, not called stale.
        page.goto(base + "/print/")
        links = page.locator("a[href$='.pdf']")
        links.first.wait_for(timeout=30_000)
        assert links.count() == len(pdf_names)
        assert page.locator(".hb-pdf-notice").count() == 0

        # Broken while a good page is open: the open tab turns into the error list by
        # itself, at its own address...
        url = f"{base}/types/malware/"
        page.goto(url)
        page.get_by_role("heading", name="3-5 不正プログラム", level=1).wait_for()
        malware.write_text(broken, "utf-8")
        page.get_by_role("heading", name="データの誤り", level=1).wait_for(timeout=40_000)
        assert page.url == url
        assert "data/types/malware.yml の 「number」" in page.locator("article").inner_text()
        # ...and so does every other page (none becomes a 404).
        for other in ("/", "/basics/", "/types/loss-theft/", "/print/"):
            assert "データの誤り" in wait_for_text(base + other, "データの誤り")
        malware.write_text(original, "utf-8")
        # Fixed: the same tab shows the page again without a reload by the user.
        page.get_by_role("heading", name="3-5 不正プログラム", level=1).wait_for(timeout=40_000)
        wait_for_text(f"{base}/basics/", "基本ステップ")

        # A page that does not exist yet: serve's 404 page, which still reloads at each
        # rebuild, so the tab shows the new type once its file is saved.
        response = page.goto(base + "/types/example/")
        assert response.status == 404
        page.wait_for_function("() => document.readyState === 'complete'")
        shutil.copy(FIXTURE_TYPE, project / "data" / "types" / "example.yml")
        page.get_by_role("heading", name="9-1 テスト用の事故の場合の対応", level=1).wait_for(
            timeout=60_000
        )

        # A new component while it runs: its folder, then one line where it is placed; the
        # open tab shows it without a restart (its macro and its word found at the rebuild).
        folder = project / "components" / "notice-box"
        folder.mkdir()
        (folder / "words.yml").write_text("heading: お知らせ\n", encoding="utf-8")
        (folder / "notice-box.html").write_text(
            '{% macro notice_box() -%}<aside class="hb-notice-box">'
            "{{ words.notice_box.heading }}</aside>{%- endmacro %}\n",
            encoding="utf-8",
        )
        template = project / "macros" / "pages" / "type-page.md"
        line = "{{ urgent(incident) }}"
        text = template.read_text(encoding="utf-8").replace(line, line + "\n\n{{ notice_box() }}")
        template.write_text(text, encoding="utf-8")
        page.locator("aside.hb-notice-box").wait_for(timeout=60_000)
        assert page.locator("aside.hb-notice-box").inner_text() == "お知らせ"
    finally:
        page.close()
        server.terminate()  # SIGTERM to dev.py's process, not to mkdocs
        server.wait(timeout=20)
    # dev.py took its mkdocs serve child with it: nothing listens on the port any more
    # (SO_REUSEADDR: closed connections may linger; a listening socket would still block).
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
