"""The fidelity gate: the manual (tests/fixtures/seed.txt) as whole items in their places,
compared with the same items read from the site's HTML.

An item is one thing the manual prints, keyed by where it is:
  3-5/(2)/◆/2            the 2nd ◆ step of phase (2) of type 3-5
  3-5/(2)/※前/1          a ※ note of that phase, before (前) or after (後) its table
  3-5/(2)/応急処置例/1     row 1 of a table; 3-5/(2)/応急処置例/1/留意点/1 its 1st 留意点
  3-5/事故事例/1, 3-5/発覚のきっかけ/1, 3-5/(2)/事実関係/1, 3-5/(2)/情報/1,
  3-5/(2)/保存形式, 3-5/(3)/重要度/1 (the question with its choices as printed)
  basics/◎/4, basics/◎/4/※, basics/◆/1
and its text (NFKC, no whitespace, the list marker dropped). The same keys are read from
the HTML by the components' classes (li.hb-step, p.hb-note, table.hb-measures,
ol.hb-cases__list, ol.hb-questions--facts …) under the phase headings, on each type page
and on the print page. Every key must be on both sides with the same text: a changed
word, a moved or deleted step, row, 留意点, ※, case or question, a renamed phase
(its heading is an item too) is a problem naming the seed line and the page#anchor.

Where the site reads the extraction differently on purpose (a 留意点 placed by its
content, a figure's arrows), the reading is a decision in tests/fixtures/seed-decisions.yml,
keyed by item, with its reason; the gate applies it and lists it. Besides the items:
every phone number and extension anywhere (pages with their attributes, the scripts,
the PDFs) must be one of the manual's, and each figure (its Mermaid source) must have
exactly the boxes, labels and arrows of the decided reading, each label the seed's words.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "seed.txt"
DECISIONS = ROOT / "tests" / "fixtures" / "seed-decisions.yml"
SCRIPTS = "assets/hb"  # the built site's one script (macros/bundle.py)

PHASES = {
    "discovery": "(1)",
    "initial-response": "(2)",
    "investigation": "(3)",
    "notification": "(4)",
    "recovery": "(5)",
}
TABLES = ("応急処置例", "二次被害防止策例")
JOINERS = "[・:]"  # how a figure joins two labels of the seed (NFKC: ： is :)
PHASE_HEADING = re.compile(r"^\((\d)\)((?:発見|初動|調査|通知|抑制)\S*)$")


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


MARK = re.compile(r"^(?:[◆◎※・]|\(\d+\)|[a-e]\)|\d+(?=\D))")


def unmark(text: str) -> str:
    return MARK.sub("", text, count=1)


@dataclass
class Item:
    key: str
    text: str  # normalised, without its list marker
    shown: str  # as written (seed pieces joined, or the element's text)
    where: str  # the seed's lines ("行 688–690") or the page#anchor

    def __str__(self) -> str:
        return f"{self.where}「{self.shown}」"


@dataclass
class Problem:
    kind: str
    message: str

    def __str__(self) -> str:
        return f"[{self.kind}] {self.message}"


# --- the seed ---------------------------------------------------------------------------

COLUMN_GAP = re.compile(r"\s{2,}|\s+(?=[・※◎◆])|\s+(?=[0-9０-９]\s)")
NEW = re.compile(r"^(?:[◆◎※・]|\(\d+\)|[a-e]\)|\d+(?:\s|$)|\d\.|\d-\d|p\d+$|（)")


@dataclass
class Piece:
    line: int
    raw: str
    new: bool  # starts something (a marker, a number, a heading or a "（")
    joined: bool  # the line before ended without a space (the PDF wrapped it here)


def _pieces(text: str) -> list[Piece]:
    out, wrapped = [], False
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        for i, part in enumerate(p for p in COLUMN_GAP.split(raw.strip()) if p.strip()):
            n = unicodedata.normalize("NFKC", part).strip()
            out.append(Piece(number, part.strip(), bool(NEW.match(n)), wrapped and i == 0))
        wrapped = raw == raw.rstrip()
    return out


def _span(lines: list[int]) -> str:
    lines = sorted(set(lines))
    return f"{lines[0]}行" if len(lines) == 1 else f"{lines[0]}–{lines[-1]}行"


class _SeedReader:
    """Reads the pieces in order with the manual's layout in mind: a section 3-N, its
    phases （N）, the blocks under 事故事例 / 事実関係 / 被害の重要度 / a table heading."""

    def __init__(self):
        self.items: dict[str, Item] = {}
        self.lines: dict[str, list[int]] = {}
        self.section = "basics"
        self.phase = ""
        self.context = ""  # cases, facts, severity, a table name, note, step
        self.last = ""  # the key a continuation belongs to
        self.table_seen: set[tuple[str, str]] = set()
        self.counts: Counter = Counter()

    def add(self, key: str, piece: Piece, text: str | None = None, keep_mark=False) -> None:
        text = piece.raw if text is None else text
        self.items[key] = Item(key, norm(text) if keep_mark else unmark(norm(text)), text, "")
        self.lines[key] = [piece.line]
        self.last = key

    def extend(self, piece: Piece) -> None:
        item = self.items[self.last]
        item.text += norm(piece.raw)
        item.shown += piece.raw
        self.lines[self.last].append(piece.line)

    def next_key(self, *parts: str) -> str:
        base = "/".join(parts)
        self.counts[base] += 1
        return f"{base}/{self.counts[base]}"

    def feed(self, p: Piece) -> None:
        n = unicodedata.normalize("NFKC", p.raw).strip()
        if re.match(r"^3\.事故のタイプ別", n) or re.match(r"^p\d+$|^\d+$|テキストボックス", n):
            return
        if m := re.match(r"^3-(\d)\s*(.*)", n):
            if self.section != f"3-{m.group(1)}":  # not the page header repeated
                self.section, self.phase = f"3-{m.group(1)}", ""
            self.context = ""
            return
        s, ph = self.section, self.phase
        if s == "basics":
            return self.feed_basics(p, n)
        if m := PHASE_HEADING.match(n):
            self.phase, self.context = f"({m.group(1)})", ""
            return self.add(f"{s}/{self.phase}/見出し", p, m.group(2))
        if n.startswith("事故事例"):
            self.context = "cases"
            return
        if n.startswith("事実関係を整理する"):
            self.context = "facts"
            return
        if n.startswith("被害の重要度を判定する"):
            self.context = "severity"
            return
        if n.startswith(TABLES):
            self.context = n.split()[0]
            self.table_seen.add((s, ph))
            return
        if n.startswith("◆"):
            self.context = "step"
            return self.add(self.next_key(s, ph, "◆"), p)
        if n.startswith("※"):
            self.context = "note"
            where = "※後" if (s, ph) in self.table_seen else "※前"
            return self.add(self.next_key(s, ph, where), p, keep_mark=True)
        c = self.context
        if c == "cases":
            if re.match(r"^\d+\s", n):
                return self.add(self.next_key(s, "事故事例"), p)
            if n.startswith("・"):
                return self.add(self.next_key(s, "発覚のきっかけ"), p)
            # the rest of a wrapped case (never of a trigger: they fit on one line)
            self.last = f"{s}/事故事例/{self.counts[f'{s}/事故事例']}"
            return self.extend(p)
        if c == "facts":
            if re.match(r"^\(\d+\)", n):
                return self.add(self.next_key(s, ph, "事実関係"), p)
            if re.match(r"^[a-e]\)", n):
                return self.add(self.next_key(s, ph, "情報"), p)
            if n.startswith("（") or n.startswith("("):
                return self.add(f"{s}/{ph}/保存形式", p)
        if c == "severity":
            if re.match(r"^\(\d+\)", n):
                return self.add(self.next_key(s, ph, "重要度"), p)
            return self.extend(p)  # the choices printed beside a question
        if c in TABLES:
            row = f"{s}/{ph}/{c}"
            if re.match(r"^\d+\s", n):
                return self.add(self.next_key(s, ph, c), p)
            if n.startswith("・"):
                # the seed prints a 留意点 beside the row it follows
                return self.add(self.next_key(f"{row}/{self.counts[row]}", "留意点"), p)
        if self.last and (not p.new or p.joined or c in ("note", "step")):
            return self.extend(p)
        raise ValueError(f"seed line {p.line}: cannot place 「{p.raw}」 ({s} {ph} {c})")

    def feed_basics(self, p: Piece, n: str) -> None:
        """Sections 1-2: the ◎ steps (with the ※ printed after them) and the ◆ in order;
        the figures' labels are checked as figures, not here."""
        if n.startswith("◎"):
            self.context = "◎"
            return self.add(self.next_key("basics", "◎"), p)
        if n.startswith("※") and self.context == "◎":
            self.context = "※"
            return self.add(f"{self.last}/※", p, keep_mark=True)
        if n.startswith("◆協議内容"):
            self.context = "◆"
            return self.add(self.next_key("basics", "◆"), p)
        if self.context in ("◎", "※") and (p.joined or (not p.new and p.line == self._end())):
            return self.extend(p)
        self.context = ""

    def _end(self) -> int:
        return self.lines[self.last][-1] if self.last else 0


