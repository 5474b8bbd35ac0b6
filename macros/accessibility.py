"""The アクセシビリティ page (試験結果): data/accessibility.yml, validated by its schema, and
the claim derived from its rows.

Kept apart from macros/data.py (the handbook's loader) on purpose: the results are not
handbook content, and the page reads them on its own. Each row names the tests that
decide it (pytest node ids; tests/test_accessibility.py checks they exist and pass in the
same run) and/or what a person must judge; a person's judgement is recorded with its date
and the edition judged. A row's result follows from that, and the claim from the rows:
準拠 only when every applicable row is met (WAIC 対応度表記ガイドライン).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jsonschema

from .data import DataError, ReadError, _explain, _placed, load_schema, read_data
from .problems import Problem, format_problem
from .words import WORDS

FILE = "accessibility.yml"
SCHEMA = "accessibility.schema.json"
# A row's result: the data's judged.result (schema: 適合 / 不適合) and the page's word.
MET, NOT_MET, UNJUDGED = "適合", "不適合", "未判定"
KINDS = {MET: "met", UNJUDGED: "unjudged", NOT_MET: "failed"}  # CSS classes, counts


@dataclass(frozen=True)
class Judgement:
    result: str
    date: str
    edition: str
    how: str


@dataclass(frozen=True)
class Row:
    number: str
    title: str
    level: str
    table: str  # "jis" (JIS X 8341-3:2016) or "wcag22" (WCAG 2.2's additions)
    applicable: bool
    tests: list[str] = field(default_factory=list)
    person: str | None = None  # what a person must judge
    judged: Judgement | None = None
    note: str = ""
    title_lang: str = "ja"  # "en": the Japanese title could not be confirmed

    @property
    def result(self) -> str:
        if self.person and not self.judged:
            return UNJUDGED
        if self.judged and self.judged.result != MET:
            return NOT_MET
        return MET

    @property
    def method(self) -> str:
        parts = []
        if self.tests:
            parts.append("自動試験")
        if self.person:
            parts.append("人による確認")
        return "・".join(parts) or "—"


@dataclass(frozen=True)
class Results:
    standard: str
    target: str
    technologies: list[str]
    method: list[str]
    pages: list[dict]
    rows: list[Row]


def claim(rows: list[Row]) -> str:
    """準拠 / 一部準拠 / 配慮 for the rows of one standard."""
    if not any(r.tests or r.judged for r in rows):
        return WORDS["accessibility"]["claim_considered"]  # nothing tested
    if all(r.result == MET for r in rows if r.applicable):
        return WORDS["accessibility"]["claim_conformant"]
    return WORDS["accessibility"]["claim_partial"]


def load_results(data_dir: str | Path) -> Results:
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    try:
        read = read_data(data_dir / FILE)
        content = read.value
    except (ReadError, FileNotFoundError) as exc:
        text = getattr(exc, "text", "ファイルがありません。")
        raise DataError(
            [format_problem(Problem(FILE, text, line=getattr(exc, "line", None)), {}, {})]
        ) from None
    schema = load_schema(data_dir / "schema" / SCHEMA)
    problems = [
        _placed(Problem(FILE, _explain(e), tuple(e.absolute_path)), {FILE: read})
        for e in jsonschema.Draft202012Validator(schema).iter_errors(content)
    ]
    if problems:
        raise DataError([format_problem(p, {FILE: content}, {}) for p in problems])
    rows = []
    seen = set()
    for table in ("jis", "wcag22"):
        for item in content[table]:
            if item["number"] in seen:
                raise DataError([f"{FILE}: 達成基準 {item['number']} が2回あります。"])
            seen.add(item["number"])
            judged = item.get("judged")
            rows.append(
                Row(
                    number=item["number"],
                    title=item["title"],
                    level=item["level"],
                    table=table,
                    applicable=item.get("applicable", True),
                    tests=list(item.get("tests", [])),
                    person=item.get("person"),
                    judged=Judgement(**judged) if judged else None,
                    note=item.get("note", ""),
                    title_lang=item.get("title_lang", "ja"),
                )
            )
    return Results(
        standard=content["standard"],
        target=content["target"],
        technologies=content["technologies"],
        method=content["method"],
        pages=content["pages"],
        rows=rows,
    )


def page_part(part: str, data_dir: Path, edition: str):
    """One part of the page: "claim", "method", "jis" or "wcag22" (accessibility.html)."""
    from . import render

    results = load_results(data_dir)
    jis = [r for r in results.rows if r.table == "jis"]
    counts = dict.fromkeys(KINDS.values(), 0)
    for row in jis:
        counts[KINDS[row.result]] += 1
    captions = {
        "jis": WORDS["accessibility"]["caption_jis"].format(standard=results.standard),
        "wcag22": WORDS["accessibility"]["caption_wcag22"],
    }
    if part not in ("claim", "method", *captions):
        raise ValueError(f"accessibility page has no part {part!r}")
    return render.render(
        "accessibility/accessibility.html",
        part=part,
        results=results,
        jis=jis,
        claim=claim(jis),
        counts=counts,
        kinds=KINDS,
        edition=edition,
        rows=[r for r in results.rows if r.table == part],
        caption=captions.get(part, ""),
    )


def golden_page(handbook) -> str:
    """Every part of the page from this project's data/accessibility.yml, for the golden
    test (tests/golden/accessibility_page.yml): a change of the template shows there."""
    data_dir = Path(__file__).resolve().parent.parent / "data"
    parts = ("claim", "method", "jis", "wcag22")
    return "\n".join(page_part(p, data_dir, handbook.edition.line) for p in parts)
