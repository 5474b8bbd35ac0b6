"""Load the handbook's data from data/, validate it, and report every error at once.

Each error names the file, the place inside it and what is expected, e.g.
    data/types/malware.yml at 'phases > 2 > steps > 0': missing 'text' — 手順の文言 ...
The JSON Schemas in data/schema/ check each file on its own; the small check_*
functions below check what spans files (references, unique ids).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import yaml

# file (relative to data/) -> schema file (in data/schema/)
SINGLE_FILES = {
    "organization.yml": "organization.schema.json",
    "basics.yml": "basics.schema.json",
    "phases.yml": "phases.schema.json",
    "question-sets.yml": "question-sets.schema.json",
    "revisions.yml": "revisions.schema.json",
}
TYPES_DIR = "types"
TYPE_SCHEMA = "type.schema.json"
TYPE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class _Loader(yaml.SafeLoader):
    """YAML without implicit dates: 2026-11-26 stays the text the editor wrote."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
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


@dataclass
class Handbook:
    organization: dict
    basics: dict
    phases: list
    question_sets: dict
    revisions: list  # newest first
    types: dict  # id -> type data, ordered by number

    @property
    def edition(self) -> dict:
        return self.revisions[0]

    def revised_steps(self, page_id: str) -> set[str]:
        """Ids of the steps of a page changed in the current edition."""
        refs = self.edition.get("steps", [])
        return {ref.rsplit("/", 1)[1] for ref in refs if ref.rsplit("/", 1)[0] == page_id}

    def contact(self, contact_id: str) -> dict:
        for contact in self.organization["contacts"]:
            if contact["id"] == contact_id:
                return contact
        raise KeyError(f"unknown contact id {contact_id!r}")

    @property
    def primary_contact(self) -> dict:
        return self.contact(self.organization["primary_contact"])

    def phase(self, phase_id: str) -> dict:
        for phase in self.phases:
            if phase["id"] == phase_id:
                return phase
        raise KeyError(f"unknown phase id {phase_id!r}")


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

    # Cross-file checks need the files they refer to; skip them when those failed to load.
    org, basics = loaded["organization.yml"], loaded["basics.yml"]
    phases, question_sets = loaded["phases.yml"], loaded["question-sets.yml"]
    revisions = loaded["revisions.yml"]
    if org is not None:
        errors += check_organization_refs(org)
    if basics is not None:
        errors += check_unique_step_ids("basics.yml", _basics_steps(basics))
        errors += check_first_actions(basics)
        if org is not None:
            errors += check_basics_contacts(basics, org)
    for type_id, content in types.items():
        rel = f"{TYPES_DIR}/{type_id}.yml"
        errors += check_unique_step_ids(rel, _type_steps(content))
        errors += check_unique_fact_ids(rel, content)
        errors += check_urgent_steps(rel, content)
        if phases is not None:
            errors += check_type_phases(rel, content, phases)
        if question_sets is not None:
            errors += check_question_set_refs(rel, content, question_sets)
    errors += check_unique_type_numbers(types)
    if revisions is not None and basics is not None:
        errors += check_revised_steps(revisions, basics, types)

    if errors:
        # Grouped by file (stable), so an editor sees each file's problems together.
        raise DataError(sorted(errors, key=lambda m: re.split(r"[: ]", m, maxsplit=1)[0]))
    ordered = dict(sorted(types.items(), key=lambda item: _number_key(item[1]["number"])))
    return Handbook(org, basics, phases, question_sets, revisions, ordered)


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


# --- walking the data ----------------------------------------------------------------


def _type_steps(content: dict):
    """(place, step) for every step of a type file."""
    for p, phase in enumerate(content.get("phases", [])):
        for s, step in enumerate(phase.get("steps", [])):
            yield f"phases > {p} > steps > {s}", step


def basics_steps(basics: dict) -> dict:
    """Every step of basics.yml by id."""
    return {step["id"]: step for _, step in _basics_steps(basics)}


def _basics_steps(basics: dict):
    for i, stage in enumerate(basics.get("stages", [])):
        for s, step in enumerate(stage.get("steps", [])):
            yield f"stages > {i} > steps > {s}", step
        for g, group in enumerate(stage.get("groups", [])):
            for s, step in enumerate(group.get("steps", [])):
                yield f"stages > {i} > groups > {g} > steps > {s}", step


# --- cross-file checks -----------------------------------------------------------------


def check_unique_step_ids(rel: str, steps) -> list[str]:
    seen: dict[str, str] = {}
    errors = []
    for place, step in steps:
        step_id = step["id"]
        if step_id in seen:
            errors.append(
                f"data/{rel} at '{place} > id': duplicate step id '{step_id}' "
                f"(already used at '{seen[step_id]}') — every step id must be unique in the file"
            )
        else:
            seen[step_id] = place
    return errors


