"""Renderers: plain functions, data in, Markdown/HTML string out. No MkDocs here.

Conventions shared with the browser scripts (docs/assets/javascripts/):
  ul.hb-checklist[data-hb-page]     a list of checkable steps of one page
  li.hb-step[data-step-id]          one step; its checkbox carries the same data-step-id
  figure.hb-diagram[data-hb-diagram] a Mermaid diagram, source in pre.hb-diagram__source
Step ids come from the data and never from list positions.
"""

from __future__ import annotations

from html import escape

from .data import Handbook, basics_steps

# --- small pieces ------------------------------------------------------------------


def checklist(
    page_id: str, steps: list[dict], contacts: dict | None = None, revised: set | None = None
) -> str:
    """A list of real, labelled checkboxes, one per step, keyed by the step's stable id.
    revised: ids of steps changed in the current edition (marked 「改訂」)."""
    if not steps:
        raise ValueError(f"checklist for {page_id!r} has no steps")
    items = []
    for step in steps:
        box_id = f"step-{page_id.replace('/', '-')}-{step['id']}"
        extra = ""
        if revised and step["id"] in revised:
            extra += '<span class="hb-step__revised">改訂</span>'
        if step.get("note"):
            extra += f'<span class="hb-step__note">※{escape(step["note"])}</span>'
        if step.get("contact"):
            if not contacts or step["contact"] not in contacts:
                raise ValueError(
                    f"step {step['id']!r} refers to unknown contact {step['contact']!r}"
                )
            extra += (
                f'<span class="hb-step__contact">{contact_line(contacts[step["contact"]])}</span>'
            )
        items.append(
            f'<li class="hb-step" data-step-id="{escape(step["id"])}">'
            f'<input type="checkbox" class="hb-step__box" id="{escape(box_id)}" '
            f'data-step-id="{escape(step["id"])}">'
            f'<label class="hb-step__label" for="{escape(box_id)}">'
            f'<span class="hb-step__text">{escape(step["text"])}</span>{extra}</label></li>'
        )
    return (
        f'<ul class="hb-checklist" data-hb-page="{escape(page_id)}">\n'
        + "\n".join(items)
        + "\n</ul>"
    )


def phone_links(contact: dict) -> str:
    """Phones of a contact; outside numbers become tel: links (one tap on a phone)."""
    parts = []
    for phone in contact.get("phones", []):
        label = escape(phone["label"])
        if "number" in phone:
            number = escape(phone["number"])
            tel = phone["number"].replace("-", "")
            parts.append(f'<span class="hb-phone">{label} <a href="tel:{tel}">{number}</a></span>')
        elif "extension" in phone:
            parts.append(
                f'<span class="hb-phone">{label} 内線<strong>{escape(phone["extension"])}</strong></span>'
            )
        else:
            raise ValueError(f"phone of {contact['id']!r} has neither number nor extension")
    return " ".join(parts)


def contact_text(contact: dict) -> str:
    """Name and phones as plain text (for the footer of printed sheets)."""
    phones = " ".join(
        f"{p['label']} " + (f"内線{p['extension']}" if "extension" in p else p["number"])
        for p in contact.get("phones", [])
    )
    return f"{contact['name']} {phones}".strip()


def contact_line(contact: dict) -> str:
    """One line: name and phones, e.g. for the header banner or a step."""
    phones = phone_links(contact)
    return f'<span class="hb-contact__name">{escape(contact["name"])}</span>' + (
        f" {phones}" if phones else ""
    )


def contact_box(contact: dict, heading: str = "事故を発見したら、すぐに連絡") -> str:
    return (
        f'<aside class="hb-contact-box" aria-label="{escape(heading)}" data-search-exclude>'
        f'<p class="hb-contact-box__heading">{escape(heading)}</p>'
        f'<p class="hb-contact-box__line">{contact_line(contact)}</p></aside>'
    )


