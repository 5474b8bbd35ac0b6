"""One script and one style per page: every component's files joined at build time.

A component is a folder components/<name>/ (components/README.md). The build takes every
*.js and *.css file of every folder, so a new component needs no list to be edited: its
folder is enough. Each build joins them into assets/hb/hb.<hash>.min.js and
assets/hb/hb.<hash>.min.css, named by a hash of their content: deploy/headers.json's
"fingerprinted" pattern gives them the year-long immutable cache it gives Material's own
files, and a new version is a new name. The bundles' folder is as deep as assets/javascripts/,
so the addresses the scripts compute from their own (storage.js: the site's root,
diagram.js: ../vendor/mermaid/) hold.

Order. Scripts: theme/ first, in THEME_SCRIPTS' order (they patch what Material reads at its
start; overrides/main.html loads the bundle before Material's), then hb/hb.js (the registry),
then the rest by folder and name: they only register a component or a shared module and meet
when hb.js mounts the page, so their order does not matter (tests/test_components.py runs
them reversed). Styles: hb/hb.css (page-wide) first, then each component's (screen and
print rules together) by folder, then hb/print.css, the page-wide rules for paper, last.
Not bundled: docs/assets/vendor/ (loaded on demand, or before everything as a polyfill) and
docs/assets/javascripts/workers/ (a Web Worker is its own file).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import rcssmin
import rjsmin

from . import words

COMPONENTS = Path(__file__).resolve().parent.parent / "components"
# Scripts of the theme's templates: run before Material's bundle, in this order.
THEME_SCRIPTS = (
    "theme/search-worker-config.js",
    "theme/search-index-on-demand.js",
    "theme/same-page-links.js",
)
FIRST_SCRIPT = "hb/hb.js"
FIRST_STYLE = "hb/hb.css"
LAST_STYLE = "hb/print.css"
# A folder of their own, as deep as assets/javascripts/: IIS (deploy/iis/web.config) gives
# the folder the long cache, so a new bundle name never changes the server's settings.
FOLDER = "assets/hb"


@dataclass(frozen=True)
class Bundle:
    sources: tuple[str, ...]  # components/-relative paths of every file joined, in order
    js: str  # the joined script's text
    css: str
    js_path: str  # site-relative: assets/hb/hb.<hash>.min.js
    css_path: str


def files(components: Path, kind: str) -> list[str]:
    """components/-relative paths of every *.<kind> file, in bundle order."""
    found = sorted(p.relative_to(components).as_posix() for p in components.glob(f"*/*.{kind}"))
    if kind == "js":
        first = [*THEME_SCRIPTS, FIRST_SCRIPT]
        last: list[str] = []
    else:
        first, last = [FIRST_STYLE], [LAST_STYLE]
    missing = [p for p in first + last if p not in found]
    if missing:
        raise ValueError(f"components/: {', '.join(missing)} がありません")
    return first + [p for p in found if p not in first + last] + last


def join(components: Path, paths: list[str], kind: str) -> str:
    """The files' texts, minified (rjsmin and rcssmin only drop comments and spaces: no
    name is changed), each introduced by its name and ended so that a file without its last
    ';' cannot run into the next one."""
    parts = []
    for path in paths:
        text = (components / path).read_text(encoding="utf-8")
        if kind == "js":
            parts.append(f"/* {path} */\n{rjsmin.jsmin(text)};\n")
        else:
            parts.append(f"/* {path} */\n{rcssmin.cssmin(text)}\n")
    return "".join(parts)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def collect(components: Path = COMPONENTS, catalogue: dict | None = None) -> Bundle:
    """catalogue: the site's words (macros/words.py); those the scripts use go first."""
    scripts, styles = files(components, "js"), files(components, "css")
    code = join(components, scripts, "js")
    js = words.script(catalogue if catalogue is not None else words.load(), code) + code
    css = join(components, styles, "css")
    return Bundle(
        sources=tuple(scripts + styles),
        js=js,
        css=css,
        js_path=f"{FOLDER}/hb.{digest(js)}.min.js",
        css_path=f"{FOLDER}/hb.{digest(css)}.min.css",
    )
