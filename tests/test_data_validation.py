"""Bad data stops the build with messages naming file, place and what is expected."""

import json
import re
import shutil
import time
from pathlib import Path

import pytest
import yaml

from macros.data import DataError, load_handbook
from support.data import DATA, MISTAKES, with_mistake


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


def test_yaml_syntax_error_names_file_line_and_what_to_check(data_copy):
    path = data_copy / "types" / "malware.yml"
    path.write_text(path.read_text(encoding="utf-8") + "phases: [unclosed\n", encoding="utf-8")
    [message] = problems(data_copy)
    assert re.match(r"data/types/malware\.yml の \d+行目 \d+文字目: YAML の書き方の誤り: ", message)
    assert "[ と ] の数" in message


def test_missing_field_names_the_place_in_words_and_the_field(data_copy):
    edit_yaml(data_copy / "types" / "malware.yml", lambda d: d["phases"][4]["steps"][1].pop("text"))
    [message] = problems(data_copy)
    assert message.startswith(
        "data/types/malware.yml の 5番目の段階（抑制措置と復旧） の 2番目の手順（reinstall-programs）: "
        "「text」がありません。"
    )
    assert "手順の文言" in message  # what to write, from the schema's description


def test_wrong_type_says_what_to_write(data_copy):
    edit_yaml(data_copy / "types" / "insider.yml", lambda d: d.update(cases="一つだけ"))
    [message] = problems(data_copy)
    assert message.startswith(
        "data/types/insider.yml の 「cases」: リスト（「- 」で始まる行）を書いてください（今は 「一つだけ」）。"
    )


def test_duplicate_step_id_is_reported_with_both_places(data_copy):
    def duplicate(d):
        d["phases"][2]["steps"][1]["id"] = d["phases"][2]["steps"][0]["id"]

    edit_yaml(data_copy / "types" / "loss-theft.yml", duplicate)
    [message] = problems(data_copy)
    assert message.startswith(
        "data/types/loss-theft.yml の 3番目の段階（調査） の 2番目の手順（identify-lost-information）"
        " の 「id」: id「identify-lost-information」は 3番目の段階 の 1番目の手順 と同じです。"
    )


def test_urgent_step_must_exist(data_copy):
    edit_yaml(data_copy / "types" / "malware.yml", lambda d: d["urgent"].append("unplug"))
    [message] = problems(data_copy)
    assert message.startswith(
        "data/types/malware.yml の 4番目のまずやること（unplug）: 「unplug」という手順も※の注記も"
    )


def test_reference_to_unknown_question_set_lists_the_known_ones(data_copy):
    edit_yaml(
        data_copy / "types" / "p2p-leak.yml", lambda d: d["phases"][2].update(severity="sevrity")
    )
    [message] = problems(data_copy)
    assert message.startswith(
        "data/types/p2p-leak.yml の 3番目の段階（調査） の 「severity」: 「sevrity」という質問の組はありません。"
    )
    assert "information, severity" in message


def test_reference_to_unknown_contact_is_reported(data_copy):
    edit_yaml(data_copy / "organization.yml", lambda d: d["reporting_chain"][0].update(to="nobody"))
    [message] = problems(data_copy)
    assert message.startswith(
        "data/organization.yml の 1番目の報告ルートの矢印（事故発生：発生が分かった時点でまず一報） の 「to」: "
        "「nobody」という連絡先・起点はありません。"
    )


def test_unknown_phase_lists_the_known_ones(data_copy):
    edit_yaml(
        data_copy / "types" / "malware.yml", lambda d: d["phases"][0].update(phase="discovering")
    )
    [message] = problems(data_copy)
    assert message.startswith(
        "data/types/malware.yml の 1番目の段階（discovering） の 「phase」: 「discovering」という段階はありません。"
    )
    assert "discovery, initial-response, investigation, notification, recovery" in message