def progress_panel() -> str:
    """Where the browser shows the page's progress and its reset button (hidden without JS)."""
    return (
        '<div class="hb-progress" data-hb-progress data-search-exclude hidden>'
        '<progress max="1" value="0" aria-label="チェックの進み具合"></progress> '
        '<span class="hb-progress__text" data-hb-progress-text aria-live="polite"></span> '
        '<button type="button" class="md-button hb-progress__reset" data-hb-reset>'
        "このページのチェックをすべて外す</button></div>"
    )


def diagram(source: str, label: str, wide: bool = False) -> str:
    """A Mermaid diagram, drawn in the browser by diagrams.js; hidden until drawn.
    A wide one (left to right) keeps a legible size on phones and scrolls in its box."""
    if not source.strip():
        raise ValueError(f"diagram {label!r} has no source")
    css = "hb-diagram hb-diagram--wide" if wide else "hb-diagram"
    return (
        f'<figure class="{css}" data-hb-diagram data-search-exclude hidden>'
        f'<pre class="hb-diagram__source">{escape(source)}</pre>'
        f"<figcaption>{escape(label)}</figcaption></figure>"
    )


def _numbered(items: list[str], css: str) -> str:
    rows = "".join(f"<li>{escape(text)}</li>" for text in items)
    return f'<ol class="{css}">{rows}</ol>'


def _questions(items: list[dict], css: str, hints: dict | None = None) -> str:
    """Questions with their printed labels ((1), a) ...) and optional hint/choices."""
    rows = []
    for q in items:
        label = q.get("label", "")
        extra = ""
        if q.get("choices"):
            extra += (
                '<span class="hb-question__choices">（'
                + "／".join(escape(c) for c in q["choices"])
                + "）</span>"
            )
        if hints and hints.get(q["id"]):
            extra += f'<span class="hb-question__hint">{escape(hints[q["id"]])}</span>'
        rows.append(
            f'<li class="hb-question" data-question-id="{escape(q["id"])}">'
            f'<span class="hb-question__label">{escape(label)}</span> '
            f'<span class="hb-question__text">{escape(q["text"])}</span>{extra}</li>'
        )
    return f'<ol class="{css}">' + "".join(rows) + "</ol>"


def urgent_actions(incident: dict, page_id: str) -> str:
    """まずやること: the type's most urgent steps, in order, each linking to its checkbox."""
    steps = {step["id"]: step for phase in incident["phases"] for step in phase["steps"]}
    rows = []
    for ref in incident["urgent"]:
        if ref not in steps:
            raise KeyError(f"urgent step {ref!r} is not a step of {page_id!r}")
        box_id = f"step-{page_id.replace('/', '-')}-{ref}"
        rows.append(f'<li><a href="#{escape(box_id)}">{escape(steps[ref]["text"])}</a></li>')
    return (
        '<section class="hb-urgent" aria-labelledby="urgent" data-search-exclude>'
        '<h2 id="urgent">まずやること</h2>'
        f'<ol class="hb-urgent__list">{"".join(rows)}</ol></section>'
    )


