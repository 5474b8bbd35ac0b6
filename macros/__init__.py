"""mkdocs-macros entry point: only wires the data to the renderers in render.py."""

from pathlib import Path

from . import render
from .data import DataError, load_handbook

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
PDF_DIR = DATA_DIR.parent / "docs" / "pdf"  # written by scripts/make_pdf.py, not in git


def pdf_files() -> list[str]:
    return sorted(p.name for p in PDF_DIR.glob("*.pdf"))


def define_env(env):
    try:
        handbook = load_handbook(DATA_DIR)
    except DataError:
        return  # hooks.py reports the errors (a failed build, or an error page when serving)
    env.variables["handbook"] = handbook
    env.variables["organization"] = handbook.organization

    env.macro(lambda type_id: render.type_page(type_id, handbook), "type_page")
    env.macro(lambda: render.basics_page(handbook), "basics_page")
    env.macro(lambda: render.contacts_page(handbook), "contacts_page")
    env.macro(lambda: render.type_choices(handbook), "type_choices")
    env.macro(lambda: render.first_actions(handbook), "first_actions")
    env.macro(lambda: render.revisions_page(handbook), "revisions_page")
    env.macro(lambda: render.print_set(handbook, pdf_files()), "print_set")
    env.macro(lambda: render.contact_box(handbook.primary_contact), "contact_box")
    env.macro(lambda: render.reporting_chain_list(handbook.organization), "reporting_chain_list")