def test_empty_step_text_is_refused(data_copy):
    edit_yaml(
        data_copy / "types" / "misdelivery.yml",
        lambda d: d["phases"][3]["steps"][1].update(text="  "),
    )
    [message] = problems(data_copy)
    assert message.startswith(
        "data/types/misdelivery.yml の 4番目の段階（通知・報告・公表等） の 2番目の手順（publish） の 「text」: 空です。"
    )


def test_malformed_phone_number_shows_the_expected_form(data_copy):
    edit_yaml(
        data_copy / "organization.yml",
        lambda d: d["contacts"][0]["phones"][1].update(number="090-5110-O331"),
    )
    [message] = problems(data_copy)
    assert message.startswith(
        "data/organization.yml の 1番目の連絡先（it-optimization） の 2番目の電話番号（勤務時間外） の "
        "「number」: 「090-5110-O331」 は書き方が違います。"
    )
    assert "090-5110-0331" in message  # the example in the schema shows the form


def test_unknown_key_lists_the_allowed_keys(data_copy):
    edit_yaml(
        data_copy / "types" / "malware.yml", lambda d: d["phases"][0]["steps"][0].update(txt="x")
    )
    [message] = problems(data_copy)
    assert (
        "「txt」という項目は書けません（「text」の綴りの誤りではありませんか？）。書ける項目: id, text"
        in message
    )
    # The line and column of the key itself.
    assert re.search(r"（\d+行目 5文字目）$", message)


def test_bad_type_file_name_is_refused(data_copy):
    shutil.copy(data_copy / "types" / "malware.yml", data_copy / "types" / "Mal Ware.yml")
    messages = problems(data_copy)
    assert any(
        m.startswith("data/types/Mal Ware.yml: ファイル名はタイプの id です") for m in messages
    )


def test_all_problems_of_all_kinds_are_reported_at_once(data_copy):
    edit_yaml(data_copy / "types" / "malware.yml", lambda d: d["phases"][2]["steps"][0].pop("text"))
    # A schema problem and a reference problem in the same file: both are reported.
    edit_yaml(data_copy / "types" / "malware.yml", lambda d: d["urgent"].append("unplug"))
    edit_yaml(data_copy / "types" / "insider.yml", lambda d: d["phases"][0].update(phase="nope"))
    edit_yaml(
        data_copy / "organization.yml",
        lambda d: d["contacts"][0]["phones"][0].update(extension="内2255"),
    )
    (data_copy / "basics.yml").write_text("purpose: [\n", encoding="utf-8")
    messages = problems(data_copy)
    assert len(messages) == 5, messages
    assert [m.split(" ")[0].rstrip(":") for m in messages] == [
        "data/basics.yml",
        "data/organization.yml",
        "data/types/insider.yml",
        "data/types/malware.yml",
        "data/types/malware.yml",
    ]


# --- what the loader refuses before the schemas (one small bad file each) -----------------


def write(path: Path, text: str, encoding: str = "utf-8") -> None:
    path.write_text(text, encoding=encoding)


def test_duplicate_key_is_refused_with_its_line(data_copy):
    path = data_copy / "phases.yml"
    write(path, "- id: discovery\n  id: again\n  number: （１）\n  title: 発見\n")
    [message] = [m for m in problems(data_copy) if m.startswith("data/phases.yml")]
    assert message == (
        "data/phases.yml の 2行目 3文字目: 同じ項目名「id」が2回あります。1つにまとめてください"
        "（YAML では後に書いた方だけが残り、前の方は黙って消えます）。"
    )


def test_many_aliases_are_refused_quickly(data_copy):
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        lines.append(f"l{i}: &l{i} [" + ",".join([f"*{'a' if i == 1 else f'l{i - 1}'}"] * 9) + "]")
    write(data_copy / "question-sets.yml", "\n".join(lines) + "\n")
    started = time.perf_counter()
    messages = problems(data_copy)
    elapsed = time.perf_counter() - started
    [message] = [m for m in messages if m.startswith("data/question-sets.yml")]
    assert "参照（アンカー・エイリアス）が多すぎます" in message
    print(f"\nbench: billion-laughs file refused in {elapsed * 1000:.0f} ms")


