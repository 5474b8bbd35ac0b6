"""Shared fixtures: one real build of the site, one real server on 127.0.0.1, one Chromium.

The site is built once per test run; browser tests get a fresh page (and context) each,
with every request that would leave 127.0.0.1 recorded and blocked.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent

from scripts.sitetools import (  # noqa: E402
    CHROMIUM_ARGS,
    build_site,
    chromium_executable,
    serve,
    site_pages,  # noqa: F401 (the test modules import it from here)
)


@pytest.fixture(scope="session")
def _httpd(tmp_path_factory):
    """A server on 127.0.0.1, bound before the build: the build needs its address."""
    root = tmp_path_factory.mktemp("site")
    httpd, base = serve(root)
    yield root, base
    httpd.shutdown()


@pytest.fixture(scope="session")
def build(_httpd):
    root, url = _httpd
    # Material's instant navigation only follows links listed in sitemap.xml, whose
    # addresses come from site_url (its port must be the server's).
    result = build_site(root, site_url=url + "/")
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
    exe = chromium_executable()
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