def check_urgent_steps(rel: str, content: dict) -> list[str]:
    ids = {step["id"] for _, step in _type_steps(content)}
    return [
        f"data/{rel} at 'urgent > {i}': unknown step '{ref}' — expected the id of a step "
        f"of this file"
        for i, ref in enumerate(content.get("urgent", []))
        if ref not in ids
    ]


def check_unique_fact_ids(rel: str, content: dict) -> list[str]:
    errors = []
    for p, phase in enumerate(content.get("phases", [])):
        seen = set()
        for q, question in enumerate(phase.get("facts", {}).get("questions", [])):
            if question["id"] in seen:
                errors.append(
                    f"data/{rel} at 'phases > {p} > facts > questions > {q} > id': duplicate "
                    f"question id '{question['id']}' — every question id must be unique"
                )
            seen.add(question["id"])
    return errors


def check_type_phases(rel: str, content: dict, phases: list) -> list[str]:
    known = [phase["id"] for phase in phases]
    errors, seen = [], set()
    for p, phase in enumerate(content["phases"]):
        phase_id = phase["phase"]
        if phase_id not in known:
            errors.append(
                f"data/{rel} at 'phases > {p} > phase': unknown phase '{phase_id}' — "
                f"expected one of {', '.join(known)} (see data/phases.yml)"
            )
        elif phase_id in seen:
            errors.append(
                f"data/{rel} at 'phases > {p} > phase': phase '{phase_id}' appears twice — "
                f"write each phase once"
            )
        seen.add(phase_id)
    return errors


def check_question_set_refs(rel: str, content: dict, question_sets: dict) -> list[str]:
    errors = []
    for p, phase in enumerate(content["phases"]):
        refs = [("facts > information", phase.get("facts", {}).get("information"))]
        refs.append(("severity", phase.get("severity")))
        for place, ref in refs:
            if ref is not None and ref not in question_sets:
                errors.append(
                    f"data/{rel} at 'phases > {p} > {place}': unknown question set '{ref}' — "
                    f"expected one of {', '.join(question_sets)} (see data/question-sets.yml)"
                )
    return errors


def check_organization_refs(org: dict) -> list[str]:
    ids = [c["id"] for c in org["contacts"]] + [o["id"] for o in org["origins"]]
    errors = []
    for i, node_id in enumerate(ids):
        if node_id in ids[:i]:
            errors.append(
                f"data/organization.yml: duplicate id '{node_id}' — contact and origin ids "
                f"must be unique"
            )
    if org["primary_contact"] not in ids:
        errors.append(
            f"data/organization.yml at 'primary_contact': unknown contact '{org['primary_contact']}'"
            f" — expected one of the contacts' ids"
        )
    for i, link in enumerate(org["reporting_chain"]):
        for end in ("from", "to"):
            if link[end] not in ids:
                errors.append(
                    f"data/organization.yml at 'reporting_chain > {i} > {end}': unknown id "
                    f"'{link[end]}' — expected one of {', '.join(ids)}"
                )
    return errors


def check_basics_contacts(basics: dict, org: dict) -> list[str]:
    ids = {c["id"] for c in org["contacts"]}
    return [
        f"data/basics.yml at '{place} > contact': unknown contact '{step['contact']}' — "
        f"expected one of {', '.join(sorted(ids))} (see data/organization.yml)"
        for place, step in _basics_steps(basics)
        if "contact" in step and step["contact"] not in ids
    ]


def check_first_actions(basics: dict) -> list[str]:
    ids = {step["id"] for _, step in _basics_steps(basics)}
    return [
        f"data/basics.yml at 'first_actions > {i}': unknown step '{ref}' — expected the id of "
        f"a step in stages"
        for i, ref in enumerate(basics["first_actions"])
        if ref not in ids
    ]


def all_step_ids(basics: dict, types: dict) -> dict[str, list[str]]:
    """Page id -> its step ids: what saved progress and printed sheets refer to."""
    pages = {"basics": [step["id"] for _, step in _basics_steps(basics)]}
    for type_id, content in types.items():
        pages[f"types/{type_id}"] = [step["id"] for _, step in _type_steps(content)]
    return pages


def check_revised_steps(revisions: list, basics: dict, types: dict) -> list[str]:
    pages = all_step_ids(basics, types)
    return [
        f"data/revisions.yml at '{r} > steps > {s}': unknown step '{ref}' — expected "
        f"types/<type id>/<step id> or basics/<step id> of an existing step"
        for r, revision in enumerate(revisions)
        for s, ref in enumerate(revision.get("steps", []))
        if ref.rsplit("/", 1)[1] not in pages.get(ref.rsplit("/", 1)[0], [])
    ]


def check_unique_type_numbers(types: dict) -> list[str]:
    seen: dict[str, str] = {}
    errors = []
    for type_id, content in types.items():
        number = content["number"]
        if number in seen:
            errors.append(
                f"data/{TYPES_DIR}/{type_id}.yml at 'number': number '{number}' is already used "
                f"by {seen[number]}.yml — give each type its own number"
            )
        seen[number] = type_id
    return errors
