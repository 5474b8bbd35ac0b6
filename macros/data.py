"""Load the handbook's data from data/, validate it, and report every problem at once.

Every problem is told at the line and column of the mistake itself. Before the YAML
parser, a line-by-line pre-scan (macros/slips.py) finds every common slip of a file at
once; the loader refuses what YAML would silently convert (yes/no, 0123, 3.10), as typed.
One mistake gives one message: a misspelt key is not also a missing one, and while
organization.yml is wrong the {name}s it defines are folded under its message.

Each problem names the file, the place (1-based, with the item's id or words) and what
to write instead, in Japanese (macros/problems.py). Reading refuses what would hurt
before the schemas run: files that are too big, not UTF-8, YAML with duplicate keys or
many aliases, stray files in data/types/. The JSON Schemas in data/schema/ check each
file on its own; macros/checks.py checks what spans files (references, unique ids, text).
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import yaml

from . import slips as slips_module
from .checks import PLACEHOLDER, TYPES_DIR, check_all, check_scenario, organization_terms
from .model import (
    Basics,
    Handbook,
    IncidentType,
    Organization,
    Phase,
    QuestionSet,
    Revision,
    Scenario,
    build,
)
from .problems import Problem, format_problem
from .slips import Slip

# file (relative to data/) -> schema file (in data/schema/)
SINGLE_FILES = {
    "organization.yml": "organization.schema.json",
    "basics.yml": "basics.schema.json",
    "phases.yml": "phases.schema.json",
    "question-sets.yml": "question-sets.schema.json",
    "revisions.yml": "revisions.schema.json",
}
TYPE_SCHEMA = "type.schema.json"
SCENARIOS_DIR = "scenarios"  # optional: drills' scenarios (訓練), one file each
SCENARIO_SCHEMA = "scenario.schema.json"
log = logging.getLogger("mkdocs.hooks.handbook.data")
TYPE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


MAX_BYTES = 256 * 1024  # the largest type file today is ~8 KB
MAX_ALIASES = 20  # anchors/aliases (&x / *x): the data needs none; many expand explosively

# libyaml's parser where PyYAML was built with it (4x faster), else the pure-Python one.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# A plain number as people write it: kept as a number (the schema then asks for quotes).
_PLAIN_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")


class _Loader(_Base):
    """YAML without implicit dates (2026-11-26 stays the text the editor wrote), with few
    aliases, and with every slip noted at its place instead of converted: a repeated key,
    yes/no/on/off (YAML would read true/false), 0123 (read as the octal 83), 3.10 (3.1)."""

    def __init__(self, stream):
        super().__init__(stream)
        self.slips: list[Slip] = []

    def note(self, node, text: str) -> None:
        mark = node.start_mark
        self.slips.append(Slip(mark.line + 1, mark.column + 1, text))

    def construct_document(self, node):
        _count_aliases(node)
        return super().construct_document(node)

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, str) and key in seen:
                self.note(
                    key_node,
                    f"同じ項目名「{key}」が2回あります。1つにまとめてください"
                    "（YAML では後に書いた方だけが残り、前の方は黙って消えます）。",
                )
            seen.add(key)
        return super().construct_mapping(node, deep)

    def construct_as_typed(self, node):
        """yes/no/on/off, 0123, 3.10...: the text as typed, with a note to quote it."""
        typed = node.value
        if node.tag.endswith(":int") and _PLAIN_INT.match(typed):
            return int(typed)
        if node.tag.endswith(":bool") and typed in ("true", "false"):
            return typed == "true"  # a flag written as the schemas document it
        kind = {
            "bool": "true/false（はい・いいえ）",
            "int": "数（0 で始まる数字は8進数）",
            "float": "小数",
        }[node.tag.rsplit(":", 1)[1]]
        self.note(
            node,
            f"「{typed}」は YAML では {kind} と読まれ、書いたとおりの文になりません。"
            f'文として書くときは "{typed}" のように " " で囲んでください。',
        )
        return typed


for _tag in ("bool", "int", "float"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _Loader.construct_as_typed)

_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


def _count_aliases(root) -> None:
    """An alias makes a node appear twice in the graph: count those before expanding."""
    seen, stack, shared = set(), [root], 0
    while stack:
        node = stack.pop()
        if id(node) in seen:
            shared += 1
            if shared > MAX_ALIASES:
                raise yaml.constructor.ConstructorError(
                    None, None, "too many aliases", node.start_mark
                )
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


class ReadError(Exception):
    """A file that cannot be read: every slip found, each with its line and column."""

    def __init__(self, text: str, line: int | None = None, column: int | None = None, slips=()):
        super().__init__(text)
        self.slips = list(slips) or [Slip(line or 0, column or 0, text)]
        self.text, self.line, self.column = text, line, column


@dataclass
class Read:
    """A file's YAML value, its warnings, and where each value stands in the text."""

    value: object
    warnings: list[Slip]
    root: object = None  # the YAML node tree (marks of every value)
    lines: list[str] = dataclasses.field(default_factory=list)  # the text, line by line

    def position(self, path: tuple, key: bool = False) -> tuple[int, int] | None:
        """(line, column), 1-based, of the value at path (of its key when key=True); the
        nearest enclosing value when the path goes further than the file."""
        node, mark = self.root, None
        for step in path:
            if node is None:
                break
            mark = node.start_mark
            if isinstance(node, yaml.MappingNode):
                pair = next((p for p in node.value if p[0].value == str(step)), None)
                if pair is None:
                    node = None
                    break
                mark = pair[0].start_mark
                node = pair[1]
                if key and step == path[-1]:
                    node = None
                    break
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                node = node.value[step] if step < len(node.value) else None
            else:
                node = None
        if node is not None:
            mark = node.start_mark
        return (mark.line + 1, mark.column + 1) if mark else None


