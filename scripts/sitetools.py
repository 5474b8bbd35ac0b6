"""What the scripts and the tests share: a real `mkdocs build`, a server on 127.0.0.1
(plain, or with the deployment's headers and gzip), Chromium (Debian's when present, else
Playwright's own), and the list of built pages.

Usage:  python scripts/dev.py build [DIR] [--gzip] [--properdocs] [--deploy]
                                   [--no-pdf] [--client-diagrams]
        (in .venv: python -m scripts.sitetools [DIR] [...])
builds the site into DIR (default site/); set SITE_URL to the address it will be served at.
  --gzip        also write a .gz beside each HTML, CSS, JS, JSON, XML, SVG and text file
                (nginx's gzip_static sends them as they are; see deploy/)
  --properdocs  build with ProperDocs (the maintained fork of MkDocs 1.x) instead of MkDocs
  --deploy      then rewrite deploy/ (server settings, script hashes) from this build
With --gzip or --deploy (a build to publish), the PDFs of docs/pdf/ must match this build
(python3 scripts/dev.py pdf with the same SITE_URL), or the build stops (macros/pdfs.py):
  --no-pdf      publish no PDF (the print page links none)
A diagram without its SVG is drawn with Chromium (macros/diagrams.py); without one, the
build stops, unless
  --client-diagrams  leave those diagrams to the reader's browser (Mermaid, 5.5 MB), with a
                     warning on each page that has one
"""

from __future__ import annotations

import email.utils
import functools
import gzip
import http.server
import io
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
    properdocs: bool = False,
    pdfs: str = "",
    client_diagrams: bool = False,
) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of project into out. site_url: the address it will be served
    at (sitemap, 404 page, printed footers); offline: the file:// edition (mkdocs.yml);
    properdocs: `properdocs build` instead (same mkdocs.yml, named: ProperDocs would look
    for properdocs.yml first and warns when it falls back to mkdocs.yml).
    pdfs: HB_PDFS ("required": stop unless docs/pdf/ matches; "none": link no PDF);
    client_diagrams: diagrams without an SVG may be left to the browser (HB_CLIENT_DIAGRAMS)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8"}
    if pdfs:
        env["HB_PDFS"] = pdfs
    if client_diagrams:
        env["HB_CLIENT_DIAGRAMS"] = "1"
    if site_url:
        env["SITE_URL"] = site_url
    if offline:
        env["HB_OFFLINE"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "properdocs" if properdocs else "mkdocs", "build"]
        + (["-f", "mkdocs.yml"] if properdocs else [])
        + ["--strict", "--clean", "-d", str(out)]
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


class _DeployHandler(_QuietHandler):
    """The deployment's headers (deploy/headers.json, as the nginx, Apache and IIS files in
    deploy/ send them): the security headers on every response, Cache-Control by file,
    gzip when asked (the .gz beside a file if there is one, as nginx's gzip_static; else
    compressed on the fly), Last-Modified with 304 answers, and the site's 404 page."""

    policy: dict = {}

    def end_headers(self):
        from scripts.deploy import response_headers

        for name, value in response_headers(self.policy).items():
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = self._send_file(page, 404, "/404.html")
        if body is not None:
            self.copyfile(body, self.wfile)

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's address
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return None
        url_path = path.relative_to(Path(self.directory).resolve()).as_posix()
        return self._send_file(path, 200, "/" + url_path)

    def _send_file(self, path: Path, status: int, url_path: str):
        from scripts.deploy import cache_control

        stat = path.stat()
        since = self.headers.get("If-Modified-Since")
        if status == 200 and since:
            try:
                if int(stat.st_mtime) <= email.utils.parsedate_to_datetime(since).timestamp():
                    self.send_response(304)
                    self.send_header("Cache-Control", cache_control(self.policy, url_path))
                    self.end_headers()
                    return None
            except (TypeError, ValueError):
                pass
        ctype = self.guess_type(str(path))
        body = path.read_bytes()
        rules = self.policy["gzip"]
        compressible = ctype in rules["types"]
        encoding = None
        if compressible and len(body) >= rules["min_length"] and self._accepts_gzip():
            packed = path.with_name(path.name + ".gz")
            body = packed.read_bytes() if packed.is_file() else gzip.compress(body, 6)
            encoding = "gzip"
        self.send_response(status)
        charset = "; charset=utf-8" if compressible else ""
        self.send_header("Content-Type", ctype + charset)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.send_header("Cache-Control", cache_control(self.policy, url_path))
        if compressible:
            self.send_header("Vary", "Accept-Encoding")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.end_headers()
        if self.command == "HEAD":
            return None
        return io.BytesIO(body)

    def _accepts_gzip(self) -> bool:
        for part in self.headers.get("Accept-Encoding", "").split(","):
            name, _, params = part.strip().partition(";")
            if name.strip().lower() in ("gzip", "*"):
                return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
        return False


