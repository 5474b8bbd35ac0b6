"""The deployment (deploy/, README 公開): the build served with the headers of
deploy/headers.json by three servers — the tests' Python server (scripts/sitetools.py), and
Debian's real nginx and Apache httpd running the files in deploy/ on 127.0.0.1 — shows
every page in Chromium with no Content-Security-Policy violation and no error; gzip and
Cache-Control per type; the script hashes and the generated files match the current build.
IIS's web.config is only checked against headers.json (no IIS here).
The offline edition (file://, tests/test_offline.py) is not served and not checked here."""

from __future__ import annotations

import gzip
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse
from xml.etree import ElementTree

import pytest
from playwright.sync_api import expect

from macros import bundle
from scripts import deploy
from scripts.sitetools import precompress, serve, site_pages
from support import ROOT
from support.browser import guard_requests

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
APACHE_MODULES = Path("/usr/lib/apache2/modules")
SERVERS = ["python", "nginx", "apache"]
POLICY = deploy.load_policy()
# Records each violation the page sees (also of scripts inserted later, e.g. by instant
# navigation) through a binding, so that none is lost when the page goes.
LISTEN = """document.addEventListener("securitypolicyviolation", (e) => window.hbCsp({
  page: location.pathname, directive: e.effectiveDirective, blocked: e.blockedURI,
  source: e.sourceFile + ":" + e.lineNumber, sample: e.sample}));"""
# Everything a page does once loaded: components mounted, diagrams drawn (or failed).
SETTLED = """() => !document.querySelector("[data-hb-module]:not([data-hb-mounted])")
  && [...document.querySelectorAll("figure.hb-diagram")].every(
       (f) => f.querySelector("svg") || f.classList.contains("hb-diagram--failed"))"""


# --- the servers --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen, log: Path) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped: {log.read_text(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the server did not answer: {log.read_text(errors='replace')}")


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} not once in the sample file"
    return text.replace(old, new)


def nginx_config(tmp: Path, site: Path, port: int) -> Path:
    """deploy/nginx/handbook.conf as it is, listen, root and include pointed here; one
    process, no master (so no user to switch to), its files in tmp."""
    server = (ROOT / "deploy" / "nginx" / "handbook.conf").read_text(encoding="utf-8")
    server = replace_once(server, "listen 80;", f"listen 127.0.0.1:{port};")
    server = replace_once(server, "root /var/www/handbook;", f'root "{site}";')
    server = replace_once(
        server, "include snippets/handbook-site.conf;", f'include "{deploy.NGINX}";'
    )
    temps = "\n".join(
        f"  {name}_temp_path {tmp / name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi")
    )
    conf = tmp / "nginx.conf"
    conf.write_text(
        f"""daemon off;
master_process off;
pid {tmp / "nginx.pid"};
error_log {tmp / "error.log"} warn;
events {{ worker_connections 256; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
{temps}
  scgi_temp_path {tmp / "scgi"};
{server}
}}
""",
        encoding="utf-8",
    )
    return conf


def apache_config(tmp: Path, site: Path, port: int) -> Path:
    """deploy/apache/handbook-vhost.conf including the generated handbook.conf, pointed
    here, with only the modules they need."""
    vhost = (ROOT / "deploy" / "apache" / "handbook-vhost.conf").read_text(encoding="utf-8")
    vhost = replace_once(
        vhost, "Define HANDBOOK_DIR /var/www/handbook", f'Define HANDBOOK_DIR "{site}"'
    )
    vhost = replace_once(vhost, "<VirtualHost *:80>", f"<VirtualHost 127.0.0.1:{port}>")
    vhost = replace_once(
        vhost, "Include conf-available/handbook-site.conf", f'Include "{deploy.APACHE}"'
    )
    modules = ["mpm_event", "authz_core", "mime", "dir", "headers", "deflate", "filter"]
    loads = "\n".join(f"LoadModule {m}_module {APACHE_MODULES / f'mod_{m}.so'}" for m in modules)
    user = "User www-data\nGroup www-data\n" if os.geteuid() == 0 else ""
    conf = tmp / "httpd.conf"
    conf.write_text(
        f"""ServerRoot "{tmp}"
DefaultRuntimeDir "{tmp}"
PidFile "{tmp / "httpd.pid"}"
ErrorLog "{tmp / "error.log"}"
LogLevel warn
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
{loads}
{user}TypesConfig /etc/mime.types
StartServers 1
ThreadsPerChild 16
{vhost}
""",
        encoding="utf-8",
    )
    return conf