def read_yaml(path: Path, schema_dir: Path | None = None):
    """The YAML value of a file, or ReadError saying in plain words what is wrong."""
    return read_data(path, schema_dir).value


def read_data(path: Path, schema_dir: Path | None = None) -> Read:
    """Read a data file, refusing it with every slip found at once (ReadError)."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ReadError(
            f"ファイルが大きすぎます（{size // 1024} KB、上限 {MAX_BYTES // 1024} KB）。"
            "別のファイルの内容を貼り付けていないか確認してください。"
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")  # a BOM (Windows Notepad) is harmless
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise ReadError(
            "文字コードが UTF-8 ではありません（Shift_JIS などで保存されています）。"
            "エディタの「名前を付けて保存」で文字コードに UTF-8 を選んで保存し直してください。",
            line,
            column,
        ) from None
    if schema_dir is None:  # data/schema beside the file, or above it (data/types/)
        schema_dir = next((p / "schema" for p in path.parents if (p / "schema").is_dir()), path)
    keys = slips_module.schema_keys(str(schema_dir))
    found = slips_module.scan(text, keys)
    errors = [s for s in found if not s.warning]
    if errors:
        # The parser would stop at the first of them, with a worse message: parse the
        # mended text instead, for the slips only the parser sees (yes/no, 0123...).
        for deeper in (0, 2):
            loader = _Loader(slips_module.repair(text, keys, deeper))
            try:
                root = loader.get_single_node()
                if root is not None:
                    loader.construct_document(root)
                break
            except yaml.YAMLError:
                loader.slips = []  # not mended enough: the pre-scan's slips are the message
            finally:
                loader.dispose()
        errors = sorted({*errors, *loader.slips}, key=lambda s: (s.line, s.column))
        raise ReadError(errors[0].text, errors[0].line, errors[0].column, errors)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        value = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as exc:
        line, column = _mark(exc)
        first = Slip(line or 0, column or 0, _yaml_problem(exc))
        syntax = isinstance(exc, yaml.scanner.ScannerError | yaml.parser.ParserError)
        errors = [first, *_more_errors(text, first)] if line and syntax else [first]
        raise ReadError(first.text, line, column, errors) from None
    finally:
        loader.dispose()
    if loader.slips:
        first = loader.slips[0]
        raise ReadError(first.text, first.line, first.column, loader.slips)
    return Read(value, [s for s in found if s.warning], root, text.split("\n"))


MAX_ERRORS = 20


def _more_errors(text: str, first: Slip) -> list[Slip]:
    """The parser's errors after the first: the wrong line is left out and the text parsed
    again, while the next error does not stand in the lines that depended on it (the
    deeper-indented lines right after it: those would be its consequences)."""
    lines = text.split("\n")
    found: list[Slip] = []
    error = first
    while len(found) < MAX_ERRORS:
        depth = _indent(lines[error.line - 1])
        lines[error.line - 1] = ""
        after = error.line  # 0-based index of the line after the wrong one
        while after < len(lines) and (not lines[after].strip() or _indent(lines[after]) > depth):
            after += 1
        loader = _Loader("\n".join(lines))
        try:
            root = loader.get_single_node()
            if root is not None:
                loader.construct_document(root)
            return found
        except yaml.YAMLError as exc:
            line, column = _mark(exc)
            syntax = isinstance(exc, yaml.scanner.ScannerError | yaml.parser.ParserError)
            if not (line and syntax) or line <= after or any(s.line == line for s in found):
                return found  # a consequence, or no progress: stop here
            error = Slip(line, column, _yaml_problem(exc))
            found.append(error)
        finally:
            loader.dispose()
    return found


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _mark(exc: yaml.YAMLError) -> tuple[int | None, int | None]:
    """Where the mistake is: for "while scanning a simple key / quoted scalar" errors the
    parser's problem mark is the line after (where it gave up); the context mark is the
    key or the quote that started it."""
    context = getattr(exc, "context", None) or ""
    starts = ("while scanning", "while parsing a flow")  # the key, quote or bracket opened
    mark = getattr(exc, "context_mark", None) if context.startswith(starts) else None
    mark = mark or getattr(exc, "problem_mark", None)
    return (mark.line + 1, mark.column + 1) if mark else (None, None)


# PyYAML's wording -> what an editor should check.
_YAML_HINTS = [
    ("duplicate key", "同じ項目名が2回あります: {detail}。1つにまとめてください。"),
    (
        "too many aliases",
        "& と * による参照（アンカー・エイリアス）が多すぎます。使わずに書いてください。",
    ),
    (
        "mapping values are not allowed",
        '「:」の使い方か字下げに誤りがあります。文の中に「: 」があるときは文全体を " " で'
        "囲んでください。そうでなければ、この行の字下げ（行頭の半角スペースの数）を"
        "上の同じ階層の行とそろえてください。",
    ),
    (
        "block sequence entries are not allowed",
        '「- 」の使い方か字下げに誤りがあります。文が「- 」で始まるときは文全体を " " で'
        "囲んでください。リストの行なら、字下げ（行頭の半角スペースの数）をそろえてください。",
    ),
    (
        "could not find expected ':'",
        "「項目名: 値」の「:」が見つかりません。この行の項目名の後に半角の「:」と"
        "半角スペースを書いてください（全角の「：」や全角スペースは使えません）。",
    ),
    (
        "expected <block end>",
        "字下げ（行頭の空白の数）がそろっていません。同じ階層の行は同じ数の半角スペースで始めてください。",
    ),
    (
        "cannot start any token",
        "この位置の文字（タブ文字や「@」「`」など）は YAML では使えません。"
        '字下げは半角スペースで書き、記号で始まる文は " " で囲んでください。',
    ),
    (
        "found undefined alias",
        '「*」で始まる言葉があります。文の先頭が * のときは文全体を " " で囲んでください。',
    ),
    ("while scanning a quoted scalar", "引用符（\" または '）が閉じていません。"),
    (
        "expected ',' or ']'",
        "[ ] の中の書き方に誤りがあります。[ と ] の数と「,」を確認してください。",
    ),
    (
        "expected ',' or '}'",
        "{ } の中の書き方に誤りがあります。{ と } の数と「,」を確認してください。",
    ),
]


def _yaml_problem(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc)
    for pattern, hint in _YAML_HINTS:
        if pattern in problem or pattern in str(exc):
            detail = problem.split("duplicate key ", 1)[-1]
            return "YAML の書き方の誤り: " + hint.format(detail=detail)
    return "YAML の書き方の誤り: この行の字下げ（行頭の半角スペース）、「:」、引用符を確認してください。"


class DataError(Exception):
    """All problems found in data/, one message per line."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__(
            f"data/ に {len(messages)} 件の誤りがあります:\n  " + "\n  ".join(messages)
        )


