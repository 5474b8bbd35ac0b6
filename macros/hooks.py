"""MkDocs hooks: load and validate data/ once per build, make one page per type, and
give the search index each page's keywords and readings (macros/search.py).

A type page exists because its YAML file exists: adding data/types/<id>.yml adds
types/<id>/ to the site and to the navigation, with no other edit.
Keywords and readings (a type's `keywords:` and `yomi:`, or the same in a page's front
matter) are indexed, normalised, in fields of their own that search results never display.
"""

from __future__ import annotations

import json
import logging
import os
import re
from html import escape
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

import macros
from macros import accessibility, bundle, diagrams, pdfs, published, render, words
from macros.data import DataError, expand_terms, load_handbook
from macros.render import component
from macros.search import rewrite_index

log = logging.getLogger("mkdocs.hooks.handbook")
TYPES_NAV_MARKER = "types/"  # the nav entry in mkdocs.yml that lists the type pages


class _Build:
    """What one build (or one `serve` rebuild) knows; replaced at each on_config."""

    def __init__(self, handbook=None, errors=()):
        self.handbook = handbook
        self.errors = list(errors)
        self.keywords: dict[str, list[str]] = {}  # page URL -> its keywords and yomi
        self.pdfs: list[str] = []  # PDF files the print page links (macros/pdfs.py)
        self.pdf_notice: str | None = None
        self.report = ""  # the data errors as build and check print them (str(DataError))
        self.bundle: bundle.Bundle | None = None  # the one script and style (macros/bundle.py)


_serving = False  # under `mkdocs serve`, data errors become a page instead of a stuck server
_build = _Build()
_last_pages: set[str] = set()  # the type pages of the last good build (error pages keep them)
SITE_URL = re.compile(r"^https?://[^\s\"'<>\\`{}|^]+/$")


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


@event_priority(100)  # before the macros plugin, whose define_env uses the handbook
def on_config(config):
    global _build
    data_dir = Path(config.config_file_path).parent / "data"
    if not SITE_URL.match(config.site_url or ""):
        # It goes into every page (sitemap, 404 page, printed footers): no quotes or tags.
        raise PluginError(
            f"SITE_URL「{config.site_url}」は使えません。http:// か https:// で始まり / で終わる"
            "アドレスを、空白・引用符・< > を含めずに指定してください"
            "（例: SITE_URL=http://intranet.example.lg.jp/handbook/）。"
        )
    joined = _bundle(config)
    try:
        handbook = load_handbook(
            data_dir,
            # Only tests/test_evil_data.py: markup must reach the templates to prove they
            # escape it; for everyone else the loader refuses it.
            allow_markup=os.environ.get("HB_ALLOW_MARKUP_FOR_TESTS") == "1",
        )
        accessibility.load_results(data_dir)  # the 試験結果's data, refused as check does
    except DataError as exc:
        macros.use(None)
        if not _serving:
            raise PluginError(str(exc)) from None
        # The terminal and every page (_error_site) say the same, word for word. INFO: a
        # warning would abort the --strict rebuild, and the error pages would never appear.
        log.info(f"{exc}\n{RECOVERS}")
        _build = _Build(errors=exc.messages)
        _build.report = str(exc)
        _build.bundle = joined
        config.nav = [{"データの誤り": "index.md"}]
        return config
    _build = _Build(handbook)
    _build.bundle = joined
    macros.use(handbook)
    # Draw the diagrams that have no cached SVG yet, in one browser (macros/diagrams.py).
    # Left to the reader's browser only when asked (build --client-diagrams) or previewing.
    allow_client = _serving or os.environ.get("HB_CLIENT_DIAGRAMS") == "1"
    try:
        diagrams.prepare(Path(config.config_file_path).parent, handbook, allow_client)
    except diagrams.DiagramError as exc:
        raise PluginError(str(exc)) from None
    # A published step gone: a warning fails a --strict build until `check --record`
    # confirms it; while serving, the same words as information.
    for message in published.warnings(data_dir, handbook):
        (log.info if _serving else log.warning)(message)
    org = handbook.organization
    # The theme's templates do not escape: everything given to them is escaped here.
    config.site_name = theme_text(org.site_name)
    config.site_description = theme_text(f"{org.site_name}（事故発見時のチェックリスト）")
    config.extra["hb_contact_line"] = component("contact_line")(handbook.primary_contact)
    # The explanation of the ＊ of the site's own words (overrides/main.html).
    config.extra["hb_own_words_note"] = component("own_words_note")()
    # What the browser keys saved records by: the stable storage_id, never a display name
    # (a new title keeps the records). scope.js adds the site's path unless the editor
    # shares one store across paths; the offline edition (file://) uses no folder at all.
    config.extra["hb_scope"] = org.storage_id
    config.extra["hb_scope_paths"] = "shared" if org.storage_shared_across_paths else "separate"
    # The title-based scope of earlier builds: scope.js offers its records for import.
    config.extra["hb_scope_legacy"] = org.site_name
    # The edition a record was started on, and the one its ticks are compared with.
    config.extra["hb_edition"] = handbook.edition.line
    config.extra["hb_print_footer"] = css_string(
        f"{handbook.primary_contact.text}　{handbook.edition.line}"
    )
    config.copyright = theme_text(f"{org.site_name} {handbook.edition.line}")
    config.nav = [_expand_types(item, handbook) for item in config.nav or []]
    config.extra["hb_offline_footer"] = ""
    if _offline(config):
        # A sheet printed from the offline edition names it, not a local file path.
        config.extra["hb_offline_footer"] = css_string(f"{org.site_name}（オフライン版）")
        # Under file://, instant navigation would stop page scripts from running.
        features = config.theme["features"]
        config.theme["features"] = [f for f in features if f != "navigation.instant"]
    return config


