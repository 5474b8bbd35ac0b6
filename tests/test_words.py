"""The site's own words live in one catalogue (macros/words.py: components/<name>/words.yml
and macros/pages/words.yml), read by the templates, the scripts and the fidelity gate:
no word is written in a template or a script, every word is used, every use is a word."""

import json
import re
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import pytest

from macros import bundle, words

ROOT = Path(__file__).resolve().parent.parent
JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff01-\uff5e]")
COMMENTS = {
    ".js": re.compile(r"/\*[\s\S]*?\*/|(?<![:\\])//[^\n]*"),
    ".html": re.compile(r"\{#[\s\S]*?#\}"),
    ".md": re.compile(r"\{#[\s\S]*?#\}"),
}
# In a template: words.<group>.<key>; in a script: HB.t("<group>.<key>"; in Python:
# WORDS["<group>"]["<key>"].
USES = [
    re.compile(r"\bwords\.([a-z_]+)\.([a-z0-9_]+)"),
    words.SCRIPT_USE,  # the same pattern the bundle reads the scripts' words with
    re.compile(r"WORDS\[\"([a-z_]+)\"\]\[\"([a-z0-9_]+)\"\]"),
]


def sources() -> list[Path]:
    found = [*ROOT.glob("components/*/*.html"), *ROOT.glob("components/*/*.md")]
    found += [*ROOT.glob("components/*/*.js"), *ROOT.glob("macros/pages/*.md")]
    found += [*ROOT.glob("docs/*.md")]
    return sorted(found)


def code_of(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.parent.name == "docs":  # front matter: the page's title and search terms
        text = re.sub(r"\A---\n[\s\S]*?\n---\n", lambda m: "\n" * m.group(0).count("\n"), text)
    return COMMENTS[path.suffix].sub("", text)


def uses() -> set[tuple[str, str]]:
    found = {m.groups() for p in sources() for u in USES[:2] for m in u.finditer(code_of(p))}
    for path in ROOT.glob("macros/*.py"):
        found |= {m.groups() for m in USES[2].finditer(path.read_text(encoding="utf-8"))}
    return found


def test_no_word_is_written_in_a_template_or_a_script():
    written = []
    for path in sources():
        for n, line in enumerate(code_of(path).splitlines(), start=1):
            if JAPANESE.search(line):
                written.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:80]}")
    assert written == [], "\n".join(written)


def test_every_word_is_used_and_every_use_is_a_word():
    catalogue = words.load()
    known = {(g, k) for g, entries in catalogue.items() for k in entries}
    used = uses()
    assert sorted(used - known) == [], "used but not in any words.yml"
    assert sorted(known - used) == [], "in a words.yml but used nowhere"


def test_every_script_names_its_words_literally():
    """A key built at run time (HB.t("x." + kind)) could name no word: tests could not see it."""
    for path in ROOT.glob("components/*/*.js"):
        for call in re.findall(r"HB\.t\(([^,)]*)", code_of(path)):
            assert re.fullmatch(r'"[a-z_]+\.[a-z0-9_]+"', call.strip()), f"{path.name}: {call}"


def test_a_group_is_its_folder_and_a_word_is_text(tmp_path):
    (tmp_path / "components" / "clear-all").mkdir(parents=True)
    (tmp_path / "macros" / "pages").mkdir(parents=True)
    (tmp_path / "components" / "clear-all" / "words.yml").write_text(
        "done: '{count}件を消去しました。'\n", encoding="utf-8"
    )
    assert words.load(tmp_path) == {"clear_all": {"done": "{count}件を消去しました。"}}
    assert words.pieces("{count}件を消去しました。") == ["件を消去しました。"]
    assert words.pieces("{done} / {all} 完了") == [" / ", " 完了"]


@pytest.mark.parametrize(
    "text,message",
    [
        ("a: x\na: y\n", "「a」が2回あります"),
        ("Bad-Key: x\n", "キー「Bad-Key」"),
        ("a: ''\n", "「a」の言葉を文字で"),
        ("- a\n", "「キー: 言葉」の形"),
    ],
)
def test_a_mistake_in_a_words_file_names_the_file_and_the_fix(tmp_path, text, message):
    (tmp_path / "components" / "urgent").mkdir(parents=True)
    (tmp_path / "components" / "urgent" / "words.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as raised:
        words.load(tmp_path)
    assert "components/urgent/words.yml" in str(raised.value)


def test_a_word_reaches_the_page_and_the_script_alike(view, server):
    view.goto(server + "/types/malware/")
    heading = view.locator("#urgent")
    assert heading.inner_text().rstrip("＊ \n") == words.load()["urgent"]["heading"]
    assert view.evaluate('HB.t("progress.done", {done: 1, all: 2})') == "1 / 2 完了"
    # An unknown word or a missing value is an error, never a key shown to a reader.
    for call in ['HB.t("urgent.nope")', 'HB.t("progress.done", {done: 1})']:
        assert view.evaluate(
            f"() => {{ try {{ {call}; return 'shown'; }} catch (e) {{ return e.message; }} }}"
        ).startswith("hb:")


def test_the_one_script_carries_exactly_the_words_its_scripts_use():
    joined = bundle.collect()
    first_line = joined.js.split("\n", 1)[0]
    shipped = json.loads(first_line.removeprefix("window.HB_WORDS = ").removesuffix(";"))
    in_scripts = {
        m.groups() for p in ROOT.glob("components/*/*.js") for m in USES[1].finditer(code_of(p))
    }
    assert {(g, k) for g, entries in shipped.items() for k in entries} == in_scripts
    assert "a11y_lead" not in first_line  # a template-only word stays out of every download


def test_a_word_on_a_docs_page_is_text_never_markdown(monkeypatch):
    """docs/*.md read words through mkdocs-macros, which escapes nothing by itself."""
    import markdown

    import macros
    from macros import render
    from support.pages import HANDBOOK

    word = "*強調* [リンク](javascript:x) <b>太字</b> {: #x }"
    monkeypatch.setitem(render.ENV.globals, "words", {"page": {"a11y_title": word}})
    env = SimpleNamespace(variables={}, conf=SimpleNamespace(config_file_path=str(ROOT / "x")))
    env.macro = lambda *_: None
    monkeypatch.setattr(macros, "_handbook", HANDBOOK)
    macros.define_env(env)
    html = markdown.markdown(
        f"# {env.variables['words']['page']['a11y_title']}", extensions=["attr_list"]
    )
    assert "<em>" not in html and "<a" not in html and "<b>" not in html and 'id="x"' not in html
    assert unescape(re.sub(r"<[^>]+>", "", html)) == word