def load_handbook(
    data_dir: str | Path,
    schema_dir: str | Path | None = None,
    allow_markup: bool = False,
    notices: list[str] | None = None,
) -> Handbook:
    """Read and validate everything under data_dir; raise DataError listing all problems.

    Schemas come from data_dir/schema unless schema_dir is given (test fixtures use that).
    allow_markup: let HTML and Markdown through (only for the test that proves the pages
    escape it anyway). notices: filled with the warnings (data that is read, but maybe not
    as meant: a " #" cut from a text); they are also logged, for build and serve."""
    data_dir = Path(data_dir)
    schema_dir = Path(schema_dir) if schema_dir else data_dir / "schema"
    problems: list[Problem] = []
    reads: dict[str, Read] = {}
    raw: dict[str, object] = {}  # every file that could be read, valid or not
    valid: dict[str, object] = {}

    for name, schema_name in SINGLE_FILES.items():
        raw[name], valid[name] = _load(data_dir, name, schema_dir, schema_name, problems, reads)

    types_raw: dict[str, dict] = {}
    types_valid: dict[str, dict] = {}
    problems += _stray_files(data_dir / TYPES_DIR)
    type_files = sorted((data_dir / TYPES_DIR).glob("*.yml"))
    if not type_files:
        problems.append(Problem(f"{TYPES_DIR}/", "事故のタイプのファイル（*.yml）がありません。"))
    for path in type_files:
        rel = f"{TYPES_DIR}/{path.name}"
        if not TYPE_ID.match(path.stem):
            problems.append(
                Problem(
                    rel,
                    "ファイル名はタイプの id です。英小文字・数字・ハイフンだけにしてください"
                    "（例: loss-theft.yml）。",
                )
            )
        content, ok = _load(data_dir, rel, schema_dir, TYPE_SCHEMA, problems, reads)
        if isinstance(content, dict):
            types_raw[path.stem] = content
        if ok is not None:
            types_valid[path.stem] = ok

    scenarios_valid: dict[str, dict] = {}
    for path in sorted((data_dir / SCENARIOS_DIR).glob("*.yml")):
        rel = f"{SCENARIOS_DIR}/{path.name}"
        if not TYPE_ID.match(path.stem):
            problems.append(
                Problem(
                    rel,
                    "ファイル名はシナリオの id です。英小文字・数字・ハイフンだけにしてください。",
                )
            )
        raw[rel], valid[rel] = _load(data_dir, rel, schema_dir, SCENARIO_SCHEMA, problems, reads)
        if valid[rel] is not None:
            scenarios_valid[path.stem] = valid[rel]
            every_type = {p.stem: types_raw.get(p.stem) for p in type_files}
            problems += check_scenario(rel, valid[rel], every_type, raw.get("phases.yml"))

    readable = {k: v for k, v in raw.items() if v is not None}
    passed = {k for k, v in valid.items() if v is not None}
    passed |= {f"{TYPES_DIR}/{t}.yml" for t in types_valid}
    problems += check_all(readable, types_raw, allow_markup=allow_markup, valid=passed)
    warnings = [
        f"注意: data/{rel} の {w.line}行目 {w.column}文字目: {w.text}"
        for rel, read in reads.items()
        for w in read.warnings
    ]
    for warning in warnings:
        log.info(warning)
    if notices is not None:
        notices.extend(warnings)
    if problems:
        contents = {**raw, **{f"{TYPES_DIR}/{t}.yml": c for t, c in types_raw.items()}}
        phase_titles = _phase_titles(raw.get("phases.yml"))
        placed = [_placed(p, reads) for p in problems]
        unique = sorted(dict.fromkeys(placed), key=Problem.sort_key)
        # organization.yml's words are the {name}s of every other file: while it is wrong,
        # an unknown {name} elsewhere is its consequence, folded under its messages.
        org_wrong = any(p.file == ORG for p in unique)
        after = [p for p in unique if org_wrong and p.file != ORG and _is_term(p)]
        messages = [format_problem(p, contents, phase_titles) for p in unique if p not in after]
        if after:
            last = max(
                i for i, p in enumerate(q for q in unique if q not in after) if p.file == ORG
            )
            names = sorted({p.needle for p in after})
            messages[last] += (
                f"\n　（この誤りのため、ほかのファイルの {'、'.join(names)} も"
                f"読めません（{len(after)} か所）。data/{ORG} を直すと消えます）"
            )
        raise DataError(fold(messages))
    return assemble(valid, types_valid, scenarios_valid)


