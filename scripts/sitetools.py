"""What the scripts and the tests share: a real `mkdocs build`, a server on 127.0.0.1,
Chromium (Debian's when present, else Playwright's own), and the list of built pages.

Usage:  python scripts/dev.py build [DIR]   (in .venv: python -m scripts.sitetools [DIR])
builds the site into DIR (default site/); set SITE_URL to the address it will be served at.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def build_site(
    out: Path,
    project: Path = ROOT,
    site_url: str | None = None,
    offline: bool = False,
    check: bool = False,
    capture: bool = True,
    quiet: bool = False,
) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of project into out. site_url: the address it will be served
    at (sitemap, 404 page, printed footers); offline: the file:// edition (mkdocs.yml)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8"}
    if site_url:
        env["SITE_URL"] = site_url
    if offline:
        env["HB_OFFLINE"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(out)]
        + (["-q"] if quiet else []),
        cwd=project,
        capture_output=capture,
        text=True,
        env=env,
        check=check,
    )


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A browser closing a connection early (navigation, abort) is not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(site: Path):
    """Serve the folder (it may be filled later) on 127.0.0.1: (server, base address)."""
    httpd = _Server(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def chromium_executable() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def launch(playwright):
    exe = chromium_executable()
    kwargs = {"executable_path": exe} if exe else {}
    return playwright.chromium.launch(args=CHROMIUM_ARGS, **kwargs)


def site_pages(site: Path) -> list[str]:
    """URL paths of every built page (directory URLs), e.g. '/', '/types/malware/'."""
    pages = []
    for html in sorted(site.rglob("index.html")):
        rel = html.parent.relative_to(site).as_posix()
        pages.append("/" if rel == "." else f"/{rel}/")
    return pages


def main(argv: list[str]) -> int:
    """`dev.py build`: the same build as the tests', output shown as it comes."""
    out = Path(argv[0]).resolve() if argv else ROOT / "site"
    return build_site(out, capture=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
