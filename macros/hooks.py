"""MkDocs hooks: load and validate data/ once per build, make one page per type, and
give the search index each page's keywords.

A type page exists because its YAML file exists: adding data/types/<id>.yml adds
types/<id>/ to the site and to the navigation, with no other edit.
Keywords (a type's `keywords:`, or `keywords:` in a page's front matter) are indexed
in a field of their own that search results never display.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

import macros
from macros.data import DataError, load_handbook
from macros.render import contact_line

TYPES_NAV_MARKER = "types/"  # the nav entry in mkdocs.yml that lists the type pages
KEYWORDS_BOOST = 1000.0


class _Build:
    """What one build (or one `serve` rebuild) knows; replaced at each on_config."""

    def __init__(self, handbook=None, errors=()):
        self.handbook = handbook
        self.errors = list(errors)
        self.keywords: dict[str, str] = {}  # page URL -> its keywords, space separated


_serving = False  # under `mkdocs serve`, data errors become a page instead of a stuck server
_build = _Build()


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


@event_priority(100)  # before the macros plugin, whose define_env uses the handbook
def on_config(config):
    global _build
    try:
        handbook = load_handbook(Path(config.config_file_path).parent / "data")
    except DataError as exc:
        macros.use(None)
        if not _serving:
            raise PluginError(str(exc)) from None
        _build = _Build(errors=exc.messages)
        config.nav = [{"データの誤り": "index.md"}]
        return config
    _build = _Build(handbook)
    macros.use(handbook)
    org = handbook.organization
    # The theme's templates do not escape: everything given to them is escaped here.
    config.site_name = theme_text(org.site_name)
    config.extra["hb_contact_line"] = contact_line(handbook.primary_contact)
    config.extra["hb_print_footer"] = css_string(
        f"{handbook.primary_contact.text}　{handbook.edition.line}"
    )
    config.copyright = theme_text(f"{org.site_name} {handbook.edition.line}")
    config.nav = [_expand_types(item, handbook) for item in config.nav or []]
    if _offline(config):
        # Under file://, instant navigation would stop page scripts from running.
        features = config.theme["features"]
        config.theme["features"] = [f for f in features if f != "navigation.instant"]
    return config


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
    if _build.errors:
        return _error_site(files, config)
    for incident in _build.handbook.types.values():
        meta = {"keywords": incident.keywords}
        # JSON is valid YAML: the front matter carries the keywords to on_page_context.
        content = (
            f"---\n{json.dumps(meta, ensure_ascii=False)}\n---\n"
            f'{{{{ type_page("{incident.id}") }}}}\n'
        )
        files.append(File.generated(config, f"{incident.page_id}.md", content=content))
    return files


def on_page_context(context, page, config, nav):
    if page.meta.get("keywords"):
        _build.keywords[page.url] = " ".join(page.meta["keywords"])
    return context


def on_post_build(config):
    """Add the keywords to the search index (written by the search plugin just before)."""
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not path.exists():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    index["config"]["fields"]["keywords"] = {"boost": KEYWORDS_BOOST}
    for doc in index["docs"]:
        if doc["location"] in _build.keywords:
            doc["keywords"] = _build.keywords[doc["location"]]
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _error_site(files, config):
    """While serving: one page that lists the data errors (the rest waits for a fix)."""
    # &#123; for "{": the macros plugin must not read a message as a Jinja tag.
    lines = "".join(
        f"<li><code>{escape(m).replace('{', '&#123;')}</code></li>" for m in _build.errors
    )
    content = (
        "---\ntitle: データの誤り\n---\n# データの誤り\n\n"
        f"data/ に {len(_build.errors)} 件の誤りがあります。直して保存すると、このページは自動で更新されます。"
        f"\n\n<ul>{lines}</ul>\n"
    )
    for f in list(files):
        if f.is_documentation_page():
            files.remove(f)
    files.append(File.generated(config, "index.md", content=content))
    return files
