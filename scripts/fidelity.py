"""原本対照表: where each line of the manual (tests/fixtures/seed.txt) is on the site, which
lines are not carried (and why), and which texts of the site are not in the manual; with
the gate of scripts/fidelity_items.py (every item of the manual whole, in its type, phase
and position; the phone numbers; the figures), whose decisions the report lists.

Usage:  python scripts/dev.py fidelity [--check] [--site DIR] [--out FILE]
        (in .venv: python -m scripts.fidelity ...)
builds the site into a temporary folder (or reads the build in DIR) and writes the report,
in Japanese Markdown, to fidelity-report.md in the project root (or FILE; git ignores the
default one); --check writes nothing. Exits with 1 when either check finds a problem: the
same problems tests/test_fidelity.py fails on.

How the seed is read (a PDF extracted to text: columns and tables are broken):
  * Text is compared normalised: NFKC (full-width letters and digits become half-width),
    no whitespace, and the list markers the PDF prints before items dropped (◆ ◎ ※ ・ (1)
    a) and a leading digit), since the site shows those as list structure.
  * A line is split into pieces where the PDF put two table columns side by side: two or
    more spaces, or a space before ・ ※ ◎ ◆ or before a row number ("… ２ 誤って…").
  * Pieces are joined into blocks the way the PDF wrapped them: the next non-blank line
    continues a block when it does not start a new item, number or heading, and either
    follows directly or the line before it ends without a space (the extraction leaves a
    space at the end of a paragraph and none where it wrapped a line).
  * A block that starts with ◆, ◎ or ※ is an item: whole, in its place, it is checked by
    scripts/fidelity_items.py; here its lines cannot be given a reason to be left out.
    Known extraction glitches the site corrects are listed one by one (line, seed text,
    site text) in tests/fixtures/seed-not-carried.yml; nothing is matched loosely.
  * A line is carried when its block is in one element of a built page, or else each of
    its pieces is. Every other line needs a reason in tests/fixtures/seed-not-carried.yml
    (by line number and text); a reason for a carried line is stale.
  * Where: the first element that has it, on the page of its section first (basics/ for
    sections 1-2, types/<id>/ for 3-N), then basics, the types, home, the others, print;
    elements outside まずやること, the contact box, diagrams and the record first.

How the site is read: the built pages' <article> only (Material's header, navigation,
search and footer are not content), one text per element (p, li, td, heading, label,
button…; inline elements such as a span or a link belong to their element), with the id
of the nearest element before it that has one (#discovery, #step-…, #note-…). A diagram is
read as the labels it draws from its Mermaid source. A text that is not in the seed must
be made of data values, the site's own words (macros/words.py: every words.yml) and the
symbols listed in tests/fixtures/site-own-words.yml; a data value that is not in the seed must be allowed there, by its
field (plain_title, revisions.yml…) or by its exact value. On the page of type 3-N, and
for the values of its file data/types/<id>.yml, "in the seed" means in the seed's part
3-N: words added to an item show up even when another part of the seed has them.
"""

from __future__ import annotations

import argparse
import bisect
import fnmatch
import html
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml

from scripts import fidelity_items

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "seed.txt"
NOT_CARRIED = ROOT / "tests" / "fixtures" / "seed-not-carried.yml"
OWN_WORDS = ROOT / "tests" / "fixtures" / "site-own-words.yml"
REPORT = ROOT / "fidelity-report.md"
# Data files whose values are site text (published-steps.yml holds ids only).
DATA_FILES = ["data/*.yml", "data/types/*.yml", "data/scenarios/*.yml"]
DATA_SKIP = {"data/published-steps.yml", "data/accessibility.yml"}  # not the manual: ABOUT_THE_SITE
# Keys whose text values are references or ids, never shown as text.
REFERENCE_KEYS = {
    "id",
    "phase",
    "information",
    "severity",
    "primary_contact",
    "from",
    "to",
    "position",
    "urgent",
    "first_actions",
}
# Where the site's own labels are written: searched to name the file an unknown text
# comes from, and to check that each label of the allow-list is where it says.
SOURCE_FILES = [
    "components/*/*.html",
    "components/*/*.md",
    "macros/pages/*",
    "docs/*.md",
    "macros/*.py",
    "overrides/*.html",
]

# --- normalising ------------------------------------------------------------------------

# Markers the PDF prints before items; the site shows them as list structure instead.
LEADING_MARKS = re.compile(r"^(?:[◆◎※・]|\(\d\)|[a-e]\)|\d(?=\D))+")
# Where the PDF put two columns on one line (on the raw line, before normalising).
COLUMN_GAP = re.compile(r"\s{2,}|\s+(?=[・※◎◆])|\s+(?=[0-9０-９]\s)")
# A piece (NFKC, stripped) that starts something new: an item, a numbered question or
# table row, a section heading (3. / 3-1 / (1)), a page identifier.
NEW_BLOCK = re.compile(r"^(?:[◆◎※・]|\(\d+\)|[a-e]\)|\d+(?:\s|$)|\d\.|\d-\d|p\d+$)")
HEADINGS = (
    "事実関係を整理する",
    "被害の重要度を判定する",
    "応急処置例",
    "二次被害防止策例",
    "事故事例",
)
ITEM_MARKS = "◆◎※"
SECTION = re.compile(r"^(\d+-\d+)")


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def strip_marks(text: str) -> str:
    return LEADING_MARKS.sub("", text)


