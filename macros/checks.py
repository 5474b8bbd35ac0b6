"""Cross-file rules: each a small function over validated YAML values, returning messages.

They run after every file has passed its schema; each names the file and the place,
e.g. data/types/malware.yml at 'urgent > 0': unknown step 'x' — expected ...
"""

from __future__ import annotations

TYPES_DIR = "types"


def _type_steps(content: dict):
    """(place, step) for every step of a type file."""
    for p, phase in enumerate(content.get("phases", [])):
        for s, step in enumerate(phase.get("steps", [])):
            yield f"phases > {p} > steps > {s}", step


def _type_notes(content: dict):
    """(place, note) for every ※ note of a type file that has an id."""
    for p, phase in enumerate(content.get("phases", [])):
        for n, note in enumerate(phase.get("notes", [])):
            if "id" in note:
                yield f"phases > {p} > notes > {n}", note


def _basics_steps(basics: dict):
    for i, stage in enumerate(basics.get("stages", [])):
        for s, step in enumerate(stage.get("steps", [])):
            yield f"stages > {i} > steps > {s}", step
        for g, group in enumerate(stage.get("groups", [])):
            for s, step in enumerate(group.get("steps", [])):
                yield f"stages > {i} > groups > {g} > steps > {s}", step


# --- cross-file checks -----------------------------------------------------------------


def check_unique_step_ids(rel: str, steps) -> list[str]:
    """Steps (and ※ notes with an id) must have ids unique in their file."""
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
    ids = {item["id"] for _, item in [*_type_steps(content), *_type_notes(content)]}
    return [
        f"data/{rel} at 'urgent > {i}': unknown step '{ref}' — expected the id of a step "
        f"or of a ※ note of this file"
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


def _step_ids(basics: dict, types: dict) -> dict[str, list[str]]:
    pages = {"basics": [step["id"] for _, step in _basics_steps(basics)]}
    for type_id, content in types.items():
        pages[f"types/{type_id}"] = [step["id"] for _, step in _type_steps(content)]
    return pages


def check_revised_steps(revisions: list, basics: dict, types: dict) -> list[str]:
    pages = _step_ids(basics, types)
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


def check_all(files: dict, types: dict) -> list[str]:
    """Every cross-file rule. files: relative name -> content (None when it failed to
    load); types: type id -> content. A rule runs only when the files it reads loaded."""
    errors: list[str] = []
    org, basics = files["organization.yml"], files["basics.yml"]
    phases, question_sets = files["phases.yml"], files["question-sets.yml"]
    revisions = files["revisions.yml"]
    if org is not None:
        errors += check_organization_refs(org)
    if basics is not None:
        errors += check_unique_step_ids("basics.yml", _basics_steps(basics))
        errors += check_first_actions(basics)
        if org is not None:
            errors += check_basics_contacts(basics, org)
    for type_id, content in types.items():
        rel = f"{TYPES_DIR}/{type_id}.yml"
        errors += check_unique_step_ids(rel, [*_type_steps(content), *_type_notes(content)])
        errors += check_unique_fact_ids(rel, content)
        errors += check_urgent_steps(rel, content)
        if phases is not None:
            errors += check_type_phases(rel, content, phases)
        if question_sets is not None:
            errors += check_question_set_refs(rel, content, question_sets)
    errors += check_unique_type_numbers(types)
    if revisions is not None and basics is not None:
        errors += check_revised_steps(revisions, basics, types)
    return errors