def _bundle(config) -> bundle.Bundle:
    """Every page loads one script and one style of the site's own (macros/bundle.py):
    overrides/main.html names the script, Material's base.html the style."""
    try:
        catalogue = words.load()  # read again each build: serve shows an edited word at once
    except ValueError as exc:
        raise PluginError(f"サイトの言葉（words.yml）の誤り:\n{exc}") from None
    render.ENV.globals["words"] = catalogue
    try:
        render.register_components()
    except ValueError as exc:
        raise PluginError(str(exc)) from None
    try:
        joined = bundle.collect(catalogue=catalogue)
    except ValueError as exc:
        raise PluginError(str(exc)) from None
    config.extra_css = [joined.css_path]
    config.extra["hb_script"] = joined.js_path
    return joined


def theme_text(text: str) -> str:
    """Text for the theme's templates, which print it unescaped: HTML-escaped, and "{" as
    a character reference, because mkdocs-macros renders nav titles as Jinja templates."""
    return escape(text).replace("{", "&#123;")


def css_string(text: str) -> str:
    """Text for a CSS string in a <style> element: no quote, backslash, angle bracket or
    newline can end the string or the element."""
    return "".join(" " if ch in '"\\<>\n\r' else ch for ch in text)


def _offline(config) -> bool:
    plugin = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(plugin and plugin.config.enabled)


def _expand_types(item, handbook):
    if isinstance(item, dict):
        ((title, value),) = item.items()
        if value == TYPES_NAV_MARKER:
            value = [
                {theme_text(f"{t.number} {t.short_title}"): f"types/{t.id}.md"}
                for t in handbook.types.values()
            ]
        elif isinstance(value, list):
            value = [_expand_types(v, handbook) for v in value]
        return {title: value}
    return item


def on_files(files, config):
    global _last_pages
    files = _bundle_files(files, config)
    if _build.errors:
        return _error_site(files, config)
    _last_pages = {f"{t.page_id}.md" for t in _build.handbook.types.values()}
    _link_pdfs(config)
    for f in list(files):
        if f.src_uri.startswith("pdf/") and f.src_uri[4:] not in _build.pdfs:
            files.remove(f)  # stale, foreign or incomplete: never published
    for incident in _build.handbook.types.values():
        meta = {"keywords": incident.keywords, "yomi": incident.yomi}
        # JSON is valid YAML: the front matter carries the search terms to on_page_context.
        content = (
            f"---\n{json.dumps(meta, ensure_ascii=False)}\n---\n"
            f'{{{{ type_page("{incident.id}") }}}}\n'
        )
        files.append(File.generated(config, f"{incident.page_id}.md", content=content))
    return files


def _bundle_files(files, config):
    """Publish the bundles (their sources are in components/, outside docs/)."""
    joined = _build.bundle
    files.append(File.generated(config, joined.js_path, content=joined.js))
    files.append(File.generated(config, joined.css_path, content=joined.css))
    return files


