"""The handbook as typed objects: what the templates, hooks and scripts read.

Built by macros.data.load_handbook from files that have passed the schemas and the checks,
so the constructors here trust their input. Field names are the YAML keys, except
`from`/`to` of a reporting-chain link (Python keywords), which become `source`/`target`.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import types
import typing
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Phone:
    label: str
    number: str | None = None  # an outside number, e.g. 090-5110-0331
    extension: str | None = None  # an internal extension, e.g. 2255

    @property
    def tel(self) -> str:
        """The number as a tel: link wants it (digits only)."""
        return re.sub(r"[^0-9+]", "", self.number or "")

    @property
    def text(self) -> str:
        return f"{self.label} " + (f"内線{self.extension}" if self.extension else self.number)


@dataclass(frozen=True)
class Contact:
    id: str
    name: str
    detail: str | None = None  # e.g. 事務局：総務部情報企画課, as the seed writes it
    phones: list[Phone] = field(default_factory=list)
    short_name: str | None = None  # the name in a sentence (e.g. 情報企画課)

    @property
    def text(self) -> str:
        """Name and phones as plain text (printed footers, the 第一報's addressee)."""
        return " ".join([self.name, *(p.text for p in self.phones)])

    @property
    def phones_text(self) -> str:
        return " ".join(p.text for p in self.phones)


@dataclass(frozen=True)
class Origin:
    id: str
    name: str
    detail: str | None = None


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    label: str | None = None


@dataclass(frozen=True)
class Organization:
    name: str
    handbook_title: str
    storage_id: str  # where browsers keep the records: never changes with a name or title
    primary_contact: str
    contacts: list[Contact]
    origins: list[Origin]
    reporting_chain: list[Link]
    terms: dict[str, str] = field(default_factory=dict)  # {name} words of the texts
    storage_shared_across_paths: bool = False  # one store for the id at every path

    def contact(self, contact_id: str) -> Contact:
        for contact in self.contacts:
            if contact.id == contact_id:
                return contact
        raise KeyError(f"unknown contact id {contact_id!r}")

    @property
    def primary(self) -> Contact:
        return self.contact(self.primary_contact)

    @property
    def all_terms(self) -> dict[str, str]:
        """The {name} words, with those every organisation has and the chain's route."""
        names = {c.id: c.short_name or c.name for c in self.contacts}
        links = [(link.source, link.target) for link in self.reporting_chain]
        route = ministry_route(names, links, self.terms.get("ministry"))
        return {
            "organization": self.name,
            "primary_contact": self.primary.name,
            **({"ministry_route": route} if route else {}),
            **self.terms,
        }

    @property
    def site_name(self) -> str:
        return f"{self.name} {self.handbook_title}"

    def node_name(self, node_id: str) -> str:
        """The name of an origin or contact (the ends of reporting-chain links)."""
        for node in [*self.origins, *self.contacts]:
            if node.id == node_id:
                return node.name
        raise KeyError(f"reporting chain refers to unknown id {node_id!r}")


def ministry_route(names: dict[str, str], links: list[tuple[str, str]], ministry) -> str | None:
    """{ministry_route}: who submits to the ministry and via whom, read from the reporting
    chain. names: contact id -> its name in a sentence; links: (from, to) of the chain;
    ministry: the term naming the ministry. From the contact of that name, the chain is
    walked back through contacts (origins are where incidents happen, not senders):
    「情報企画課から総務省」, or with contacts between 「AからB、Cを経て総務省」."""
    target = next((cid for cid, name in names.items() if name == ministry), None)
    if target is None:
        return None
    path = [target]
    while True:
        sender = next((s for s, t in links if t == path[0] and s in names and s not in path), None)
        if sender is None:
            break
        path.insert(0, sender)
    if len(path) < 2:
        return None
    first, *between, last = (names[cid] for cid in path)
    via = f"{'、'.join(between)}を経て" if between else ""
    return f"{first}から{via}{last}"


@dataclass(frozen=True)
class Step:
    id: str
    text: str
    note: str | None = None
    contact: str | None = None


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    steps: list[Step]
    lead: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Stage:
    id: str
    title: str
    lead: str | None = None
    steps: list[Step] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)


@dataclass(frozen=True)
class Purpose:
    title: str
    paragraphs: list[str]


@dataclass(frozen=True)
class Basics:
    purpose: Purpose
    first_actions: list[str]
    stages: list[Stage]

    def steps(self) -> dict[str, Step]:
        """Every step of the basics by id, in page order."""
        out = {}
        for stage in self.stages:
            for step in stage.steps:
                out[step.id] = step
            for group in stage.groups:
                for step in group.steps:
                    out[step.id] = step
        return out

    def stage_of(self, step_id: str) -> str:
        """The anchor of the stage a step stands in (first actions link there)."""
        for stage in self.stages:
            if any(s.id == step_id for s in stage.steps):
                return stage.id
        return "steps"


@dataclass(frozen=True)
class Phase:
    id: str
    number: str
    title: str


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    label: str = ""
    choices: list[str] = field(default_factory=list)
    bracketed: bool = False  # the seed prints the choices in brackets


@dataclass(frozen=True)
class QuestionSet:
    items: list[Question]
    title: str | None = None


@dataclass(frozen=True)
class MeasureItem:
    """One row of a 応急処置例 / 二次被害防止策例 table, with the 留意点 beside it."""

    text: str
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Measures:
    items: list[MeasureItem]

    @property
    def has_notes(self) -> bool:
        return any(item.notes for item in self.items)


