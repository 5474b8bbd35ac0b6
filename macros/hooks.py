"""MkDocs hooks: validate data/ before anything is built, make one page per type, and
give the search index each page's keywords.

A type page exists because its YAML file exists: adding data/types/<id>.yml adds
types/<id>/ to the site and to the navigation, with no other edit.
Keywords (a type's `keywords:`, or `keywords:` in a page's front matter) are indexed
in a field of their own that search results never display.
"""

import json
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

# MkDocs loads this file by path; make the `macros` package importable.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from macros.data import DataError, load_handbook  # noqa: E402
from macros.render import contact_line, contact_text, edition_line  # noqa: E402

TYPES_NAV_MARKER = "types/"  # the nav entry in mkdocs.yml that lists the type pages
_handbook = None
_serving = False  # under `mkdocs serve`, data errors become a page instead of a stuck server
_errors: list[str] = []


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


def on_config(config):
    global _handbook, _errors
    try:
        _handbook = load_handbook(Path(config.config_file_path).parent / "data")
        _errors = []
    except DataError as exc:
        if not _serving:
            raise PluginError(str(exc)) from None
        _errors = exc.messages
        config.nav = [{"データの誤り": "index.md"}]
        return config
    org = _handbook.organization
    # The site's name comes from the data, so that rebranding is a data edit.
    config.site_name = f"{org['name']} {org['handbook_title']}"
    config.extra["hb_contact_line"] = contact_line(_handbook.primary_contact)
    config.extra["hb_contact_text"] = contact_text(_handbook.primary_contact)
    config.extra["hb_edition"] = edition_line(_handbook.edition)
    config.copyright = f"{config.site_name} {config.extra['hb_edition']}"
    config.nav = [_expand_types(item) for item in config.nav or []]
    if _offline(config):
        # Under file://, instant navigation would stop page scripts from running.
        features = config.theme["features"]
        config.theme["features"] = [f for f in features if f != "navigation.instant"]
    return config


def _offline(config) -> bool:
    plugin = config.plugins.get("material/offline") or config.plugins.get("offline")
    return bool(plugin and plugin.config.enabled)


def _expand_types(item):
    if isinstance(item, dict):
        ((title, value),) = item.items()
        if value == TYPES_NAV_MARKER:
            value = [
                {f"{t['number']} {t['short_title']}": f"types/{tid}.md"}
                for tid, t in _handbook.types.items()
            ]
        elif isinstance(value, list):
            value = [_expand_types(v) for v in value]
        return {title: value}
    return item


def on_files(files, config):
    if _errors:
        return _error_site(files, config)
    for type_id, incident in _handbook.types.items():
        meta = {"keywords": incident.get("keywords", [])}
        # JSON is valid YAML: the front matter carries the keywords to on_page_context.
        content = (
            f'---\n{json.dumps(meta, ensure_ascii=False)}\n---\n{{{{ type_page("{type_id}") }}}}\n'
        )
        files.append(File.generated(config, f"types/{type_id}.md", content=content))
    return files


_keywords: dict[str, str] = {}  # page URL -> its keywords, space separated
KEYWORDS_BOOST = 1000.0


def on_page_context(context, page, config, nav):
    if page.meta.get("keywords"):
        _keywords[page.url] = " ".join(page.meta["keywords"])
    return context


def on_post_build(config):
    """Add the keywords to the search index (written by the search plugin just before)."""
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not path.exists():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    index["config"]["fields"]["keywords"] = {"boost": KEYWORDS_BOOST}
    for doc in index["docs"]:
        if doc["location"] in _keywords:
            doc["keywords"] = _keywords[doc["location"]]
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _error_site(files, config):
    """While serving: one page that lists the data errors (the rest waits for a fix)."""
    lines = "\n".join(f"- `{m}`" for m in _errors)
    content = (
        "---\ntitle: データの誤り\n---\n# データの誤り\n\n"
        f"data/ に {len(_errors)} 件の誤りがあります。直して保存すると、このページは自動で更新されます。"
        f"\n\n{{% raw %}}\n{lines}\n{{% endraw %}}\n"
    )
    for f in list(files):
        if f.is_documentation_page():
            files.remove(f)
    files.append(File.generated(config, "index.md", content=content))
    return files
