"""Each cross-file rule (macros/checks.py) on its own, with the smallest data that breaks it."""

from macros import checks


def type_file(*phases, urgent=(), number="3-1"):
    return {"number": number, "urgent": list(urgent), "phases": list(phases)}


def phase(phase_id, *step_ids, **extra):
    return {"phase": phase_id, "steps": [{"id": s, "text": s} for s in step_ids], **extra}


def test_duplicate_step_ids_are_named_with_both_places():
    steps = checks._type_steps(type_file(phase("a", "x"), phase("b", "y", "x")))
    (message,) = checks.check_unique_step_ids("types/t.yml", steps)
    assert "phases > 1 > steps > 1 > id" in message and "'phases > 0 > steps > 0'" in message


def test_unique_step_ids_pass():
    assert (
        checks.check_unique_step_ids(
            "types/t.yml", checks._type_steps(type_file(phase("a", "x", "y")))
        )
        == []
    )


def test_urgent_must_name_a_step_or_note_of_the_file():
    note = {"id": "disconnect", "text": "まずは切り離す"}
    content = type_file(phase("a", "x", notes=[note]), urgent=["disconnect", "x", "unplug"])
    assert checks.check_urgent_steps("types/t.yml", content) == [
        "data/types/t.yml at 'urgent > 2': unknown step 'unplug' — expected the id of a step "
        "or of a ※ note of this file"
    ]


def test_a_note_id_must_not_repeat_a_step_id():
    content = type_file(phase("a", "x", notes=[{"id": "x", "text": "※"}]))
    items = [*checks._type_steps(content), *checks._type_notes(content)]
    (message,) = checks.check_unique_step_ids("types/t.yml", items)
    assert "phases > 0 > notes > 0 > id': duplicate step id 'x'" in message


def test_duplicate_fact_question_ids_are_refused():
    facts = {
        "questions": [{"id": "who", "text": "?"}, {"id": "who", "text": "?"}],
        "information": "i",
    }
    content = type_file(phase("a", "x", facts=facts))
    (message,) = checks.check_unique_fact_ids("types/t.yml", content)
    assert "phases > 0 > facts > questions > 1 > id" in message


def test_type_phases_must_exist_and_appear_once():
    phases = [{"id": "discovery"}, {"id": "recovery"}]
    content = type_file(phase("discovery", "x"), phase("discover", "y"), phase("discovery", "z"))
    unknown, twice = checks.check_type_phases("types/t.yml", content, phases)
    assert "unknown phase 'discover'" in unknown and "discovery, recovery" in unknown
    assert "phases > 2 > phase" in twice and "appears twice" in twice


def test_question_set_references_must_exist():
    content = type_file(phase("a", "x", severity="sevrity"))
    (message,) = checks.check_question_set_refs("types/t.yml", content, {"severity": {}})
    assert "phases > 0 > severity': unknown question set 'sevrity'" in message


def test_organization_ids_unique_and_references_known():
    org = {
        "primary_contact": "ghost",
        "contacts": [{"id": "desk"}, {"id": "desk"}],
        "origins": [{"id": "town"}],
        "reporting_chain": [{"from": "town", "to": "nobody"}],
    }
    messages = checks.check_organization_refs(org)
    assert any("duplicate id 'desk'" in m for m in messages)
    assert any("'primary_contact': unknown contact 'ghost'" in m for m in messages)
    assert any("'reporting_chain > 0 > to': unknown id 'nobody'" in m for m in messages)
    assert len(messages) == 3


def test_basics_step_contacts_must_exist():
    basics = {"stages": [{"steps": [{"id": "a", "text": "t", "contact": "ghost"}]}]}
    (message,) = checks.check_basics_contacts(basics, {"contacts": [{"id": "desk"}]})
    assert "stages > 0 > steps > 0 > contact': unknown contact 'ghost'" in message


def test_first_actions_must_name_basic_steps():
    basics = {"first_actions": ["a", "b"], "stages": [{"groups": [{"steps": [{"id": "a"}]}]}]}
    (message,) = checks.check_first_actions(basics)
    assert "'first_actions > 1': unknown step 'b'" in message


def test_revised_steps_must_exist():
    basics = {"stages": [{"steps": [{"id": "cut-off"}]}]}
    types = {"malware": type_file(phase("a", "reinstall"))}
    revisions = [{"steps": ["basics/cut-off", "types/malware/reinstall", "types/malware/gone"]}]
    (message,) = checks.check_revised_steps(revisions, basics, types)
    assert "'0 > steps > 2': unknown step 'types/malware/gone'" in message


def test_type_numbers_are_unique():
    types = {"a": type_file(number="3-1"), "b": type_file(number="3-1")}
    (message,) = checks.check_unique_type_numbers(types)
    assert message.startswith("data/types/b.yml at 'number'") and "a.yml" in message