# --- the seed ---------------------------------------------------------------------------


@dataclass
class Correction:
    """A known extraction glitch the site corrects (seed-not-carried.yml, corrections)."""

    line: int
    seed: str
    site: str
    reason: str = ""
    used: bool = False


@dataclass
class Block:
    """Pieces of consecutive lines that the PDF wrapped: a paragraph, an item, a label."""

    lines: list[int]
    text: str  # normalised, markers dropped, corrected
    mark: str  # ◆ ◎ ※ for an item, else ""
    section: str  # "" (sections 1-2) or a type's number, e.g. "3-1"
    raw: str = ""  # the pieces as the seed writes them, joined


@dataclass
class SeedLine:
    number: int
    raw: str  # stripped
    section: str
    # Each piece (normalised, markers dropped, corrected) with the block it belongs to.
    parts: list[tuple[str, Block]] = field(default_factory=list)

    @property
    def pieces(self) -> list[str]:
        return [piece for piece, _ in self.parts if piece]

    @property
    def in_item(self) -> bool:
        return any(block.mark for _, block in self.parts)


@dataclass
class Seed:
    lines: list[SeedLine]  # the non-blank lines
    blocks: list[Block]
    corpus: str  # the whole seed normalised (markers kept), corrected
    corrections: list[Correction] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)  # "3-1" -> its part of corpus

    @property
    def items(self) -> list[Block]:
        return [b for b in self.blocks if b.mark and b.text]

    def line(self, number: int) -> SeedLine | None:
        return next((line for line in self.lines if line.number == number), None)


def _starts_new(piece: str) -> bool:
    text = unicodedata.normalize("NFKC", piece).strip()
    return bool(NEW_BLOCK.match(text)) or text.startswith(HEADINGS)


def _correct(text: str, number: int, corrections: list[Correction]) -> str:
    for c in corrections:
        if c.line == number and normalise(c.seed) in text:
            text = text.replace(normalise(c.seed), normalise(c.site))
            c.used = True
    return text


def parse_seed(text: str, corrections: list[Correction] | None = None) -> Seed:
    corrections = corrections or []
    lines: list[SeedLine] = []
    blocks: list[Block] = []
    corpus: list[str] = []
    sections: dict[str, str] = {}
    section = ""
    current: Block | None = None
    blank_before = False
    wrapped = False  # the previous non-blank line ended without a space
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            blank_before = True
            continue
        heading = SECTION.match(normalise(raw))
        if heading:
            section = heading.group(1)
        corpus.append(_correct(normalise(raw), number, corrections))
        sections[section] = sections.get(section, "") + corpus[-1]
        line = SeedLine(number, raw.strip(), section)
        for i, raw_piece in enumerate(p for p in COLUMN_GAP.split(raw.strip()) if p.strip()):
            piece = _correct(strip_marks(normalise(raw_piece)), number, corrections)
            continues = (
                i == 0
                and current is not None
                and not _starts_new(raw_piece)
                and (wrapped or not blank_before)
            )
            if not continues:
                first = raw_piece.strip()[0]
                current = Block([], "", first if first in ITEM_MARKS else "", section)
                blocks.append(current)
            if number not in current.lines:
                current.lines.append(number)
            current.text += piece
            current.raw += raw_piece.strip()
            line.parts.append((piece, current))
        lines.append(line)
        blank_before = False
        wrapped = raw == raw.rstrip()
    return Seed(lines, blocks, "".join(corpus), corrections, sections)


# --- the site ---------------------------------------------------------------------------

# Elements whose text is one text of the page (inline elements belong to their element).
BLOCK_TAGS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "button",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "label",
    "legend",
    "li",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "section",
    "select",
    "summary",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}
SKIP_TAGS = {"script", "style", "template", "noscript"}
# Mermaid: "quoted labels", lines joined with <br/>, markup written as entity codes.
MERMAID_LABEL = re.compile(r'"([^"]*)"')
MERMAID_ENTITIES = {"#amp;": "&", "#lt;": "<", "#gt;": ">", "#quot;": '"', "#35;": "#"}


@dataclass
class Unit:
    """One text of a page: an element's own text (with its inline elements)."""

    page: str  # URL path, e.g. /types/malware/
    text: str  # normalised
    raw: str  # as shown, whitespace collapsed
    anchors: list[tuple[int, str]]  # (offset in text, id of the nearest element before)
    excluded: bool = False  # inside まずやること, the contact box, a diagram, the record
    tag: str = ""  # the element's tag

    def anchor_at(self, offset: int) -> str:
        i = bisect.bisect_right([k for k, _ in self.anchors], offset) - 1
        return self.anchors[max(i, 0)][1] if self.anchors else ""


