"""Golden tests: each page, and each example of each component, given fixture data,
gives exactly the expected HTML, the HTML a reader gets (after Markdown, with mkdocs.yml's
extensions; MkDocs then only rewrites the links between pages).

tests/golden/<name>.yml names a page renderer and its arguments; <name>.html is the expected
page (<name>.mmd for a diagram's Mermaid source). components/<name>/examples.yml lists the
component's examples, each the one line a page would write; examples/<example>.html beside
it is the expected output. After an intended change, regenerate with UPDATE_GOLDEN=1 and
review the diff.
"""

import dataclasses
import os
import re
from html import unescape
from pathlib import Path

import pytest
import yaml

from macros import accessibility, mermaid, model, render
from macros.data import load_handbook
from macros.model import Contact, Phone, Step
from support.markdown import to_html

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
COMPONENTS = HERE.parent / "components"
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
    if data == "organization":
        return fn(FIXTURE.organization)
    if data == "basics":
        return fn(FIXTURE.basics)
    out = fn(handbook=FIXTURE, **(spec.get("args") or {}))
    return to_html(out)


def expected_path(case: Path, spec: dict) -> Path:
    return case.with_suffix(".mmd" if spec["renderer"].startswith("mermaid.") else ".html")


def compare(output: str, expected: Path) -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        expected.parent.mkdir(exist_ok=True)
        expected.write_text(output, encoding="utf-8")
    assert output == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_page_matches_its_golden_html(case):
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    compare(run_case(spec), expected_path(case, spec))


# --- components: examples side by side with the component ------------------------------


def make(kind: str, value):
    """A value of the model (Step, Measures, Contact...) from plain data, for an example."""
    return model.build(getattr(model, kind), value)


def example_context() -> dict:
    return {
        "handbook": FIXTURE,
        "organization": FIXTURE.organization,
        "basics": FIXTURE.basics,
        "types": FIXTURE.types,
        "incident": FIXTURE.types["example"],
        "contact": FIXTURE.primary_contact,
        "question_sets": FIXTURE.question_sets,
        "make": make,
    }


def examples() -> list[tuple[Path, dict]]:
    found = []
    for listing in sorted(COMPONENTS.glob("*/examples.yml")):
        for example in yaml.safe_load(listing.read_text(encoding="utf-8")):
            found.append((listing.parent, example))
    return found


def render_example(example: dict) -> str:
    line = render.ENV.from_string("{{ " + example["call"] + " }}")
    return str(line.render(**example_context())) + "\n"


@pytest.mark.parametrize(
    "folder,example", examples(), ids=lambda v: v.name if isinstance(v, Path) else v["name"]
)
def test_component_example_matches_its_golden_html(folder, example):
    compare(render_example(example), folder / "examples" / f"{example['name']}.html")


def test_every_component_template_is_rendered_by_an_example_or_a_page():
    """So a template change always changes a reviewed file."""
    used = set()
    original = render.ENV.get_template

    def spy(name, *args, **kwargs):
        used.add(name)
        return original(name, *args, **kwargs)

    cache, render.ENV.cache = render.ENV.cache, None  # every lookup goes through the spy
    render.ENV.get_template = spy
    try:
        for case in CASES:
            run_case(yaml.safe_load(case.read_text(encoding="utf-8")))
        for _, example in examples():
            render_example(example)
    finally:
        render.ENV.get_template, render.ENV.cache = original, cache
    templates = {p.relative_to(COMPONENTS).as_posix() for p in COMPONENTS.glob("*/*.[hm][td]*")}
    templates |= {p.name for p in render.PAGES.glob("*.md")}  # not words.yml
    assert templates - used == set()


def test_every_example_file_belongs_to_an_example():
    named = {folder / "examples" / f"{e['name']}.html" for folder, e in examples()}
    assert set(COMPONENTS.glob("*/examples/*.html")) == named
    assert {p.with_suffix("") for p in GOLDEN.glob("*.[hm][tm]*")} == {
        p.with_suffix("") for p in CASES
    }


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
    html = render.component("checklist")("p", steps)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_mermaid_labels_hold_no_markup():
    label = mermaid.label('<b>"x"</b> & #y')
    assert label == '"#lt;b#gt;#quot;x#quot;#lt;/b#gt; #amp; #35;y"'


def test_unknown_type_raises_with_the_known_ones():
    with pytest.raises(KeyError, match="unknown incident type 'nope'; known: example"):
        render.type_page("nope", FIXTURE)


def test_empty_checklist_raises():
    with pytest.raises(ValueError, match="has no steps"):
        render.component("checklist")("types/x", [])


def test_step_with_unknown_contact_raises():
    with pytest.raises(ValueError, match="unknown contact ghost"):
        render.component("checklist")("basics", [Step(id="a", text="t", contact="ghost")], {})


def test_phone_without_number_or_extension_raises():
    contact = Contact(id="x", name="窓口", phones=[Phone(label="夜間")])
    with pytest.raises(ValueError, match="neither number nor extension"):
        render.component("contact_box")(contact)


def test_severity_set_without_a_title_raises():
    sets = dict(FIXTURE.question_sets)
    sets["severity"] = dataclasses.replace(sets["severity"], title=None)
    handbook = dataclasses.replace(FIXTURE, question_sets=sets)
    with pytest.raises(ValueError, match="severity needs a title"):
        render.type_page("example", handbook)


def test_changed_steps_refuses_a_heading_level_its_pages_cannot_have():
    with pytest.raises(ValueError, match="heading level 5"):
        render.component("changed_steps")("basics", 5)


def test_urgent_refuses_a_heading_level_its_pages_cannot_have():
    with pytest.raises(ValueError, match="heading level 4"):
        render.component("urgent")(FIXTURE.types["example"], level=4)


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
