"""Markdown as MkDocs reads it: the extensions of mkdocs.yml, so a golden file holds the
HTML a reader gets, not the Markdown in between."""

from pathlib import Path

import markdown
import yaml

from support import ROOT


def _extensions() -> tuple[list[str], dict]:
    loader = type("Loader", (yaml.SafeLoader,), {})
    loader.add_multi_constructor("!", lambda *_: None)  # !ENV
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=loader)
    names, settings = [], {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        settings[name] = options or {}
    return names, settings


EXTENSIONS, SETTINGS = _extensions()


def to_html(text: str) -> str:
    return markdown.markdown(str(text), extensions=EXTENSIONS, extension_configs=SETTINGS) + "\n"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")