@dataclass
class Page:
    url: str
    units: list[Unit]
    number: str = ""  # a type page's number (from its h1), e.g. 3-1

    def __post_init__(self):
        self._joined: dict[bool, tuple[str, list[int], list[Unit]]] = {}
        self._whole: dict[bool, dict[str, Unit]] = {False: {}, True: {}}
        for unit in self.units:
            self._whole[unit.excluded].setdefault(unit.text, unit)
            self._whole[unit.excluded].setdefault(strip_marks(unit.text), unit)

    def _index(self, excluded: bool):
        if excluded not in self._joined:
            units = [u for u in self.units if u.excluded == excluded]
            starts, text = [], []
            offset = 0
            for u in units:
                starts.append(offset)
                text.append(u.text)
                offset += len(u.text) + 1
            self._joined[excluded] = ("\n".join(text), starts, units)
        return self._joined[excluded]

    def find(self, text: str) -> Place | None:
        """The first element whose text is text (its list marker aside), else the first
        that contains it; outside the excluded parts first."""
        for excluded in (False, True):
            unit = self._whole[excluded].get(text)
            if unit:
                return Place(self.url, unit.anchor_at(0), unit)
            joined, starts, units = self._index(excluded)
            k = joined.find(text)
            if k >= 0:
                i = bisect.bisect_right(starts, k) - 1
                return Place(self.url, units[i].anchor_at(k - starts[i]), units[i])
        return None


@dataclass
class Place:
    page: str
    anchor: str
    unit: Unit

    def __str__(self) -> str:
        return f"{self.page}#{self.anchor}" if self.anchor else self.page


