"""Shared fixtures: one real build of the site, one real server on 127.0.0.1, one Chromium.

The site is built once per test run; browser tests get a fresh page (and context) each,
with every request that would leave 127.0.0.1 recorded and blocked.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def build_site(
    project: Path, out: Path, site_url: str | None = None
) -> subprocess.CompletedProcess:
    """Run a real, strict `mkdocs build` of the project in `project` into `out`."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8"}
    if site_url:
        env["SITE_URL"] = site_url
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A browser closing a connection early (navigation, abort) is not a test failure.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def _httpd(tmp_path_factory):
    """A server on 127.0.0.1, bound before the build: the build needs its address."""
    root = tmp_path_factory.mktemp("site")
    httpd = _Server(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def build(_httpd):
    root, url = _httpd
    # Material's instant navigation only follows links listed in sitemap.xml, whose
    # addresses come from site_url (its port must be the server's).
    result = build_site(ROOT, root, site_url=url + "/")
    assert result.returncode == 0, result.stdout + result.stderr
    return root, result


@pytest.fixture(scope="session")
def site_dir(build) -> Path:
    return build[0]


@pytest.fixture(scope="session")
def server(_httpd, build) -> str:
    return _httpd[1]


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory) -> Path:
    """The offline edition's zip, built and unzipped as a user would: its folder."""
    from scripts.make_offline import FOLDER, build_offline

    tmp = tmp_path_factory.mktemp("offline")
    archive = build_offline(tmp / "handbook-offline.zip")
    with zipfile.ZipFile(archive) as z:
        z.extractall(tmp / "unzipped")
    return tmp / "unzipped" / FOLDER


@pytest.fixture(scope="session")
def base_url(server):
    return server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium when present; otherwise Playwright's own browser."""
    args = dict(browser_type_launch_args)
    args["args"] = [*args.get("args", []), *CHROMIUM_ARGS]
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe:
        args["executable_path"] = exe
    return args


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Pages as staff see them: Japanese, Japan's time zone (times of ticks and notes)."""
    return {**browser_context_args, "timezone_id": "Asia/Tokyo", "locale": "ja-JP"}


@pytest.fixture
def page(context, server):
    """A page that records console errors and page errors, and blocks (and records)
    every request leaving 127.0.0.1."""
    local = urlparse(server).hostname
    outside: list[str] = []
    errors: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlparse(url).hostname == local:
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    pg.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.outside_requests = outside
    pg.errors = errors
    yield pg
    pg.close()


def site_pages(site_dir: Path) -> list[str]:
    """URL paths of every built HTML page (directory URLs), e.g. '/', 'types/malware/'."""
    pages = []
    for html in sorted(site_dir.rglob("index.html")):
        rel = html.parent.relative_to(site_dir).as_posix()
        pages.append("/" if rel == "." else f"/{rel}/")
    return pages
