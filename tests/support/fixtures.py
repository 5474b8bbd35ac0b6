"""Shared fixtures: one real build of the site, one real server on 127.0.0.1, one Chromium.

The site is built once per test run. Browser tests get a fresh page (and context) each
(`page`), or, when they only look, a fresh page in one context shared by such tests
(`view`). Either way every request that would leave 127.0.0.1 is recorded and blocked,
and console errors and page errors are recorded.

Mermaid (5.5 MB) is replaced by a stand-in that never draws, unless a test is marked
`@pytest.mark.diagrams`: the diagram tests load and draw the real one.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]

from scripts.sitetools import (  # noqa: E402
    CHROMIUM_ARGS,
    build_site,
    chromium_executable,
    serve,
)
from support.browser import (  # noqa: E402
    guard_requests,
    hold_search_index,
    stand_in_for_mermaid,
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


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "diagrams: load and draw the real Mermaid (other tests get a stand-in)"
    )


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(items):
    """Run the files in their order. pytest reorders tests around session-scoped parameters
    (pytest-playwright's browser_name): it interleaves the parametrized tests of different
    files, which sets up module-scoped fixtures (the search page) again and again. Within a
    file, pytest's order stays: it groups the tests by the parameters of module-scoped
    fixtures (test_record_units: one page per time zone, not one per test)."""
    files: dict = {}
    for item in items:
        files.setdefault(item.path, len(files))
    result = yield
    items.sort(key=lambda item: files[item.path])  # stable: pytest's order within a file
    return result


def _watch(pg, outside: list[str]):
    """Record console errors and page errors on pg.errors, outside requests on
    pg.outside_requests."""
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.outside_requests = outside
    pg.errors = errors
    return pg


@pytest.fixture
def page(context, server, request):
    """A page in a fresh context (nothing stored) that records console errors and page
    errors, and blocks (and records) every request leaving 127.0.0.1."""
    outside = guard_requests(context, urlparse(server).hostname)
    hold_search_index(context)
    if request.node.get_closest_marker("diagrams") is None:
        stand_in_for_mermaid(context)
    pg = _watch(context.new_page(), outside)
    yield pg
    pg.close()


@pytest.fixture(scope="session")
def _shared_context(browser, browser_context_args, server):
    context = browser.new_context(**browser_context_args)
    outside = guard_requests(context, urlparse(server).hostname)
    stand_in_for_mermaid(context)
    hold_search_index(context)
    yield context, outside
    context.close()


@pytest.fixture(scope="session")
def _view_page(_shared_context):
    context, outside = _shared_context
    pg = _watch(context.new_page(), outside)
    pg.default_viewport = pg.viewport_size
    yield pg
    pg.close()


@pytest.fixture
def view(_view_page, _shared_context, request):
    """Like `page`, for tests that only look (no ticks, no typing, no storage, no listeners,
    routes or clocks of their own): one tab shared by all such tests, so storage is shared
    too. Each test starts from a blank tab at the default size and media, with empty error
    lists. (A new tab costs the browser about three times the CPU of a navigation: most
    of the suite's time went there.)"""
    assert request.node.get_closest_marker("diagrams") is None, "diagram tests use `page`"
    _, outside = _shared_context
    pg = _view_page
    outside.clear()
    pg.errors.clear()
    pg.set_viewport_size(pg.default_viewport)
    pg.emulate_media(media="no-override")
    yield pg
    pg.goto("about:blank")  # the next test's first goto is a real load, never a same-page one


@pytest.fixture(scope="session")
def printed(browser, browser_context_args, server):
    """print(url path) -> the page printed as a user would (A4 PDF bytes), once per run,
    from a context where nothing is ticked. Print hides diagrams (print.css): Mermaid is
    the stand-in."""
    from scripts.make_pdf import print_pdf

    context = browser.new_context(**browser_context_args)
    guard_requests(context, urlparse(server).hostname)
    stand_in_for_mermaid(context)
    pg = context.new_page()
    pdfs: dict[str, bytes] = {}

    def print_once(path: str) -> bytes:
        if path not in pdfs:
            pdfs[path] = print_pdf(pg, server + path)
        return pdfs[path]

    yield print_once
    context.close()