def assemble(
    files: dict, types: dict, scenarios: dict | None = None, terms: dict | None = None
) -> Handbook:
    """The Handbook from read data: files by name (SINGLE_FILES), types and scenarios by id.
    Types in the order of their numbers, scenarios in the order of their types; every
    {name} of the organization's words expanded (terms: those words, if given apart)."""
    if terms is None:
        terms = organization_terms(files["organization.yml"])

    def expand(value):
        return _expand(value, terms)

    ordered = sorted(types.items(), key=lambda item: _number_key(item[1]["number"]))
    scenarios = scenarios or {}
    return Handbook(
        organization=build(Organization, files["organization.yml"]),
        basics=build(Basics, expand(files["basics.yml"])),
        phases=build(list[Phase], expand(files["phases.yml"])),
        question_sets=build(dict[str, QuestionSet], expand(files["question-sets.yml"])),
        revisions=build(list[Revision], expand(files["revisions.yml"])),
        types={tid: build(IncidentType, {"id": tid, **expand(c)}) for tid, c in ordered},
        scenarios={
            sid: build(Scenario, {"id": sid, **expand(c)})
            for tid, _ in ordered
            for sid, c in scenarios.items()
            if c["type"] == tid
        },
    )


ORG = "organization.yml"


def _is_term(problem: Problem) -> bool:
    return bool(problem.needle and PLACEHOLDER.fullmatch(problem.needle))