class Server:
    def __init__(self, kind: str, site: Path, tmp: Path):
        self.kind, self.process, self.httpd = kind, None, None
        if kind == "python":
            self.httpd, self.base = serve(site, headers=True)
            return
        binary = NGINX if kind == "nginx" else APACHE
        if not Path(binary).exists():
            package = {"nginx": "nginx", "apache": "apache2"}[kind]
            pytest.skip(f"{kind} is not installed (Debian: apt-get install {package})")
        for attempt in range(3):  # a port taken between asking and binding: another one
            port = free_port()
            work = tmp / f"{kind}-{attempt}"
            work.mkdir()
            if kind == "nginx":
                args = [binary, "-p", str(work), "-e", str(work / "error.log")]
                args += ["-c", str(nginx_config(work, site, port))]
            else:
                args = [binary, "-f", str(apache_config(work, site, port)), "-DFOREGROUND"]
            # Its own process group: stopping it stops Apache's children too.
            self.process = subprocess.Popen(args, start_new_session=True)
            try:
                wait_for(port, self.process, work / "error.log")
                self.base = f"http://127.0.0.1:{port}"
                return
            except RuntimeError:
                self.stop()
                if attempt == 2:
                    raise

    def stop(self):
        if self.httpd:
            self.httpd.shutdown()
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture(scope="module")
def deployed(site_dir):
    """The build, copied as an administrator would (`build --gzip`), into a folder every
    server can read (Apache reads it as www-data)."""
    folder = Path(tempfile.mkdtemp(prefix="hb-deploy-"))
    folder.chmod(0o755)
    site = folder / "site"
    shutil.copytree(site_dir, site)
    for path in [site, *site.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    precompress(site)
    yield site
    shutil.rmtree(folder)


@pytest.fixture(scope="module")
def servers(deployed, tmp_path_factory):
    """kind -> a running server (started when first asked for, stopped at the end)."""
    running: dict[str, Server] = {}
    tmp = tmp_path_factory.mktemp("servers")

    def get(kind: str) -> Server:
        if kind not in running:
            running[kind] = Server(kind, deployed, tmp)
        return running[kind]

    yield get
    for server in running.values():
        server.stop()


def fetch(base: str, path: str, **headers) -> http.client.HTTPResponse:
    url = urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


# --- the policy and the files made from it (no server) ------------------------------------


def test_csp_script_hashes_are_those_of_the_current_build(site_dir):
    built = set(deploy.inline_scripts(site_dir))
    listed = {h["sha256"] for h in POLICY["inline_script_hashes"]}
    assert listed == built, (
        "The inline scripts of the pages changed: run `python3 scripts/dev.py build --deploy` "
        f"and commit deploy/. Not in headers.json: {built - listed}; no longer built: "
        f"{listed - built}"
    )


def test_every_inline_script_is_materials(site_dir):
    # Ours live in files (assets/javascripts/theme/search-worker-config.js): a new inline script
    # of ours would need a hash too. Material's: its helpers and its tabbed-content fix.
    for script in deploy.inline_scripts(site_dir).values():
        assert script.startswith(("__md_scope=new URL(", "var target=document.getElementById")), (
            script[:200]
        )


def test_no_page_has_inline_event_handlers_or_javascript_urls(site_dir):
    # Hashes cannot allow them ('unsafe-hashes' would be needed).
    for page in site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), page
        assert "javascript:" not in html, page


def test_server_files_are_generated_from_headers_json_and_the_build(site_dir):
    stale = deploy.stale(site_dir)
    assert stale == [], f"run `python3 scripts/dev.py build --deploy`: {stale} out of date"


def test_iis_web_config_sends_the_same_headers(site_dir):
    root = ElementTree.parse(deploy.IIS).getroot()
    added = {
        e.get("name"): e.get("value")
        for e in root.findall("system.webServer/httpProtocol/customHeaders/add")
    }
    assert added == deploy.response_headers(POLICY)
    cache = root.find("system.webServer/staticContent/clientCache")
    assert cache.get("cacheControlMode") == "DisableCache"  # Cache-Control: no-cache
    assert POLICY["cache_control"]["other"] == "no-cache"
    kept = {
        loc.get("path"): loc.find("system.webServer/staticContent/clientCache")
        for loc in root.findall("location")
    }
    assert sorted(kept) == deploy.fingerprinted_files(site_dir, POLICY)
    assert {"assets/javascripts/bundle", "assets/stylesheets/main", "assets/hb"} <= {
        re.sub(r"\.[0-9a-f]{8}\..*", "", p) for p in kept
    }
    # The folder kept a year as a whole holds only files named by their content.
    assert deploy.BUNDLE_FOLDER == bundle.FOLDER
    ours = sorted(p.name for p in (site_dir / bundle.FOLDER).iterdir() if p.suffix != ".gz")
    # one of each (sorted by kind: the names sort by their content hashes)
    assert sorted(n.rsplit(".", 1)[1] for n in ours) == ["css", "js"], ours
    assert all(re.search(POLICY["fingerprinted"], n) for n in ours), ours
    for element in kept.values():
        assert element.get("cacheControlMaxAge") == "365.00:00:00"
        assert element.get("cacheControlCustom") == "public, immutable"


