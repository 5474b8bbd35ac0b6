"""mkdocs-macros entry point: the functions pages call, wired to the components.

The handbook is loaded once per build, by hooks.py (on_config, which runs before the
macros plugin's), and handed over here through use(); nothing here reads data/ again.
"""

from __future__ import annotations

from pathlib import Path

from . import accessibility, render
from .model import Handbook

_handbook: Handbook | None = None
_pdfs: list[str] = []  # the PDFs the print page links, and why none (hooks.py, macros/pdfs.py)
_pdf_notice: str | None = None


def use(handbook: Handbook | None) -> None:
    """Set the handbook of the build under way (None while the data is broken)."""
    global _handbook
    _handbook = handbook


def use_pdfs(files: list[str], notice: str | None) -> None:
    global _pdfs, _pdf_notice
    _pdfs, _pdf_notice = files, notice


def define_env(env):
    handbook = _handbook
    if handbook is None:
        return  # hooks.py reports the errors (a failed build, or an error page when serving)
    # Pages print data only through these functions, which escape it (no raw variables).
    # The site's own words (macros/words.py) for docs/*.md ({{ words.page.a11y_title }}),
    # escaped as the page templates escape every value: a word is text, never Markdown.
    env.variables["words"] = {
        group: {key: render.md_text(text) for key, text in entries.items()}
        for group, entries in render.ENV.globals["words"].items()
    }
    env.macro(lambda type_id: render.type_page(type_id, handbook), "type_page")
    env.macro(lambda: render.basics_page(handbook), "basics_page")
    env.macro(lambda: render.contacts_page(handbook), "contacts_page")
    env.macro(lambda: render.home_page(handbook), "home_page")
    env.macro(lambda: render.revisions_page(handbook), "revisions_page")
    env.macro(lambda: render.drills_page(handbook), "drills_page")
    env.macro(lambda: render.print_set(handbook, _pdfs, _pdf_notice), "print_set")
    # The 試験結果 (docs/accessibility.md), from data/accessibility.yml (macros/accessibility.py).
    data_dir = Path(env.conf.config_file_path).parent / "data"
    env.macro(
        lambda part: accessibility.page_part(part, data_dir, handbook.edition.line),
        "accessibility_results",
    )