@functools.lru_cache(maxsize=4)
def seed_items(text: str) -> dict[str, Item]:
    """The seed's items by key (cached: do not change the items)."""
    reader = _SeedReader()
    for piece in _pieces(text):
        reader.feed(piece)
    for key, item in reader.items.items():
        item.where = _span(reader.lines[key])
    return reader.items


# --- the site ---------------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}


@dataclass
class El:
    tag: str
    attrs: dict[str, str]
    children: list = field(default_factory=list)  # El or str
    parent: El | None = None

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def text(self, skip: tuple[str, ...] = ()) -> str:
        out = []
        for c in self.children:
            if isinstance(c, str):
                out.append(c)
            elif not set(skip) & set(c.classes) and c.tag not in ("script", "style", "template"):
                out.append(c.text(skip))
        return "".join(out)

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, El):
                yield from c.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[El]:
        return [
            e for e in self.iter() if (tag in (None, e.tag)) and (cls is None or cls in e.classes)
        ]


class _Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = El("root", {})
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        el = El(tag, {k: v or "" for k, v in attrs}, parent=self.cur)
        self.cur.children.append(el)
        if tag not in VOID:
            self.cur = el

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(El(tag, {k: v or "" for k, v in attrs}, parent=self.cur))

    def handle_endtag(self, tag):
        el = self.cur
        while el is not self.root and el.tag != tag:
            el = el.parent
        if el is not self.root:
            self.cur = el.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse_html(text: str) -> El:
    tree = _Tree()
    tree.feed(text)
    tree.close()
    return tree.root


