"""Golden tests: each renderer, given fixture data, gives exactly the expected output.

tests/golden/<name>.yml names a renderer and its arguments; <name>.out is the expected
output. After an intended change, regenerate with UPDATE_GOLDEN=1 and review the diff.
"""

import os
from pathlib import Path

import pytest
import yaml

from macros import render
from macros.data import load_handbook

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
FIXTURE = load_handbook(HERE / "fixtures" / "data", HERE.parent / "data" / "schema")
CASES = sorted(GOLDEN.glob("*.yml"))


def run_case(spec: dict) -> str:
    renderer = getattr(render, spec["renderer"])
    args = dict(spec.get("args") or {})
    data = spec.get("handbook")
    if data is True:
        return renderer(handbook=FIXTURE, **args)
    if data == "organization":
        return renderer(FIXTURE.organization)
    if data == "basics":
        return renderer(FIXTURE.basics)
    if data == "type-and-phases":
        return renderer(FIXTURE.types[args["type_id"]], FIXTURE.phases)
    return renderer(**args)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_renderer_output_matches_golden_file(case):
    output = run_case(yaml.safe_load(case.read_text(encoding="utf-8")))
    expected = case.with_suffix(".out")
    if os.environ.get("UPDATE_GOLDEN"):
        expected.write_text(output, encoding="utf-8")
    assert output == expected.read_text(encoding="utf-8")


def test_every_renderer_has_a_golden_case():
    renderers = {
        name
        for name, fn in vars(render).items()
        if callable(fn) and not name.startswith("_") and fn.__module__ == render.__name__
    }
    covered = {yaml.safe_load(c.read_text(encoding="utf-8"))["renderer"] for c in CASES}
    helpers = {
        "phone_links",
        "contact_line",
        "contact_box",
        "diagram",
        "reporting_chain_list",
        "reporting_chain_block",
        "progress_panel",
        "urgent_actions",
        "phase_sections",
        "contact_text",
        "edition_line",
        "record_form",
    }  # covered through the page renderers
    assert renderers - helpers <= covered, sorted(renderers - helpers - covered)


def test_text_from_data_is_escaped():
    html = render.checklist("p", [{"id": "a", "text": "<script>alert(1)</script>"}])
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_unknown_type_raises_with_the_known_ones():
    with pytest.raises(KeyError, match="unknown incident type 'nope'; known: example"):
        render.type_page("nope", FIXTURE)


def test_empty_checklist_raises():
    with pytest.raises(ValueError, match="has no steps"):
        render.checklist("types/x", [])


def test_step_with_unknown_contact_raises():
    with pytest.raises(ValueError, match="unknown contact 'ghost'"):
        render.checklist("basics", [{"id": "a", "text": "t", "contact": "ghost"}], contacts={})


def test_phone_without_number_or_extension_raises():
    with pytest.raises(ValueError, match="neither number nor extension"):
        render.phone_links({"id": "x", "phones": [{"label": "夜間"}]})


def test_severity_set_without_a_title_raises():
    import copy

    handbook = copy.deepcopy(FIXTURE)
    del handbook.question_sets["severity"]["title"]
    with pytest.raises(ValueError, match="'severity' needs a title"):
        render.type_page("example", handbook)