def test_a_file_over_the_size_limit_is_refused(data_copy):
    path = data_copy / "types" / "malware.yml"
    write(path, path.read_text(encoding="utf-8") + "# " + "あ" * 100_000 + "\n")
    [message] = problems(data_copy)
    assert message.startswith("data/types/malware.yml: ファイルが大きすぎます（")


def test_a_shift_jis_file_is_refused_with_how_to_save_it(data_copy):
    path = data_copy / "types" / "malware.yml"
    write(path, path.read_text(encoding="utf-8"), encoding="cp932")
    [message] = problems(data_copy)
    assert re.match(
        r"data/types/malware\.yml の \d+行目 \d+文字目: 文字コードが UTF-8 ではありません", message
    )
    assert "UTF-8 を選んで保存し直してください" in message


def test_a_yaml_extension_in_types_is_refused(data_copy):
    shutil.copy(data_copy / "types" / "malware.yml", data_copy / "types" / "extra.yaml")
    [message] = problems(data_copy)
    assert message == (
        "data/types/extra.yaml: 拡張子を .yml にしてください（.yaml のファイルは読み込まれません）。"
    )


def test_a_stray_file_in_types_is_refused(data_copy):
    write(data_copy / "types" / "malware.yml.bak", "x")
    [message] = problems(data_copy)
    assert message.startswith("data/types/malware.yml.bak: data/types/ には事故のタイプの .yml")


def test_a_duplicate_phase_id_is_named(data_copy):
    edit_yaml(data_copy / "phases.yml", lambda d: d.append(dict(d[0])))
    [message] = problems(data_copy)
    assert message.startswith(
        "data/phases.yml の 6番目の項目（discovery） の 「id」: 段階の id「discovery」が2回書かれています。"
    )


def test_a_duplicate_question_id_is_named(data_copy):
    edit_yaml(
        data_copy / "question-sets.yml",
        lambda d: d["severity"]["items"].append(dict(d["severity"]["items"][0])),
    )
    [message] = problems(data_copy)
    assert message.startswith(
        "data/question-sets.yml の 「severity」 の 5番目の項目（category） の 「id」: 質問の id「category」が重なっています。"
    )


def test_html_in_a_text_is_refused(data_copy):
    edit_yaml(data_copy / "organization.yml", lambda d: d.update(name="岐阜県<b>"))
    [message] = problems(data_copy)
    assert message.startswith(
        "data/organization.yml の 「name」: 「<b」を含む書き方（HTML のタグや Markdown のリンク）は使えません。"
    )


def test_a_markdown_link_in_a_text_is_refused(data_copy):
    edit_yaml(
        data_copy / "revisions.yml", lambda d: d[0].update(summary="[更新](javascript:alert(1))")
    )
    [message] = problems(data_copy)
    assert message.startswith(
        "data/revisions.yml の 1番目の項目（第1版） の 「summary」: 「](」を含む書き方"
    )


def test_an_unknown_placeholder_is_refused_with_the_known_ones(data_copy):
    path = data_copy / "types" / "insider.yml"
    write(path, path.read_text(encoding="utf-8").replace("{residents}", "{citizens}", 1))
    [message] = problems(data_copy)
    assert "「{citizens}」という言葉は data/organization.yml の terms にありません。" in message
    assert "{residents}" in message


def test_placeholders_become_the_organizations_words():
    handbook = load_handbook(DATA)
    insider = handbook.types["insider"]
    assert "県民の情報を" in insider.cases[-1] or any("県民" in c for c in insider.cases)
    assert not any("{" in s.text for p in insider.phases for s in p.steps)


