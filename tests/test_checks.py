"""Each cross-file rule (macros/checks.py) on its own, with the smallest data that breaks it,
and the Japanese place of a problem (macros/problems.py)."""

from macros import checks
from macros.problems import Problem, place
from support.data import DATA


def type_file(*phases, urgent=(), number="3-1"):
    return {"number": number, "urgent": list(urgent), "phases": list(phases)}


def phase(phase_id, *step_ids, **extra):
    return {"phase": phase_id, "steps": [{"id": s, "text": s} for s in step_ids], **extra}


def test_duplicate_step_ids_are_named_with_both_places():
    steps = list(checks._type_steps(type_file(phase("a", "x"), phase("b", "y", "x"))))
    (problem,) = checks.check_unique_step_ids("types/t.yml", steps)
    assert problem.path == ("phases", 1, "steps", 1, "id")
    assert "2番目の段階" not in problem.text and "1番目の段階 の 1番目の手順 と同じ" in problem.text


def test_unique_step_ids_pass():
    steps = list(checks._type_steps(type_file(phase("a", "x", "y"))))
    assert checks.check_unique_step_ids("types/t.yml", steps) == []


def test_urgent_must_name_a_step_or_note_of_the_file():
    note = {"id": "disconnect", "text": "まずは切り離す"}
    content = type_file(phase("a", "x", notes=[note]), urgent=["disconnect", "x", "unplug"])
    (problem,) = checks.check_urgent_steps("types/t.yml", content)
    assert problem.path == ("urgent", 2) and "「unplug」という手順も※の注記も" in problem.text


def test_a_note_id_must_not_repeat_a_step_id():
    content = type_file(phase("a", "x", notes=[{"id": "x", "text": "※"}]))
    items = [*checks._type_steps(content), *checks._type_notes(content)]
    (problem,) = checks.check_unique_step_ids("types/t.yml", items)
    assert problem.path == ("phases", 0, "notes", 0, "id")


def test_duplicate_fact_question_ids_are_refused():
    questions = [{"id": "who", "text": "?"}, {"id": "who", "text": "?"}]
    content = type_file(phase("a", "x", facts={"questions": questions, "information": "i"}))
    (problem,) = checks.check_unique_fact_ids("types/t.yml", content)
    assert problem.path == ("phases", 0, "facts", "questions", 1, "id")


def test_duplicate_phase_ids_in_phases_yml_are_named():
    (problem,) = checks.check_unique_phase_ids([{"id": "a"}, {"id": "b"}, {"id": "a"}])
    assert problem.file == "phases.yml" and problem.path == (2, "id")


def test_duplicate_question_ids_in_a_set_are_named():
    sets = {"severity": {"items": [{"id": "q"}, {"id": "q"}]}}
    (problem,) = checks.check_unique_question_ids(sets)
    assert problem.path == ("severity", "items", 1, "id")


def test_type_phases_must_exist_and_appear_once():
    phases = [{"id": "discovery"}, {"id": "recovery"}]
    content = type_file(phase("discovery", "x"), phase("discover", "y"), phase("discovery", "z"))
    unknown, twice = checks.check_type_phases("types/t.yml", content, phases)
    assert "「discover」という段階はありません" in unknown.text
    assert "discovery, recovery" in unknown.text
    assert twice.path == ("phases", 2, "phase") and "2回" in twice.text


def test_question_set_references_must_exist():
    content = type_file(phase("a", "x", severity="sevrity"))
    (problem,) = checks.check_question_set_refs("types/t.yml", content, {"severity": {}})
    assert problem.path == ("phases", 0, "severity") and "「sevrity」" in problem.text


def test_organization_ids_unique_and_references_known():
    org = {
        "primary_contact": "ghost",
        "contacts": [{"id": "desk"}, {"id": "desk"}],
        "origins": [{"id": "town"}],
        "reporting_chain": [{"from": "town", "to": "nobody"}],
    }
    problems = checks.check_organization_refs(org)
    assert [p.path for p in problems] == [
        ("contacts", 1, "id"),  # the second of the two, where the editor must change it
        ("primary_contact",),
        ("reporting_chain", 0, "to"),
    ]
    assert "「desk」" in problems[0].text and "「ghost」" in problems[1].text


def test_basics_step_contacts_must_exist():
    basics = {"stages": [{"steps": [{"id": "a", "text": "t", "contact": "ghost"}]}]}
    (problem,) = checks.check_basics_contacts(basics, {"contacts": [{"id": "desk"}]})
    assert problem.path == ("stages", 0, "steps", 0, "contact") and "desk" in problem.text


def test_first_actions_must_name_basic_steps():
    basics = {"first_actions": ["a", "b"], "stages": [{"groups": [{"steps": [{"id": "a"}]}]}]}
    (problem,) = checks.check_first_actions(basics)
    assert problem.path == ("first_actions", 1)


def test_revised_steps_must_exist():
    basics = {"stages": [{"steps": [{"id": "cut-off"}]}]}
    types = {"malware": type_file(phase("a", "reinstall"))}
    revisions = [{"steps": ["basics/cut-off", "types/malware/reinstall", "types/malware/gone"]}]
    (problem,) = checks.check_revised_steps(revisions, basics, types)
    assert problem.path == (0, "steps", 2) and "types/malware/gone" in problem.text


