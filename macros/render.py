"""Pages and components, rendered by one Jinja environment.

A component is a folder components/<name>/ (components/README.md): its template, script
and style side by side. Its template defines Jinja macros; each macro whose name is the
folder's name in snake_case, or starts with it and "_" (contact_box in contact/), can be
called by name from every template: placing a component is one line, {{ urgent(incident) }}.
Pages are Markdown templates in macros/pages/. The few components that need Python to
compute their input (a drawn diagram, the record's and the drills' data) have a function
below, registered the same way.

Escaping is by construction, not by remembering:
  *.html templates   every {{ value }} is HTML-escaped (autoescape).
  *.md templates     every {{ value }} is HTML-escaped and its Markdown syntax neutralised
                     (md_text), so data text can never become a link, emphasis or an
                     attribute list. Inside a raw HTML block of a .md template, write
                     {{ value | html }} (Markdown does not read there, so no backslashes).
Components return Markup; a component inside another is not escaped twice.
The data needs no inline Markdown, so md_text allows none (see tests/test_renderers.py).

Conventions shared with the browser scripts, stable across editions because they come from
data ids, never from positions:
  [data-hb-module=<name>]        the element a script of that name mounts on
  li.hb-step[data-step-id]       one step; its checkbox carries the same data-step-id
  ul.hb-checklist[data-hb-page]  the page (types/<id> or basics) the ticks belong to
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup, escape

from . import diagrams, mermaid
from .model import Handbook, IncidentType, Organization
from .words import WORDS

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "macros" / "pages"
COMPONENTS = ROOT / "components"
# Characters Python-Markdown reads as syntax inline: emphasis, code, links and images,
# attribute lists ({: }), closing hashes of headings, and the backslash itself.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#!])")
_MACRO = re.compile(r"{%-?\s*macro\s+(\w+)\s*\(")


def md_text(value) -> Markup:
    """Plain text for a Markdown line: HTML-escaped, Markdown syntax backslash-escaped,
    on one line (a newline could start a new block)."""
    text = " ".join(str(value).splitlines())
    return Markup(escape(_MD_SPECIAL.sub(r"\\\1", text)))


def html(value) -> Markup:
    """Plain text for a raw HTML block inside a .md template."""
    return escape(value)


@pass_context
def _finalize(context, value):
    if isinstance(value, Markup) or not (context.name or "").endswith(".md"):
        return value  # .html: autoescape does the rest
    return md_text(value)


def _raise(message: str):
    raise ValueError(message)


ENV = Environment(
    # Pages by their name ("type-page.md"), components by their folder ("urgent/urgent.html").
    loader=FileSystemLoader([PAGES, COMPONENTS]),
    autoescape=True,
    undefined=StrictUndefined,
    finalize=_finalize,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
ENV.filters["html"] = html
ENV.globals["raise"] = _raise
# The site's own words (macros/words.py): {{ words.urgent.heading }}.
ENV.globals["words"] = WORDS


def render(template: str, **context) -> Markup:
    out = ENV.get_template(template).render(**context)
    # A component is placed inline; a page (.md) ends with its last line's newline.
    return Markup(out if template.endswith(".md") else out.rstrip("\n"))


def _heading(level: int) -> Markup:
    """The hashes of a Markdown heading of this level (text, so not escaped away)."""
    return Markup("#" * level)


ENV.globals["h"] = _heading


def component_macros(components: Path = COMPONENTS) -> dict[str, str]:
    """Macro name -> its template, for every macro a component offers (see above)."""
    found: dict[str, str] = {}
    for path in sorted(components.glob("*/*.html")):
        prefix = path.parent.name.replace("-", "_")
        for name in _MACRO.findall(path.read_text(encoding="utf-8")):
            if name != prefix and not name.startswith(prefix + "_"):
                continue  # a helper of its own template
            if name in found:
                raise ValueError(f"macro {name} is defined in {found[name]} and {path}")
            found[name] = path.relative_to(components).as_posix()
    return found


def _macro(template: str, name: str):
    # Looked up at call time: a component may use another defined in any folder.
    def call(*args, **kwargs):
        return Markup(getattr(ENV.get_template(template).module, name)(*args, **kwargs))

    call.__name__ = name
    return call


def register_components() -> dict[str, str]:
    """Make every component's macros callable by name (again at each build: a folder added
    while `serve` runs is found without a restart)."""
    found = component_macros()
    for name, template in found.items():
        ENV.globals[name] = _macro(template, name)
    return found


MACROS = register_components()


def component(name: str):
    """A component by its name, for Python (the hooks, tests): the same as in a template."""
    return ENV.globals[name]


def _component(function):
    """Make a component computed in Python callable from the templates too."""
    if function.__name__ in ENV.globals:
        raise ValueError(f"component {function.__name__} is defined twice")
    ENV.globals[function.__name__] = function
    return function


@_component
def diagram(
    source: str,
    label: str,
    wide: bool = False,
    from_figure: bool = False,
    list_follows: bool = False,
) -> Markup:
    """A figure: the SVG drawn at build time, else the Mermaid text for diagram.js
    (macros/diagrams.py); either way with the diagram in words. from_figure: the site's
    drawing of a figure of the manual, captioned so (「原本の図をもとに作成」, the site's words).
    list_follows: the page lists the same content right after it (hidden on narrow screens,
    diagram.css)."""
    source_note = component("own_words_figure_source")() if from_figure else Markup("")
    return render(
        "diagram/diagram.html",
        source=source,
        label=label,
        source_note=source_note,
        wide=wide,
        list_follows=list_follows,
        # The SVG is named by the whole caption (diagram.js names a drawn one so too).
        svg=diagrams.inline_svg(source, label + source_note.striptags()),
        text=diagrams.describe(source),
        settings=diagrams.CLIENT_SETTINGS,
    )


@_component
def reporting_chain_block(organization: Organization) -> Markup:
    """The chain as a diagram followed by the same chain as a list."""
    chart = diagram(
        mermaid.reporting_chain(organization),
        WORDS["reporting_chain"]["figure"],
        from_figure=True,
        list_follows=True,
    )
    return chart + Markup("\n\n") + component("reporting_chain")(organization)


def record(incident: IncidentType, handbook: Handbook) -> Markup:
    return render(
        "record/record.html",
        incident=incident,
        question_sets=handbook.question_sets,
        contact=handbook.primary_contact,
        scenario_titles=json.dumps(
            {c["id"]: c["title"] for c in scenario_cards(handbook, incident.id)},
            ensure_ascii=False,
        ),
    )


# --- drills (訓練): the scenarios' cards, on the type pages and the facilitator page ------


def scenario_cards(handbook: Handbook, type_id: str | None = None) -> list[dict]:
    """Each scenario as shown: the manual's 事故事例 and 発覚のきっかけ (as written), the
    office's words apart, injects and targets with their phases' titles."""
    cards = []
    for s in handbook.scenarios.values():
        if type_id and s.type != type_id:
            continue
        incident = handbook.types[s.type]
        case = incident.cases[s.case - 1] if s.case else ""
        cards.append(
            {
                "id": s.id,
                "title": s.title
                or (
                    WORDS["drill"]["scenario_of_case"].format(
                        number=incident.number, type=incident.short_title, case=s.case
                    )
                    if s.case
                    else f"{incident.number} {incident.short_title}"
                ),
                "own_title": bool(s.title),
                "type": s.type,
                "type_title": incident.heading,
                "case": case,
                "case_number": s.case,
                "triggers": [incident.triggers[s.trigger - 1]] if s.trigger else incident.triggers,
                "text": s.text,
                "injects": [{"after": i.after_minutes, "text": i.text} for i in s.injects],
                "targets": [
                    {
                        "phase": p,
                        "title": handbook.phase(p).number + handbook.phase(p).title,
                        "minutes": m,
                    }
                    for p, m in s.targets.items()
                ],
            }
        )
    return cards


def drill(incident: IncidentType, handbook: Handbook) -> Markup:
    """The drill of a type page: banner, scenario, injects and 振り返り (drill.js), and
    the data it needs: the scenarios of this type and the page's phases and steps."""
    cards = scenario_cards(handbook, incident.id)
    # no words of the page in the data: drill.js reads the phases' titles from their headings
    for card in cards:
        card["targets"] = [{"phase": t["phase"], "minutes": t["minutes"]} for t in card["targets"]]
    phases = [{"id": tp.phase, "steps": [step.id for step in tp.steps]} for tp in incident.phases]
    data = json.dumps({"scenarios": cards, "phases": phases}, ensure_ascii=False)
    return render("drill/drill.html", incident=incident, cards=cards, data=data)


def drills_page(handbook: Handbook) -> Markup:
    return _page("drills-page.md", handbook, cards=scenario_cards(handbook))


# --- whole pages (Markdown, so that MkDocs builds their table of contents and links) ----


def _page(template: str, handbook: Handbook, **context) -> Markup:
    return render(
        template,
        handbook=handbook,
        organization=handbook.organization,
        basics=handbook.basics,
        phases=handbook.phases,
        question_sets=handbook.question_sets,
        types=handbook.types,
        contact=handbook.primary_contact,
        **context,
    )


def type_page(type_id: str, handbook: Handbook) -> Markup:
    if type_id not in handbook.types:
        raise KeyError(f"unknown incident type {type_id!r}; known: {', '.join(handbook.types)}")
    incident = handbook.types[type_id]
    return _page(
        "type-page.md",
        handbook,
        incident=incident,
        phase_flow=mermaid.phase_flow(incident, handbook.phases),
        record=lambda incident: record(incident, handbook),
        drill=lambda incident: drill(incident, handbook),
        drill_start=lambda incident: render(
            "drill/drill-start.html", incident=incident, cards=scenario_cards(handbook, incident.id)
        ),
        level=2,
        prefix="",
        basics_link="../basics.md",
    )


def basics_page(handbook: Handbook) -> Markup:
    contacts = {c.id: c for c in handbook.organization.contacts}
    contacts["primary"] = handbook.primary_contact
    return _page(
        "basics-page.md",
        handbook,
        contacts=contacts,
        revised=handbook.revised_steps("basics"),
        basic_steps=mermaid.basic_steps(handbook.basics),
    )


def contacts_page(handbook: Handbook) -> Markup:
    return _page("contacts-page.md", handbook)


def first_actions(handbook: Handbook) -> Markup:
    return _page("first-actions.md", handbook)


def home_page(handbook: Handbook) -> Markup:
    return _page("home.md", handbook, choices=type_choices(handbook), first=first_actions(handbook))


def type_choices(handbook: Handbook) -> Markup:
    return _page("type-choices/type-choices.md", handbook)


def print_set(
    handbook: Handbook, pdfs: list[str] | None = None, pdf_notice: str | None = None
) -> Markup:
    return _page("print-set.md", handbook, pdfs=pdfs or [], pdf_notice=pdf_notice)


def revisions_page(handbook: Handbook) -> Markup:
    return _page("revisions.md", handbook)