FOLD_AFTER = 5  # messages of one kind shown in full; the rest folded into one line


def fold(messages: list[str]) -> list[str]:
    """One mistake repeated (the same text after the place) gives one message with the
    count of the other places, so the first different mistake stays near the top."""
    out: list[str] = []
    seen: dict[str, int] = {}
    folded: dict[str, list[str]] = {}
    for message in messages:
        _, _, what = message.partition(": ")
        seen[what] = seen.get(what, 0) + 1
        if seen[what] <= FOLD_AFTER:
            out.append(message)
        else:
            folded.setdefault(what, []).append(message.split(": ", 1)[0])
    for what, places in folded.items():
        out.append(f"（同じ誤り「{what[:40]}…」がほかに {len(places)} か所: {'、'.join(places)}）")
    return out


def _placed(problem: Problem, reads: dict) -> Problem:
    """The problem with the line and column of the value it is about."""
    read = reads.get(problem.file)
    if problem.line is not None or not problem.path or read is None or read.root is None:
        return problem
    key = bool(problem.path) and problem.path[-1] == KEY_MARK
    path = problem.path[:-1] if key else problem.path
    spot = read.position(path, key=key)
    if spot is None:
        return problem
    line, column = spot
    if problem.needle:  # the column of the words themselves, when on the value's first line
        text = read.lines[line - 1] if line <= len(read.lines) else ""
        found = text.find(problem.needle, column - 1)
        column = found + 1 if found >= 0 else column
    return dataclasses.replace(problem, path=path, line=line, column=column)


KEY_MARK = "\0key"  # last element of a Problem's path: the place is the key, not its value


def expand_terms(value, terms: dict):
    """Every {name} in a YAML value's texts replaced by the organization's term."""
    return _expand(value, terms)


def _expand(value, terms: dict):
    """Every {name} in the texts replaced by organization.yml's term of that name."""
    if isinstance(value, dict):
        return {k: _expand(v, terms) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, terms) for v in value]
    if isinstance(value, str):
        return PLACEHOLDER.sub(lambda m: terms[m.group(1)], value)
    return value


def _phase_titles(phases) -> dict:
    if not isinstance(phases, list):
        return {}
    return {
        p["id"]: p.get("title", p["id"])
        for p in phases
        if isinstance(p, dict) and isinstance(p.get("id"), str)
    }


def _stray_files(types_dir: Path) -> list[Problem]:
    """Only *.yml is read from data/types/: anything else would be silently ignored."""
    if not types_dir.is_dir():
        return []
    return [
        Problem(
            f"{TYPES_DIR}/{path.name}",
            (
                "拡張子を .yml にしてください（.yaml のファイルは読み込まれません）。"
                if path.suffix == ".yaml"
                else "data/types/ には事故のタイプの .yml ファイルだけを置いてください"
                "（このファイルは読み込まれません。不要なら削除してください）。"
            ),
        )
        for path in sorted(types_dir.iterdir())
        if path.suffix != ".yml" and not path.name.startswith(".")
    ]


# --- reading and schema validation -------------------------------------------------