def test_build_gzip_writes_each_compressible_file_once_more_compressed(site_dir, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(site_dir, site)
    written = precompress(site)
    again = {p: p.read_bytes() for p in written}
    assert precompress(site) == written  # the same files, byte for byte
    assert all(p.read_bytes() == b for p, b in again.items())
    names = {p.relative_to(site).as_posix() for p in written}
    for needed in ("index.html.gz", "search/search_index.json.gz", "404.html.gz"):
        assert needed in names
    assert any(
        re.fullmatch(r"assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js\.gz", n) for n in names
    )
    assert any(
        re.fullmatch(r"assets/stylesheets/main\.[0-9a-f]{8}\.min\.css\.gz", n) for n in names
    )
    for packed in written:
        source = packed.with_name(packed.name[:-3])
        assert gzip.decompress(packed.read_bytes()) == source.read_bytes(), packed
        assert packed.stat().st_size < source.stat().st_size
    assert not list(site.rglob("*.png.gz")) and not list(site.rglob("*.gz.gz"))


# --- served: headers, gzip, cache ---------------------------------------------------------


def material_file(site: Path, pattern: str) -> str:
    (found,) = [p for p in site.rglob("*") if re.fullmatch(pattern, p.relative_to(site).as_posix())]
    return "/" + found.relative_to(site).as_posix()


@pytest.mark.parametrize("kind", SERVERS)
def test_headers_gzip_and_cache_by_type(servers, deployed, kind):
    base = servers(kind).base
    fingerprinted = POLICY["cache_control"]["fingerprinted"]
    other = POLICY["cache_control"]["other"]
    cases = {  # path -> (Content-Type starts with, Cache-Control)
        "/": ("text/html", other),
        "/types/malware/": ("text/html", other),
        "/search/search_index.json": ("application/json", other),
        "/assets/javascripts/workers/hb-search.js": ("", other),  # text/ or application/javascript
        # The site's one script and style (macros/bundle.py): named by their content.
        material_file(deployed, r"assets/hb/hb\.[0-9a-f]{8}\.min\.js"): (
            "",
            fingerprinted,
        ),
        material_file(deployed, r"assets/hb/hb\.[0-9a-f]{8}\.min\.css"): (
            "text/css",
            fingerprinted,
        ),
        material_file(deployed, r"assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js"): (
            "",
            fingerprinted,
        ),
        material_file(deployed, r"assets/javascripts/workers/search\.[0-9a-f]{8}\.min\.js"): (
            "",
            fingerprinted,
        ),
        material_file(deployed, r"assets/stylesheets/main\.[0-9a-f]{8}\.min\.css"): (
            "text/css",
            fingerprinted,
        ),
    }
    expected = deploy.response_headers(POLICY)
    for path, (ctype, cache) in cases.items():
        file = deployed / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))
        plain = fetch(base, path)
        packed = fetch(base, path, **{"Accept-Encoding": "gzip, deflate"})
        for response in (plain, packed):
            assert response.status == 200, (kind, path)
            assert response.getheader("Content-Type").startswith(ctype), (kind, path)
            if path.endswith(".js"):
                assert "javascript" in response.getheader("Content-Type"), (kind, path)
            assert response.getheader("Cache-Control") == cache, (kind, path)
            for name, value in expected.items():
                assert response.getheader(name) == value, (kind, path, name)
        assert plain.getheader("Content-Encoding") is None, (kind, path)
        assert plain.body == file.read_bytes(), (kind, path)
        assert packed.getheader("Content-Encoding") == "gzip", (kind, path)
        assert "Accept-Encoding" in (packed.getheader("Vary") or ""), (kind, path)
        assert gzip.decompress(packed.body) == file.read_bytes(), (kind, path)
        if kind in ("python", "nginx"):  # gzip_static: the .gz of `build --gzip` as it is
            gz = file.with_name(file.name + ".gz")
            assert packed.body == gz.read_bytes(), (kind, path)
    # Revalidation (no-cache) costs a 304 without a body.
    first = fetch(base, "/", **{"Accept-Encoding": "gzip"})
    validators = {"If-Modified-Since": first.getheader("Last-Modified")}
    if first.getheader("ETag"):
        validators["If-None-Match"] = first.getheader("ETag")
    again = fetch(base, "/", **{"Accept-Encoding": "gzip"}, **validators)
    assert again.status == 304 and again.body == b"", (kind, again.status)
    # A missing page: the site's 404 page, with the same security headers.
    missing = fetch(base, "/no-such-page/")
    assert missing.status == 404
    assert missing.body == (deployed / "404.html").read_bytes()
    for name, value in expected.items():
        assert missing.getheader(name) == value, (kind, name)


