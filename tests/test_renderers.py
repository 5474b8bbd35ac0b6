"""Golden tests: each renderer, given fixture data, gives exactly the expected output.

tests/golden/<name>.yml names a renderer and its arguments; <name>.out is the expected
output. After an intended change, regenerate with UPDATE_GOLDEN=1 and review the diff.
"""

import dataclasses
import os
import re
import typing
from html import unescape
from pathlib import Path

import pytest
import yaml

from macros import accessibility, mermaid, render
from macros.data import load_handbook
from macros.model import Contact, Phone, Step, build

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
FIXTURE = load_handbook(HERE / "fixtures" / "data", HERE.parent / "data" / "schema")
CASES = sorted(GOLDEN.glob("*.yml"))
MODULES = {"render": render, "mermaid": mermaid, "accessibility": accessibility}


def renderer(name: str):
    module, _, function = name.rpartition(".")
    return getattr(MODULES[module or "render"], function)


def run_case(spec: dict) -> str:
    fn = renderer(spec["renderer"])
    data = spec.get("handbook")
    if data == "type-and-phases":
        return fn(FIXTURE.types[spec["args"]["type_id"]], FIXTURE.phases)
    hints = typing.get_type_hints(fn)
    args = {k: build(hints[k], v) for k, v in (spec.get("args") or {}).items()}
    if data is True:
        return fn(handbook=FIXTURE, **args)
    if data == "organization":
        return fn(FIXTURE.organization)
    if data == "basics":
        return fn(FIXTURE.basics)
    return fn(**args)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_renderer_output_matches_golden_file(case):
    output = run_case(yaml.safe_load(case.read_text(encoding="utf-8")))
    expected = case.with_suffix(".out")
    if os.environ.get("UPDATE_GOLDEN"):
        expected.write_text(output, encoding="utf-8")
    assert output == expected.read_text(encoding="utf-8")


def test_every_component_template_is_rendered_by_a_golden_case():
    """Each template in macros/templates/ shows up in some golden output (through the
    pages that use it), so a template change always changes a reviewed file."""
    used = set()
    original = render.ENV.get_template

    def spy(name, *args, **kwargs):
        used.add(name)
        return original(name, *args, **kwargs)

    render.ENV.get_template = spy
    try:
        for case in CASES:
            run_case(yaml.safe_load(case.read_text(encoding="utf-8")))
    finally:
        render.ENV.get_template = original
    templates = {p.name for p in render.TEMPLATES.iterdir()}
    assert templates - used == set()


PAYLOAD = '<img src=x onerror="alert(1)">[link](javascript:alert(2)) **b** {: #x } `c` #'


def test_md_text_leaves_no_markdown_or_html_syntax():
    import markdown

    html = markdown.markdown(f"# {render.md_text(PAYLOAD)}", extensions=["attr_list"])
    assert "<img" not in html and "<a" not in html and "<strong" not in html
    assert "<code" not in html and 'id="x"' not in html
    # What the reader sees is the text as written.
    assert unescape(html) == f"<h1>{PAYLOAD}</h1>"


def test_md_text_keeps_text_on_one_line():
    assert "\n" not in render.md_text("first\n# second\n- third")


def test_text_from_data_is_escaped_in_html_components():
    steps = [Step(id="a", text="<script>alert(1)</script>")]
    html = render.checklist("p", steps)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_mermaid_labels_hold_no_markup():
    label = mermaid.label('<b>"x"</b> & #y')
    assert label == '"#lt;b#gt;#quot;x#quot;#lt;/b#gt; #amp; #35;y"'


def test_unknown_type_raises_with_the_known_ones():
    with pytest.raises(KeyError, match="unknown incident type 'nope'; known: example"):
        render.type_page("nope", FIXTURE)


def test_empty_checklist_raises():
    with pytest.raises(ValueError, match="has no steps"):
        render.checklist("types/x", [])


def test_step_with_unknown_contact_raises():
    with pytest.raises(ValueError, match="unknown contact 'ghost'"):
        render.checklist("basics", [Step(id="a", text="t", contact="ghost")], contacts={})


def test_phone_without_number_or_extension_raises():
    contact = Contact(id="x", name="窓口", phones=[Phone(label="夜間")])
    with pytest.raises(ValueError, match="neither number nor extension"):
        render.contact_box(contact)


def test_severity_set_without_a_title_raises():
    sets = dict(FIXTURE.question_sets)
    sets["severity"] = dataclasses.replace(sets["severity"], title=None)
    handbook = dataclasses.replace(FIXTURE, question_sets=sets)
    with pytest.raises(ValueError, match="severity needs a title"):
        render.type_page("example", handbook)


def test_changed_steps_refuses_a_heading_level_its_pages_cannot_have():
    with pytest.raises(ValueError, match="heading level 5"):
        render.changed_steps("basics", 5)


def test_urgent_refuses_a_heading_level_its_pages_cannot_have():
    with pytest.raises(ValueError, match="heading level 4"):
        render.urgent(FIXTURE.types["example"], level=4)


def test_type_page_and_print_set_lead_with_one_urgent_box_in_one_order():
    """まずやること is one component for both media: the print set's sheet of a type has
    the same list as the type's page, after the contact box and before the first phase."""
    page = render.type_page("example", FIXTURE)
    sheet = render.print_set(FIXTURE).split("{: #example .hb-sheet-start }", 1)[1]
    lists = [
        re.search(r'<ol class="hb-urgent__list">.*?</ol>', text, re.S) for text in (page, sheet)
    ]
    assert lists[0] and lists[1] and lists[0].group(0) == lists[1].group(0)
    first_phase = FIXTURE.phases[0].title
    for text, found in zip((page, sheet), lists, strict=True):
        assert text.index("hb-contact-box") < found.start() < text.index(first_phase)
    assert sheet.index(first_phase) < sheet.index("hb-cases")