def _load(data_dir: Path, rel: str, schema_dir: Path, schema_name: str, problems, reads):
    """Parse one YAML file and validate it: (content, content if valid else None)."""
    path = data_dir / rel
    if not path.exists():
        problems.append(Problem(rel, "ファイルがありません。"))
        return None, None
    try:
        read = read_data(path, schema_dir)
    except ReadError as exc:
        problems += [
            Problem(rel, s.text, line=s.line or None, column=s.column or None, syntax=True)
            for s in exc.slips
        ]
        return None, None
    reads[rel] = read
    content = read.value
    schema = load_schema(schema_dir / schema_name)
    found = []
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(content))
    # A misspelt key also makes its right spelling missing: one mistake, one message.
    unknown = {
        (tuple(e.absolute_path), name)
        for e in errors
        if e.validator == "additionalProperties" and isinstance(e.instance, dict)
        for name in e.instance
        if name not in (e.schema.get("properties", {}) if isinstance(e.schema, dict) else {})
    }
    for e in errors:
        at = tuple(e.absolute_path)
        if e.validator == "required":
            missing = re.findall(r"'([^']+)' is a required property", e.message)
            typos = [str(n) for p, n in unknown if p == at]
            if missing and difflib.get_close_matches(missing[0], typos, n=1, cutoff=0.6):
                continue
        if e.validator == "additionalProperties" and isinstance(e.instance, dict):
            known = e.schema.get("properties", {}) if isinstance(e.schema, dict) else {}
            for name in [k for k in e.instance if k not in known]:
                found.append(Problem(rel, _explain(e, name), (*at, name, KEY_MARK)))
            continue
        found.append(Problem(rel, _explain(e), at))
    problems += found
    return content, (None if found else content)


def load_schema(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


_TYPES_JA = {
    "string": "文",
    "array": "リスト（「- 」で始まる行）",
    "object": "項目の組（「名前: 値」の行）",
    "integer": "整数",
    "number": "数",
    "boolean": "true か false",
}


def _explain(error: jsonschema.ValidationError, unknown: str | None = None) -> str:
    """Say what is wrong and what to write, using the schema's own descriptions."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    hint = schema.get("description", "")
    if error.validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        name = missing[0] if missing else error.message
        expected = schema.get("properties", {}).get(name, {}).get("description", "")
        return f"「{name}」がありません。" + expected
    if error.validator == "additionalProperties":
        names = sorted(schema.get("properties", {}))
        unknown = unknown or "」「".join(re.findall(r"'([^']+)'", error.message))
        close = difflib.get_close_matches(str(unknown), names, n=1, cutoff=0.6)
        guess = f"「{close[0]}」の綴りの誤りではありませんか？" if close else "綴りの誤り？"
        return f"「{unknown}」という項目は書けません（{guess}）。書ける項目: {', '.join(names)}"
    if error.validator == "type":
        want = error.validator_value
        if want == "string" and isinstance(error.instance, int | float):
            return (
                f"数字だけの値（{error.instance}）は文として読まれません。"
                f'"{error.instance}" のように " " で囲んでください。' + hint
            )
        want = " か ".join(_TYPES_JA.get(w, w) for w in want) if isinstance(want, list) else want
        return (
            f"{_TYPES_JA.get(want, want)}を書いてください（今は {_show(error.instance)}）。" + hint
        )
    if error.validator in ("pattern", "minLength"):
        if isinstance(error.instance, str) and not error.instance.strip():
            return "空です。" + hint
        return f"{_show(error.instance)} は書き方が違います。" + hint
    if error.validator == "minItems":
        return "空にはできません。" + hint
    if error.validator == "maxItems":
        return f"多すぎます（{error.validator_value}個まで）。" + hint
    if error.validator in ("enum", "const"):
        allowed = error.validator_value if error.validator == "enum" else [error.validator_value]
        return f"{_show(error.instance)} は使えません。次のどれかを書いてください: " + ", ".join(
            map(str, allowed)
        )
    if error.validator == "oneOf":
        return "書き方がどの形にも合いません。" + hint
    if error.validator == "minProperties":
        return "空にはできません。" + hint
    return f"{error.message}。" + hint


def _show(value) -> str:
    if isinstance(value, dict):
        return "項目の組" if value else "空の項目の組"
    if isinstance(value, list):
        return "リスト" if value else "空のリスト"
    if value is None:
        return "空"
    if isinstance(value, str):
        return f"「{value}」"
    return str(value)


def _number_key(number: str):
    return [int(part) for part in re.findall(r"\d+", number)]