# --- the corpus of editors' mistakes (tests/fixtures/mistakes/) ------------------------
# Each fixture puts one mistake (or a few) into a copy of a frozen copy of the data (base/,
# so that edits of the real data do not move the stated lines) and states what `check`
# must say: refused or accepted, the file, the 1-based line and column of the mistake
# itself, the Japanese words of the message and fix, the text as typed (never a converted
# value), and that the message comes first (one mistake, one message, nothing before it).

CASES = sorted(MISTAKES.glob("*.json"))


def _check(data_dir: Path, capsys) -> tuple[int, list[str]]:
    from scripts import check_data

    code = check_data.main([], data_dir=data_dir)
    return code, capsys.readouterr().out.splitlines()


def _at(lines: list[str], file: str, line: int, column: int) -> list[str]:
    """The printed messages about data/<file> at that line and column."""
    spot = f"{line}行目 {column}文字目"
    return [m for m in lines if f"data/{file}" in m and spot in m]


def test_the_corpus_has_at_least_40_mistakes():
    assert len(CASES) >= 40
    kinds = {json.loads(c.read_text(encoding="utf-8"))["outcome"] for c in CASES}
    assert kinds == {"refused", "accepted"}


@pytest.mark.parametrize("fixture", CASES, ids=lambda p: p.stem)
def test_each_mistake_is_told_where_it_is_in_japanese_with_the_fix(fixture, tmp_path, capsys):
    case = json.loads(fixture.read_text(encoding="utf-8"))
    code, lines = _check(with_mistake(case, tmp_path / "data"), capsys)
    out = "\n".join(lines)
    if case["outcome"] == "accepted":
        assert code == 0, out
        assert "誤りはありません" in lines[-1], out
        notices = [m for m in lines if m.startswith("注意")]
        if case["line"] is None or not case["message"]:
            assert notices == [], out
            return
        told = _at(notices, case["file"], case["line"], case["column"])
    else:
        assert code == 1, out
        # The last line counts them; a line indented with "　" is folded under the one above
        # (the consequences of its mistake).
        errors = [m for m in lines[:-1] if not m.startswith("　")]
        assert lines[-1].startswith("data/ に ") and "件の誤りがあります" in lines[-1], out
        if case["line"] is None:
            told = [m for m in errors if all(part in m for part in case["message"])]
        else:
            told = _at(errors, case["file"], case["line"], case["column"])
            # The root cause first: no message of another place before it.
            assert errors[0] in told, out
        # One mistake, one message (a fixture names the count when it holds more).
        assert len(errors) == case.get("count", 1), out
    assert told, f"no message at {case['file']} {case['line']}:{case['column']}\n{out}"
    message = told[0]
    for part in case["message"]:
        assert part in message, (part, message)
    assert re.search(r"[ぁ-んァ-ヶ一-龠]", message)  # Japanese
    if "typed" in case:
        assert case["typed"] in message, message
    for converted in case.get("never", []):
        assert converted not in out, (converted, out)
    for more in case.get("also", []):
        (other,) = _at(lines, case["file"], more["line"], more["column"])
        for part in more["message"]:
            assert part in other, (part, other)


def test_one_mistake_repeated_is_told_in_full_five_times_then_folded_with_every_place(data_copy):
    path = data_copy / "types" / "malware.yml"
    lines = path.read_text(encoding="utf-8").split("\n")
    steps = [i for i, line in enumerate(lines) if line.startswith("        text: ")][:8]
    for i in steps:
        lines[i] = "\t" + lines[i][2:]
    path.write_text("\n".join(lines), encoding="utf-8")
    messages = problems(data_copy)
    assert len(messages) == 6
    for i, message in zip(steps[:5], messages[:5], strict=True):
        assert message.startswith(
            f"data/types/malware.yml の {i + 1}行目 1文字目: 行頭の字下げにタブ文字"
        )
    folded = messages[5]
    assert folded.startswith("（同じ誤り「行頭の字下げにタブ文字") and "ほかに 3 か所" in folded
    for i in steps[5:]:
        assert f"data/types/malware.yml の {i + 1}行目 1文字目" in folded
