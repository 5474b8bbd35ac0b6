"""mkdocs-macros entry point: only wires the data to the renderers in render.py."""

from pathlib import Path

from . import render
from .data import load_handbook

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def define_env(env):
    handbook = load_handbook(DATA_DIR)
    env.variables["handbook"] = handbook
    env.variables["organization"] = handbook.organization

    env.macro(lambda type_id: render.type_page(type_id, handbook), "type_page")
    env.macro(lambda: render.basics_page(handbook), "basics_page")
    env.macro(lambda: render.contacts_page(handbook), "contacts_page")
    env.macro(lambda: render.type_choices(handbook), "type_choices")
    env.macro(lambda: render.first_actions(handbook), "first_actions")
    env.macro(lambda: render.contact_box(handbook.primary_contact), "contact_box")
    env.macro(lambda: render.reporting_chain_list(handbook.organization), "reporting_chain_list")