@dataclass(frozen=True)
class Note:
    """A ※ note of a phase; an id lets まずやること point at it."""

    text: str
    id: str | None = None
    position: str = "after-table"  # or before-table: where the seed prints it


@dataclass(frozen=True)
class Facts:
    questions: list[Question]
    information: str  # a question-set id
    storage_hint: str | None = None


@dataclass(frozen=True)
class TypePhase:
    phase: str  # a phase id
    steps: list[Step]
    facts: Facts | None = None
    first_aid: Measures | None = None
    secondary: Measures | None = None
    severity: str | None = None  # a question-set id
    notes: list[Note] = field(default_factory=list)

    def notes_at(self, position: str) -> list[Note]:
        return [note for note in self.notes if note.position == position]


@dataclass(frozen=True)
class IncidentType:
    id: str  # the file name
    number: str
    title: str
    short_title: str
    plain_title: str
    urgent: list[str]
    cases: list[str]
    triggers: list[str]
    phases: list[TypePhase]
    keywords: list[str] = field(default_factory=list)  # search only, never shown
    yomi: list[str] = field(default_factory=list)  # readings of key terms, search only

    @property
    def page_id(self) -> str:
        return f"types/{self.id}"

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}"

    def steps(self) -> dict[str, Step]:
        return {step.id: step for phase in self.phases for step in phase.steps}

    def notes(self) -> dict[str, Note]:
        """The ※ notes that have an id, by id."""
        return {note.id: note for phase in self.phases for note in phase.notes if note.id}

    def phase(self, phase_id: str) -> TypePhase | None:
        return next((p for p in self.phases if p.phase == phase_id), None)

    @property
    def facts(self) -> Facts | None:
        return next((p.facts for p in self.phases if p.facts), None)

    @property
    def severity(self) -> str | None:
        return next((p.severity for p in self.phases if p.severity), None)


@dataclass(frozen=True)
class Revision:
    edition: str
    date: str
    summary: str
    changes: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)  # "types/<id>/<step>" or "basics/<step>"

    @property
    def line(self) -> str:
        """e.g. 第1版（2026-11-26）: shown on every page and printed sheet."""
        return f"{self.edition}（{self.date}）"


@dataclass(frozen=True)
class Inject:
    after_minutes: int
    text: str


@dataclass(frozen=True)
class Scenario:
    """A drill's scenario (data/scenarios/<id>.yml): a 事故事例 of the manual by type and
    number (case, 1-based) and/or the office's own text, with injects and target minutes."""

    id: str  # the file name
    type: str
    case: int | None = None
    trigger: int | None = None  # 1-based, among the type's 発覚のきっかけ
    title: str = ""
    text: str = ""  # the office's words
    injects: list[Inject] = field(default_factory=list)
    targets: dict[str, int] = field(default_factory=dict)  # phase id -> minutes


@dataclass(frozen=True)
class Handbook:
    organization: Organization
    basics: Basics
    phases: list[Phase]
    question_sets: dict[str, QuestionSet]
    revisions: list[Revision]  # newest first
    types: dict[str, IncidentType]  # by id, ordered by number
    scenarios: dict[str, Scenario] = field(default_factory=dict)  # by id, by type's order

    @property
    def edition(self) -> Revision:
        return self.revisions[0]

    @property
    def primary_contact(self) -> Contact:
        return self.organization.primary

    def revised_steps(self, page_id: str) -> set[str]:
        """Ids of the steps of a page changed in the current edition."""
        return {
            ref.rsplit("/", 1)[1] for ref in self.edition.steps if ref.rsplit("/", 1)[0] == page_id
        }

    def phase(self, phase_id: str) -> Phase:
        for phase in self.phases:
            if phase.id == phase_id:
                return phase
        raise KeyError(f"unknown phase id {phase_id!r}")

    def changed_step(self, ref: str) -> tuple[str, str, str]:
        """A revision's step reference ("types/<id>/<step>" or "basics/<step>") as
        (Markdown file, anchor of its checkbox, its text): 改訂履歴 links to it."""
        page_id, step_id = ref.rsplit("/", 1)
        steps = self.basics.steps() if page_id == "basics" else self.types[page_id[6:]].steps()
        anchor = f"step-{page_id.replace('/', '-')}-{step_id}"
        return f"{page_id}.md", anchor, steps[step_id].text

    def step_ids(self) -> dict[str, list[str]]:
        """Page id -> its step ids: what saved progress and printed sheets refer to."""
        pages = {"basics": list(self.basics.steps())}
        for incident in self.types.values():
            pages[incident.page_id] = list(incident.steps())
        return pages


# --- from validated YAML ------------------------------------------------------------

RENAMED = {"from": "source", "to": "target"}


@functools.cache
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def build(cls, value):
    """A dataclass (or list/dict/optional of them) from validated YAML values."""
    origin = typing.get_origin(cls)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in typing.get_args(cls) if a is not type(None)]
        return None if value is None else build(inner, value)
    if origin is list:
        (inner,) = typing.get_args(cls)
        return [build(inner, v) for v in value]
    if origin is dict:
        _, inner = typing.get_args(cls)
        return {k: build(inner, v) for k, v in value.items()}
    if dataclasses.is_dataclass(cls):
        hints = _hints(cls)
        kwargs = {RENAMED.get(k, k): v for k, v in value.items()}
        return cls(**{k: build(hints[k], v) for k, v in kwargs.items()})
    return value