HEADINGS = ("h1", "h2", "h3", "h4")


def _anchor(el: El, last_id: str) -> str:
    return el.attrs.get("id") or last_id


def site_items(url: str, page_html: str) -> dict[str, Item]:
    """The items of one page, in document order, keyed as the seed's are: a type page,
    the print page (every type under its own heading) or the basics page."""
    root = parse_html(page_html)
    article = next(iter(root.find_all("article")), root)
    items: dict[str, Item] = {}
    counts: Counter = Counter()
    section, phase, table, last_id = "", "", "", ""
    table_seen: set[tuple[str, str]] = set()
    basics = url.rstrip("/").endswith("basics")

    def add(key: str, text: str, anchor: str, strip: bool = True) -> None:
        t = norm(text)
        items[key] = Item(key, unmark(t) if strip else t, " ".join(text.split()), f"{url}#{anchor}")

    def nxt(*parts: str) -> str:
        base = "/".join(parts)
        counts[base] += 1
        return f"{base}/{counts[base]}"

    for el in article.iter():
        if el.attrs.get("id"):
            last_id = el.attrs["id"]
        elif el.tag == "li" and "hb-step" in el.classes:
            # a step's place is its checkbox, inside it
            last_id = next((e.attrs["id"] for e in el.iter() if e.attrs.get("id")), last_id)
        if el.tag in HEADINGS:
            heading = unicodedata.normalize("NFKC", el.text()).strip()
            if m := re.match(r"^3-(\d)\s", heading):
                section, phase, table = f"3-{m.group(1)}", "", ""
            phase_id = next((p for p in PHASES if (el.attrs.get("id") or "").endswith(p)), None)
            if section and phase_id and re.match(r"^\(\d\)", heading):
                phase = PHASES[phase_id]
                if not heading.startswith(phase):
                    phase = heading[:3]
                add(f"{section}/{phase}/見出し", heading[3:], last_id)
                table = ""
            elif section and heading in TABLES:
                table = heading
            elif section and heading.startswith(("事故事例", "まずやること", "対応の流れ")):
                phase = ""
            continue
        if basics:
            if el.tag == "li" and "hb-step" in el.classes:
                key = nxt("basics", "◎")
                text = el.find_all(cls="hb-step__text")[0].text()
                add(key, text, last_id)
                for note in el.find_all(cls="hb-step__note"):
                    add(f"{key}/※", note.text(), last_id, strip=False)
            elif el.tag == "p" and "hb-note" in el.classes and el.text().strip().startswith("◆"):
                add(nxt("basics", "◆"), el.text(), last_id)
            continue
        if not section:
            continue
        s, ph = section, phase
        if el.tag == "li" and "hb-step" in el.classes and ph:
            text = el.find_all(cls="hb-step__text")[0].text()
            add(nxt(s, ph, "◆"), text, last_id)
        elif el.tag == "p" and "hb-note" in el.classes and ph:
            where = "※後" if (s, ph) in table_seen else "※前"
            add(nxt(s, ph, where), el.text(), last_id, strip=False)
        elif el.tag == "table" and "hb-measures" in el.classes and ph:
            table_seen.add((s, ph))
            name = table or norm(el.find_all("th")[0].text())
            for tr in el.find_all("tr"):
                cells = [c for c in tr.children if isinstance(c, El) and c.tag == "td"]
                if len(cells) < 2:
                    continue
                row = nxt(s, ph, name)
                add(row, cells[1].text(), last_id, strip=False)
                for li in cells[2].find_all("li") if len(cells) > 2 else []:
                    add(nxt(row, "留意点"), li.text(), last_id)
        elif el.tag == "ol" and "hb-cases__list" in el.classes:
            for li in el.find_all("li"):
                add(nxt(s, "事故事例"), li.text(), last_id, strip=False)
        elif el.tag == "ul" and "hb-cases__triggers" in el.classes:
            for li in el.find_all("li"):
                add(nxt(s, "発覚のきっかけ"), li.text(), last_id)
        elif el.tag == "ol" and ph and "hb-questions" in el.classes:
            kind = {
                "hb-questions--facts": "事実関係",
                "hb-questions--info": "情報",
                "hb-questions--severity": "重要度",
            }
            name = next((v for k, v in kind.items() if k in el.classes), "")
            for li in el.find_all("li", "hb-question"):
                text = li.text(skip=("hb-question__label", "hb-question__hint"))
                add(nxt(s, ph, name), text, last_id, strip=False)
                for hint in li.find_all(cls="hb-question__hint"):
                    add(f"{s}/{ph}/保存形式", hint.text(), last_id, strip=False)
    return items