def serve(site: Path, headers: bool = False):
    """Serve the folder (it may be filled later) on 127.0.0.1: (server, base address).
    headers: send what the deployment sends (deploy/headers.json, _DeployHandler)."""
    handler = _QuietHandler
    if headers:
        from scripts.deploy import load_policy

        handler = type("DeployHandler", (_DeployHandler,), {"policy": load_policy()})
    httpd = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def precompress(site: Path) -> list[Path]:
    """Write a .gz beside each file that servers compress (deploy/headers.json: gzip), where
    it is smaller: the same bytes every time (no name or time inside), for nginx's
    gzip_static. Returns the .gz files written."""
    from scripts.deploy import load_policy

    rules = load_policy()["gzip"]
    written = []
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix not in rules["extensions"]:
            continue
        data = path.read_bytes()
        packed = gzip.compress(data, compresslevel=9, mtime=0)
        target = path.with_name(path.name + ".gz")
        if len(data) < rules["min_length"] or len(packed) >= len(data):
            target.unlink(missing_ok=True)
            continue
        target.write_bytes(packed)
        stat = path.stat()
        os.utime(target, (stat.st_atime, stat.st_mtime))
        written.append(target)
    return written


def chromium_executable(headless_shell: bool = True) -> str | None:
    """Debian's Chromium. headless_shell: its headless-only build (package
    chromium-headless-shell: the same engine and version, the browser Playwright itself
    runs headless) where installed: a page costs it less than half the CPU of the full
    browser, which is most of the test suite's time. Lighthouse wants the full one.
    HB_CHROMIUM: this browser instead (as for the build's diagrams, macros/diagrams.py)."""
    if os.environ.get("HB_CHROMIUM", "").strip():
        return os.environ["HB_CHROMIUM"].strip()
    shell = shutil.which("chromium-headless-shell") if headless_shell else None
    return shell or shutil.which("chromium") or shutil.which("chromium-browser")


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
    options = {"--gzip", "--properdocs", "--deploy", "--no-pdf", "--client-diagrams"}
    flags = {a for a in argv if a in options}
    unknown = [a for a in argv if a.startswith("-") and a not in options]
    paths = [a for a in argv if not a.startswith("-")]
    if unknown or len(paths) > 1:
        print(__doc__)
        return 2
    out = Path(paths[0]).resolve() if paths else ROOT / "site"
    publish = bool(flags & {"--gzip", "--deploy"})
    code = build_site(
        out,
        ROOT,
        capture=False,
        properdocs="--properdocs" in flags,
        pdfs="none" if "--no-pdf" in flags else "required" if publish else "",
        client_diagrams="--client-diagrams" in flags,
    ).returncode
    if code:
        return code
    if "--gzip" in flags:
        print(f"wrote {len(precompress(out))} .gz files beside the files in {out}")
    if "--deploy" in flags:
        from scripts.deploy import main as deploy

        code = deploy([str(out)])
    if publish and not code:
        # Copying over the server's folder would leave what this build no longer has.
        print(f"公開するには: python3 scripts/dev.py publish 公開先のフォルダ --site {out}")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