class _ArticleParser(HTMLParser):
    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.units: list[Unit] = []
        self.in_article = False
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, is block, excluded)
        self.buffers: list[list[tuple[str, str]]] = []  # per open block: (text, anchor)
        self.anchor = ""
        self.skip = 0
        self.mermaid: list[str] | None = None

    @property
    def excluded(self) -> bool:
        return any(e for _, _, e in self.stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if not self.in_article:
            if tag == "article":
                self.in_article = True
                self.stack = [("article", True, False)]
                self.buffers = [[]]
            return
        if a.get("id"):
            self.anchor = a["id"]
        if tag in VOID_TAGS:
            return
        if tag in SKIP_TAGS:
            self.skip += 1
        excluded = "data-search-exclude" in a
        block = tag in BLOCK_TAGS
        self.stack.append((tag, block, excluded))
        if block:
            self.buffers.append([])
        if tag == "pre" and "hb-diagram__source" in (a.get("class") or ""):
            self.mermaid = []

    def handle_startendtag(self, tag, attrs):
        if self.in_article and dict(attrs).get("id"):
            self.anchor = dict(attrs)["id"]

    def handle_endtag(self, tag):
        if not self.in_article or tag in VOID_TAGS:
            return
        if not any(t == tag for t, _, _ in self.stack):
            return  # a stray end tag
        while self.stack:
            open_tag, block, _ = self.stack[-1]
            excluded = self.excluded
            self.stack.pop()
            if open_tag in SKIP_TAGS:
                self.skip -= 1
            if block:
                parts = self.buffers.pop()
                if open_tag == "pre" and self.mermaid is not None:
                    self._mermaid_units("".join(t for t, _ in parts), excluded)
                    self.mermaid = None
                else:
                    self._unit(parts, excluded, open_tag)
            if open_tag == tag:
                break
        if not self.stack:
            self.in_article = False

    def handle_data(self, data):
        if self.in_article and not self.skip and self.buffers:
            self.buffers[-1].append((data, self.anchor))

    def _unit(self, parts: list[tuple[str, str]], excluded: bool, tag: str = "") -> None:
        text, anchors, raw = "", [], ""
        for data, anchor in parts:
            piece = normalise(data)
            if not piece:
                raw += data
                continue
            if not anchors or anchors[-1][1] != anchor:
                anchors.append((len(text), anchor))
            text += piece
            raw += data
        if text:
            raw = " ".join(raw.split())
            self.units.append(Unit(self.url, text, raw, anchors, excluded, tag))

    def _mermaid_units(self, source: str, excluded: bool) -> None:
        for label in MERMAID_LABEL.findall(source):
            for code, char in MERMAID_ENTITIES.items():
                label = label.replace(code, char)
            for line in label.split("<br/>"):
                self._unit([(line, self.anchor)], excluded)


def parse_page(url: str, page_html: str) -> Page:
    parser = _ArticleParser(url)
    parser.feed(page_html)
    parser.close()
    page = Page(url, parser.units)
    h1 = next((u for u in page.units if u.tag == "h1"), None)
    if url.startswith("/types/") and h1 and SECTION.match(h1.text):
        page.number = SECTION.match(h1.text).group(1)
    return page


def _page_order(page: Page):
    if page.url == "/basics/":
        return (0, "")
    if page.number:
        return (1, tuple(int(n) for n in page.number.split("-")))
    order = {"/": 2, "/contacts/": 3, "/print/": 9}
    return (order.get(page.url, 4), page.url)


# Pages about the site, not the manual: the accessibility test results (data/accessibility.yml,
# docs/accessibility.md) quote no line of the seed and add no word to the manual.
ABOUT_THE_SITE = {"/accessibility/"}


def read_site(site: Path) -> list[Page]:
    """Every built page (index.html) in the order places are looked up."""
    pages = []
    for path in sorted(site.rglob("index.html")):
        rel = path.parent.relative_to(site).as_posix()
        url = "/" if rel == "." else f"/{rel}/"
        if url in ABOUT_THE_SITE:
            continue
        pages.append(parse_page(url, path.read_text(encoding="utf-8")))
    return sorted(pages, key=_page_order)


# --- data values and the allow-list -----------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where a data value is written: file and place, e.g. phases[1].steps[0].text."""

    file: str
    path: str

    @property
    def field(self) -> str:
        """The place without indexes, e.g. phases[].steps[].text."""
        return re.sub(r"\[\d+\]", "[]", self.path)


def _walk(value, path: str, key: str, out: dict[str, tuple[str, list[str]]]):
    if isinstance(value, dict):
        for k, v in value.items():
            _walk(v, f"{path}.{k}" if path else str(k), str(k), out)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _walk(v, f"{path}[{i}]", key, out)
    elif isinstance(value, str) and key not in REFERENCE_KEYS:
        out.setdefault(path, (value, []))


def data_values(root: Path = ROOT) -> dict[str, list[tuple[Source, str]]]:
    """Every text value of the data, normalised -> [(where, as shown)]: with {name}
    placeholders replaced by organization.yml's terms, as the pages show them."""
    from macros.checks import organization_terms
    from macros.data import expand_terms, read_yaml

    terms = organization_terms(read_yaml(root / "data" / "organization.yml"))
    values: dict[str, list[tuple[Source, str]]] = {}
    files = sorted({p for pattern in DATA_FILES for p in root.glob(pattern)})
    for path in files:
        rel = path.relative_to(root).as_posix()
        if rel in DATA_SKIP:
            continue
        found: dict[str, tuple[str, list[str]]] = {}
        _walk(expand_terms(read_yaml(path), terms), "", "", found)
        for where, (value, _) in found.items():
            if normalise(value):
                values.setdefault(normalise(value), []).append((Source(rel, where), value))
    return values


@dataclass
class Label:
    text: str  # as written in the allow-list
    files: list[str]
    used: bool = False
    sometimes: bool = False  # shown by some builds only: neither its use nor file checked
    catalogue: bool = False  # a word of macros/words.py: there by construction, maybe only in JS


@dataclass
class FieldRule:
    file: str  # a pattern, e.g. data/types/*.yml
    field: str  # e.g. plain_title, keywords[], or * for every field of the file
    reason: str
    matched: bool = False

    def allows(self, source: Source) -> bool:
        return fnmatch.fnmatchcase(source.file, self.file) and self.field in ("*", source.field)


@dataclass
class ValueRule:
    file: str
    field: str
    text: str
    reason: str
    used: bool = False

    def allows(self, source: Source, value: str) -> bool:
        return (
            source.file == self.file
            and source.field == self.field
            and normalise(value) == normalise(self.text)
        )


@dataclass
class OwnWords:
    labels: dict[str, Label]  # normalised text -> label
    fields: list[FieldRule]
    values: list[ValueRule]
    symbols: str


def own_words_from(data: dict) -> OwnWords:
    labels: dict[str, Label] = {}
    for key, sometimes in (("labels", False), ("only_sometimes", True)):
        for file, texts in (data.get(key) or {}).items():
            for text in texts or []:
                label = labels.setdefault(normalise(text), Label(text, [], sometimes=sometimes))
                label.files.append(file)
    fields = [
        FieldRule(f["file"], f["field"], f.get("reason", "")) for f in data.get("fields") or []
    ]
    values = [
        ValueRule(v["file"], v["field"], v["text"], v.get("reason", ""))
        for v in data.get("values") or []
    ]
    return OwnWords(labels, fields, values, normalise(data.get("symbols") or ""))


def read_own_words(path: Path = OWN_WORDS, root: Path = ROOT) -> OwnWords:
    """The allow-list: the catalogue of the site's words (macros/words.py: every part of
    each word that is shown as written), then what tests/fixtures/site-own-words.yml adds
    (data fields and values, symbols, words of some builds only)."""
    from macros import words

    own = own_words_from(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    for group, entries in words.load(root).items():
        file = words.files(root)[group].relative_to(root).as_posix()
        for text in entries.values():
            for piece in words.pieces(text):
                label = own.labels.setdefault(normalise(piece), Label(piece, [], catalogue=True))
                if label.catalogue:  # a word listed by hand too stays checked as listed
                    label.files.append(file)
    return own


@dataclass
class Reason:
    lines: list[int]
    text: str
    reason: str
    used: set[int] = field(default_factory=set)


def reasons_from(data: dict) -> tuple[list[Reason], list[Correction]]:
    reasons = [
        Reason(list(r["lines"]), str(r["text"]), str(r["reason"]))
        for r in data.get("not_carried") or []
    ]
    corrections = [
        Correction(int(c["line"]), str(c["seed"]), str(c["site"]), str(c.get("reason", "")))
        for c in data.get("corrections") or []
    ]
    return reasons, corrections


def read_reasons(path: Path = NOT_CARRIED) -> tuple[list[Reason], list[Correction]]:
    return reasons_from(yaml.safe_load(path.read_text(encoding="utf-8")) or {})


def source_texts(root: Path = ROOT) -> dict[str, str]:
    """The site's own source files, normalised, markup and Markdown links removed."""
    out = {}
    for pattern in SOURCE_FILES:
        for path in sorted(root.glob(pattern)):
            text = path.read_text(encoding="utf-8")
            text = re.sub(r"<[^>]+>", "", text)
            text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
            out[path.relative_to(root).as_posix()] = normalise(html.unescape(text))
    return out


# --- the check --------------------------------------------------------------------------


@dataclass
class LineResult:
    line: SeedLine
    places: list[Place]  # where its block, or each of its pieces, is (distinct)
    missing: list[str]  # pieces found nowhere
    reason: Reason | None = None

    @property
    def carried(self) -> bool:
        return bool(self.places) and not self.missing


@dataclass
class SiteText:
    """A text of the site that is not in the seed, under the file it comes from."""

    file: str
    text: str  # as written in that file (or as shown, for an unknown text)
    kind: str  # "data", "label" or "unknown"
    allowed: bool
    why: str  # the field(s) or the allow-list's reason
    places: list[Place] = field(default_factory=list)


@dataclass
class Problem:
    kind: str
    message: str

    def __str__(self) -> str:
        return f"[{self.kind}] {self.message}"


@dataclass
class Result:
    seed: Seed
    lines: list[LineResult]
    site_texts: list[SiteText]
    problems: list[Problem]

    def of_kind(self, *kinds: str) -> list[Problem]:
        return [p for p in self.problems if p.kind in kinds]


def _search_order(pages: list[Page], section: str) -> list[Page]:
    def home(page: Page) -> bool:
        return page.number == section if section else page.url == "/basics/"

    return [p for p in pages if home(p)] + [p for p in pages if not home(p)]


def _find(text: str, pages: list[Page]) -> Place | None:
    for page in pages:
        place = page.find(text)
        if place:
            return place
    return None


def check_lines(
    seed: Seed, pages: list[Page], reasons: list[Reason]
) -> tuple[list[LineResult], list[Problem]]:
    problems = []
    by_line: dict[int, Reason] = {}
    for reason in reasons:
        for number in reason.lines:
            line = seed.line(number)
            if line is None:
                problems.append(
                    Problem(
                        "reason", f"理由のある{number}行は原本にない（空行か範囲外）: {reason.text}"
                    )
                )
            elif normalise(line.raw) != normalise(reason.text):
                problems.append(
                    Problem(
                        "reason",
                        f"{number}行の文字が理由の文字と違う（原本が変わった?）: "
                        f"原本「{line.raw}」／理由「{reason.text}」",
                    )
                )
            else:
                by_line[number] = reason
    results = []
    block_places: dict[int, Place | None] = {}
    for line in seed.lines:
        order = _search_order(pages, line.section)
        places: list[Place] = []
        missing: list[str] = []
        for piece, block in line.parts:
            if not piece:
                continue
            if piece.isdigit():  # a page number: no wording to find
                missing.append(piece)
                continue
            if id(block) not in block_places:
                block_places[id(block)] = _find(block.text, order)
            place = block_places[id(block)]
            if place is None:
                place = _find(piece, order)
            if place is None:
                missing.append(piece)
            elif all(str(place) != str(p) for p in places):
                places.append(place)
        if not line.pieces:
            missing.append(normalise(line.raw))
        result = LineResult(line, places, missing, by_line.get(line.number))
        if result.carried and result.reason:
            problems.append(
                Problem(
                    "stale-reason",
                    f"{line.number}行「{line.raw}」はサイトにある（{places[0]}）のに、"
                    f"載せていない理由がある: {result.reason.reason}",
                )
            )
        elif not result.carried and result.reason is None:
            problems.append(
                Problem(
                    "not-carried",
                    f"{line.number}行「{line.raw}」がサイトになく、理由もない"
                    f"（見つからない部分: {'／'.join(missing)}）",
                )
            )
        if result.reason and line.in_item:
            problems.append(
                Problem(
                    "reason",
                    f"{line.number}行は◆・◎・※の項目の行: 載せない理由は書けない",
                )
            )
        results.append(result)
    for c in seed.corrections:
        if not c.used:
            problems.append(
                Problem("stale-correction", f"{c.line}行に「{c.seed}」がない（訂正が古い）")
            )
    return results, problems


def _cover(text: str, candidates: list[str], symbols: str) -> list[tuple[int, int, str | None]]:
    """Split text into candidates, symbols and the rest, with as little rest as possible
    (then as few candidates as possible): [(start, end, candidate or None)]."""
    n = len(text)
    best: list[tuple[int, int] | None] = [None] * (n + 1)
    back: list[tuple[int, str | None]] = [(0, None)] * (n + 1)
    best[0] = (0, 0)

    def relax(j, cost, step):
        if best[j] is None or cost < best[j]:
            best[j], back[j] = cost, step

    for i in range(n):
        if best[i] is None:
            continue
        rest, count = best[i]
        relax(i + 1, (rest + (text[i] not in symbols), count), (i, None))
        for c in candidates:
            if text.startswith(c, i):
                relax(i + len(c), (rest, count + 1), (i, c))
    spans, j = [], n
    while j > 0:
        i, c = back[j]
        spans.append((i, j, c))
        j = i
    return spans[::-1]


def _runs(text: str, spans: list[tuple[int, int, str | None]]) -> list[str]:
    """The runs of text that no candidate covers."""
    runs, run = [], ""
    for start, end, token in spans:
        if token is None:
            run += text[start:end]
        elif run:
            runs.append(run)
            run = ""
    return runs + ([run] if run else [])


def check_site(
    seed: Seed,
    pages: list[Page],
    values: dict[str, list[tuple[Source, str]]],
    own: OwnWords,
    sources: dict[str, str],
) -> tuple[list[SiteText], list[Problem]]:
    """Every text of the site: in the seed, or made of data values (each in the seed or
    allowed), allowed labels and symbols."""
    found: dict[tuple[str, str, str], SiteText] = {}
    rule_used: set[int] = set()

    def add(file, text, kind, allowed, why, place):
        entry = found.setdefault((file, kind, text), SiteText(file, text, kind, allowed, why))
        if all(str(place) != str(p) for p in entry.places):
            entry.places.append(place)

    # A type's file and page carry that type's part of the seed (3-N), the rest all of it.
    numbers = {s.file: v for entries in values.values() for s, v in entries if s.path == "number"}
    numbers = {f: n for f, n in numbers.items() if f.startswith("data/types/")}

    def seed_of(file: str) -> str:
        return seed.sections.get(numbers[file], "") if file in numbers else seed.corpus

    tokens = list(values) + list(own.labels)
    for page in pages:
        corpus = seed.sections.get(page.number, "") if page.number else seed.corpus
        for unit in page.units:
            if unit.text in corpus:
                continue
            place = Place(page.url, unit.anchor_at(0), unit)
            if unit.text in own.labels:
                spans = [(0, len(unit.text), unit.text)]
            else:
                candidates = [t for t in tokens if t in unit.text]
                spans = _cover(unit.text, candidates, own.symbols)
            rest = _runs(unit.text, spans)
            if any(ch not in own.symbols for r in rest for ch in r):
                files = [f for f, t in sources.items() if unit.text in t] or ["（ファイル不明）"]
                unexplained = "／".join(r for r in rest if r.strip(own.symbols))
                for file in files:
                    add(file, unit.raw, "unknown", False, f"説明できない部分: {unexplained}", place)
            for start, _, token in spans:
                if token is None:
                    continue
                if token in own.labels:
                    own.labels[token].used = True
                place_here = Place(page.url, unit.anchor_at(start), unit)
                entries = values.get(token, [])
                # On a type's page, a value written in that type's file comes from there.
                own_file = [(s, v) for s, v in entries if numbers.get(s.file) == page.number]
                entries = own_file if page.number and own_file else entries
                if entries:
                    outside = [(s, v) for s, v in entries if token not in seed_of(s.file)]
                    if outside:
                        _add_value(token, outside, own, rule_used, add, place_here)
                elif token not in seed.corpus:
                    label = own.labels[token]
                    for file in _label_files(label, page.url):
                        add(file, label.text, "label", True, "許可リストの画面の文字", place_here)
    problems = [
        Problem(
            "site-text",
            f"原本にも許可リストにもない文: 「{t.text}」（{t.file}、{t.why}）— "
            + "、".join(str(p) for p in t.places[:3]),
        )
        for t in found.values()
        if not t.allowed
    ]
    problems += _stale_allow_list(own, values, seed, sources, rule_used)
    order = {"data": 0, "label": 1, "unknown": 2}
    texts = sorted(found.values(), key=lambda t: (t.file, order[t.kind], t.places[0].page))
    return texts, problems


def _label_files(label: Label, url: str) -> list[str]:
    """The files a label on this page comes from: the page's own Markdown file
    (docs/<page>.md) when the label is listed there, else its other files."""
    page_file = "docs/index.md" if url == "/" else f"docs/{url.strip('/')}.md"
    if page_file in label.files:
        return [page_file]
    return [f for f in label.files if not f.startswith("docs/")] or label.files


def _add_value(token, sources, own, rule_used, add, place):
    by_file: dict[str, list[tuple[Source, str]]] = {}
    for source, value in sources:
        by_file.setdefault(source.file, []).append((source, value))
    for file, entries in by_file.items():
        whys: dict[str, list[str]] = {}  # reason -> paths
        allowed = True
        for source, value in entries:
            rule = next((r for r in own.fields if r.allows(source)), None)
            exact = next((r for r in own.values if r.allows(source, value)), None)
            if exact:
                exact.used = True
                why = f"確認済みの値: {exact.reason}"
            elif rule:
                rule_used.add(id(rule))
                why = f"項目ごと: {rule.reason}"
            else:
                allowed = False
                why = "許可リストにない"
            whys.setdefault(why, []).append(source.path)
        why = "、".join(f"{'・'.join(paths)}（{why}）" for why, paths in whys.items())
        add(file, entries[0][1], "data", allowed, why, place)


def _stale_allow_list(own, values, seed, sources, rule_used) -> list[Problem]:
    problems = []
    for label in own.labels.values():
        if label.sometimes or label.catalogue:
            continue
        for file in label.files:
            if file not in sources:
                problems.append(Problem("allow-list", f"「{label.text}」のファイル {file} がない"))
            elif normalise(label.text) not in sources[file]:
                problems.append(
                    Problem("allow-list", f"「{label.text}」は {file} にない（許可リストが古い）")
                )
        if not label.used:
            problems.append(
                Problem(
                    "allow-list", f"「{label.text}」はサイトで使われていない（許可リストが古い）"
                )
            )
    every_source = [(s, v) for entries in values.values() for s, v in entries]
    for rule in own.fields:
        if not any(rule.allows(s) for s, _ in every_source):
            problems.append(
                Problem(
                    "allow-list",
                    f"項目 {rule.file} {rule.field} がデータにない（許可リストが古い）",
                )
            )
    for rule in own.values:
        if not any(rule.allows(s, v) for s, v in every_source):
            problems.append(
                Problem(
                    "allow-list",
                    f"値「{rule.text}」が {rule.file} {rule.field} にない（許可リストが古い）",
                )
            )
        elif normalise(rule.text) in seed.corpus:
            problems.append(Problem("allow-list", f"値「{rule.text}」は原本にある（許可は不要）"))
        elif not rule.used:
            problems.append(
                Problem("allow-list", f"値「{rule.text}」はサイトに出ていない（許可リストが古い）")
            )
    return problems


def check(
    seed_text: str,
    pages: list[Page],
    values: dict[str, list[tuple[Source, str]]],
    own: OwnWords,
    reasons: list[Reason],
    corrections: list[Correction],
    sources: dict[str, str],
) -> Result:
    seed = parse_seed(seed_text, corrections)
    lines, line_problems = check_lines(seed, pages, reasons)
    site_texts, site_problems = check_site(seed, pages, values, own, sources)
    return Result(seed, lines, site_texts, line_problems + site_problems)


def check_build(site: Path, root: Path = ROOT) -> Result:
    """The check on a built site against the project's seed, data and fixtures."""
    reasons, corrections = read_reasons(root / NOT_CARRIED.relative_to(ROOT))
    return check(
        (root / SEED.relative_to(ROOT)).read_text(encoding="utf-8"),
        read_site(site),
        data_values(root),
        read_own_words(root / OWN_WORDS.relative_to(ROOT), root),
        reasons,
        corrections,
        source_texts(root),
    )


# --- the report -------------------------------------------------------------------------


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def report(result: Result, gate: fidelity_items.Gate | None = None) -> str:
    lines = result.lines
    carried = [r for r in lines if r.carried]
    not_carried = [r for r in lines if not r.carried]
    with_reason = [r for r in not_carried if r.reason]
    texts = result.site_texts
    allowed = [t for t in texts if t.allowed]
    out = [
        "# 原本対照表",
        "",
        "原本（`tests/fixtures/seed.txt`、PDF から抽出したテキスト）の各行がサイトのどこにあるか、"
        "サイトに載せていない行とその理由、原本にないサイトの文を一覧にしたものです。"
        "`python3 scripts/dev.py fidelity` で作り直せます（読み方は `scripts/fidelity.py` の先頭）。",
        "",
        "## 集計",
        "",
        "| 項目 | 件数 |",
        "|---|---:|",
        f"| 原本の行（空行を除く） | {len(lines)} |",
        f"| サイトに載っている行 | {len(carried)} |",
        f"| サイトに載せていない行 | {len(not_carried)}（理由つき {len(with_reason)}、"
        f"理由なし {len(not_carried) - len(with_reason)}） |",
        *(
            [
                f"| 原本の項目（タイプ・段階・位置ごと） | {gate.items}（違い {len(gate.problems)}） |"
            ]
            if gate
            else []
        ),
        f"| 原本にないサイトの文 | {len(texts)}（許可リストにあるもの {len(allowed)}、"
        f"ないもの {len(texts) - len(allowed)}） |",
        f"| 問題 | {len(result.problems)} |",
        "",
    ]
    problems = result.problems + (gate.problems if gate else [])
    if problems:
        out += ["## 問題", ""]
        out += [f"- {_cell(p)}" for p in problems]
        out.append("")
    if gate:
        out += [
            "## 原本どおりでないところ（判断）",
            "",
            "`tests/fixtures/seed-decisions.yml` に理由と一緒に書いたもの（`notes/content-decisions.md` §9）。",
            "",
        ]
        out += [f"- {_cell(d)}" for d in gate.decisions]
        out += [f"- {_cell(r)}" for r in gate.readings]
        out.append("")
    out += [
        "## 原本の各行とサイトでの位置",
        "",
        "ページ#アンカーは、その行（折り返した文はその文全体）が最初に見つかった場所です。",
        "",
        "| 行番号 | 原本の行 | ページ#アンカー |",
        "|---:|---|---|",
    ]
    for r in lines:
        where = "、".join(str(p) for p in r.places)
        if not r.carried:
            where = ("一部: " + where + "、" if where else "") + (
                "載せていない（下の表）" if r.reason else "**なし（理由なし）**"
            )
        out.append(f"| {r.line.number} | {_cell(r.line.raw)} | {_cell(where)} |")
    out += [
        "",
        "## サイトに載せていない原本の行（理由つき）",
        "",
        "理由は `tests/fixtures/seed-not-carried.yml` に行番号と文字で書いてあります。",
        "",
        "| 行番号 | 原本の行 | 理由 |",
        "|---:|---|---|",
    ]
    for r in not_carried:
        reason = r.reason.reason if r.reason else "**理由なし**"
        out.append(f"| {r.line.number} | {_cell(r.line.raw)} | {_cell(reason)} |")
    if result.seed.corrections:
        out += [
            "",
            "原本の文字を直して照合したところ（抽出時の誤り）:",
            "",
            "| 行番号 | 原本 | サイト | 理由 |",
            "|---:|---|---|---|",
        ]
        out += [
            f"| {c.line} | {_cell(c.seed)} | {_cell(c.site)} | {_cell(c.reason)} |"
            for c in result.seed.corrections
        ]
    out += [
        "",
        "## 原本にないサイトの文（ファイル別）",
        "",
        "許可リストは、サイトの言葉の一覧（各部品の `words.yml` と `macros/pages/words.yml`）と "
        "`tests/fixtures/site-own-words.yml`（データの値・記号）です。"
        "データの値は、その値を書いた項目ごとに示します。",
    ]
    kinds = {"data": "データの値", "label": "画面の文字", "unknown": "不明"}
    current = None
    for t in texts:
        if t.file != current:
            current = t.file
            out += [
                "",
                f"### {t.file}",
                "",
                "| サイトの文 | 種類 | 許可 | 理由・項目 | ページ#アンカー |",
            ]
            out.append("|---|---|---|---|---|")
        places = "、".join(str(p) for p in t.places[:3])
        if len(t.places) > 3:
            places += f" ほか{len(t.places) - 3}か所"
        ok = "○" if t.allowed else "**×**"
        out.append(f"| {_cell(t.text)} | {kinds[t.kind]} | {ok} | {_cell(t.why)} | {places} |")
    out.append("")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="dev.py fidelity",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--site", type=Path, help="a built site to read (default: build one)")
    parser.add_argument("--out", type=Path, default=REPORT, help="the report (Markdown)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="only check (no report): every item of the seed in its place, the numbers, "
        "the figures (scripts/fidelity_items.py) and the lines and words above",
    )
    args = parser.parse_args(argv)
    if args.site:
        result, gate = check_build(args.site.resolve()), fidelity_items.check_build(args.site)
    else:
        from scripts.sitetools import build_site

        with tempfile.TemporaryDirectory() as tmp:
            build = build_site(Path(tmp) / "site", quiet=True)
            if build.returncode != 0:
                print(build.stdout + build.stderr)
                return build.returncode
            result = check_build(Path(tmp) / "site")
            gate = fidelity_items.check_build(Path(tmp) / "site")
    print(
        f"原本の項目 {gate.items}、判断（tests/fixtures/seed-decisions.yml）{len(gate.decisions)}:"
    )
    for decision in gate.decisions:
        print("  判断:", decision)
    for reading in gate.readings:
        print("  判断:", reading)
    for problem in gate.problems:
        print(" ", problem)
    if args.check:
        for problem in result.problems:
            print(" ", problem)
        total = len(gate.problems) + len(result.problems)
        print(f"問題 {total}")
        return 1 if total else 0
    args.out.write_text(report(result, gate), encoding="utf-8")
    carried = sum(r.carried for r in result.lines)
    print(
        f"{args.out}: 原本の行 {len(result.lines)}（載っている {carried}、"
        f"載せていない {len(result.lines) - carried}）、原本にないサイトの文 "
        f"{len(result.site_texts)}、問題 {len(result.problems)}"
    )
    for problem in result.problems:
        print(" ", problem)
    return 1 if result.problems or gate.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