def _link_pdfs(config) -> None:
    """The print page links docs/pdf/ only while it matches this build (macros/pdfs.py)."""
    root = Path(config.config_file_path).parent
    policy = pdfs.required()
    # Under serve, site_url is the preview's address: SITE_URL says where it will be published.
    address = (os.environ.get("SITE_URL") or None) if _serving else config.site_url
    state = pdfs.status(root / "docs" / "pdf", root, address, list(_build.handbook.types))
    if policy == "none":  # build --no-pdf: a site that says it has no PDF
        _build.pdfs, _build.pdf_notice = [], None
    else:
        if not state.fresh and (state.present or policy == "required"):
            # The command names the address to publish at: under serve without SITE_URL,
            # the one the PDFs were made for, never the preview's.
            message = state.message((address or state.made_for) if _serving else address)
            if policy == "required":
                if not os.environ.get("SITE_URL"):
                    message += "\n  SITE_URL がありません: 公開先のアドレスに置き換えてください。"
                raise PluginError(
                    message + "\n  PDF を配らないなら、同じコマンドに --no-pdf を付けてください。"
                )
            log.info(message)
        _build.pdfs, _build.pdf_notice = state.files, state.notice
    macros.use_pdfs(_build.pdfs, _build.pdf_notice)


CLIENT_DIAGRAM = 'data-hb-module="diagram"'  # a figure left to the browser (diagram.html)
CLIENT_DIAGRAM_WARNING = (
    '<div class="admonition warning hb-client-diagrams" role="note">'
    '<p class="admonition-title">図の表示について</p>'
    "<p>このページの図はビルド時に画像にできなかったため、開くたびにブラウザで描いています"
    "（読み込みに時間がかかります）。管理者は、ブラウザのある環境でビルドし直してください"
    "（python3 scripts/dev.py build）。</p></div>\n"
)


def on_page_content(html, page, config, files):
    """A page with a figure drawn in the browser says so, first (diagrams.prepare)."""
    if CLIENT_DIAGRAM in html:
        return CLIENT_DIAGRAM_WARNING + html
    return html


def on_page_context(context, page, config, nav):
    if (page.meta.get("keywords") or page.meta.get("yomi")) and _build.handbook:
        words = expand_terms(page.meta.get("keywords", []), _build.handbook.organization.all_terms)
        _build.keywords[page.url] = [*words, *page.meta.get("yomi", [])]
    return context


def on_post_build(config):
    """Add the hidden search fields to the search index (written by the search plugin
    just before): normalised text, keywords and readings, sub-words (macros/search.py)."""
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not path.exists():
        return
    index = rewrite_index(json.loads(path.read_text(encoding="utf-8")), _build.keywords)
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


RECOVERS = "直して保存すると、開いているページは自動で元に戻ります（serve の再起動は不要です）。"


def _error_site(files, config):
    """While serving: every page lists the data errors, at its own address, so that each
    open tab shows them and comes back by itself (live reload) once the data is fixed:
    the pages of docs/, and a type page for every file of data/types/ (also when serve
    started on broken data, before any good build)."""
    # &#123; for "{": the macros plugin must not read a message as a Jinja tag.
    report = escape(_build.report).replace("{", "&#123;")
    content = (
        "---\ntitle: データの誤り\n---\n# データの誤り\n\n"
        f"{RECOVERS}\n\n"
        f'<pre class="hb-data-errors" style="white-space: pre-wrap">{report}</pre>\n'
    )
    types = Path(config.config_file_path).parent / "data" / "types"
    pages = {f.src_uri for f in files if f.is_documentation_page()} | _last_pages
    pages |= {f"types/{p.stem}.md" for p in types.glob("*.yml")}
    for f in list(files):
        if f.is_documentation_page():
            files.remove(f)
    for src in sorted(pages):
        files.append(File.generated(config, src, content=content))
    return files


def on_serve(server, config, builder):
    """mkdocs serve answers a missing page with site/404.html as it is, without its live
    reload script: a tab on such a page would never come back. With it, the tab reloads
    at the next build, and so finds its page once the data that makes it is fixed."""
    show_error = server.error_handler
    if not hasattr(server, "_inject_js_into_html"):  # another MkDocs: its own 404 handling
        return server

    def error_handler(code):
        content = show_error(code)
        if code == 404 and content is not None:
            # mkdocs' own injection (pinned MkDocs 1.6.1 and ProperDocs 1.6.7).
            content = server._inject_js_into_html(content, server._visible_epoch)
        return content

    server.error_handler = error_handler
    return server