def measures_table(title: str, measures: dict) -> str:
    """応急処置例 / 二次被害防止策例: numbered items, with the 留意点 beside them."""
    items = measures["items"]
    notes = measures.get("notes") or []
    note_cell = ""
    if notes:
        note_list = "".join(f"<li>{escape(n)}</li>" for n in notes)
        note_cell = (
            f'<td rowspan="{len(items)}"><ul class="hb-measures__notes">{note_list}</ul></td>'
        )
    rows = []
    for i, item in enumerate(items, start=1):
        rows.append(
            f'<tr><td class="hb-measures__no">{i}</td><td>{escape(item)}</td>'
            f"{note_cell if i == 1 else ''}</tr>"
        )
    head_notes = "<th>留意点</th>" if notes else ""
    return (
        f'<table class="hb-measures"><thead><tr><th colspan="2">{escape(title)}</th>{head_notes}'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


# --- Mermaid sources ----------------------------------------------------------------


def _label(*lines: str) -> str:
    text = "<br/>".join(line.replace('"', "#quot;") for line in lines if line)
    return f'"{text}"'


def reporting_chain_mermaid(organization: dict) -> str:
    """The reporting chain as a top-down flowchart: origins → … → 総務省."""
    nodes = {o["id"]: (o["name"], o.get("detail", "")) for o in organization["origins"]}
    for c in organization["contacts"]:
        nodes[c["id"]] = (c["name"], contact_text(c)[len(c["name"]) :].strip())
    used = []
    for link in organization["reporting_chain"]:
        for end in (link["from"], link["to"]):
            if end not in nodes:
                raise ValueError(f"reporting chain refers to unknown id {end!r}")
            if end not in used:
                used.append(end)
    key = {node_id: f"n{i}" for i, node_id in enumerate(used)}
    lines = ["flowchart TD"]
    lines += [f"  {key[n]}[{_label(*nodes[n])}]" for n in used]
    for link in organization["reporting_chain"]:
        arrow = f"-->|{_label(link['label'])}|" if link.get("label") else "-->"
        lines.append(f"  {key[link['from']]} {arrow} {key[link['to']]}")
    return "\n".join(lines)


def basic_steps_mermaid(basics: dict) -> str:
    """The basic steps in order; the last stage's groups fan out side by side."""
    lines = ["flowchart TD", f"  start([{_label('情報セキュリティ事故発生')}])"]
    previous = "start"
    for i, stage in enumerate(basics["stages"]):
        node = f"s{i}"
        lines.append(f"  {node}[{_label(stage['title'])}]")
        lines.append(f"  {previous} --> {node}")
        for g, group in enumerate(stage.get("groups", [])):
            lines.append(f"  {node}g{g}[{_label(group['title'])}]")
            lines.append(f"  {node} --> {node}g{g}")
        previous = node
    return "\n".join(lines)


def phase_flow_mermaid(incident: dict, phases: list[dict]) -> str:
    """The five phases of a type, each with its number of steps."""
    present = {p["phase"]: p for p in incident["phases"]}
    lines = ["flowchart LR"]
    for i, phase in enumerate(phases):
        if phase["id"] in present:
            detail = f"{len(present[phase['id']]['steps'])} 項目"
        else:
            detail = "記載なし"
        lines.append(f"  p{i}[{_label(phase['number'] + phase['title'], detail)}]")
        if i:
            lines.append(f"  p{i - 1} --> p{i}")
    return "\n".join(lines)


# --- whole pages ---------------------------------------------------------------------


def type_page(type_id: str, handbook: Handbook) -> str:
    """The page types/<id>/: title, contact, flow, cases, then every phase with its steps."""
    if type_id not in handbook.types:
        raise KeyError(f"unknown incident type {type_id!r}; known: {', '.join(handbook.types)}")
    incident = handbook.types[type_id]
    page_id = f"types/{type_id}"
    out = [
        f"# {incident['number']} {incident['title']}",
        "",
        contact_box(handbook.primary_contact),
        "",
        urgent_actions(incident, page_id),
        "",
        progress_panel(),
        "",
        diagram(
            phase_flow_mermaid(incident, handbook.phases),
            f"{incident['short_title']}の対応の流れ",
            wide=True,
        ),
        "",
        "## 事故事例と発覚のきっかけ {: #cases }",
        "",
        '<div class="hb-cases">'
        f'<div><p class="hb-cases__title">事故事例</p>{_numbered(incident["cases"], "hb-cases__list")}</div>'
        '<div><p class="hb-cases__title">発覚のきっかけ</p><ul class="hb-cases__triggers">'
        + "".join(f"<li>{escape(t)}</li>" for t in incident["triggers"])
        + "</ul></div></div>",
    ]
    out += phase_sections(incident, page_id, handbook, level=2, basics="../basics.md")
    out += ["", record_form(incident, page_id, handbook)]
    return "\n".join(out) + "\n"


SIGNOFF = (
    '<p class="hb-signoff">実施日時（　　月　　日　　時　　分）　担当者（　　　　　　　　　　）</p>'
)


def phase_sections(
    incident: dict, page_id: str, handbook: Handbook, level: int, basics: str, prefix: str = ""
) -> list[str]:
    """Every phase of a type: heading, checklist, extras, and a line to sign on paper.
    level: the phases' heading level; prefix: for anchors when several types share a page;
    basics: the link to the basics page from where this is shown."""
    present = {p["phase"]: p for p in incident["phases"]}
    hashes = "#" * level
    out = []
    for phase in handbook.phases:
        anchor = prefix + phase["id"]
        out += ["", f"{hashes} {phase['number']}{phase['title']} {{: #{anchor} }}", ""]
        content = present.get(phase["id"])
        if content is None:
            out.append(
                '<p class="hb-missing">原本のこのタイプには、この段階の記載がありません。'
                f"</p>\n\n[基本ステップの「対応」]({basics}#response)を参照してください。"
            )
            continue
        out.append(checklist(page_id, content["steps"], revised=handbook.revised_steps(page_id)))
        out += ["", SIGNOFF]
        out += _phase_extras(anchor, content, handbook, hashes + "#")
    return out


def _phase_extras(anchor: str, content: dict, handbook: Handbook, hashes: str) -> list[str]:
    out = []
    if "facts" in content:
        facts = content["facts"]
        info = handbook.question_sets[facts["information"]]
        numbered = [dict(q, label=f"({i})") for i, q in enumerate(facts["questions"], start=1)]
        hints = {"storage": facts["storage_hint"]} if facts.get("storage_hint") else None
        out += [
            "",
            f"{hashes} 事実関係を整理する {{: #{anchor}-facts }}",
            "",
            _questions(numbered, "hb-questions hb-questions--facts"),
            "",
            _questions(info["items"], "hb-questions hb-questions--info", hints),
        ]
    if "first_aid" in content:
        out += ["", f"{hashes} 応急処置例 {{: #{anchor}-first-aid .hb-extra }}", ""]
        out.append(measures_table("応急処置例", content["first_aid"]))
    if "severity" in content:
        qs = handbook.question_sets[content["severity"]]
        if "title" not in qs:
            raise ValueError(f"question set {content['severity']!r} needs a title (its heading)")
        out += ["", f"{hashes} {qs['title']} {{: #{anchor}-severity }}", ""]
        out.append(_questions(qs["items"], "hb-questions hb-questions--severity"))
    if "secondary" in content:
        out += ["", f"{hashes} 二次被害防止策例 {{: #{anchor}-secondary .hb-extra }}", ""]
        out.append(measures_table("二次被害防止策例", content["secondary"]))
    for note in content.get("notes", []):
        out += ["", f'<p class="hb-note">※{escape(note)}</p>']
    return out


def basics_page(handbook: Handbook) -> str:
    """基本的な考え方 and the basic steps, every ◎ a checkable step."""
    basics = handbook.basics
    contacts = {c["id"]: c for c in handbook.organization["contacts"]}
    revised = handbook.revised_steps("basics")
    out = [
        "# 基本的な考え方・基本ステップ",
        "",
        contact_box(handbook.primary_contact),
        "",
        "## １．基本的な考え方 {: #concept }",
        "",
        f"### {basics['purpose']['title']} {{: #purpose }}",
        "",
    ]
    out += [escape(p) + "\n" for p in basics["purpose"]["paragraphs"]]
    out += [
        "### 情報セキュリティ事故対応の主な流れ {: #flow }",
        "",
        reporting_chain_block(handbook.organization),
        "",
        "## ２．事故対応の基本ステップ {: #steps }",
        "",
        progress_panel(),
        "",
        diagram(basic_steps_mermaid(basics), "事故対応の基本ステップ"),
    ]
    for stage in basics["stages"]:
        out += ["", f"### {stage['title']} {{: #{stage['id']} }}", ""]
        if stage.get("lead"):
            out += [f'<p class="hb-lead">{escape(stage["lead"])}</p>', ""]
        if stage.get("steps"):
            out.append(checklist("basics", stage["steps"], contacts, revised))
        out += [f'<p class="hb-note">◆{escape(n)}</p>' for n in stage.get("notes", [])]
        for group in stage.get("groups", []):
            out += ["", f"#### {group['title']} {{: #{stage['id']}-{group['id']} }}", ""]
            if group.get("lead"):
                out += [f'<p class="hb-lead">{escape(group["lead"])}</p>', ""]
            out.append(checklist("basics", group["steps"], contacts, revised))
            out += [f'<p class="hb-note">{escape(n)}</p>' for n in group.get("notes", [])]
    return "\n".join(out) + "\n"


def reporting_chain_list(organization: dict) -> str:
    """The chain as a plain list that reads without JavaScript (and on paper)."""
    names = {o["id"]: o["name"] for o in organization["origins"]}
    names.update({c["id"]: c["name"] for c in organization["contacts"]})
    rows = "".join(
        f"<li>{escape(names[link['from']])} → {escape(names[link['to']])}"
        + (f"（{escape(link['label'])}）" if link.get("label") else "")
        + "</li>"
        for link in organization["reporting_chain"]
    )
    return f'<ol class="hb-chain">{rows}</ol>'


def reporting_chain_block(organization: dict) -> str:
    """The chain as a diagram followed by the same chain as a list."""
    return (
        diagram(reporting_chain_mermaid(organization), "報告ルート")
        + "\n\n"
        + reporting_chain_list(organization)
    )


def contacts_page(handbook: Handbook) -> str:
    """報告ルートと連絡先: the chain, then every contact with its phones."""
    org = handbook.organization
    out = [
        "# 報告ルートと連絡先",
        "",
        contact_box(handbook.primary_contact),
        "",
        "## 報告ルート {: #chain }",
        "",
        reporting_chain_block(handbook.organization),
        "",
        "## 事故が発生する組織 {: #origins }",
        "",
        '<ul class="hb-origins">'
        + "".join(
            f"<li><strong>{escape(o['name'])}</strong>"
            + (f"（{escape(o['detail'])}）" if o.get("detail") else "")
            + "</li>"
            for o in org["origins"]
        )
        + "</ul>",
        "",
        "## 連絡先 {: #contacts }",
        "",
    ]
    for c in org["contacts"]:
        out += [f"### {c['name']} {{: #{c['id']} }}", ""]
        details = []
        if c.get("department"):
            details.append(f"<dt>所属</dt><dd>{escape(c['department'])}</dd>")
        if c.get("role"):
            details.append(f"<dt>役割</dt><dd>{escape(c['role'])}</dd>")
        if c.get("members"):
            details.append(f"<dt>構成</dt><dd>{escape('、'.join(c['members']))}</dd>")
        if c.get("phones"):
            details.append(f"<dt>電話</dt><dd>{phone_links(c)}</dd>")
        out += [f'<dl class="hb-contact">{"".join(details)}</dl>', ""]
    return "\n".join(out)


def first_actions(handbook: Handbook) -> str:
    """The actions common to every incident, each linking to its place in the basic steps."""
    steps = basics_steps(handbook.basics)
    stage_of = {
        step["id"]: stage["id"]
        for stage in handbook.basics["stages"]
        for step in stage.get("steps", [])
    }
    rows = []
    for ref in handbook.basics["first_actions"]:
        if ref not in steps:
            raise KeyError(f"first_actions refers to unknown step {ref!r}")
        step = steps[ref]
        note = f"（※{step['note']}）" if step.get("note") else ""
        anchor = stage_of.get(ref, "steps")
        rows.append(f"1. {step['text']}{note} [→ 基本ステップ](basics.md#{anchor})")
    return "\n".join(rows) + "\n"


def type_choices(handbook: Handbook) -> str:
    """The types in plain words, each a large link to its checklist (Markdown links, so
    MkDocs resolves and checks them)."""
    return (
        "\n".join(
            f'- [<span class="hb-choice__plain">{escape(t["plain_title"])}</span> '
            f'<span class="hb-choice__title">{escape(t["number"])} {escape(t["title"])}</span>]'
            f'(types/{tid}.md){{: .hb-choice data-type-id="{tid}" }}'
            for tid, t in handbook.types.items()
        )
        + "\n"
    )


def print_set(handbook: Handbook, pdfs: list[str] | None = None) -> str:
    """print/: a one-sheet card (first actions, reporting chain, contacts), then every
    type's checklist, each starting on a new sheet. pdfs: PDF files to link, if any."""
    basics = basics_steps(handbook.basics)
    org = handbook.organization
    out = [
        "# 印刷用チェックリスト",
        "",
        '<div class="hb-screen-only">',
        "",
        "このページを印刷すると、1枚目に「最初にやること」、続いて事故のタイプごとのチェックリストが"
        "それぞれ新しい用紙から印刷されます（A4縦）。画面でチェックした項目は、印刷にもチェック済みで出ます。",
        "",
        "</div>",
        "",
    ]
    if pdfs:
        out += ["PDF（共有フォルダから印刷する方へ）:", ""]
        out += [f"- [{escape(name)}](pdf/{name})" for name in pdfs]
        out += [""]
    out += [
        "## 最初にやること {: #first .hb-sheet-start }",
        "",
        contact_box(handbook.primary_contact),
        "",
    ]
    for i, ref in enumerate(handbook.basics["first_actions"], start=1):
        step = basics[ref]
        note = f"（※{step['note']}）" if step.get("note") else ""
        out.append(f"{i}. {step['text']}{note}")
    out += ["", "### 報告ルート {: #first-chain }", "", reporting_chain_list(org), ""]
    out += ["### 連絡先 {: #first-contacts }", ""]
    out.append(
        '<ul class="hb-card-contacts">'
        + "".join(
            f"<li><strong>{escape(c['name'])}</strong>"
            + (f" {phone_links(c)}" if c.get("phones") else "")
            + (f"（{escape(c['role'])}）" if c.get("role") else "")
            + "</li>"
            for c in org["contacts"]
        )
        + "</ul>"
    )
    for type_id, incident in handbook.types.items():
        out += [
            "",
            f"## {incident['number']} {incident['title']} {{: #{type_id} .hb-sheet-start }}",
            "",
            contact_box(handbook.primary_contact),
        ]
        out += phase_sections(
            incident,
            f"types/{type_id}",
            handbook,
            level=3,
            basics="basics.md",
            prefix=f"{type_id}-",
        )
    return "\n".join(out) + "\n"


def edition_line(edition: dict) -> str:
    """e.g. 第1版（2026-11-26）: shown on every page and printed sheet."""
    return f"{edition['edition']}（{edition['date']}）"


def revisions_page(handbook: Handbook) -> str:
    """改訂履歴: every edition in the data's order (newest first), with what changed."""
    out = ["# 改訂履歴", "", f"現在の版: **{escape(edition_line(handbook.edition))}**", ""]
    for i, revision in enumerate(handbook.revisions):
        out += [f"## {edition_line(revision)} {{: #edition-{i + 1} .hb-revision }}", ""]
        out += [escape(revision["summary"]), ""]
        out += [f"- {escape(change)}" for change in revision.get("changes", [])]
        if revision.get("steps"):
            out += ["", "変更した手順:", ""]
            out += [f"- `{escape(ref)}`" for ref in revision["steps"]]
        out.append("")
    return "\n".join(out)


def _field(name: str, label: str, control: str = "textarea") -> str:
    field_id = f"hb-field-{name}"
    widget = (
        f'<textarea id="{field_id}" name="{name}" rows="2"></textarea>'
        if control == "textarea"
        else f'<input id="{field_id}" name="{name}" type="{control}">'
    )
    return f'<p class="hb-field"><label for="{field_id}">{escape(label)}</label>{widget}</p>'


def record_form(incident: dict, page_id: str, handbook: Handbook) -> str:
    """事故対応記録: a form for the facts and the severity, a timeline, the 第一報, and
    export/import — all kept in the browser by records.js (hidden without JavaScript).
    Field names come from the question ids in the data: fact-<id>, info-<id>, severity-<id>."""
    facts = next((p["facts"] for p in incident["phases"] if "facts" in p), None)
    severity_ref = next((p["severity"] for p in incident["phases"] if "severity" in p), None)
    parts = [
        _field("discovered", "発見日時", "datetime-local"),
        _field("department", "所属", "text"),
        _field("reporter", "報告者", "text"),
    ]
    if facts:
        info = handbook.question_sets[facts["information"]]
        rows = [
            _field(f"fact-{q['id']}", f"({i}) {q['text']}")
            for i, q in enumerate(facts["questions"], start=1)
        ]
        rows += [_field(f"info-{q['id']}", f"{q['label']} {q['text']}") for q in info["items"]]
        parts.append(f"<fieldset><legend>事実関係を整理する</legend>{''.join(rows)}</fieldset>")
    if severity_ref:
        questions = handbook.question_sets[severity_ref]
        rows = []
        for q in questions["items"]:
            label = f"{q['label']} {q['text']}"
            if q.get("choices"):
                boxes = "".join(
                    f'<label class="hb-choice-box"><input type="checkbox" '
                    f'name="severity-{escape(q["id"])}" value="{escape(c)}"> {escape(c)}</label>'
                    for c in q["choices"]
                )
                rows.append(
                    f'<fieldset class="hb-field"><legend>{escape(label)}</legend>{boxes}</fieldset>'
                )
            else:
                rows.append(_field(f"severity-{q['id']}", label))
        parts.append(
            f"<fieldset><legend>{escape(questions['title'])}</legend>{''.join(rows)}</fieldset>"
        )
    contact = handbook.primary_contact
    return (
        f'<section class="hb-record" data-hb-record data-hb-page="{escape(page_id)}" '
        f'data-hb-type-title="{escape(incident["number"] + " " + incident["title"])}" '
        f'data-hb-to="{escape(contact_text(contact))}" data-search-exclude hidden>'
        '<h2 id="record">事故対応記録</h2>'
        '<p class="hb-record__notice">この記録（回答・メモ・チェック）は、このブラウザの中にだけ保存されます。'
        "サーバには送られず、別のパソコンやブラウザからは見えません。残すときは「JSONで書き出す」で"
        "ファイルに保存し、必要なら情報企画課へ渡してください。</p>"
        '<div class="hb-record__bar">'
        '<label for="hb-record-select">記録</label> <select id="hb-record-select" data-hb-record-select>'
        "</select> "
        '<button type="button" class="md-button" data-hb-record-new>新しい記録</button> '
        '<button type="button" class="md-button" data-hb-record-delete>この記録を削除</button></div>'
        f'<form class="hb-record__form" data-hb-record-form>{"".join(parts)}</form>'
        '<h3 id="timeline">経過（タイムライン）</h3>'
        '<form class="hb-record__note" data-hb-note-form>'
        + _field("note-at", "日時", "datetime-local")
        + _field("note-text", "メモ（例: 警察に届出）", "text")
        + '<button type="submit" class="md-button">メモを追加</button></form>'
        '<ol class="hb-timeline" data-hb-timeline></ol>'
        '<h3 id="first-report">第一報</h3>'
        '<pre class="hb-first-report" data-hb-first-report></pre>'
        '<p><button type="button" class="md-button" data-hb-copy>第一報をコピー</button> '
        '<button type="button" class="md-button" data-hb-print-record>第一報と経過を印刷</button></p>'
        '<h3 id="export">書き出し・読み込み</h3>'
        '<p><button type="button" class="md-button" data-hb-export-json>JSONで書き出す</button> '
        '<button type="button" class="md-button" data-hb-export-text>テキストで書き出す</button></p>'
        '<p class="hb-field"><label for="hb-import">JSONを読み込む</label>'
        '<input id="hb-import" type="file" accept="application/json,.json" data-hb-import></p>'
        '<p class="hb-record__message" role="status" data-hb-record-message></p>'
        "</section>"
    )
