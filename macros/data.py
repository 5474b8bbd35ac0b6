"""Load the handbook's data from data/, validate it, and report every problem at once.

Each problem names the file, the place (1-based, with the item's id or words) and what
to write instead, in Japanese (macros/problems.py). Reading refuses what would hurt
before the schemas run: files that are too big, not UTF-8, YAML with duplicate keys or
many aliases, stray files in data/types/. The JSON Schemas in data/schema/ check each
file on its own; macros/checks.py checks what spans files (references, unique ids, text).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import yaml

from .checks import PLACEHOLDER, TYPES_DIR, check_all, organization_terms
from .model import (
    Basics,
    Handbook,
    IncidentType,
    Organization,
    Phase,
    QuestionSet,
    Revision,
    build,
)
from .problems import Problem, format_problem

# file (relative to data/) -> schema file (in data/schema/)
SINGLE_FILES = {
    "organization.yml": "organization.schema.json",
    "basics.yml": "basics.schema.json",
    "phases.yml": "phases.schema.json",
    "question-sets.yml": "question-sets.schema.json",
    "revisions.yml": "revisions.schema.json",
}
TYPE_SCHEMA = "type.schema.json"
TYPE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


MAX_BYTES = 256 * 1024  # the largest type file today is ~8 KB
MAX_ALIASES = 20  # anchors/aliases (&x / *x): the data needs none; many expand explosively

# libyaml's parser where PyYAML was built with it (4x faster), else the pure-Python one.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    """YAML without implicit dates (2026-11-26 stays the text the editor wrote), without
    duplicate keys, and with few aliases."""

    def construct_document(self, node):
        _count_aliases(node)
        return super().construct_document(node)

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


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
    def __init__(self, text: str, line: int | None = None):
        super().__init__(text)
        self.text, self.line = text, line


def read_yaml(path: Path):
    """The YAML value of a file, or ReadError saying in plain words what is wrong."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ReadError(
            f"ファイルが大きすぎます（{size // 1024} KB、上限 {MAX_BYTES // 1024} KB）。"
            "別のファイルの内容を貼り付けていないか確認してください。"
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ReadError(
            "文字コードが UTF-8 ではありません（Shift_JIS などで保存されています）。"
            "エディタの「名前を付けて保存」で文字コードに UTF-8 を選んで保存し直してください。",
            line,
        ) from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ReadError(_yaml_problem(exc), mark.line + 1 if mark else None) from None


# PyYAML's wording -> what an editor should check.
_YAML_HINTS = [
    ("duplicate key", "同じ項目名が2回あります: {detail}。1つにまとめてください。"),
    (
        "too many aliases",
        "& と * による参照（アンカー・エイリアス）が多すぎます。使わずに書いてください。",
    ),
    (
        "mapping values are not allowed",
        '「:」の使い方に誤りがあります。文の中に「: 」があるときは文全体を " " で囲んでください。',
    ),
    (
        "could not find expected ':'",
        "「項目名: 値」の「:」が見つかりません。字下げ（行頭の空白）と「:」を確認してください。",
    ),
    (
        "expected <block end>",
        "字下げ（行頭の空白の数）がそろっていません。同じ階層の行は同じ数の空白で始めてください。",
    ),
    ("found character '\\t'", "タブ文字は使えません。字下げは半角スペースで書いてください。"),
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
    return (
        f"YAML の書き方の誤り（{problem}）。字下げ（行頭の空白）、「:」、引用符を確認してください。"
    )


class DataError(Exception):
    """All problems found in data/, one message per line."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__(
            f"data/ に {len(messages)} 件の誤りがあります:\n  " + "\n  ".join(messages)
        )


def load_handbook(
    data_dir: str | Path, schema_dir: str | Path | None = None, allow_markup: bool = False
) -> Handbook:
    """Read and validate everything under data_dir; raise DataError listing all problems.

    Schemas come from data_dir/schema unless schema_dir is given (test fixtures use that).
    allow_markup: let HTML and Markdown through (only for the test that proves the pages
    escape it anyway)."""
    data_dir = Path(data_dir)
    schema_dir = Path(schema_dir) if schema_dir else data_dir / "schema"
    problems: list[Problem] = []
    raw: dict[str, object] = {}  # every file that could be read, valid or not
    valid: dict[str, object] = {}

    for name, schema_name in SINGLE_FILES.items():
        raw[name], valid[name] = _load(data_dir, name, schema_dir / schema_name, problems)

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
        content, ok = _load(data_dir, rel, schema_dir / TYPE_SCHEMA, problems)
        if isinstance(content, dict):
            types_raw[path.stem] = content
        if ok is not None:
            types_valid[path.stem] = ok

    readable = {k: v for k, v in raw.items() if v is not None}
    problems += check_all(readable, types_raw, allow_markup=allow_markup)
    if problems:
        contents = {**raw, **{f"{TYPES_DIR}/{t}.yml": c for t, c in types_raw.items()}}
        phase_titles = _phase_titles(raw.get("phases.yml"))
        unique = sorted(set(problems), key=Problem.sort_key)
        raise DataError([format_problem(p, contents, phase_titles) for p in unique])
    terms = organization_terms(valid["organization.yml"])
    expand = lambda value: _expand(value, terms)  # noqa: E731
    ordered = sorted(types_valid.items(), key=lambda item: _number_key(item[1]["number"]))
    return Handbook(
        organization=build(Organization, valid["organization.yml"]),
        basics=build(Basics, expand(valid["basics.yml"])),
        phases=build(list[Phase], expand(valid["phases.yml"])),
        question_sets=build(dict[str, QuestionSet], expand(valid["question-sets.yml"])),
        revisions=build(list[Revision], expand(valid["revisions.yml"])),
        types={tid: build(IncidentType, {"id": tid, **expand(c)}) for tid, c in ordered},
    )


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


def _load(data_dir: Path, rel: str, schema_path: Path, problems: list[Problem]):
    """Parse one YAML file and validate it: (content, content if valid else None)."""
    path = data_dir / rel
    if not path.exists():
        problems.append(Problem(rel, "ファイルがありません。"))
        return None, None
    try:
        content = read_yaml(path)
    except ReadError as exc:
        problems.append(Problem(rel, exc.text, line=exc.line))
        return None, None
    schema = load_schema(schema_path)
    found = [
        Problem(rel, _explain(e), tuple(e.absolute_path))
        for e in jsonschema.Draft202012Validator(schema).iter_errors(content)
    ]
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


def _explain(error: jsonschema.ValidationError) -> str:
    """Say what is wrong and what to write, using the schema's own descriptions."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    hint = schema.get("description", "")
    if error.validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        name = missing[0] if missing else error.message
        expected = schema.get("properties", {}).get(name, {}).get("description", "")
        return f"「{name}」がありません。" + expected
    if error.validator == "additionalProperties":
        allowed = ", ".join(sorted(schema.get("properties", {})))
        unknown = "」「".join(re.findall(r"'([^']+)'", error.message))
        return f"「{unknown}」という項目は書けません（綴りの誤り？）。書ける項目: {allowed}"
    if error.validator == "type":
        want = error.validator_value
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