def test_type_numbers_are_unique():
    types = {"a": type_file(number="3-1"), "b": type_file(number="3-1")}
    (problem,) = checks.check_unique_type_numbers(types)
    assert problem.file == "types/b.yml" and "a.yml" in problem.text


def test_markup_is_refused_wherever_it_is():
    content = {"cases": ["ok", "see <a href=x>"], "title": "[x](y)", "note": "javascript:x"}
    problems = checks.check_no_markup("types/t.yml", content)
    assert [p.path for p in problems] == [("cases", 1), ("title",), ("note",)]


def test_plain_text_with_angle_quotes_passes():
    assert checks.check_no_markup("types/t.yml", {"text": "〈注意〉 a < b、（1）[参考]"}) == []


def test_placeholders_must_be_known_terms():
    content = {"text": "{residents}と{citizens}、{: #x } は文字"}
    (problem,) = checks.check_placeholders("types/t.yml", content, {"residents"})
    assert "「{citizens}」" in problem.text and "{residents}" in problem.text


def test_a_rule_that_meets_a_broken_shape_is_reported_not_crashed():
    problems = checks.check_all({"basics.yml": {"stages": "not a list"}}, {"t": {"phases": 3}})
    # Not vacuous: each broken file is named, and only as the checks' own failure.
    assert {"basics.yml", "types/t.yml"} <= {p.file for p in problems}
    assert all(isinstance(p, Problem) and p.internal for p in problems)


def test_place_is_in_words_with_one_based_numbers_and_ids():
    content = {"phases": [{"phase": "discovery", "steps": [{"id": "a"}, {"id": "b"}]}]}
    where = place("types/t.yml", ("phases", 0, "steps", 1, "text"), content, {"discovery": "発見"})
    assert where == "data/types/t.yml の 1番目の段階（発見） の 2番目の手順（b） の 「text」"


# --- one validation layer ----------------------------------------------------------------


def test_a_rule_that_raises_is_told_as_an_internal_error_naming_the_rule(monkeypatch, tmp_path):
    """A bug in a rule must not pass bad data in silence (it used to: KeyError, TypeError,
    AttributeError and IndexError were swallowed)."""
    import shutil

    import pytest

    from macros.data import DataError, load_handbook
    from scripts import check_data

    def broken(files):
        return files["organization.yml"]["no-such-key"]  # KeyError, as a real bug would

    monkeypatch.setattr(
        checks, "RULES", [*checks.RULES, checks.Rule("壊れた検査", ("organization.yml",), broken)]
    )
    with pytest.raises(DataError) as caught:
        load_handbook(DATA)
    (message,) = caught.value.messages
    assert message.startswith(
        "data/organization.yml: 検査の内部エラー: 検査「壊れた検査」が止まりました"
    )
    assert "KeyError" in message and "no-such-key" in message
    # check says the same and fails.
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    assert check_data.main([], data_dir=data) == 1


def test_a_rule_on_a_file_with_schema_errors_is_skipped_not_reported_as_internal():
    """The schema already told what is wrong; the rule meets a shape it cannot read."""
    org = {"contacts": "not a list", "origins": [], "reporting_chain": [], "primary_contact": 1}
    found = checks.check_all({"organization.yml": org}, {}, valid=set())
    assert not any(p.internal for p in found)
    # The same data said to be valid: the crash is a bug in the rule, and it is told.
    found = checks.check_all({"organization.yml": org}, {}, valid={"organization.yml"})
    assert [p.text.split("」")[0] for p in found if p.internal] == [
        "検査の内部エラー: 検査「組織の参照"
    ]


def test_a_severity_question_set_needs_a_title_said_once_at_the_set():
    sets = {"severity": {"items": [{"id": "q", "text": "?"}]}}
    types = {t: type_file(phase("a", "x", severity="severity")) for t in ("malware", "p2p-leak")}
    (problem,) = checks.check_severity_titles(sets, types)
    assert problem.file == "question-sets.yml" and problem.path == ("severity",)
    assert "malware, p2p-leak" in problem.text and "title を書いてください" in problem.text
    sets["severity"]["title"] = "被害の重要度を判定する"
    assert checks.check_severity_titles(sets, types) == []


def test_the_ministry_route_is_read_from_the_reporting_chain():
    from macros.model import ministry_route

    names = {"desk": "総務課", "pref": "県情報担当課", "mic": "総務省", "board": "委員会"}
    direct = [("desk", "mic"), ("desk", "board")]
    assert ministry_route(names, direct, "総務省") == "総務課から総務省"
    via = [("town", "desk"), ("desk", "board"), ("desk", "pref"), ("pref", "mic")]
    assert ministry_route(names, via, "総務省") == "総務課から県情報担当課を経て総務省"
    # Origins are not senders; no ministry contact, no route (the check then says how).
    assert ministry_route(names, [("town", "mic")], "総務省") is None
    assert ministry_route(names, via, "文部科学省") is None
