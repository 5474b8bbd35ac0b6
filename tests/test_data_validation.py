"""Bad data stops the build with messages naming file, place and what is expected."""

import shutil
from pathlib import Path

import pytest
import yaml

from macros.data import DataError, load_handbook

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def data_copy(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def edit_yaml(path: Path, change) -> None:
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(content)
    path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")


def problems(data_dir: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_handbook(data_dir)
    return caught.value.messages


def test_the_real_data_is_valid():
    handbook = load_handbook(DATA)
    assert list(handbook.types) == [
        "loss-theft",
        "misdelivery",
        "insider",
        "p2p-leak",
        "malware",
        "unauthorized-access",
    ]


def test_yaml_syntax_error_names_file_and_line(data_copy):
    path = data_copy / "types" / "malware.yml"
    path.write_text(path.read_text(encoding="utf-8") + "phases: [unclosed\n", encoding="utf-8")
    [message] = problems(data_copy)
    assert message.startswith("data/types/malware.yml at line ")
    assert "YAML syntax error" in message


def test_missing_field_names_the_place_and_the_field(data_copy):
    edit_yaml(data_copy / "types" / "malware.yml", lambda d: d["phases"][2]["steps"][0].pop("text"))
    [message] = problems(data_copy)
    assert message.startswith("data/types/malware.yml at 'phases > 2 > steps > 0': missing 'text'")
    assert "手順の文言" in message  # what is expected, from the schema's description


def test_wrong_type_says_what_was_expected(data_copy):
    edit_yaml(data_copy / "types" / "insider.yml", lambda d: d.update(cases="一つだけ"))
    [message] = problems(data_copy)
    assert message.startswith("data/types/insider.yml at 'cases': expected array, got '一つだけ'")


def test_duplicate_step_id_is_reported_with_both_places(data_copy):
    def duplicate(d):
        d["phases"][2]["steps"][1]["id"] = d["phases"][2]["steps"][0]["id"]

    edit_yaml(data_copy / "types" / "loss-theft.yml", duplicate)
    [message] = problems(data_copy)
    assert message.startswith(
        "data/types/loss-theft.yml at 'phases > 2 > steps > 1 > id': duplicate step id "
        "'identify-lost-information' (already used at 'phases > 2 > steps > 0')"
    )


def test_urgent_step_must_exist(data_copy):
    edit_yaml(data_copy / "types" / "malware.yml", lambda d: d["urgent"].append("unplug"))
    [message] = problems(data_copy)
    assert message.startswith("data/types/malware.yml at 'urgent > 3': unknown step 'unplug'")


def test_reference_to_unknown_question_set_is_reported(data_copy):
    edit_yaml(
        data_copy / "types" / "p2p-leak.yml", lambda d: d["phases"][2].update(severity="sevrity")
    )
    [message] = problems(data_copy)
    assert message.startswith(
        "data/types/p2p-leak.yml at 'phases > 2 > severity': unknown question set 'sevrity'"
    )
    assert "severity" in message.split("expected one of")[1]


def test_reference_to_unknown_contact_is_reported(data_copy):
    edit_yaml(data_copy / "organization.yml", lambda d: d["reporting_chain"][0].update(to="nobody"))
    [message] = problems(data_copy)
    assert message.startswith(
        "data/organization.yml at 'reporting_chain > 0 > to': unknown id 'nobody'"
    )


def test_unknown_phase_lists_the_known_ones(data_copy):
    edit_yaml(
        data_copy / "types" / "malware.yml", lambda d: d["phases"][0].update(phase="discovering")
    )
    [message] = problems(data_copy)
    assert message.startswith(
        "data/types/malware.yml at 'phases > 0 > phase': unknown phase 'discovering'"
    )
    assert "discovery, initial-response, investigation, notification, recovery" in message


def test_empty_step_text_is_refused(data_copy):
    edit_yaml(
        data_copy / "types" / "misdelivery.yml",
        lambda d: d["phases"][3]["steps"][1].update(text="  "),
    )
    [message] = problems(data_copy)
    assert message.startswith(
        "data/types/misdelivery.yml at 'phases > 3 > steps > 1 > text': empty text"
    )


def test_malformed_phone_number_shows_the_expected_form(data_copy):
    edit_yaml(
        data_copy / "organization.yml",
        lambda d: d["contacts"][0]["phones"][1].update(number="090-5110-O331"),
    )
    [message] = problems(data_copy)
    assert message.startswith(
        "data/organization.yml at 'contacts > 0 > phones > 1 > number': '090-5110-O331' is not in "
        "the expected form"
    )
    assert "090-5110-0331" in message  # the example in the schema shows the form


def test_unknown_key_lists_the_allowed_keys(data_copy):
    edit_yaml(
        data_copy / "types" / "malware.yml", lambda d: d["phases"][0]["steps"][0].update(txt="x")
    )
    [message] = problems(data_copy)
    assert message.startswith(
        "data/types/malware.yml at 'phases > 0 > steps > 0': unknown key 'txt'"
    )
    assert "allowed keys: id, text" in message


def test_bad_type_file_name_is_refused(data_copy):
    shutil.copy(data_copy / "types" / "malware.yml", data_copy / "types" / "Mal Ware.yml")
    messages = problems(data_copy)
    assert any(
        m.startswith("data/types/Mal Ware.yml: file name must be the type id") for m in messages
    )


def test_all_errors_are_reported_at_once(data_copy):
    edit_yaml(data_copy / "types" / "malware.yml", lambda d: d["phases"][2]["steps"][0].pop("text"))
    edit_yaml(data_copy / "types" / "insider.yml", lambda d: d["phases"][0].update(phase="nope"))
    edit_yaml(
        data_copy / "organization.yml",
        lambda d: d["contacts"][0]["phones"][0].update(extension="内2255"),
    )
    (data_copy / "basics.yml").write_text("purpose: [\n", encoding="utf-8")
    messages = problems(data_copy)
    assert len(messages) == 4, messages
    assert [m.split(" ")[0].rstrip(":") for m in messages] == [
        "data/basics.yml",
        "data/organization.yml",
        "data/types/insider.yml",
        "data/types/malware.yml",
    ]
