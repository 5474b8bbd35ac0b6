"""One script and one style per page: the site's own files joined at build time.

The sources stay as they are in docs/assets/ (edit them there; mkdocs.yml lists them, in
order, under extra_javascript and extra_css). Each build joins them into
assets/hb/hb.<hash>.min.js and assets/hb/hb.<hash>.min.css, named by a
hash of their content: deploy/headers.json's "fingerprinted" pattern gives them the year-long
immutable cache it gives Material's own files, and a new version is a new name.
The bundles' folder is as deep as the sources', so the addresses the scripts compute from
their own (storage.js: the site's root, diagram.js: ../vendor/mermaid/) still hold.

The script is loaded by overrides/main.html before Material's bundle, as the theme's scripts
(theme/: the search worker's address, the search index, same-page links) must patch what
Material reads at its start; hb.js waits for Material's document$ (DOMContentLoaded).
Not bundled: vendor/ (loaded on demand, or before everything as a polyfill) and workers/
(a Web Worker is its own file).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import rcssmin
import rjsmin

# Scripts of the theme's templates: run before Material's bundle, in this order.
THEME_SCRIPTS = (
    "assets/javascripts/theme/search-worker-config.js",
    "assets/javascripts/theme/search-index-on-demand.js",
    "assets/javascripts/theme/same-page-links.js",
)
# A folder of their own, as deep as assets/javascripts/: IIS (deploy/iis/web.config) gives
# the folder the long cache, so a new bundle name never changes the server's settings.
FOLDER = "assets/hb"
JS_DIR = CSS_DIR = FOLDER


@dataclass(frozen=True)
class Bundle:
    sources: tuple[str, ...]  # docs/-relative paths of every file joined
    js: str  # the joined script's text
    css: str
    js_path: str  # docs/-relative: assets/hb/hb.<hash>.min.js
    css_path: str


def _path(entry) -> str:
    # MkDocs 1.6 gives extra_javascript entries as ExtraScriptValue (with .path) or str.
    return str(getattr(entry, "path", entry))


def join(docs_dir: Path, paths: list[str], kind: str) -> str:
    """The files' texts, minified (rjsmin and rcssmin only drop comments and spaces: no
    name is changed), each introduced by its name and ended so that a file without its last
    ';' cannot run into the next one."""
    parts = []
    for path in paths:
        text = (docs_dir / path).read_text(encoding="utf-8")
        if kind == "js":
            parts.append(f"/* {path} */\n{rjsmin.jsmin(text)};\n")
        else:
            parts.append(f"/* {path} */\n{rcssmin.cssmin(text)}\n")
    return "".join(parts)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def collect(docs_dir: Path, extra_javascript, extra_css) -> Bundle:
    scripts = [*THEME_SCRIPTS, *(_path(s) for s in extra_javascript)]
    styles = [_path(s) for s in extra_css]
    for path in scripts + styles:
        if "://" in path or path.startswith(("assets/vendor/", "assets/javascripts/workers/")):
            raise ValueError(f"{path}: only the site's own page files are bundled")
    js = join(docs_dir, scripts, "js")
    css = join(docs_dir, styles, "css")
    return Bundle(
        sources=tuple(scripts + styles),
        js=js,
        css=css,
        js_path=f"{JS_DIR}/hb.{digest(js)}.min.js",
        css_path=f"{CSS_DIR}/hb.{digest(css)}.min.css",
    )