# --- the comparison ---------------------------------------------------------------------


@dataclass
class Decision:
    """A deliberate reading of the extraction: the seed's item `key` is on the site as
    `site` (another key) and/or with the text `text`, for `reason`."""

    key: str
    reason: str
    site: str | None = None
    text: str | None = None
    added: bool = False  # the site's own item (key is a site key the seed has not)
    used: bool = False

    def __str__(self) -> str:
        what = "サイトが加えた" if self.added else "→ " + label(self.site) if self.site else ""
        text = f"「{self.text}」" if self.text else ""
        return f"{label(self.key)} {what}{text}: {self.reason}"


def read_decisions(path: Path = DECISIONS) -> tuple[list[Decision], dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return decisions_from(data), data


def decisions_from(data: dict) -> list[Decision]:
    return [
        Decision(d["key"], d["reason"], d.get("site"), d.get("text"), bool(d.get("added")))
        for d in data.get("items") or []
    ]


def expected(seed: dict[str, Item], decisions: list[Decision], scope: str) -> dict[str, Item]:
    """The seed's items of one page (scope: basics or a type's number), decisions applied."""
    out = {k: Item(v.key, v.text, v.shown, v.where) for k, v in seed.items() if _in(k, scope)}
    for d in decisions:
        if not _in(d.key, scope) or d.added:
            continue
        item = out.pop(d.key, None)
        if item is None:
            continue
        d.used = True
        if d.text is not None:
            item.text = unmark(norm(d.text)) if "※" not in d.key else norm(d.text)
        item.key = d.site or d.key
        out[item.key] = item
    return out


def _in(key: str, scope: str) -> bool:
    return key.split("/")[0] == scope


def label(key: str) -> str:
    """A key as words: 3-5/(2)/◆/2 -> 3-5 (2) ◆2."""
    return " ".join(key.split("/")).replace("/", " ")


def _near(key: str, have: dict[str, Item]) -> str:
    """The place of the site's item nearest to a key (same phase, else same type)."""
    parts = key.split("/")
    for n in range(len(parts) - 1, 0, -1):
        prefix = "/".join(parts[:n]) + "/"
        found = next((h for k, h in have.items() if k.startswith(prefix)), None)
        if found:
            return found.where
    return ""


def compare(
    want: dict[str, Item], have: dict[str, Item], where: str, decisions: list[Decision] = ()
) -> list[Problem]:
    problems = []
    for d in decisions:
        if d.added and d.key in have and d.key not in want:
            d.used = True
            have = {k: v for k, v in have.items() if k != d.key}
    for key, item in want.items():
        got = have.get(key)
        if got is None:
            # the same text elsewhere on the page: moved
            elsewhere = [h for h in have.values() if h.text == item.text]
            moved = (
                f"（{label(elsewhere[0].key)} に移っている: {elsewhere[0].where}）"
                if elsewhere
                else ""
            )
            near = _near(key, have) or where
            problems.append(
                Problem("missing", f"{label(key)}: 原本 {item} が{near} の辺りにない{moved}")
            )
        elif got.text != item.text:
            problems.append(Problem("changed", f"{label(key)}: 原本 {item} がサイトでは {got}"))
    for key, got in have.items():
        if key not in want:
            origin = [w for w in want.values() if w.text == got.text]
            note = f"（原本では {label(origin[0].key)}: {origin[0].where}）" if origin else ""
            problems.append(
                Problem("extra", f"{label(key)}: サイトの {got} は原本のその位置にない{note}")
            )
    return problems


# --- phone numbers ----------------------------------------------------------------------

PHONE = re.compile(r"(?<![\d-])0\d{1,4}-\d{1,4}-\d{3,4}(?![\d-])")
EXTENSION = re.compile(r"内(?:線)?[:：]?(\d{3,5})(?!\d)")


def phones_in(text: str) -> Counter:
    """Outside numbers and extensions in a text (tags removed, attribute values kept)."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"<[^>]*?(\w[\w-]*=\"[^\"]*\")[^>]*>", lambda m: " " + _attrs(m.group(0)), text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"[ \t\u3000]+(?=\d)|(?<=[内線])\s+", "", text)
    found = Counter(PHONE.findall(text))
    found.update(f"内線{n}" for n in EXTENSION.findall(text))
    return found


def _attrs(tag: str) -> str:
    return " ".join(v for v in re.findall(r'="([^"]*)"', tag))


@functools.lru_cache(maxsize=4)
def _seed_phones(seed_text: str) -> tuple[Counter, dict[str, str]]:
    """The seed's numbers, and the lines each is on."""
    lines = [(n, phones_in(line)) for n, line in enumerate(seed_text.splitlines(), 1)]
    allowed = phones_in(seed_text)
    return allowed, {x: _span([n for n, found in lines if x in found]) for x in allowed}


def check_phones(seed_text: str, texts: dict[str, str]) -> list[Problem]:
    """Every number and extension in texts (place -> text) is one the seed prints; the
    seed's own numbers are shown somewhere."""
    allowed, at = _seed_phones(seed_text)
    seed_numbers = "、".join(f"{n}（{at[n]}）" for n in allowed)
    problems, seen = [], Counter()
    for place, text in texts.items():
        found = phones_in(text)
        seen.update(found)
        for number in found:
            if number not in allowed:
                problems.append(
                    Problem(
                        "phone",
                        f"{place}: 番号「{number}」は原本にない（原本: {seed_numbers}）",
                    )
                )
    for number in allowed:
        if number not in seen:
            problems.append(
                Problem("phone", f"原本 {at[number]}の番号「{number}」がサイトのどこにもない")
            )
    return problems


def pdf_text(path: Path) -> str:
    """A PDF's text by pdftotext when installed (the PDFs are optional in a build)."""
    tool = shutil.which("pdftotext")
    if not tool:
        return ""
    run = subprocess.run([tool, str(path), "-"], capture_output=True, text=True, check=False)
    return run.stdout


# --- figures ----------------------------------------------------------------------------

NODE = re.compile(r"^\s*(\w+)\s*[\[(]+\"(.*?)\"[\])]+\s*$")
EDGE = re.compile(r"^\s*(\w+)\s*(-->|-\.->|-\.-|---)\s*(?:\|\"(.*?)\"\|\s*)?(\w+)\s*$")
ENTITIES = {"#amp;": "&", "#lt;": "<", "#gt;": ">", "#quot;": '"', "#35;": "#"}


def _lines(label: str) -> list[str]:
    for code, char in ENTITIES.items():
        label = label.replace(code, char)
    return [line.strip() for line in label.split("<br/>") if line.strip()]


def parse_mermaid(source: str) -> tuple[list[list[str]], list[tuple[str, str, str]]]:
    """A flowchart's boxes (their lines) and arrows (from box, label, to box): the boxes
    named by their lines joined with ／, never by the ids the source gives them."""
    nodes: dict[str, list[str]] = {}
    edges = []
    for line in source.splitlines()[1:]:
        if m := NODE.match(line):
            nodes[m.group(1)] = _lines(m.group(2))
        elif m := EDGE.match(line):
            edges.append((m.group(1), " ".join(_lines(m.group(3) or "")), m.group(4)))
        elif line.strip():
            raise ValueError(f"unread Mermaid line: {line!r}")
    name = {k: "／".join(v) for k, v in nodes.items()}
    return list(nodes.values()), [(name[a], text, name[b]) for a, text, b in edges]


def _made_of(text: str, units: set[str]) -> bool:
    """Whether text is a concatenation of units."""
    ok = [True] + [False] * len(text)
    for i in range(len(text)):
        if ok[i]:
            for u in units:
                if u and text.startswith(u, i):
                    ok[i + len(u)] = True
    return ok[-1]


def check_figure(name: str, source: str, spec: dict, seed_text: str) -> list[Problem]:
    """The drawing (Mermaid source) has exactly the decided boxes and arrows, and the
    decided labels are the seed's words: each piece of the figure's lines in the seed is
    drawn as many times as the seed prints it (unless listed as not drawn, with a reason)."""
    problems = []
    boxes, arrows = parse_mermaid(source)
    where = "、".join(str(x) for x in spec["seed_lines"])
    name = f"{name}（原本 {where}行の図）"
    want_boxes = [list(b) for b in spec["boxes"]]
    want_arrows = [(a[0], a[1] or "", a[2]) for a in spec["arrows"]]
    have_b = Counter("／".join(norm(x) for x in b) for b in boxes)
    want_b = Counter("／".join(norm(x) for x in b) for b in want_boxes)
    for box in (want_b - have_b).elements():
        problems.append(Problem("figure", f"図「{name}」: 箱「{box}」がない"))
    for box in (have_b - want_b).elements():
        problems.append(Problem("figure", f"図「{name}」: 箱「{box}」は原本の図の読み方にない"))

    def arrow_key(a):
        return tuple(norm(x) for x in a)

    have_a = Counter(arrow_key(a) for a in arrows)
    want_a = Counter(arrow_key(a) for a in want_arrows)
    for a in (want_a - have_a).elements():
        problems.append(Problem("figure", f"図「{name}」: 矢印 {a[0]} →「{a[1]}」→ {a[2]} がない"))
    for a in (have_a - want_a).elements():
        problems.append(
            Problem(
                "figure", f"図「{name}」: 矢印 {a[0]} →「{a[1]}」→ {a[2]} は原本の図の読み方にない"
            )
        )
    # the decided labels against the seed's lines of the figure
    lines = seed_text.splitlines()
    numbers = []
    for entry in spec["seed_lines"]:
        first, _, last = str(entry).partition("-")
        numbers += range(int(first), int(last or first) + 1)
    skip = {int(k) for k in (spec.get("not_drawn") or {})}
    own = {norm(t) for t in spec.get("own_words") or []}
    region = [(n, lines[n - 1]) for n in numbers if n not in skip and lines[n - 1].strip()]
    span = f"{min(numbers)}–{max(numbers)}"
    # the seed's words of the figure: each line's pieces (split at spaces), and runs of
    # consecutive lines (a label the PDF wrapped); a label is made of these, joined by ・ or ：
    pieces = [(n, norm(q)) for n, t in region for q in t.split() if norm(q)]
    units = {
        "".join(p for _, p in pieces[i:j])
        for i in range(len(pieces))
        for j in range(i + 1, min(i + 5, len(pieces) + 1))
    }
    units = {re.sub(JOINERS, "", u) for u in units}
    labels = [x for b in want_boxes for x in b] + [a[1] for a in want_arrows if a[1]]
    drawn = "\n".join(norm(x) for x in labels)
    for text in labels:
        if norm(text) not in own and not _made_of(re.sub(JOINERS, "", norm(text)), units):
            problems.append(
                Problem("figure", f"図「{name}」の「{text}」は原本の図（{span}行）の言葉でない")
            )
    need = Counter(p for _, p in pieces)
    for n, piece in pieces:
        if drawn.count(piece) < need[piece]:
            problems.append(
                Problem(
                    "figure",
                    f"図「{name}」: 原本 {n}行「{piece}」（原本に{need[piece]}回）が図に"
                    f"{drawn.count(piece)}回しかない",
                )
            )
            need[piece] = 0  # once per piece
    return problems


# --- the gate ---------------------------------------------------------------------------


@dataclass
class Gate:
    problems: list[Problem]
    decisions: list[Decision]
    items: int  # the seed's items compared
    readings: list[str] = field(default_factory=list)  # the figures' decided readings


def figure_readings(specs: dict) -> list[str]:
    """The figures' decisions and their lines not drawn, as words for the report."""
    out = []
    for name, spec in specs.items():
        out += [f"図「{name}」: {d}" for d in spec.get("decisions") or []]
        out += [f"図「{name}」: 「{w}」はサイトの言葉" for w in spec.get("own_words") or []]
        out += [
            f"図「{name}」: {n}行を描かない: {r}" for n, r in (spec.get("not_drawn") or {}).items()
        ]
    return out


def scope_of(url: str, page_html: str) -> list[str]:
    """The seed scopes a page carries: basics, one type (its h1), or every type (print)."""
    if url.rstrip("/").endswith("basics"):
        return ["basics"]
    numbers = re.findall(r"<h[12][^>]*>\s*([3３][-－][0-9０-９])", page_html)
    return sorted({unicodedata.normalize("NFKC", n) for n in numbers})


def check_pages(
    pages: dict[str, str],
    seed_text: str,
    decisions: list[Decision],
    figures: dict[str, str],
    figure_specs: dict,
    texts: dict[str, str],
    skip_scopes: tuple[str, ...] = (),
) -> Gate:
    """pages: url -> HTML of the pages that carry items (the types, basics, print);
    figures: name -> Mermaid source; texts: place -> any text that may show a number."""
    seed = seed_items(seed_text)
    problems: list[Problem] = []
    scopes_seen: set[str] = set()
    for url, page_html in pages.items():
        have = site_items(url, page_html)
        for scope in scope_of(url, page_html):
            scopes_seen.add(scope)
            want = expected(seed, decisions, scope)
            mine = {k: v for k, v in have.items() if _in(k, scope)}
            problems += compare(want, mine, url, decisions)
    for scope in sorted({k.split("/")[0] for k in seed} - scopes_seen - set(skip_scopes)):
        problems.append(Problem("missing", f"原本の {scope} を載せたページがない"))
    for name, spec in figure_specs.items():
        if name not in figures:
            problems.append(Problem("figure", f"図「{name}」がない"))
            continue
        problems += check_figure(name, figures[name], spec, seed_text)
    problems += check_phones(seed_text, {**pages, **texts})
    for d in decisions:
        if not d.used and d.key.split("/")[0] in scopes_seen:
            problems.append(Problem("decision", f"判断 {d} は使われていない（古い）"))
    return Gate(problems, decisions, len(seed), figure_readings(figure_specs))


def figures_of(handbook) -> dict[str, str]:
    from macros import mermaid

    return {
        "報告ルート": mermaid.reporting_chain(handbook.organization),
        "事故対応の基本ステップ": mermaid.basic_steps(handbook.basics),
    }


def item_pages(site: Path) -> dict[str, str]:
    pages = {}
    for path in sorted(site.glob("types/*/index.html")) + [
        site / "basics" / "index.html",
        site / "print" / "index.html",
    ]:
        if path.exists():
            url = "/" + path.parent.relative_to(site).as_posix() + "/"
            pages[url] = path.read_text(encoding="utf-8")
    return pages


def check_build(site: Path, root: Path = ROOT) -> Gate:
    """The gate on a built site, against the project's seed, data and decisions."""
    from macros.data import load_handbook

    handbook = load_handbook(root / "data", root / "data" / "schema")
    decisions, data = read_decisions(root / DECISIONS.relative_to(ROOT))
    texts = {}
    for path in sorted(site.rglob("*.html")):
        texts["/" + path.relative_to(site).as_posix()] = path.read_text(encoding="utf-8")
    for path in sorted((site / SCRIPTS).glob("*.js")):
        texts["/" + path.relative_to(site).as_posix()] = path.read_text(encoding="utf-8")
    for path in sorted(site.glob("pdf/*.pdf")):
        texts["/" + path.relative_to(site).as_posix()] = pdf_text(path)
    return check_pages(
        item_pages(site),
        (root / SEED.relative_to(ROOT)).read_text(encoding="utf-8"),
        decisions,
        figures_of(handbook),
        data.get("figures") or {},
        texts,
    )