@pytest.mark.parametrize("kind", SERVERS)
def test_trace_and_other_methods_are_refused_without_echo(servers, kind):
    # TRACE would send the request back, cookies and headers included (Apache's default
    # does): every server refuses it, and whatever it answers echoes nothing.
    url = urlparse(servers(kind).base)
    secret = "hb-secret-cookie-value"
    for method in ("TRACE", "TRACK", "POST", "PUT", "DELETE"):
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        conn.request(method, "/", headers={"Cookie": f"session={secret}"})
        response = conn.getresponse()
        body = response.read()
        conn.close()
        assert response.status in (403, 405, 501), (kind, method, response.status)
        assert secret.encode() not in body, (kind, method)
    assert fetch(servers(kind).base, "/").status == 200  # GET still answers


def test_iis_web_config_allows_only_get_and_head(site_dir):
    root = ElementTree.parse(deploy.IIS).getroot()
    verbs = root.find("system.webServer/security/requestFiltering/verbs")
    assert verbs.get("allowUnlisted") == "false"  # TRACE, TRACK and the rest: refused
    allowed = {v.get("verb") for v in verbs.findall("add") if v.get("allowed") == "true"}
    assert allowed == set(deploy.methods(POLICY)) == {"GET", "HEAD"}


# --- served: every page in Chromium -------------------------------------------------------


@pytest.fixture
def csp_page(browser, browser_context_args, request):
    """A page in a fresh context that records CSP violations (pg.violations), console
    errors and page errors (pg.errors), and blocks every request leaving 127.0.0.1.
    The real Mermaid: what it does to the page is part of what the policy must allow."""
    context = browser.new_context(**browser_context_args)
    violations: list[dict] = []
    errors: list[str] = []
    context.expose_binding("hbCsp", lambda source, v: violations.append(v))
    context.add_init_script(LISTEN)
    outside = guard_requests(context, "127.0.0.1")
    pg = context.new_page()
    pg.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.violations, pg.errors, pg.outside_requests = violations, errors, outside
    yield pg
    context.close()


def sitemap_for(page, base: str) -> None:
    """Material's instant navigation follows only the addresses of sitemap.xml, which name
    the build's server: name this one instead (the tests' build has no other address)."""

    def rewrite(route):
        response = route.fetch()
        text = re.sub(r"http://127\.0\.0\.1:\d+/", base + "/", response.text())
        route.fulfill(response=response, body=text)

    page.route(base + "/sitemap.xml", rewrite)


@pytest.mark.parametrize("kind", SERVERS)
def test_every_page_runs_under_the_csp_with_no_violation_or_error(
    servers, deployed, csp_page, kind
):
    base = servers(kind).base
    page = csp_page
    pages = site_pages(deployed)
    assert len(pages) > 10
    policy = deploy.content_security_policy(POLICY)
    # Every page gets the policy from every server. The pages then run in the browser:
    # all of them from the python server, one per folder depth (the inline scripts allowed
    # differ by depth) from nginx and Apache, whose headers are the same (asserted here).
    for url in pages:
        connection = http.client.HTTPConnection(urlparse(base).netloc)
        connection.request("GET", url)
        response = connection.getresponse()
        assert response.status == 200, url
        assert response.getheader("Content-Security-Policy") == policy, url
        connection.close()
    if kind != "python":
        depths = {url.count("/"): url for url in reversed(pages)}
        pages = sorted(depths.values())
    for url in pages:
        response = page.goto(base + url)
        assert response.status == 200, url
        assert response.headers["content-security-policy"] == policy
        page.wait_for_function(SETTLED)
        expect(page.locator("figure.hb-diagram.hb-diagram--failed")).to_have_count(0)
    # Search: Material's worker wrapped by ours (worker-src), the index (connect-src).
    sitemap_for(page, base)
    page.goto(base + "/")
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("USB")
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=30000)
    page.keyboard.press("Escape")
    # Instant navigation: the next page fetched and its scripts run again, in this document.
    page.evaluate("window.hbSameDocument = true")
    page.locator("a.hb-choice[data-type-id='malware']").click()
    expect(page).to_have_url(re.compile(r"/types/malware/$"))
    expect(page.locator("[data-hb-module=record]")).to_have_attribute(
        "data-hb-page", "types/malware"
    )
    page.wait_for_function(SETTLED)
    assert page.evaluate("window.hbSameDocument") is True
    # The 404 page (its own inline script: the site's root by address, not relatively).
    response = page.goto(base + "/no-such-page/")
    assert response.status == 404
    page.wait_for_function("() => typeof window.__md_get === 'function'")
    expect(page.locator("h1")).to_have_text("404 - Not found")
    errors = [e for e in page.errors if "status of 404" not in e]
    assert page.violations == [], page.violations
    assert errors == [], errors
    assert page.outside_requests == [], page.outside_requests
