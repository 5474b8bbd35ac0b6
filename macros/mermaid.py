"""Mermaid flowchart sources made from the data (text, not HTML: diagram.html escapes it).

Labels are quoted, and the characters Mermaid or HTML would read as markup are written
as Mermaid's entity codes, so a data text can only ever be drawn as text.
"""

from __future__ import annotations

from .model import Basics, IncidentType, Organization, Phase
from .words import WORDS

_ENTITIES = {"&": "#amp;", "<": "#lt;", ">": "#gt;", '"': "#quot;", "#": "#35;"}


def label(*lines: str) -> str:
    """A quoted node or edge label; lines are joined with Mermaid's line break."""
    text = "<br/>".join(
        "".join(_ENTITIES.get(ch, ch) for ch in " ".join(line.splitlines()))
        for line in lines
        if line
    )
    return f'"{text}"'


def reporting_chain(organization: Organization) -> str:
    """The reporting chain as a top-down flowchart: origins → … → 総務省."""
    # As the seed's boxes: an origin's detail in brackets, a contact's phones after
    # 「連絡先：」, one phone a line (seed lines 23-41).
    in_brackets = WORDS["reporting_chain"]["in_brackets"]
    nodes = {
        o.id: (o.name, in_brackets.format(text=o.detail) if o.detail else "")
        for o in organization.origins
    }
    for c in organization.contacts:
        phones = [p.text for p in c.phones]
        if phones:
            phones[0] = WORDS["reporting_chain"]["first_phone"].format(phone=phones[0])
        nodes[c.id] = (c.name, c.detail or "", *phones)
    used: list[str] = []
    for link in organization.reporting_chain:
        for end in (link.source, link.target):
            if end not in nodes:
                raise ValueError(f"reporting chain refers to unknown id {end!r}")
            if end not in used:
                used.append(end)
    key = {node_id: f"n{i}" for i, node_id in enumerate(used)}
    lines = ["flowchart TD"]
    lines += [f"  {key[n]}[{label(*nodes[n])}]" for n in used]
    for link in organization.reporting_chain:
        arrow = f"-->|{label(link.label)}|" if link.label else "-->"
        lines.append(f"  {key[link.source]} {arrow} {key[link.target]}")
    return "\n".join(lines)


def basic_steps(basics: Basics) -> str:
    """The basic steps in order; the last stage's groups fan out side by side."""
    start = label(WORDS["page"]["basic_steps_start"])
    lines = ["flowchart TD", f"  start([{start}])"]
    previous = "start"
    for i, stage in enumerate(basics.stages):
        node = f"s{i}"
        lines.append(f"  {node}[{label(stage.title)}]")
        lines.append(f"  {previous} --> {node}")
        for g, group in enumerate(stage.groups):
            lines.append(f"  {node}g{g}[{label(group.title)}]")
            lines.append(f"  {node} --> {node}g{g}")
            # a group's notes are the figure's side labels (e.g. 計画 …と協議)
            for k, note in enumerate(group.notes):
                lines.append(f"  {node}g{g}n{k}[{label(note)}]")
                lines.append(f"  {node}g{g} -.-> {node}g{g}n{k}")
        previous = node
    return "\n".join(lines)


def phase_flow(incident: IncidentType, phases: list[Phase]) -> str:
    """The five phases of a type, each with its number of steps."""
    lines = ["flowchart LR"]
    for i, phase in enumerate(phases):
        content = incident.phase(phase.id)
        detail = (
            WORDS["page"]["flow_steps"].format(count=len(content.steps))
            if content
            else WORDS["page"]["flow_missing"]
        )
        lines.append(f"  p{i}[{label(phase.number + phase.title, detail)}]")
        if i:
            lines.append(f"  p{i - 1} --> p{i}")
    return "\n".join(lines)
