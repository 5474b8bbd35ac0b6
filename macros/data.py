"""Load the handbook's data from data/, validate it, and report every error at once.

Each error names the file, the place inside it and what is expected, e.g.
    data/types/malware.yml at 'phases > 2 > steps > 0': missing 'text' — 手順の文言 ...
The JSON Schemas in data/schema/ check each file on its own; the small check_*
functions below check what spans files (references, unique ids).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import yaml

from .checks import TYPES_DIR, check_all
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


# libyaml's parser where PyYAML was built with it (4x faster), else the pure-Python one.
_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    """YAML without implicit dates: 2026-11-26 stays the text the editor wrote."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)


class DataError(Exception):
    """All problems found in data/, one message per line."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__(
            f"{len(messages)} problem(s) in the handbook data:\n  " + "\n  ".join(messages)
        )


def load_handbook(data_dir: str | Path, schema_dir: str | Path | None = None) -> Handbook:
    """Read and validate everything under data_dir; raise DataError listing all problems.

    Schemas come from data_dir/schema unless schema_dir is given (test fixtures use that)."""
    data_dir = Path(data_dir)
    schema_dir = Path(schema_dir) if schema_dir else data_dir / "schema"
    errors: list[str] = []
    loaded: dict[str, object] = {}

    for name, schema_name in SINGLE_FILES.items():
        loaded[name] = _load_valid(data_dir, name, schema_dir / schema_name, errors)

    types: dict[str, dict] = {}
    type_files = sorted((data_dir / TYPES_DIR).glob("*.yml"))
    if not type_files:
        errors.append(f"data/{TYPES_DIR}/: no incident type files (*.yml) found")
    for path in type_files:
        rel = f"{TYPES_DIR}/{path.name}"
        if not TYPE_ID.match(path.stem):
            errors.append(
                f"data/{rel}: file name must be the type id in lowercase letters, digits and "
                f"hyphens (e.g. loss-theft.yml)"
            )
        content = _load_valid(data_dir, rel, schema_dir / TYPE_SCHEMA, errors)
        if content is not None:
            types[path.stem] = content

    errors += check_all(loaded, types)
    if errors:
        # Grouped by file (stable), so an editor sees each file's problems together.
        raise DataError(sorted(errors, key=lambda m: re.split(r"[: ]", m, maxsplit=1)[0]))
    ordered = sorted(types.items(), key=lambda item: _number_key(item[1]["number"]))
    return Handbook(
        organization=build(Organization, loaded["organization.yml"]),
        basics=build(Basics, loaded["basics.yml"]),
        phases=build(list[Phase], loaded["phases.yml"]),
        question_sets=build(dict[str, QuestionSet], loaded["question-sets.yml"]),
        revisions=build(list[Revision], loaded["revisions.yml"]),
        types={tid: build(IncidentType, {"id": tid, **content}) for tid, content in ordered},
    )


# --- reading and schema validation -------------------------------------------------


def _load_valid(data_dir: Path, rel: str, schema_path: Path, errors: list[str]):
    """Parse one YAML file and validate it; append problems to errors. None when unusable."""
    path = data_dir / rel
    where = f"data/{rel}"
    if not path.exists():
        errors.append(f"{where}: file is missing")
        return None
    try:
        content = read_yaml(path)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        errors.append(
            f"{where}{at}: YAML syntax error: {problem} — check indentation, colons and quotes"
        )
        return None
    schema = load_schema(schema_path)
    problems = [
        f"{where} at '{_place(e.absolute_path)}': {_explain(e)}"
        for e in sorted(
            jsonschema.Draft202012Validator(schema).iter_errors(content),
            key=lambda e: list(map(str, e.absolute_path)),
        )
    ]
    errors += problems
    return None if problems else content


def load_schema(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _place(path) -> str:
    return " > ".join(str(p) for p in path) or "(top)"


def _explain(error: jsonschema.ValidationError) -> str:
    """Say what is wrong and what is expected, using the schema's own descriptions."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    hint = schema.get("description", "")
    if error.validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        name = missing[0] if missing else error.message
        prop = schema.get("properties", {}).get(name, {})
        expected = prop.get("description", "")
        return f"missing '{name}'" + (f" — {expected}" if expected else "")
    if error.validator == "additionalProperties":
        allowed = ", ".join(sorted(schema.get("properties", {})))
        unknown = re.findall(r"'([^']+)'", error.message)
        return f"unknown key {', '.join(repr(u) for u in unknown)} — allowed keys: {allowed}"
    if error.validator == "type":
        return f"expected {error.validator_value}, got {_show(error.instance)}" + (
            f" — {hint}" if hint else ""
        )
    if error.validator in ("pattern", "minLength"):
        if isinstance(error.instance, str) and not error.instance.strip():
            return "empty text" + (f" — {hint}" if hint else "")
        return f"{_show(error.instance)} is not in the expected form — {hint}"
    if error.validator == "minItems":
        return "must not be empty" + (f" — {hint}" if hint else "")
    if error.validator in ("enum", "const"):
        allowed = error.validator_value if error.validator == "enum" else [error.validator_value]
        return f"{_show(error.instance)} is not allowed — expected one of {allowed}"
    return error.message + (f" — {hint}" if hint else "")


def _show(value) -> str:
    if isinstance(value, (dict, list)):
        return type(value).__name__ if value else f"empty {type(value).__name__}"
    return repr(value)


def _number_key(number: str):
    return [int(part) for part in re.findall(r"\d+", number)]
